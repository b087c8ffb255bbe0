import io
import json

from triage_ml import bench
from triage_ml.engine import Engine, unframe


def test_serve_answers_one_measurement_per_command(tmp_path) -> None:
    files = bench.export(300, 5, str(tmp_path))["files"]
    with open(files["dataset"], "rb") as f:
        _, blob = unframe(Engine().train("assignee", f.read(), "{}", None))
    (tmp_path / "assignee.bin").write_bytes(blob)
    commands = [{"op": "train", "target": "priority", "dataset": files["dataset"]},
                {"op": "load", "model": "a", "artifact": str(tmp_path / "assignee.bin")},
                {"op": "rate", "model": "a", "payload": files["100"], "batch": 100, "seconds": 0.05}]
    out = io.StringIO()
    bench.serve([json.dumps(c) for c in commands], out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == 3 and answers[0]["seconds"] > 0 and answers[1] == {} and answers[2]["rate"] > 0
