import numpy as np
import pytest

from triage_ml import artifact
from triage_ml.artifact import IncompatibleArtifact
from triage_ml.features import Batch


def test_round_trip_gives_identical_predictions(project, outcomes) -> None:
    batch = Batch.from_records(project.records[-200:])
    for target in ("assignee", "priority", "labels", "components"):
        model = outcomes[target].model
        blob = artifact.dumps(model)
        meta, _ = artifact.read_meta(blob)
        assert meta["target"] == target and meta["format"] == artifact.FORMAT_VERSION
        assert {"python", "sklearn", "numpy", "created", "n_train"} <= set(meta)
        loaded = artifact.loads(bytearray(blob))
        assert np.array_equal(loaded.proba(batch), model.proba(batch))
        a, b = loaded.ranked(batch, 3), model.ranked(batch, 3)
        for field in ("idx", "p", "suggest", "auto"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
        assert a.json(loaded.classes) == b.json(model.classes)
        assert a.suggested(loaded.classes) == b.suggested(model.classes)


def test_other_library_versions_are_refused(outcomes, monkeypatch) -> None:
    real = artifact._versions()
    monkeypatch.setattr(artifact, "_versions", lambda: {**real, "sklearn": "0.0.1"})
    blob = artifact.dumps(outcomes["priority"].model)
    monkeypatch.setattr(artifact, "_versions", lambda: real)
    with pytest.raises(IncompatibleArtifact, match="sklearn"):
        artifact.loads(blob)
    monkeypatch.setattr(artifact, "_versions", lambda: {**real, "numpy": "1.0.0"})
    with pytest.raises(IncompatibleArtifact, match="numpy"):
        artifact.loads(artifact.dumps(outcomes["priority"].model) if False else blob.replace(b"0.0.1", real["sklearn"].encode()))


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "header_only"])
def test_corrupt_or_truncated_bytes_are_refused(outcomes, damage) -> None:
    blob = artifact.dumps(outcomes["priority"].model)
    if damage == "truncate":
        bad = blob[: len(blob) // 2]
    elif damage == "flip":
        bad = bytearray(blob)
        bad[-10] ^= 0xFF
        bad = bytes(bad)
    elif damage == "garbage":
        bad = b"not an artifact at all"
    elif damage == "empty":
        bad = b""
    else:
        bad = blob[:14]
    with pytest.raises(IncompatibleArtifact):
        artifact.loads(bad)
