import json
import subprocess
from pathlib import Path

import pytest

from triage_ml.synthetic import generate, to_jira, to_jsonl

ROOT = Path(__file__).resolve().parents[2]
EVALUATE = ROOT / "bin" / "evaluate"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EVALUATE), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "issues.jsonl"
    text = to_jsonl(generate(1500, n_people=10, n_labels=8, seed=5).records)
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:10]) + "\n   \n" + "".join(lines[10:]))
    return path


def test_json_output_schema(export) -> None:
    p = run(str(export), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) == {"issues", "train_seconds", "targets"} and out["issues"] == 1500
    t = out["targets"]
    assert set(t) == {"assignee", "priority", "labels", "components"}
    assert set(t["assignee"]) == {"top1", "top3", "majority_top1", "recency_top1", "n_test"}
    assert set(t["priority"]) == {"accuracy", "macro_f1", "majority_accuracy", "n_test"}
    assert set(t["labels"]) == {"micro_f1", "precision", "recall", "n_test"}
    assert set(t["components"]) == {"micro_f1", "precision", "recall", "n_test"}
    assert t["assignee"]["top1"] > 2 * t["assignee"]["majority_top1"]
    assert "skipped 2 blank line" in p.stderr


def test_details_carry_every_baseline(export) -> None:
    out = json.loads(run(str(export), "--json", "--details").stdout)
    assert set(out) == {"issues", "train_seconds", "targets", "details"}
    assignee = out["details"]["assignee"]
    assert assignee["holdout"]["top3"] == out["targets"]["assignee"]["top3"]
    assert set(assignee["holdout"]["baseline_majority"]) >= {"top1", "top3", "macro_f1"}
    assert "micro_f1" in out["details"]["labels"]["holdout"]["baseline_majority"]
    assert assignee["n_train"] + assignee["n_test"] == assignee["n_samples"]


def test_table_output(export) -> None:
    p = run(str(export))
    assert p.returncode == 0, p.stderr
    assert "majority" in p.stdout and "recency" in p.stdout and "assignee" in p.stdout


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
    out = json.loads(run(str(path), "--json").stdout)
    assert out["targets"]["labels"] is None and out["targets"]["components"] is None
    assert out["targets"]["assignee"] is not None


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
