import gc
import os
import json
import struct
import threading

import pytest

from triage_ml import artifact
from triage_ml.engine import Engine, EngineError, unframe
from triage_ml.payloads import SLOT_BYTES, SLOTS_FILE
from triage_ml.records import dataset_bytes

from conftest import noise_label_records


@pytest.fixture(scope="module")
def trained(project):
    engine = Engine()
    data = dataset_bytes(project.records)
    frames = {t: engine.train(t, bytearray(data), "{}", None)
              for t in ("assignee", "labels")}
    return engine, data, frames


def _issues(records) -> bytes:
    return json.dumps({"issues": [{"summary": r.summary, "text": r.text, "type": r.type,
                                   "components": list(r.components), "reporter": r.reporter} for r in records]}).encode()


def test_train_frame_format(trained) -> None:
    _, _, frames = trained
    raw = frames["assignee"]
    (n,) = struct.unpack(">I", raw[:4])
    result = json.loads(raw[4:4 + n].decode("utf-8"))
    assert result["status"] == "trained" and result["target"] == "assignee"
    for key in ("n_samples", "n_train", "n_test", "classes", "needed", "have", "holdout", "main_metric",
                "main_value", "comparison", "timings", "versions", "baseline"):
        assert key in result
    assert result["comparison"] is None and "cv" not in result
    assert {"baseline_majority", "baseline_recency"} <= set(result["holdout"])
    assert result["baseline"]["name"] in ("majority", "recency") and result["main_value"] > result["baseline"]["value"]
    assert artifact.read_meta(raw[4 + n:])[0]["target"] == "assignee"


def test_insufficient_data_frame_has_no_artifact(project) -> None:
    result, blob = unframe(Engine().train("priority", dataset_bytes(project.records[:20]), "{}", None))
    assert result["status"] == "insufficient_data" and blob == b""
    assert result["needed"]["samples"] == 50 and result["have"]["samples"] == 20


def test_below_baseline_frame_has_no_artifact() -> None:
    """A labels model that loses to always suggesting the majority label is reported, not packaged."""
    result, blob = unframe(Engine().train("labels", dataset_bytes(noise_label_records(800, 0.9, 1)), "{}", None))
    assert result["status"] == "below_baseline" and blob == b""
    assert result["baseline"]["name"] in ("majority", "recency")
    assert result["main_value"] < result["baseline"]["value"]


def test_options_are_read(project) -> None:
    """Unknown keys are ignored (an older app still sending ``precision_target`` trains); bad values are refused."""
    engine = Engine()
    data = dataset_bytes(project.records[:300])
    result, _ = unframe(engine.train("priority", data, json.dumps({"precision_target": 0.9, "cv_max_samples": 0,
                                                                    "priority_placeholders": ["Medium"]}), None))
    assert result["status"] in ("trained", "below_baseline") and "Medium" not in result["classes"]
    for bad in ({"auto_precision": 0}, {"auto_precision": 1.5}, {"priority_placeholders": "None"},
                {"now": "yesterday"}):
        with pytest.raises(EngineError, match="^INVALID_INPUT:"):
            engine.train("priority", data, json.dumps(bad), None)


def test_active_artifact_is_compared_only_on_issues_it_never_saw(project, trained) -> None:
    engine, data, frames = trained
    first, blob = unframe(frames["assignee"])
    times = sorted(r.time for r in project.records)
    # As if the active model had been trained when 90% of today's issues existed.
    opts = json.dumps({"active_trained_at": times[int(len(times) * 0.9)]})
    again, _ = unframe(engine.train("assignee", data, opts, bytearray(blob)))
    comparison = again["comparison"]
    assert comparison is not None and 30 <= comparison["issues"] <= len(times) * 0.1 + 1
    assert abs(comparison["candidate"] - comparison["active"]) < 0.15  # same data, same pipeline
    # Trained after every issue: nothing unseen to compare on.
    late = json.dumps({"active_trained_at": times[-1]})
    assert unframe(engine.train("assignee", data, late, bytearray(blob)))[0]["comparison"] is None
    _, label_blob = unframe(frames["labels"])
    other, _ = unframe(engine.train("assignee", data, opts, label_blob))
    assert other["comparison"] is None  # another target's model is not comparable
    broken, _ = unframe(engine.train("assignee", data, opts, b"junk"))
    assert broken["comparison"] is None


def test_predict_and_explain(project, trained) -> None:
    engine, _, frames = trained
    engine.load("a", unframe(frames["assignee"])[1])
    engine.load("l", bytearray(unframe(frames["labels"])[1]))
    recs = project.records[-50:]
    out = json.loads(engine.predict("a", _issues(recs), 3))
    assignee = engine._model("a")
    assert len(out["predictions"]) == 50
    for row in out["predictions"]:
        # top_k values best first, not filtered; at most one suggested, at or above the suggest threshold
        assert len(row) == 3 and all(set(v) == {"value", "p", "suggest", "auto"} for v in row)
        assert [v["p"] for v in row] == sorted((v["p"] for v in row), reverse=True)
        assert all(0 <= v["p"] <= 1 for v in row) and len({v["value"] for v in row}) == 3
        assert sum(v["suggest"] for v in row) <= 1 and sum(v["auto"] for v in row) <= 1
        for v in row:
            assert not v["suggest"] or v["p"] >= assignee.suggest_threshold - 1e-4
            assert not v["auto"] or v["p"] >= assignee.auto_threshold - 1e-4
    hits = sum(r.assignee in {v["value"] for v in row} for r, row in zip(recs, out["predictions"]))
    assert hits >= 35
    suggested = [(r, [v for v in row if v["suggest"]]) for r, row in zip(recs, out["predictions"])]
    assert sum(bool(s) for _, s in suggested) >= 25
    assert sum(s[0]["value"] == r.assignee for r, s in suggested if s) >= 0.6 * sum(bool(s) for _, s in suggested)
    labels = json.loads(engine.predict("l", _issues(recs), 2))["predictions"]
    model = engine._model("l")
    shown = int(model.trained.sum())
    for row in labels:
        assert len(row) == min(2, shown)  # not cut at the threshold
        for v in row:
            thr = float(model.threshold[model.classes.index(v["value"])])
            if v["suggest"]:
                assert v["p"] >= thr - 1e-4
            else:
                assert v["p"] <= thr + 1e-4
    assert any(v["suggest"] for row in labels for v in row) and not all(v["suggest"] for row in labels for v in row)
    explained = json.loads(engine.explain("a", _issues(recs[:3]), 2, 4))["predictions"]
    assert len(explained) == 3 and all(len(v["because"]) <= 4 for row in explained for v in row)
    assert [[(v["value"], v["suggest"], v["auto"]) for v in row] for row in explained] == \
        [[(v["value"], v["suggest"], v["auto"]) for v in row][:2] for row in out["predictions"][:3]]
    assert json.loads(engine.predict("a", json.dumps({"issues": [{}, {"summary": None}]}).encode(), 1))["predictions"][0]
    health = json.loads(engine.health())
    assert set(health) == {"pid", "python", "sklearn", "numpy", "rss_bytes", "models_loaded"}
    assert health["models_loaded"] >= 2


def test_error_codes(trained) -> None:
    engine, data, _ = trained
    with pytest.raises(EngineError, match="^MODEL_NOT_LOADED:"):
        engine.predict("nope", b'{"issues": []}', 3)
    engine.unload("nope")
    with pytest.raises(EngineError, match="^INCOMPATIBLE_ARTIFACT:"):
        engine.load("x", b"garbage")
    with pytest.raises(EngineError, match="^INVALID_INPUT:"):
        engine.train("colour", data, "{}", None)
    with pytest.raises(EngineError, match="^INVALID_INPUT:"):
        engine.train("assignee", b"{not json", "{}", None)
    with pytest.raises(EngineError, match="^INVALID_INPUT:"):
        engine.train("assignee", data, "[1]", None)
    engine.load("tmp", unframe(trained[2]["assignee"])[1])
    with pytest.raises(EngineError, match="^INVALID_INPUT:"):
        engine.predict("tmp", b"\xff", 3)


def test_a_large_batch_is_predicted_and_explained_without_a_collection(project, trained) -> None:
    engine, _, frames = trained
    engine.load("gc", unframe(frames["assignee"])[1])
    payload = _issues(project.records[-2000:])
    runs: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(50)  # the batch's few thousand containers would cross this dozens of times
    gc.enable()
    gc.callbacks.append(count)
    try:
        predicted = engine.predict("gc", payload, 3)
        explained = engine.explain("gc", payload, 3, 4)
        during = len(runs)
        [[object()] for _ in range(200)]
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*threshold)
        (gc.enable if enabled else gc.disable)()

    assert during == 0
    assert len(runs) > 0, "the collector runs again after the calls"
    assert len(json.loads(predicted)["predictions"]) == len(json.loads(explained)["predictions"]) == 2000


def test_concurrent_calls(project, trained) -> None:
    engine, _, frames = trained
    blob = unframe(frames["assignee"])[1]
    payload = _issues(project.records[-100:])
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(5):
                engine.load(f"m{i}-{j}", blob)
                assert len(json.loads(engine.predict(f"m{i}-{j}", payload, 3))["predictions"]) == 100
                engine.unload(f"m{i}-{j}")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_payloads_are_read_from_files_of_the_payload_directory_only(project, trained, tmp_path) -> None:
    engine, data, frames = trained
    _, blob = unframe(frames["assignee"])
    inside = tmp_path / "exchange"
    inside.mkdir()
    bridged = Engine(str(inside))
    (inside / "1.bin").write_bytes(blob)
    bridged.load("m", str(inside / "1.bin"))
    (inside / "2.bin").write_bytes(_issues(project.records[:5]))
    engine.load("in-process", blob)
    # The answer is written over the payload file, whose path is the answer.
    assert bridged.predict("m", str(inside / "2.bin"), 3) == str(inside / "2.bin")
    assert (inside / "2.bin").read_text() == engine.predict("in-process", _issues(project.records[:5]), 3)
    (tmp_path / "3.bin").write_bytes(blob)
    (inside / "model.pkl").write_bytes(blob)
    for path in (str(tmp_path / "3.bin"), f"{inside}/../3.bin", str(inside / "model.pkl"), str(inside / "9.bin")):
        with pytest.raises(EngineError, match="^INVALID_INPUT"):
            bridged.load("x", path)
    with pytest.raises(EngineError, match="^INVALID_INPUT"):
        Engine().load("x", str(inside / "1.bin"))  # no payload directory: in-process callers pass bytes


def test_small_payloads_are_read_from_slots_of_the_mapped_slots_file(project, trained, tmp_path) -> None:
    engine, data, frames = trained
    _, blob = unframe(frames["assignee"])
    engine.load("in-process", blob)
    issues = _issues(project.records[:5])
    no_slots = tmp_path / "without"
    no_slots.mkdir()
    without = Engine(str(no_slots))
    without.load("m", blob)
    with pytest.raises(EngineError, match="^INVALID_INPUT: issues: the slots file is unreadable"):
        without.predict("m", f"slot:0:{len(issues)}", 3)
    inside = tmp_path / "exchange"
    inside.mkdir()
    slots = bytearray(2 * SLOT_BYTES)
    slots[SLOT_BYTES:SLOT_BYTES + len(issues)] = issues
    (inside / SLOTS_FILE).write_bytes(bytes(slots))
    (inside / "1.bin").write_bytes(blob)
    bridged = Engine(str(inside))
    bridged.load("m", str(inside / "1.bin"))
    expected = engine.predict("in-process", issues, 3)
    # The answer replaces the issues in their slot; the other slot is left alone.
    assert bridged.predict("m", f"slot:1:{len(issues)}", 3) == f"slot:1:{len(expected)}"
    written = (inside / SLOTS_FILE).read_bytes()
    assert written[SLOT_BYTES:SLOT_BYTES + len(expected)].decode() == expected
    assert written[:SLOT_BYTES] == bytes(SLOT_BYTES)
    explained = engine.explain("in-process", issues, 3, 2)
    slots[SLOT_BYTES:SLOT_BYTES + len(issues)] = issues
    (inside / SLOTS_FILE).write_bytes(bytes(slots))
    assert bridged.explain("m", f"slot:1:{len(issues)}", 3, 2) == f"slot:1:{len(explained)}"
    assert (inside / SLOTS_FILE).read_bytes()[SLOT_BYTES:SLOT_BYTES + len(explained)].decode() == explained
    # Too large for the slot: into the slot's overflow file, whose path is the answer.
    many = _issues(project.records[:300])
    assert len(many) <= SLOT_BYTES < len(engine.explain("in-process", many, 3, 12))
    slots[SLOT_BYTES:SLOT_BYTES + len(many)] = many
    (inside / SLOTS_FILE).write_bytes(bytes(slots))
    overflow = inside / "slot-1.answer"
    assert bridged.explain("m", f"slot:1:{len(many)}", 3, 12) == str(overflow)
    assert overflow.read_text() == engine.explain("in-process", many, 3, 12)
    for bad in ("slot:2:10", f"slot:0:{SLOT_BYTES + 1}", "slot:-1:10", "slot:0:10:0", "slot:1"):
        with pytest.raises(EngineError, match="^INVALID_INPUT"):
            bridged.predict("m", bad, 3)
    with pytest.raises(EngineError, match="^INVALID_INPUT"):
        engine.predict("in-process", f"slot:1:{len(issues)}", 3)  # in-process callers pass bytes


def _java_seal(key: bytes, n: int, plain: bytes) -> bytes:
    """What Java's PayloadCipher writes: its nonces start with four zero bytes."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = struct.pack(">IQ", 0, n)
    return nonce + AESGCM(key).encrypt(nonce, plain, None)


def test_sealed_payloads_and_answers_never_lie_in_clear_in_the_payload_directory(project, trained, tmp_path) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    engine, data, frames = trained
    _, blob = unframe(frames["assignee"])
    engine.load("in-process", blob)
    issues = _issues(project.records[:5])
    expected = engine.predict("in-process", issues, 3)
    key = os.urandom(32)
    inside = tmp_path / "exchange"
    inside.mkdir()
    sealed_issues = _java_seal(key, 2, issues)
    slots = bytearray(SLOT_BYTES)
    slots[:len(sealed_issues)] = sealed_issues
    (inside / SLOTS_FILE).write_bytes(bytes(slots))
    (inside / "1.bin").write_bytes(_java_seal(key, 1, blob))
    bridged = Engine(str(inside), key)
    bridged.load("m", str(inside / "1.bin"))

    answer = bridged.predict("m", f"slot:0:{len(sealed_issues)}", 3)
    length = int(answer.split(":")[2])
    written = (inside / SLOTS_FILE).read_bytes()[:length]
    assert expected.encode() not in written and project.records[0].summary.encode() not in sealed_issues
    assert AESGCM(key).decrypt(written[:12], written[12:], None).decode() == expected
    assert written[:4] == b"\x00\x00\x00\x01"  # Python's nonces never meet Java's

    # A payload in clear, sealed under another key or altered is refused, its bytes never echoed.
    tampered = bytearray(sealed_issues)
    tampered[20] ^= 1
    for bad in (issues, _java_seal(os.urandom(32), 3, issues), bytes(tampered), b"short"):
        (inside / "2.bin").write_bytes(bad)
        with pytest.raises(EngineError, match="^INVALID_INPUT: issues (does not authenticate|is too short)"):
            bridged.predict("m", str(inside / "2.bin"), 3)
