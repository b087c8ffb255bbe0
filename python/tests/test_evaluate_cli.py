"""``bin/evaluate``: the offline evaluation of the production pipeline on a Jira export (train on the oldest 80% by
created, score on the newest 20%), its JSON and table output and the ``--predictions`` file."""
import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from triage_ml import artifact
from triage_ml.engine import Engine
from triage_ml.evaluate_cli import METRICS, read_jsonl
from triage_ml.options import Options
from triage_ml.records import chronological
from triage_ml.synthetic import generate, to_jira, to_jsonl
from triage_ml.trainer import TARGETS, split, train_target

ROOT = Path(__file__).resolve().parents[2]
EVALUATE = ROOT / "bin" / "evaluate"
MULTILABEL = ("labels", "components")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EVALUATE), *args], capture_output=True, text=True, timeout=180)


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "issues.jsonl"
    text = to_jsonl(generate(1500, n_people=10, n_labels=8, seed=5).records)
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:10]) + "\n   \n" + "".join(lines[10:]))
    return path


@pytest.fixture(scope="module")
def evaluated(export, tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, Any], list[dict[str, Any]]]:
    """One run with every output: --json --details --predictions."""
    out = tmp_path_factory.mktemp("predictions") / "holdout.jsonl"
    p = run(str(export), "--json", "--details", "--predictions", str(out))
    assert p.returncode == 0, p.stderr
    return p, json.loads(p.stdout), read_lines(out)


@pytest.fixture(scope="module")
def holdout_models(export) -> tuple[list, dict[str, Any]]:
    """The export's records, and the models ``bin/evaluate`` scores, trained here on the same data."""
    records, _ = read_jsonl(str(export))
    return records, {t: train_target(t, records, Options(), final=False) for t in TARGETS}


def test_json_output_schema(evaluated) -> None:
    p, out, _ = evaluated
    assert set(out) == {"issues", "train_seconds", "targets", "details"} and out["issues"] == 1500
    assert out["train_seconds"] > 0
    t = out["targets"]
    assert set(t) == set(TARGETS)
    common = {"status", "n_test", "seconds", "majority", "recency"}
    assert set(t["assignee"]) == {"top1", "top3", "suggested_precision", "ece"} | common
    assert set(t["priority"]) == {"accuracy", "macro_f1", "ece"} | common
    assert set(t["labels"]) == {"micro_f1", "precision", "recall", "hit3", "ece"} | common
    assert set(t["components"]) == set(t["labels"])
    for target in TARGETS:
        assert set(t[target]) == set(METRICS[target]) | common
        assert t[target]["status"] == "trained", (target, t[target])
        assert t[target]["n_test"] > 0 and t[target]["seconds"] > 0
    # majority/recency: the baselines of the target's main metric; the model far above them
    assert t["assignee"]["top3"] > t["assignee"]["majority"] + 0.3
    assert t["labels"]["micro_f1"] > t["labels"]["majority"] + 0.2
    assert t["components"]["micro_f1"] > t["components"]["majority"] + 0.3
    details = out["details"]["assignee"]["holdout"]
    assert t["assignee"]["top1"] > 2 * details["baseline_majority"]["top1"]
    assert "skipped 2 blank line" in p.stderr


def test_details_carry_every_baseline(evaluated) -> None:
    _, out, _ = evaluated
    assignee = out["details"]["assignee"]
    assert assignee["holdout"]["top3"] == out["targets"]["assignee"]["top3"]
    assert set(assignee["holdout"]["baseline_majority"]) >= {"top1", "top3", "macro_f1"}
    assert "micro_f1" in out["details"]["labels"]["holdout"]["baseline_majority"]
    assert assignee["n_train"] + assignee["n_test"] == assignee["n_samples"]
    for target in TARGETS:
        d = out["details"][target]
        main = d["main_metric"]
        assert out["targets"][target]["majority"] == d["holdout"]["baseline_majority"][main]
        assert out["targets"][target]["recency"] == d["holdout"]["baseline_recency"][main]
        assert d["baseline"]["value"] == max(out["targets"][target]["majority"], out["targets"][target]["recency"])
        assert "cv" not in d
    # labels and components are scored on every hold-out issue; assignee only on those that have one
    assert out["targets"]["labels"]["n_test"] == out["targets"]["components"]["n_test"] == 300
    assert out["targets"]["assignee"]["n_test"] < 300


def test_predictions_cover_the_holdout_exactly(evaluated, export) -> None:
    """One line per hold-out issue (the newest 20% by created), in that order, keyed by the issue."""
    _, _, lines = evaluated
    records, _ = read_jsonl(str(export))
    ordered = chronological(records)
    _, test = split(len(ordered), Options())
    assert len(test) == 300 and test[0] == 1200
    assert [line["key"] for line in lines] == [ordered[i].key for i in test]
    created = [ordered[i].created for i in test]
    assert created == sorted(created) and min(created) >= max(r.created for r in ordered[:1200])


def _check_ranked(ranked: Any) -> None:
    assert isinstance(ranked, list)
    for pair in ranked:
        assert isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
        assert isinstance(pair[1], float) and 0 < pair[1] <= 1
    ps = [p for _, p in ranked]
    assert ps == sorted(ps, reverse=True), "best first"
    assert len({v for v, _ in ranked}) == len(ranked)


def test_predictions_format(evaluated) -> None:
    _, out, lines = evaluated
    for line in lines:
        assert set(line) == {"key"} | set(TARGETS)
        for target in ("assignee", "priority"):
            _check_ranked(line[target])
            assert line[target], (target, line["key"])
        for target in MULTILABEL:
            assert set(line[target]) == {"ranked", "suggested"}
            _check_ranked(line[target]["ranked"])
            suggested = line[target]["suggested"]
            assert isinstance(suggested, list) and len(set(suggested)) == len(suggested)
            assert all(isinstance(v, str) for v in suggested)
    assert sum(bool(line["labels"]["suggested"]) for line in lines) >= 50
    assert sum(bool(line["components"]["suggested"]) for line in lines) >= 250


def test_predictions_are_what_the_holdout_models_answer(evaluated, holdout_models) -> None:
    """The ranked values are the hold-out models' (at least the top 5 of the values they can rank); the suggested
    set is every value at or above its suggest threshold, best first, and exactly what ``Engine.explain`` marks
    as suggested for the issue under the same model."""
    _, _, lines = evaluated
    records, outcomes = holdout_models
    ordered = chronological(records)
    _, test = split(len(ordered), Options())
    issues = [ordered[i] for i in test]
    payload = json.dumps({"issues": [{"summary": r.summary, "text": r.text, "type": r.type,
                                      "components": list(r.components), "reporter": r.reporter}
                                     for r in issues]}).encode()
    engine = Engine()
    for target in TARGETS:
        outcome = outcomes[target]
        assert outcome.result["status"] == "trained"
        model = outcome.holdout_model
        engine.load(target, artifact.dumps(model))
        everything = len(model.classes)
        explained = json.loads(engine.explain(target, payload, everything, 1))["predictions"]
        assert len(explained) == len(lines)
        for line, answer in zip(lines, explained):
            written = line[target] if target not in MULTILABEL else line[target]["ranked"]
            rankable = [v for v in answer if v["p"] > 0]
            assert len(written) >= min(5, len(rankable)), (target, line["key"])
            assert [v for v, _ in written] == [v["value"] for v in rankable][:len(written)], (target, line["key"])
            for (_, p), v in zip(written, rankable):
                assert abs(p - v["p"]) <= 1.0001e-4
            marked = [v["value"] for v in answer if v["suggest"]]
            if target in MULTILABEL:
                suggested = line[target]["suggested"]
                assert suggested == marked, (target, line["key"], suggested, marked)
                P = {v["value"]: v["p"] for v in answer}
                for v in suggested:
                    assert P[v] >= float(model.threshold[model.classes.index(v)]) - 1e-4
                assert [P[v] for v in suggested] == sorted((P[v] for v in suggested), reverse=True)
            else:
                assert len(marked) <= 1


def test_table_output(export) -> None:
    p = run(str(export))
    assert p.returncode == 0, p.stderr
    assert "majority" in p.stdout and "recency" in p.stdout and "assignee" in p.stdout
    for target in TARGETS:
        for metric in METRICS[target]:
            assert metric in p.stdout


def test_target_without_data_is_null(tmp_path) -> None:
    recs = generate(400, n_people=6, seed=2).records
    lines = []
    for r in recs:
        issue = to_jira(r)
        issue["fields"]["labels"] = []
        issue["fields"]["components"] = None
        lines.append(json.dumps(issue))
    path = tmp_path / "nolabels.jsonl"
    path.write_text("\n".join(lines) + "\n")
    predictions = tmp_path / "predictions.jsonl"
    p = run(str(path), "--json", "--predictions", str(predictions))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["targets"]["labels"] is None and out["targets"]["components"] is None
    assert out["targets"]["assignee"] is not None
    written = read_lines(predictions)
    assert len(written) == 80
    assert all(line["labels"] is None and line["components"] is None for line in written)
    assert all(line["assignee"] for line in written if out["targets"]["assignee"]["status"] == "trained")


def test_placeholder_priorities_are_neither_scored_nor_suggested(tmp_path) -> None:
    """Half the issues have Jira's placeholder priority "None" (any case), a tenth the project's own "Unset",
    declared with --priority-placeholder: neither is learnt, scored or written as a prediction."""
    rng = np.random.RandomState(8)
    lines = []
    real = 0
    for r in generate(800, n_people=8, n_labels=6, seed=9).records:
        issue = to_jira(r)
        roll = rng.rand()
        if roll < 0.45:
            issue["fields"]["priority"] = {"name": "None" if roll < 0.35 else "NONE"}
        elif roll < 0.55:
            issue["fields"]["priority"] = {"name": "Unset"}
        else:
            real += 1
        lines.append(json.dumps(issue))
    path = tmp_path / "placeholders.jsonl"
    path.write_text("\n".join(lines) + "\n")
    predictions = tmp_path / "predictions.jsonl"
    p = run(str(path), "--json", "--details", "--priority-placeholder", "Unset", "--predictions", str(predictions))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    priority = out["details"]["priority"]
    assert priority["n_samples"] == real
    assert not {c.casefold() for c in priority["classes"]} & {"none", "unset"}, priority["classes"]
    assert priority["n_test"] < 160 and out["targets"]["priority"]["n_test"] == priority["n_test"]
    written = read_lines(predictions)
    shown = {v for line in written if line["priority"] for v, _ in line["priority"]}
    assert shown, "priority predictions are written"
    assert not {v.casefold() for v in shown} & {"none", "unset"}, shown


def test_bad_input_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(to_jira(generate(5).records[0])) + "\n{broken\n")
    p = run(str(path), "--json")
    assert p.returncode != 0 and "line 2" in p.stderr and p.stdout == ""
    p = run(str(tmp_path / "missing.jsonl"))
    assert p.returncode != 0 and "cannot read" in p.stderr
    (tmp_path / "list.jsonl").write_text("[1, 2]\n")
    p = run(str(tmp_path / "list.jsonl"))
    assert p.returncode != 0 and "line 1" in p.stderr
