"""In-process benchmark: ``python -m triage_ml.bench --issues N [--labels L] [--repeats R] [--export DIR | --serve]``.

Generates a synthetic project (``triage_ml.synthetic``), trains every target through the engine exactly as the
Java side calls it (dataset bytes in, frame out, hold-out evaluation and final fit included) and measures
assignee prediction throughput (issues/s through ``Engine.predict``: JSON bytes in, JSON text out) at batch
sizes 1, 100 and 10,000 (the median of ``--repeats`` windows of >= 1 s). Prints one JSON object. The functions
are importable so the Java benchmark can mirror the same scenario; ``--export DIR`` instead writes the inputs it
would use (``dataset.json`` and ``predict-<batch>.json``) so the Java side sends exactly the same bytes;
``--serve`` runs single measurements on request (one JSON command per stdin line, one JSON answer per stdout
line), so the Java benchmark can alternate in-process and bridged measurements: on a shared machine the load
changes within seconds, and only measurements taken side by side compare.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Any

from .engine import Engine, unframe
from .records import dataset_bytes
from .synthetic import generate
from .trainer import TARGETS


def project(n_issues: int, n_labels: int = 20, seed: int = 7) -> Any:
    return generate(n_issues, n_people=max(16, n_issues // 600), n_labels=n_labels, seed=seed)


def issues_bytes(records: list[Any]) -> bytes:
    return json.dumps({"issues": [{"summary": r.summary, "text": r.text, "type": r.type,
                                   "components": list(r.components), "reporter": r.reporter} for r in records]}).encode()


def train_all(engine: Engine, dataset: bytes, options: dict[str, Any] | None = None) -> dict[str, Any]:
    seconds: dict[str, float] = {}
    results: dict[str, Any] = {}
    for target in TARGETS:
        t0 = time.perf_counter()
        result, blob = unframe(engine.train(target, dataset, json.dumps(options or {}), None))
        seconds[target] = round(time.perf_counter() - t0, 3)
        results[target] = result
        if blob:
            engine.load(target, blob)
    return {"seconds": seconds, "total_seconds": round(sum(seconds.values()), 3), "results": results}


def predict_rate(engine: Engine, model_id: str, records: list[Any], batch: int, min_seconds: float = 1.0) -> float:
    return payload_rate(engine, model_id, batch_payload(records, batch), batch, min_seconds)


def batch_payload(records: list[Any], batch: int) -> bytes:
    """``batch`` issues for a predict call: the given records, repeated as needed."""
    return issues_bytes((records * (batch // max(len(records), 1) + 1))[:batch])


def export(n_issues: int, n_labels: int, directory: str) -> dict[str, Any]:
    p = project(n_issues, n_labels)
    os.makedirs(directory, exist_ok=True)
    files = {"dataset": os.path.join(directory, "dataset.json")}
    with open(files["dataset"], "wb") as f:
        f.write(dataset_bytes(p.records))
    for b in BATCHES:
        files[str(b)] = os.path.join(directory, f"predict-{b}.json")
        with open(files[str(b)], "wb") as f:
            f.write(batch_payload(p.records[-2000:], b))
    return {"issues": n_issues, "labels": n_labels, "files": files}


def median_rate(engine: Engine, model_id: str, records: list[Any], batch: int, repeats: int) -> float:
    rates = sorted(predict_rate(engine, model_id, records, batch) for _ in range(max(repeats, 1)))
    return rates[len(rates) // 2]


BATCHES = (1, 100, 10_000)


def run(n_issues: int, n_labels: int, repeats: int = 1) -> dict[str, Any]:
    t0 = time.perf_counter()
    p = project(n_issues, n_labels)
    dataset = dataset_bytes(p.records)
    gen_s = time.perf_counter() - t0
    engine = Engine()
    trained = train_all(engine, dataset)
    rates = {}
    if "assignee" in engine._models:
        for b in BATCHES:
            rates[str(b)] = round(median_rate(engine, "assignee", p.records[-2000:], b, repeats))
    return {
        "how": ("python -m triage_ml.bench: synthetic project generated in-process, every target trained through "
                "Engine.train (hold-out evaluation + final fit, as Java calls it), assignee throughput through "
                "Engine.predict (JSON bytes in, JSON text out, top 3), median of the repeats of >= 1 s per batch "
                "size, one process"),
        "repeats": repeats,
        "issues": n_issues, "labels": n_labels, "cpus": os.cpu_count(), "python": platform.python_version(),
        "generate_seconds": round(gen_s, 3),
        "train_seconds": trained["seconds"], "train_total_seconds": trained["total_seconds"],
        "main_metrics": {t: (r["main_metric"], r["main_value"]) for t, r in trained["results"].items()},
        "assignee_predictions_per_second": rates,
    }


def serve(lines: Any, out: Any) -> None:
    """Commands: ``{"op": "train", "target", "dataset": path}`` -> ``{"seconds"}`` (through ``Engine.train``,
    bytes in, frame out, as ``train_all``); ``{"op": "load", "model", "artifact": path}`` -> ``{}``;
    ``{"op": "rate", "model", "payload": path, "batch", "seconds"}`` -> ``{"rate"}`` (one window of
    ``Engine.predict`` calls, top 3). Files are read before the timed part."""
    engine = Engine()
    for line in lines:
        cmd = json.loads(line)
        if cmd["op"] == "train":
            with open(cmd["dataset"], "rb") as f:
                dataset = f.read()
            t0 = time.perf_counter()
            engine.train(cmd["target"], dataset, "{}", None)
            answer: dict[str, Any] = {"seconds": time.perf_counter() - t0}
        elif cmd["op"] == "load":
            with open(cmd["artifact"], "rb") as f:
                engine.load(cmd["model"], f.read())
            answer = {}
        elif cmd["op"] == "rate":
            with open(cmd["payload"], "rb") as f:
                payload = f.read()
            answer = {"rate": payload_rate(engine, cmd["model"], payload, cmd["batch"], cmd["seconds"])}
        else:
            raise ValueError(f"unknown op {cmd['op']!r}")
        out.write(json.dumps(answer) + "\n")
        out.flush()


def payload_rate(engine: Engine, model_id: str, payload: bytes, batch: int, min_seconds: float) -> float:
    """Issues/s of ``Engine.predict`` on one payload over a window of at least ``min_seconds``, after a warm-up."""
    engine.predict(model_id, payload, 3)
    n = 0
    t0 = time.perf_counter()
    while True:
        engine.predict(model_id, payload, 3)
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return n * batch / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m triage_ml.bench")
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--labels", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--export", metavar="DIR")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args(argv)
    if args.serve:
        serve(sys.stdin, sys.stdout)
    elif args.export:
        print(json.dumps(export(args.issues, args.labels, args.export), indent=2))
    else:
        print(json.dumps(run(args.issues, args.labels, args.repeats), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
