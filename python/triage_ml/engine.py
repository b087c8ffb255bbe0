"""The Python side of ``com.triageassistant.ml.SidecarEngine`` (see that interface: it is the contract).

Py4J calls these methods by name from several Java threads. Byte payloads (datasets, artifacts, issue batches)
are ``bytes`` in-process and, across the bridge, where Java put them in the payload directory named in the
handshake (``payloads``: Py4J's own byte[] transfer re-encodes and copies the bytes several times: ~100 MB/s). Errors are raised as ``EngineError`` whose message starts with ``INCOMPATIBLE_ARTIFACT:``,
``MODEL_NOT_LOADED:`` or ``INVALID_INPUT:``; messages never contain issue text.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import struct
import threading
from typing import Any

from . import artifact
from .artifact import IncompatibleArtifact
from .collector import CollectorPaused
from .explain import explain
from .features import Batch
from .options import Options
from .payloads import PayloadError, PayloadReader
from .records import InvalidInput, parse_dataset
from .trainer import TARGETS, train_target

log = logging.getLogger("triage_ml.engine")


class EngineError(Exception):
    """Message starts with the error code the Java side switches on."""


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def parse_issue_batch(data: bytes) -> Batch:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise EngineError("INVALID_INPUT: issues are not UTF-8 JSON") from None
    items = doc.get("issues") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise EngineError("INVALID_INPUT: issues must be {\"issues\": [...]}")
    return Batch.from_dicts(items)


def frame(result: dict[str, Any], artifact_bytes: bytes) -> bytes:
    head = json.dumps(result, separators=(",", ":")).encode("utf-8")
    return struct.pack(">I", len(head)) + head + artifact_bytes


def unframe(data: bytes | bytearray) -> tuple[dict[str, Any], bytes]:
    (n,) = struct.unpack_from(">I", data, 0)
    return json.loads(bytes(data[4:4 + n]).decode("utf-8")), bytes(data[4 + n:])


class Engine:
    class Java:
        implements = ["com.triageassistant.ml.SidecarEngine"]

    def __init__(self, payload_dir: str | None = None, payload_key: bytes | None = None) -> None:
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._payloads = PayloadReader(payload_dir, payload_key)

    def _payload(self, value: Any, what: str) -> bytes:
        try:
            return self._payloads.read(value, what)
        except PayloadError as e:
            raise EngineError(f"INVALID_INPUT: {e}") from None

    # -- SidecarEngine ---------------------------------------------------------------------------------------
    def health(self) -> str:
        import numpy
        import sklearn
        with self._lock:
            loaded = len(self._models)
        return json.dumps({"pid": os.getpid(), "python": platform.python_version(), "sklearn": sklearn.__version__,
                           "numpy": numpy.__version__, "rss_bytes": _rss_bytes(), "models_loaded": loaded})

    @CollectorPaused()
    def train(self, target: str, dataset: Any, options_json: str | None, active_artifact: Any) -> bytes:
        if target not in TARGETS:
            raise EngineError(f"INVALID_INPUT: unknown target {target!r}; expected one of {', '.join(TARGETS)}")
        try:
            opts = Options.parse(options_json)
            records = parse_dataset(self._payload(dataset, "dataset"))
        except InvalidInput as e:
            raise EngineError(f"INVALID_INPUT: {e}") from None
        active = None
        active_bytes = self._payload(active_artifact, "active artifact") if active_artifact is not None else b""
        if active_bytes:
            try:
                active = artifact.loads(active_bytes)
            except IncompatibleArtifact as e:
                log.info("active %s model not comparable: %s", target, e)
        outcome = train_target(target, records, opts, active)
        blob = b""
        if outcome.model is not None:
            blob = artifact.dumps(outcome.model, {"main_metric": outcome.result["main_metric"],
                                                  "main_value": outcome.result["main_value"]})
        r = outcome.result
        log.info("trained %s: status=%s n=%d main %s=%s in %.2fs", target, r["status"], r["n_samples"],
                 r["main_metric"], r["main_value"], r["timings"]["total_seconds"])
        return frame(r, blob)

    def load(self, model_id: str, artifact_bytes: Any) -> None:
        try:
            model = artifact.loads(self._payload(artifact_bytes, "artifact"))
        except IncompatibleArtifact as e:
            raise EngineError(f"INCOMPATIBLE_ARTIFACT: {e}") from None
        with self._lock:
            self._models[model_id] = model
        log.info("loaded model %s (%s, %d values)", model_id, model.target, len(model.classes))

    def unload(self, model_id: str) -> None:
        with self._lock:
            self._models.pop(model_id, None)

    def _model(self, model_id: str) -> Any:
        with self._lock:
            model = self._models.get(model_id)
        if model is None:
            raise EngineError(f"MODEL_NOT_LOADED: {model_id}")
        return model

    @CollectorPaused()
    def predict(self, model_id: str, issues: Any, top_k: int) -> str:
        model = self._model(model_id)
        batch = parse_issue_batch(self._payload(issues, "issues"))
        text = model.ranked(batch, int(top_k)).json(model.classes)
        return self._payloads.answer(issues, text)

    @CollectorPaused()
    def explain(self, model_id: str, issues: Any, top_k: int, max_features: int) -> str:
        model = self._model(model_id)
        batch = parse_issue_batch(self._payload(issues, "issues"))
        return self._payloads.answer(issues, explain(model, batch, int(top_k), int(max_features)))
