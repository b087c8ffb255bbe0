"""How the sidecar waits for Java's calls: Py4J's callback server, except that a connection that has just answered
polls its socket for a short while before it blocks.

Why: on these (virtual) machines a process that blocks lets its CPU go idle, and waking it is slow. Measured with
monotonic timestamps on both sides of back-to-back predictions of 100 issues (~1.4 ms each), from Java's send to
Python having read the call: 65 us median when Python blocks, 24 us when it polls. Calls come in bursts (the
batcher's batches, a backfill's predictions) and the next call of a burst arrives within a few hundred
microseconds of the answer, so polling that long catches it on a CPU that is still awake. Polling stops as soon
as another call is running (its thread needs the GIL), and a lone call costs at most ``poll_ns`` of CPU after
its answer.

Only this module touches Py4J's internals beyond ``sidecar.patch_error_messages``: ``JavaGateway._create_callback_server``
and ``CallbackServer._create_connection`` of the pinned Py4J 0.10.9.7.
"""
from __future__ import annotations

import io
import select
import socket
import threading
import time
from typing import Any, Callable

from py4j.java_gateway import CallbackConnection, CallbackServer, JavaGateway

POLL_NS = 1_000_000


class CallsInFlight:
    """How many calls the sidecar is running now, over all connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def enter(self) -> None:
        with self._lock:
            self._count += 1

    def leave(self) -> None:
        with self._lock:
            self._count -= 1

    def idle(self) -> bool:
        return self._count == 0


class PollingSocketIO(socket.SocketIO):
    """A socket's reading side that, when asked for bytes, polls for up to ``poll_ns`` while ``may_poll()`` holds,
    then reads (blocking) as usual. Polling never consumes data: it only decides when the blocking read starts."""

    def __init__(self, sock: socket.socket, poll_ns: int, may_poll: Callable[[], bool]) -> None:
        super().__init__(sock, "rb")
        self._poll_ns = poll_ns
        self._may_poll = may_poll

    def readinto(self, b: Any) -> int | None:
        if self._poll_ns > 0 and self._may_poll():
            deadline = time.monotonic_ns() + self._poll_ns
            while (not select.select([self._sock], [], [], 0)[0] and time.monotonic_ns() < deadline
                   and self._may_poll()):
                pass
        return super().readinto(b)


class _CountingConnection(CallbackConnection):
    def __init__(self, *args: Any, in_flight: CallsInFlight) -> None:
        super().__init__(*args)
        self._in_flight = in_flight

    def _call_proxy(self, obj_id: str, input: Any) -> str:
        self._in_flight.enter()
        try:
            return super()._call_proxy(obj_id, input)
        finally:
            self._in_flight.leave()


class _PollingCallbackServer(CallbackServer):
    def __init__(self, *args: Any, poll_ns: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._poll_ns = poll_ns
        self._in_flight = CallsInFlight()

    def _create_connection(self, socket_instance: socket.socket, stream: Any) -> CallbackConnection:
        stream.close()  # Py4J's own reader of this socket: replaced, nothing has been read from it yet
        reader = io.BufferedReader(PollingSocketIO(socket_instance, self._poll_ns, self._in_flight.idle))
        return _CountingConnection(self.pool, reader, socket_instance, self.gateway_client,
                                   self.callback_server_parameters, self, in_flight=self._in_flight)


class PollingJavaGateway(JavaGateway):
    """``JavaGateway`` whose callback server polls after each answer (see the module's doc)."""

    def __init__(self, *args: Any, poll_ns: int = POLL_NS, **kwargs: Any) -> None:
        self._poll_ns = poll_ns  # read by _create_callback_server, which the parent's __init__ calls
        super().__init__(*args, **kwargs)

    def _create_callback_server(self, callback_server_parameters: Any) -> CallbackServer:
        return _PollingCallbackServer(self.gateway_property.pool, self._gateway_client,
                                      callback_server_parameters=callback_server_parameters, poll_ns=self._poll_ns)
