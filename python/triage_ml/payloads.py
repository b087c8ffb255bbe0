"""Where the byte payloads of Java's calls come from (see ``com.triageassistant.ml.PayloadExchange``).

In-process callers pass ``bytes``. Across the bridge a payload is a string naming where Java put the bytes, always
inside the payload directory of the handshake:

- ``slot:<index>:<length>``: the first ``length`` bytes of slot ``index`` of ``<payload dir>/slots.bin``, a file
  both sides map. Small payloads (prediction batches) come this way: no file is created, opened or deleted per
  call, which cost ~45 us of a 100-issue prediction's ~1.5 ms.
- ``<payload dir>/<n>.bin``: a file Java wrote for this call (datasets, artifacts, anything larger than a slot).

A prediction's answer goes back the way its issues came (``answer``): into their slot when it fits, or over their
file. An answer too large for its issues' slot (explanations of 256 issues: ~330 KB) goes into
``<payload dir>/slot-<index>.answer``, a name only that slot's call uses while it holds the slot. Py4J's text
protocol escapes, sends, decodes and unescapes an answer character by character (~10 KB for 100 issues, ~1 MB for
10,000), which cost more than the copy: ~40% of the serving path's Java time at saturation when explanations
overflowed their slot.

With TDE on, Java's handshake carries a key and every payload and answer that passes through the directory is
sealed with AES-256-GCM (``nonce(12) | ciphertext | tag(16)``, see ``com.triageassistant.ml.PayloadCipher``): issue
text never lies in clear in ``/dev/shm``. Nonces are counters; this side's start with ``00 00 00 01``, Java's with
zeros, so none repeats under the incarnation's key.

Nothing outside the payload directory is ever read: a path is checked on its string (its directory must be the
payload directory and its name ``<n>.bin``: no other name, no ``..``), without the syscalls of ``realpath``.
"""
from __future__ import annotations

import itertools
import mmap
import os
import re
import struct
import threading
from typing import Any

SLOTS_FILE = "slots.bin"
SLOT_BYTES = 256 * 1024
SEAL_OVERHEAD = 12 + 16
_PYTHON_NONCE = struct.Struct(">IQ")

_FILE_NAME = re.compile(r"[0-9]+\.bin")
_SLOT = re.compile(r"slot:([0-9]{1,6}):([0-9]{1,9})")


def overflow_name(slot: int) -> str:
    """Where the answer to the call of slot ``slot`` goes when it does not fit in the slot."""
    return f"slot-{slot}.answer"


class PayloadError(ValueError):
    """The payload cannot be read; the message names ``what`` and never contains payload bytes."""


class Sealer:
    """AES-256-GCM under the incarnation's key (``cryptography``'s AESGCM: no cipher code of our own)."""

    def __init__(self, key: bytes) -> None:
        # imported here: only a sidecar with TDE on needs the package
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        self._aead = AESGCM(key)
        self._invalid_tag = InvalidTag
        self._counter = itertools.count(1)  # next() is atomic under the GIL

    def seal(self, plain: bytes) -> bytes:
        nonce = _PYTHON_NONCE.pack(1, next(self._counter))
        return nonce + self._aead.encrypt(nonce, plain, None)

    def open(self, sealed: bytes, what: str) -> bytes:
        if len(sealed) < SEAL_OVERHEAD:
            raise PayloadError(f"{what} is too short to be sealed")
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], None)
        except self._invalid_tag:
            raise PayloadError(f"{what} does not authenticate") from None


class PayloadReader:
    def __init__(self, payload_dir: str | None, key: bytes | None = None) -> None:
        self._dir = payload_dir
        self._slots: mmap.mmap | None = None
        self._lock = threading.Lock()
        self._sealer = Sealer(key) if key is not None else None

    def read(self, value: Any, what: str) -> bytes:
        if value is None:
            raise PayloadError(f"{what} is missing")
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        if isinstance(value, str) and self._dir is not None:
            slot = _SLOT.fullmatch(value)
            data = (self._read_slot(int(slot.group(1)), int(slot.group(2)), what) if slot
                    else self._read_file(value, what))
            return data if self._sealer is None else self._sealer.open(data, what)
        raise PayloadError(f"{what} is not a byte payload")

    def _in_payload_dir(self, path: str) -> bool:
        directory, name = os.path.split(path)
        return directory == self._dir and _FILE_NAME.fullmatch(name) is not None

    def _read_file(self, path: str, what: str) -> bytes:
        if not self._in_payload_dir(path):
            raise PayloadError(f"{what} is not a file of the payload directory")
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            raise PayloadError(f"{what} payload file is unreadable") from None

    def _read_slot(self, index: int, length: int, what: str) -> bytes:
        slots = self._mapped_slots(what)
        start = index * SLOT_BYTES
        if length > SLOT_BYTES or start + SLOT_BYTES > len(slots):
            raise PayloadError(f"{what} names a slot outside the slots file")
        return slots[start:start + length]

    def answer(self, payload: Any, text: str) -> str:
        """Sends ``text`` back the way ``payload`` came, whose bytes have been read: written as UTF-8 into its slot
        (answering ``slot:<index>:<length>``) when it fits, or over its file (answering the file's path); otherwise
        ``text`` itself."""
        if not isinstance(payload, str) or self._dir is None:
            return text
        data = text.encode("utf-8")
        if self._sealer is not None:
            data = self._sealer.seal(data)
        slot = _SLOT.fullmatch(payload)
        if slot is not None:
            if self._slots is None:
                return text
            index = int(slot.group(1))
            if len(data) > SLOT_BYTES:
                return self._write(os.path.join(str(self._dir), overflow_name(index)), data, text)
            start = index * SLOT_BYTES
            self._slots[start:start + len(data)] = data
            return f"slot:{slot.group(1)}:{len(data)}"
        if not self._in_payload_dir(payload):
            return text
        return self._write(payload, data, text)

    @staticmethod
    def _write(path: str, data: bytes, text: str) -> str:
        """``path``, once ``data`` is in it; ``text`` itself when it cannot be written."""
        try:
            with open(path, "wb") as f:
                f.write(data)
        except OSError:
            return text  # e.g. a full /dev/shm: Py4J still carries it
        return path

    def _mapped_slots(self, what: str) -> mmap.mmap:
        slots = self._slots
        if slots is None:
            with self._lock:
                if self._slots is None:
                    try:
                        with open(os.path.join(str(self._dir), SLOTS_FILE), "r+b") as f:
                            self._slots = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_WRITE)
                    except (OSError, ValueError):
                        raise PayloadError(f"{what}: the slots file is unreadable") from None
                slots = self._slots
        return slots
