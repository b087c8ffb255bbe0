"""Py4J entry point of the sidecar: ``python -m triage_ml.sidecar`` with PYTHONPATH = ``python/`` plus Py4J's
source zip (the only module that imports py4j).

Protocol (stdin, then Py4J):
1. Java starts this process and writes ONE line of JSON to its stdin:
   ``{"java_port": int, "auth_token": str, "payload_dir": str}`` (the token is never in argv, the environment or
   the logs; byte payloads arrive as files of ``payload_dir``, see ``engine``).
2. This side starts a ``JavaGateway`` (``transport.PollingJavaGateway``) to 127.0.0.1:java_port with that token
   and a callback server on 127.0.0.1, port 0 (ephemeral), same token, serving ``Engine(payload_dir)`` as the
   Python server entry point.
3. It calls ``gateway.entry_point.pythonReady(callbackPort)``; Java then points its callback client at that port
   and takes the engine with ``getPythonServerEntryPoint``.
4. stdin stays open for the process's life: EOF (Java closed it or died) or SIGTERM shuts the gateway down and
   exits, so no orphan remains.

Logging goes to stderr, one line per record: ``LEVEL logger: message``.
"""
from __future__ import annotations

import os

# 2 cores shared with the JVM: our parallelism is two SGD threads (joblib) and per-call work is small sparse
# algebra, so BLAS/OpenMP pools would only oversubscribe. Set before numpy is imported anywhere.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")

import base64
import json
import logging
import signal
import sys
import threading
from typing import IO, Any, Callable

log = logging.getLogger("triage_ml.sidecar")


class HandshakeError(ValueError):
    pass


def configure_logging(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_OneLine("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("py4j").setLevel(logging.WARNING)


class _OneLine(logging.Formatter):
    """One line per record: newlines (tracebacks included) are escaped so Java can forward line by line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


def read_handshake(stream: IO[str]) -> tuple[int, str, str, bytes | None]:
    """The first stdin line: ``{"java_port": int, "auth_token": str, "payload_dir": str}``, plus ``"payload_key"``
    (base64 AES-256 key) when payloads are sealed. Errors never echo the line."""
    line = stream.readline()
    if not line:
        raise HandshakeError("stdin closed before the handshake line")
    try:
        doc = json.loads(line)
    except ValueError:
        raise HandshakeError("handshake line is not JSON") from None
    if not isinstance(doc, dict):
        raise HandshakeError("handshake line is not a JSON object")
    port, token, payload_dir = doc.get("java_port"), doc.get("auth_token"), doc.get("payload_dir")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise HandshakeError("handshake java_port missing or invalid")
    if not isinstance(token, str) or not token:
        raise HandshakeError("handshake auth_token missing")
    if not isinstance(payload_dir, str) or not os.path.isdir(payload_dir):
        raise HandshakeError("handshake payload_dir missing or not a directory")
    encoded_key = doc.get("payload_key")
    if encoded_key is None:
        return port, token, payload_dir, None
    try:
        key = base64.b64decode(encoded_key, validate=True) if isinstance(encoded_key, str) else b""
    except ValueError:
        key = b""
    if len(key) != 32:
        raise HandshakeError("handshake payload_key is not a base64 AES-256 key")
    return port, token, payload_dir, key


def patch_error_messages() -> None:
    """Py4J returns a Python exception to Java as ``traceback.format_exc()``. For the engine's coded errors send
    the message alone, so the Java exception text contains ``CODE: detail`` without a Python traceback."""
    from py4j import java_gateway

    from .engine import EngineError
    real = java_gateway.traceback

    class _Traceback:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        @staticmethod
        def format_exc(*args: Any, **kwargs: Any) -> str:
            exc = sys.exc_info()[1]
            if isinstance(exc, EngineError):
                return str(exc)
            return real.format_exc(*args, **kwargs)

    java_gateway.traceback = _Traceback()  # type: ignore[assignment]
    # Py4J also logs every exception of a call at ERROR with its traceback. A coded error is an answer (Java
    # reloads on MODEL_NOT_LOADED, asks for a retrain on INCOMPATIBLE_ARTIFACT), not a failure of the sidecar.
    logging.getLogger("py4j.java_gateway").addFilter(_not_coded_error)


def _not_coded_error(record: logging.LogRecord) -> bool:
    from .engine import EngineError
    return not (record.exc_info and isinstance(record.exc_info[1], EngineError))


def limit_threads() -> dict[str, Any]:
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    return {"blas_threads": 1}


def watch_stdin(stream: IO[str], on_eof: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            while stream.readline():
                pass
        except (OSError, ValueError):
            pass
        on_eof()

    t = threading.Thread(target=run, name="stdin-watch", daemon=True)
    t.start()
    return t


def main() -> int:
    configure_logging()
    try:
        port, token, payload_dir, payload_key = read_handshake(sys.stdin)
    except HandshakeError as e:
        log.error("%s", e)
        return 2
    limit_threads()
    from py4j.java_gateway import CallbackServerParameters, GatewayParameters

    from .engine import Engine
    from .transport import PollingJavaGateway
    patch_error_messages()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    gateway = PollingJavaGateway(
        gateway_parameters=GatewayParameters(address="127.0.0.1", port=port, auth_token=token, auto_convert=True),
        callback_server_parameters=CallbackServerParameters(address="127.0.0.1", port=0, auth_token=token,
                                                            daemonize=True, daemonize_connections=True),
        python_server_entry_point=Engine(payload_dir, payload_key))
    del token, payload_key
    try:
        callback_port = gateway.get_callback_server().get_listening_port()
        gateway.entry_point.pythonReady(callback_port)
        log.info("ready: pid %d, callback port %d", os.getpid(), callback_port)
        watch_stdin(sys.stdin, stop.set)
        while not stop.wait(1.0):
            pass
        log.info("stopping")
    except Exception as e:  # noqa: BLE001
        log.error("sidecar failed: %s", type(e).__name__)
        return 1
    finally:
        try:
            gateway.shutdown()
        except Exception:  # noqa: BLE001
            pass
    return 0


if __name__ == "__main__":
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)  # daemon threads (py4j connections) must not keep the process alive
