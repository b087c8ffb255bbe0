"""The sidecar's polling callback connections; needs Py4J's source zip, which the Maven build puts in target/py4j."""
import io
import socket
import threading
import time

import pytest
from conftest import PY4J_ZIP

pytestmark = pytest.mark.skipif(not PY4J_ZIP.exists(), reason="Py4J source zip not built (run the Maven build)")
if PY4J_ZIP.exists():
    from triage_ml import transport

POLL_NS = 50_000_000


def _send_later(sock: socket.socket, data: bytes, delay: float) -> threading.Thread:
    def send() -> None:
        time.sleep(delay)
        sock.sendall(data)

    t = threading.Thread(target=send)
    t.start()
    return t


def test_lines_arrive_intact_whether_they_come_while_polling_or_after_it_gave_up() -> None:
    a, b = socket.socketpair()
    with a, b:
        reader = io.BufferedReader(transport.PollingSocketIO(a, POLL_NS, lambda: True))
        sender = _send_later(b, b"first line\nsecond", 0.01)  # within the poll
        assert reader.readline() == b"first line\n"
        sender.join()
        sender = _send_later(b, b" half\nthird line\n", 0.2)  # long after the poll gave up: a blocking read
        started = time.monotonic()
        assert reader.readline() == b"second half\n"
        assert time.monotonic() - started >= 0.19
        assert reader.readline() == b"third line\n"
        sender.join()
        b.shutdown(socket.SHUT_WR)
        assert reader.readline() == b""


def test_no_polling_while_another_call_runs() -> None:
    in_flight = transport.CallsInFlight()
    in_flight.enter()
    asked: list[bool] = []

    def may_poll() -> bool:
        asked.append(in_flight.idle())
        return in_flight.idle()

    a, b = socket.socketpair()
    with a, b:
        reader = io.BufferedReader(transport.PollingSocketIO(a, POLL_NS, may_poll))
        sender = _send_later(b, b"call\n", 0.05)
        assert reader.readline() == b"call\n"
        sender.join()
    assert asked == [False]
    in_flight.leave()
    assert in_flight.idle()
