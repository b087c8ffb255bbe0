"""Model artifacts: ``MAGIC | u16 format version | u32 metadata length | metadata JSON | u32 CRC32 of the body |
body``, where the body is ``u32 document length | document JSON (UTF-8) | zlib-compressed array block`` as
``codec.py`` writes them. Artifacts are data, not code: whoever can write a row of the artifact table can at
worst make a model answer badly, never run anything in the sidecar, because loading parses JSON and reads
numeric arrays of fixed dtypes, nothing else (no pickle). Loading raises ``IncompatibleArtifact`` for anything
it cannot trust: another format (format 2 was a pickle: it is refused from its header, never unpickled), a
checksum mismatch, or a document ``codec.decode`` rejects.

The document stays uncompressed so the account ids a model holds (assignee classes, reporters, the prior's keys)
are in the artifact as UTF-8, where the app looks for an erased person (``ErasedAccountModels``); the bulky
strings (vocabulary words, character n-grams) go with the arrays, compressed."""
from __future__ import annotations

import json
import platform
import struct
import time
import zlib
from typing import Any

from . import codec

MAGIC = b"TRIAGEML"
# 3: JSON + numeric arrays instead of a pickle. Bump when a field is added or changes meaning (for instance the
# tokenizer or the character n-gram hash): the models are then retrained, as an older sidecar's would be.
FORMAT_VERSION = 3
_HEAD = struct.Struct(">HI")
_U32 = struct.Struct(">I")


class IncompatibleArtifact(Exception):
    """Unreadable, corrupt, or of another format: retrain."""


def _versions() -> dict[str, str]:
    import numpy
    import sklearn
    return {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": numpy.__version__}


def dumps(model: Any, extra: dict[str, Any] | None = None) -> bytes:
    meta = {"format": FORMAT_VERSION, "target": model.target, **_versions(),
            "created": int(time.time() * 1000), "n_train": model.n_train, "classes": len(model.classes)}
    if extra:
        meta.update(extra)
    doc, block = codec.encode(model)
    # surrogatepass: issue text may hold lone surrogates (JSON allows them), and the vocabulary comes from it.
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    body = _U32.pack(len(text)) + text + zlib.compress(block, 1)
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    return MAGIC + _HEAD.pack(FORMAT_VERSION, len(head)) + head + _U32.pack(zlib.crc32(body)) + body


def read_meta(data: bytes | bytearray) -> tuple[dict[str, Any], int]:
    """The metadata and the offset of the checksum; raises IncompatibleArtifact on a bad header."""
    data = memoryview(data)
    if len(data) < len(MAGIC) + _HEAD.size or bytes(data[:len(MAGIC)]) != MAGIC:
        raise IncompatibleArtifact("not a triage model artifact")
    fmt, n = _HEAD.unpack_from(data, len(MAGIC))
    if fmt != FORMAT_VERSION:
        raise IncompatibleArtifact(f"artifact format {fmt}, this sidecar reads {FORMAT_VERSION}")
    start = len(MAGIC) + _HEAD.size
    if len(data) < start + n + _U32.size:
        raise IncompatibleArtifact("artifact truncated")
    try:
        meta = json.loads(bytes(data[start:start + n]).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise IncompatibleArtifact("artifact metadata unreadable") from None
    if not isinstance(meta, dict):
        raise IncompatibleArtifact("artifact metadata unreadable")
    return meta, start + n


def _no_nan(name: str) -> float:
    if name == "NaN":
        raise ValueError("NaN in a model document")
    return float(name)


def loads(data: bytes | bytearray) -> Any:
    """The model; the library versions it was made with do not matter: the document holds numbers, not objects."""
    meta, at = read_meta(data)
    (crc,) = _U32.unpack_from(data, at)
    body = memoryview(data)[at + _U32.size:]
    if zlib.crc32(body) != crc:
        raise IncompatibleArtifact("artifact checksum mismatch (corrupt or truncated)")
    try:
        (n,) = _U32.unpack_from(body, 0)
        if _U32.size + n > len(body):
            raise ValueError("document truncated")
        doc = json.loads(bytes(body[_U32.size:_U32.size + n]).decode("utf-8", "surrogatepass"),
                         parse_constant=_no_nan)
        model = codec.decode(doc, zlib.decompress(body[_U32.size + n:]))
    except Exception as e:  # noqa: BLE001 - whatever fails in reading it means: cannot use it
        # The messages name fields, dtypes and shapes, not issue text.
        raise IncompatibleArtifact(f"artifact content unreadable: {e}"[:300]) from None
    if model.target != meta.get("target"):
        raise IncompatibleArtifact("artifact metadata and model disagree")
    return model
