"""Model artifacts: ``MAGIC | u16 format version | u32 metadata length | metadata JSON | u32 CRC32 of payload |
payload`` where the payload is the zlib-compressed (level 1: fast) pickle of the model. Loading checks magic,
format, library versions (the pinned scikit-learn and numpy must match exactly) and the checksum, and raises
``IncompatibleArtifact`` for anything it cannot trust."""
from __future__ import annotations

import json
import pickle
import platform
import struct
import time
import zlib
from typing import Any

MAGIC = b"TRIAGEML"
FORMAT_VERSION = 2  # 2: ranked answers with suggest/auto decisions, character n-grams (issue 16)
_HEAD = struct.Struct(">HI")
_CRC = struct.Struct(">I")


class IncompatibleArtifact(Exception):
    """Unreadable, corrupt, or made by other library versions: retrain."""


def _versions() -> dict[str, str]:
    import numpy
    import sklearn
    return {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": numpy.__version__}


def dumps(model: Any, extra: dict[str, Any] | None = None) -> bytes:
    meta = {"format": FORMAT_VERSION, "target": getattr(model, "target", None), **_versions(),
            "created": int(time.time() * 1000), "n_train": getattr(model, "n_train", None),
            "classes": len(getattr(model, "classes", []))}
    if extra:
        meta.update(extra)
    payload = zlib.compress(pickle.dumps(model, protocol=5), 1)
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    return MAGIC + _HEAD.pack(FORMAT_VERSION, len(head)) + head + _CRC.pack(zlib.crc32(payload)) + payload


def read_meta(data: bytes | bytearray) -> tuple[dict[str, Any], int]:
    """The metadata and the offset of the checksum; raises IncompatibleArtifact on a bad header."""
    data = memoryview(data)
    if len(data) < len(MAGIC) + _HEAD.size or bytes(data[:len(MAGIC)]) != MAGIC:
        raise IncompatibleArtifact("not a triage model artifact")
    fmt, n = _HEAD.unpack_from(data, len(MAGIC))
    if fmt != FORMAT_VERSION:
        raise IncompatibleArtifact(f"artifact format {fmt}, this sidecar reads {FORMAT_VERSION}")
    start = len(MAGIC) + _HEAD.size
    if len(data) < start + n + _CRC.size:
        raise IncompatibleArtifact("artifact truncated")
    try:
        meta = json.loads(bytes(data[start:start + n]).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise IncompatibleArtifact("artifact metadata unreadable") from None
    if not isinstance(meta, dict):
        raise IncompatibleArtifact("artifact metadata unreadable")
    return meta, start + n


def loads(data: bytes | bytearray) -> Any:
    meta, at = read_meta(data)
    here = _versions()
    for lib in ("sklearn", "numpy"):
        if meta.get(lib) != here[lib]:
            raise IncompatibleArtifact(f"made with {lib} {meta.get(lib)}, this sidecar has {here[lib]}")
    (crc,) = _CRC.unpack_from(data, at)
    payload = bytes(data[at + _CRC.size:])
    if zlib.crc32(payload) != crc:
        raise IncompatibleArtifact("artifact checksum mismatch (corrupt or truncated)")
    try:
        model = pickle.loads(zlib.decompress(payload))
    except Exception as e:  # noqa: BLE001 - any unpickling failure means: cannot use it
        raise IncompatibleArtifact(f"artifact payload unreadable: {type(e).__name__}") from None
    from .multilabel import MultiLabelModel
    from .multiclass import MulticlassModel
    if not isinstance(model, (MulticlassModel, MultiLabelModel)) or model.target != meta.get("target"):
        raise IncompatibleArtifact("artifact does not hold a triage model")
    return model
