import json
import os
import pickle
import random
import struct
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from adversarial import adversarial_text, field_value
from triage_ml import artifact
from triage_ml.artifact import IncompatibleArtifact
from triage_ml.explain import explain
from triage_ml.features import Batch
from triage_ml.options import Options
from triage_ml.trainer import TARGETS, train_target

TRIAGE_ML = Path(__file__).resolve().parents[1] / "triage_ml"


def assert_same_answers(loaded: Any, model: Any, batch: Batch) -> None:
    assert loaded.classes == model.classes
    np.testing.assert_array_equal(loaded.proba(batch), model.proba(batch))
    a, b = loaded.ranked(batch, 3), model.ranked(batch, 3)
    for field in ("idx", "p", "suggest", "auto"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert a.json(loaded.classes) == b.json(model.classes)
    assert explain(loaded, batch, 3, 5) == explain(model, batch, 3, 5)


def test_round_trip_gives_identical_answers(project, outcomes) -> None:
    rng = random.Random(5)
    batch = Batch.from_records(project.records[-200:])
    weird = Batch([adversarial_text(rng) for _ in range(50)], [adversarial_text(rng) for _ in range(50)],
                  ["Bug", None, "\x00"] * 16 + [None, "Task"], [[], ["\ud800"]] * 25, ["\udfff", None] * 25)
    for target in TARGETS:
        model = outcomes[target].model
        blob = artifact.dumps(model)
        meta, _ = artifact.read_meta(blob)
        assert meta["target"] == target and meta["format"] == artifact.FORMAT_VERSION
        assert {"python", "sklearn", "numpy", "created", "n_train"} <= set(meta)
        loaded = artifact.loads(bytearray(blob))
        assert type(loaded) is type(model) and loaded.n_train == model.n_train
        assert loaded.featurizer.vocab.words == model.featurizer.vocab.words
        assert loaded.featurizer.feature_names() == model.featurizer.feature_names()
        assert_same_answers(loaded, model, batch)
        assert_same_answers(loaded, model, weird)
        assert split(artifact.dumps(loaded))[1:] == split(blob)[1:]  # nothing lost or added


def test_round_trip_of_models_learnt_from_adversarial_text(project) -> None:
    """Vocabulary words, class names, reporters and n-gram names holding NUL, lone surrogates, bidi marks..."""
    rng = random.Random(7)
    records = [replace(r, summary=adversarial_text(rng, 4) + " " + r.summary, text=str(field_value(rng)) + r.text,
                       labels=r.labels + (("\U0001F4A5\x00\ud800 label",) if i % 5 == 0 else ()),
                       reporter="rep-\x00\udfff" if i % 7 == 0 else r.reporter)
               for i, r in enumerate(project.records[:800])]
    batch = Batch([adversarial_text(rng) for _ in range(40)], [adversarial_text(rng) for _ in range(40)],
                  ["Bug"] * 40, [["\ud800"]] * 40, ["rep-\x00\udfff"] * 40)
    for target in TARGETS:
        model = train_target(target, records, Options()).model
        assert model is not None, target
        assert_same_answers(artifact.loads(artifact.dumps(model)), model, batch)


def test_the_people_a_model_names_are_in_its_bytes(outcomes) -> None:
    """The app finds an erased person's account id in an artifact by its UTF-8 bytes (ErasedAccountModels)."""
    for target in TARGETS:
        model = outcomes[target].model
        blob = artifact.dumps(model)
        people = list(model.featurizer.reporters) + (list(model.classes) if target == "assignee" else [])
        assert people and all(p.encode("utf-8") in blob for p in people), target


def test_library_versions_do_not_matter(outcomes, monkeypatch) -> None:
    """The document holds numbers and strings, not library objects: another scikit-learn or numpy reads it."""
    real = artifact._versions()
    monkeypatch.setattr(artifact, "_versions", lambda: {**real, "sklearn": "0.0.1", "numpy": "1.0.0"})
    blob = artifact.dumps(outcomes["priority"].model)
    monkeypatch.setattr(artifact, "_versions", lambda: real)
    assert artifact.read_meta(blob)[0]["sklearn"] == "0.0.1"
    assert artifact.loads(blob).target == "priority"


def test_the_sidecar_never_unpickles() -> None:
    for path in TRIAGE_ML.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("import pickle", "from pickle", "pickle.load", "joblib.load", "allow_pickle=True", "marshal"):
            assert needle not in text, (path.name, needle)


# --- crafted artifacts ---------------------------------------------------------------------------------------------

class Exploit:
    """Unpickling this runs a shell command that creates ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def framed(fmt: int, meta: dict[str, Any], body: bytes) -> bytes:
    head = json.dumps(meta).encode()
    return artifact.MAGIC + struct.pack(">HI", fmt, len(head)) + head + struct.pack(">I", zlib.crc32(body)) + body


def split(blob: bytes) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """(metadata, document, compressed array block) of an artifact."""
    meta, at = artifact.read_meta(blob)
    body = blob[at + 4:]
    (n,) = struct.unpack_from(">I", body)
    return meta, json.loads(body[4:4 + n].decode("utf-8", "surrogatepass")), body[4 + n:]


def joined(meta: dict[str, Any], doc: Any, block: bytes) -> bytes:
    """An artifact with a valid checksum around whatever document and block: what someone with write access to
    the artifact table can store."""
    text = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return framed(artifact.FORMAT_VERSION, meta, struct.pack(">I", len(text)) + text + block)


def test_the_exploit_works_when_unpickled(tmp_path) -> None:
    marker = tmp_path / "pwned"
    pickle.loads(pickle.dumps(Exploit(marker)))
    assert marker.exists()  # so its absence below means: never unpickled


def pickle_bearing(marker: Path, outcomes) -> dict[str, bytes]:
    evil = pickle.dumps(Exploit(marker), protocol=5)
    meta, doc, block = split(artifact.dumps(outcomes["priority"].model))
    old_meta = {**meta, "format": 2}
    return {
        "format 2 (pickle) artifact": framed(2, old_meta, zlib.compress(evil, 1)),
        "format 2 with a current format number": framed(artifact.FORMAT_VERSION, meta, zlib.compress(evil, 1)),
        "pickle as the body": framed(artifact.FORMAT_VERSION, meta, evil),
        "pickle as the document": framed(artifact.FORMAT_VERSION, meta, struct.pack(">I", len(evil)) + evil + block),
        "pickle as the array block": joined(meta, doc, zlib.compress(evil)),
        "pickle as an array's bytes": joined(meta, {**doc, "linear": {**doc["linear"], "coef": {
            **doc["linear"]["coef"], "values": {"dtype": "|O", "shape": [1], "at": 0}}}}, zlib.compress(evil)),
    }


@pytest.mark.parametrize("case", ["format 2 (pickle) artifact", "format 2 with a current format number",
                                  "pickle as the body", "pickle as the document", "pickle as the array block",
                                  "pickle as an array's bytes"])
def test_pickle_payloads_are_refused_unopened(tmp_path, outcomes, case) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(IncompatibleArtifact):
        artifact.loads(pickle_bearing(marker, outcomes)[case])
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "header_only", "checksum"])
def test_corrupt_or_truncated_bytes_are_refused(outcomes, damage) -> None:
    blob = artifact.dumps(outcomes["priority"].model)
    if damage == "truncate":
        bad = blob[: len(blob) // 2]
    elif damage in ("flip", "checksum"):
        bad = bytearray(blob)
        bad[-10 if damage == "flip" else artifact.read_meta(blob)[1]] ^= 0xFF
        bad = bytes(bad)
    elif damage == "garbage":
        bad = b"not an artifact at all"
    elif damage == "empty":
        bad = b""
    else:
        bad = blob[:14]
    with pytest.raises(IncompatibleArtifact):
        artifact.loads(bad)


def _tamper(doc: dict[str, Any], path: str, change: Callable[[Any], Any]) -> dict[str, Any]:
    *parents, last = path.split(".")
    node = doc
    for p in parents:
        node = node[p]
    node[last] = change(node[last])
    return doc


TAMPERING: dict[str, tuple[str, str, Callable[[Any], Any]]] = {
    # name: (target, field path, change)
    "object dtype": ("labels", "linear.coef.values", lambda ref: {**ref, "dtype": "|O"}),
    "big-endian dtype": ("labels", "linear.coef.values", lambda ref: {**ref, "dtype": ">f4"}),
    "float64 for float32": ("assignee", "prior.log_table", lambda ref: {**ref, "dtype": "<f8"}),
    "wrong shape": ("assignee", "linear.coef.values",
                    lambda ref: {**ref, "shape": [ref["shape"][0] - 1, ref["shape"][1]]}),
    "one-dimensional coef": ("priority", "linear.coef.values", lambda ref: {**ref, "shape": [ref["shape"][0]]}),
    "coefficient row out of range": ("priority", "linear.coef.rows", lambda ref: ref),  # block patched below
    "coefficient rows repeated": ("assignee", "linear.coef.rows", lambda ref: ref),  # block patched below
    "negative length": ("priority", "featurizer.chars.buckets", lambda ref: {**ref, "shape": [-1]}),
    "array past the end": ("priority", "linear.intercept", lambda ref: {**ref, "at": 10 ** 12}),
    "huge shape": ("priority", "featurizer.vocab.idf", lambda ref: {**ref, "shape": [2 ** 62]}),
    "unknown field": ("components", "featurizer", lambda f: {**f, "code": "os.system('x')"}),
    "missing field": ("priority", "prior", lambda p: {"keys": p["keys"]}),
    "unknown target": ("labels", "target", lambda _: "reporter"),
    "duplicate class": ("priority", "classes", lambda c: c[:-1] + c[:1]),
    "classes beyond any model's size": ("labels", "classes", lambda c: [f"v{i}" for i in range(30_000)]),
    "class not a string": ("assignee", "classes", lambda c: [{"__class__": "x"}] + c[1:]),
    "word index out of range": ("priority", "featurizer.vocab.uni_col", lambda ref: ref),  # block patched below
    "NaN threshold": ("priority", "suggest_threshold", lambda _: float("nan")),
    "string for a number": ("assignee", "a", lambda _: "1.0"),
    "n-gram lengths not adding up": ("labels", "featurizer.chars.grams.lengths",
                                     lambda ref: {**ref, "shape": [ref["shape"][0] - 1]}),
    "words as a JSON list": ("priority", "featurizer.vocab.words", lambda _: ["a", "b"]),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampered_documents_are_refused(outcomes, name) -> None:
    target, path, change = TAMPERING[name]
    meta, doc, block = split(artifact.dumps(outcomes[target].model))
    assert joined(meta, doc, block)  # untouched, it would load:
    artifact.loads(joined(meta, doc, block))
    doc = _tamper(doc, path, change)
    patched = {"word index out of range": (doc["featurizer"]["vocab"]["uni_col"], 0, 10 ** 9),
               "coefficient row out of range": (doc["linear"]["coef"]["rows"], 0, 5),
               "coefficient rows repeated": (doc["linear"]["coef"]["rows"], 1, 0)}
    if name in patched:
        ref, i, value = patched[name]
        raw = bytearray(zlib.decompress(block))
        raw[ref["at"] + 8 * i:ref["at"] + 8 * i + 8] = struct.pack("<q", value)
        block = zlib.compress(bytes(raw))
    with pytest.raises(IncompatibleArtifact):
        artifact.loads(joined(meta, doc, block))


def test_metadata_must_name_the_models_target(outcomes) -> None:
    meta, doc, block = split(artifact.dumps(outcomes["priority"].model))
    with pytest.raises(IncompatibleArtifact, match="disagree"):
        artifact.loads(joined({**meta, "target": "assignee"}, doc, block))
