"""Offline evaluation: ``bin/evaluate FILE [--json]``.

FILE holds JSON Lines, one Jira REST v3 issue per line (as ``search/jql`` returns it). Every target is trained
with the production pipeline on the oldest 80% by created and scored on the newest 20%, next to the majority
and recency baselines. Blank lines are skipped (and counted); a malformed line is an error naming its number.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from .options import Options
from .records import IssueRecord, InvalidInput, record_from_jira
from .trainer import TARGETS, train_target


class InputError(Exception):
    pass


def read_jsonl(path: str) -> tuple[list[IssueRecord], int]:
    records: list[IssueRecord] = []
    blank = 0
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    with f:
        try:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    blank += 1
                    continue
                try:
                    records.append(record_from_jira(json.loads(line)))
                except (ValueError, InvalidInput) as e:
                    raise InputError(f"{path}: line {number}: not a Jira issue JSON object ({e})") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
    return records, blank


def evaluate(records: list[IssueRecord], opts: Options | None = None) -> dict[str, Any]:
    opts = opts or Options()
    out: dict[str, Any] = {"issues": len(records), "train_seconds": 0.0, "targets": {}}
    total = 0.0
    for target in TARGETS:
        t0 = time.perf_counter()
        outcome = train_target(target, records, opts, final=False)
        total += time.perf_counter() - t0
        r = outcome.result
        h = r["holdout"]
        if r["status"] != "trained" or h is None:
            out["targets"][target] = None
            continue
        if target == "assignee":
            entry = {"top1": h["top1"], "top3": h["top3"], "majority_top1": h["baseline_majority"]["top1"],
                     "recency_top1": h["baseline_recency"]["top1"], "n_test": r["n_test"]}
        elif target == "priority":
            entry = {"accuracy": h["accuracy"], "macro_f1": h["macro_f1"],
                     "majority_accuracy": h["baseline_majority"]["accuracy"], "n_test": r["n_test"]}
        else:
            entry = {"micro_f1": h["micro_f1"], "precision": h["precision"], "recall": h["recall"],
                     "n_test": r["n_test"]}
        out["targets"][target] = entry
        out.setdefault("_details", {})[target] = r
    out["train_seconds"] = round(total, 3)
    return out


def table(result: dict[str, Any]) -> str:
    lines = [f"{result['issues']} issues; trained and evaluated in {result['train_seconds']:.2f} s "
             "(train: oldest 80% by created, test: newest 20%)", ""]
    fmt = "{:<11} {:<10} {:>8} {:>10} {:>10} {:>7}"
    lines.append(fmt.format("target", "metric", "model", "majority", "recency", "n_test"))
    details = result.get("_details", {})
    for target in TARGETS:
        if result["targets"][target] is None:
            lines.append(fmt.format(target, "-", "not enough data", "", "", ""))
            continue
        r = details[target]
        h = r["holdout"]
        metrics = {"assignee": ["top1", "top3"], "priority": ["accuracy", "macro_f1"],
                   "labels": ["micro_f1", "precision", "recall", "macro_f1"],
                   "components": ["micro_f1", "precision", "recall", "macro_f1"]}[target]
        for i, m in enumerate(metrics):
            lines.append(fmt.format(target if i == 0 else "", m, f"{h[m]:.3f}", f"{h['baseline_majority'][m]:.3f}",
                                    f"{h['baseline_recency'][m]:.3f}", r["n_test"] if i == 0 else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="JSON Lines, one Jira REST v3 issue per line")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--details", action="store_true",
                        help="with --json: add \"details\", each target's full training result (every hold-out "
                             "metric with its majority and recency baselines, sample counts, timings)")
    args = parser.parse_args(argv)
    try:
        records, blank = read_jsonl(args.file)
    except InputError as e:
        print(f"evaluate: {e}", file=sys.stderr)
        return 1
    if blank:
        print(f"evaluate: skipped {blank} blank line(s)", file=sys.stderr)
    result = evaluate(records)
    if args.json:
        details = result.pop("_details", {})
        if args.details:
            # Reports that put the model next to every baseline (the Java QualityReport) read these; the plain
            # --json object keeps the documented shape.
            result["details"] = details
        print(json.dumps(result))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
