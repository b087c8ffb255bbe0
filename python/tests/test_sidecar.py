"""Sidecar bootstrapping helpers; needs Py4J's source zip, which the Maven build puts in target/py4j."""
import base64
import io
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PY4J_ZIP

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not PY4J_ZIP.exists(), reason="Py4J source zip not built (run the Maven build)")


@pytest.fixture(scope="module")
def sidecar():
    from triage_ml import sidecar as module
    return module


def test_handshake(sidecar, tmp_path) -> None:
    line = json.dumps({"java_port": 25333, "auth_token": "s3cr3t", "payload_dir": str(tmp_path)}) + "\n"
    assert sidecar.read_handshake(io.StringIO(line)) == (25333, "s3cr3t", str(tmp_path), None)
    key = bytes(range(32))
    sealed = json.dumps({"java_port": 25333, "auth_token": "s3cr3t", "payload_dir": str(tmp_path),
                         "payload_key": base64.b64encode(key).decode()}) + "\n"
    assert sidecar.read_handshake(io.StringIO(sealed)) == (25333, "s3cr3t", str(tmp_path), key)
    short_key = json.dumps({"java_port": 1, "auth_token": "s3cr3t", "payload_dir": str(tmp_path),
                            "payload_key": base64.b64encode(key[:16]).decode()}) + "\n"
    not_base64 = short_key.replace(base64.b64encode(key[:16]).decode(), "s3cr3t!")
    for bad in ["", "not json\n", '{"java_port": 0, "auth_token": "s3cr3t"}\n', '{"java_port": 1}\n',
                short_key, not_base64,
                '{"java_port": "1", "auth_token": "s3cr3t"}\n', "[1]\n",
                '{"java_port": 1, "auth_token": "s3cr3t"}\n',
                '{"java_port": 1, "auth_token": "s3cr3t", "payload_dir": "/no/such/dir"}\n']:
        with pytest.raises(sidecar.HandshakeError) as e:
            sidecar.read_handshake(io.StringIO(bad))
        assert "s3cr3t" not in str(e.value)


def test_coded_errors_reach_java_without_traceback(sidecar) -> None:
    from py4j import java_gateway

    from triage_ml.engine import EngineError
    sidecar.patch_error_messages()
    try:
        raise EngineError("MODEL_NOT_LOADED: m1")
    except EngineError:
        assert java_gateway.traceback.format_exc() == "MODEL_NOT_LOADED: m1"
    try:
        raise KeyError("x")
    except KeyError:
        assert "Traceback" in java_gateway.traceback.format_exc()


def test_coded_errors_are_not_logged_as_failures_by_py4j(sidecar) -> None:
    from py4j import java_gateway

    from triage_ml.engine import EngineError
    sidecar.patch_error_messages()
    stream = io.StringIO()
    sidecar.configure_logging(stream=stream)
    try:
        for error in (EngineError("MODEL_NOT_LOADED: m1"), KeyError("x")):
            try:
                raise error
            except Exception:
                java_gateway.logger.exception("There was an exception while executing the Python Proxy")
    finally:
        logging.getLogger().handlers[:] = []
    assert "MODEL_NOT_LOADED" not in stream.getvalue()
    assert "KeyError" in stream.getvalue()


def test_log_lines_are_single_lines(sidecar) -> None:
    stream = io.StringIO()
    sidecar.configure_logging(stream=stream)
    try:
        logging.getLogger("triage_ml.test").warning("two\nlines")
    finally:
        logging.getLogger().handlers[:] = []
    assert stream.getvalue() == "WARNING triage_ml.test: two\\nlines\n"


def test_stdin_eof_triggers_shutdown(sidecar) -> None:
    r, w = os.pipe()
    reader = os.fdopen(r, "r")
    done = threading.Event()
    sidecar.watch_stdin(reader, done.set)
    os.write(w, b"keepalive\n")
    assert not done.wait(0.2)
    os.close(w)
    assert done.wait(2.0)


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'python'}{os.pathsep}{PY4J_ZIP}"}


def test_process_exits_on_bad_handshake_and_never_logs_the_token() -> None:
    p = subprocess.run([sys.executable, "-m", "triage_ml.sidecar"], input='{"java_port": 70000, "auth_token": "tok3n"}\n',
                       capture_output=True, text=True, timeout=30, env=_env())
    assert p.returncode == 2 and "java_port" in p.stderr and "tok3n" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "triage_ml.sidecar"], input="", capture_output=True, text=True,
                       timeout=30, env=_env())
    assert p.returncode == 2 and p.stderr.startswith("ERROR triage_ml.sidecar: stdin closed")


def test_process_exits_when_java_is_unreachable() -> None:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again on exit: nobody listens
    p = subprocess.run([sys.executable, "-m", "triage_ml.sidecar"], input=json.dumps({"java_port": port, "auth_token": "tok3n", "payload_dir": str(ROOT)}) + "\n",
                       capture_output=True, text=True, timeout=60, env=_env())
    assert p.returncode == 1 and "tok3n" not in p.stderr
    assert all(line.split(" ", 1)[0] in {"INFO", "WARNING", "ERROR", "DEBUG"} for line in p.stderr.splitlines())
