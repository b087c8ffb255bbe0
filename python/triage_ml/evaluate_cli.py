"""Offline evaluation: ``bin/evaluate FILE [--json] [--predictions OUT] [--priority-placeholder NAME ...]``.

FILE holds JSON Lines, one Jira REST v3 issue per line (as ``search/jql`` returns it). The project's issues are
sorted by created; every target is trained with the production pipeline on the oldest 80% and scored on the
newest 20% (the hold-out) as a user meets it: assignee and priority on every hold-out issue that has one (a
value the model cannot know is a miss), labels and components on every hold-out issue, empty ones too. Next to
each score: the majority and recency baselines on the same issues. ``--predictions OUT`` writes what the models
answer for each hold-out issue (JSON Lines, one per issue, in hold-out order). Blank lines are skipped (and
counted); a malformed line is an error naming its number.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import IO, Any

from .features import Batch
from .options import Options
from .records import IssueRecord, InvalidInput, chronological, record_from_jira
from .trainer import SHOWN, TARGETS, Outcome, split, train_target

RANKED = 5   # values per target written by --predictions

METRICS = {"assignee": ["top1", "top3", "suggested_precision", "ece"],
           "priority": ["accuracy", "macro_f1", "ece"],
           "labels": ["micro_f1", "precision", "recall", "hit3", "ece"],
           "components": ["micro_f1", "precision", "recall", "hit3", "ece"]}


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


def evaluate(records: list[IssueRecord], opts: Options | None = None) -> tuple[dict[str, Any], dict[str, Outcome]]:
    opts = opts or Options()
    out: dict[str, Any] = {"issues": len(records), "train_seconds": 0.0, "targets": {}}
    outcomes: dict[str, Outcome] = {}
    total = 0.0
    for target in TARGETS:
        t0 = time.perf_counter()
        outcome = train_target(target, records, opts, final=False)
        total += time.perf_counter() - t0
        outcomes[target] = outcome
        r = outcome.result
        h = r["holdout"]
        if h is None:
            out["targets"][target] = None
            continue
        main = r["main_metric"]
        entry = {m: h[m] for m in METRICS[target]}
        entry.update({"status": r["status"], "n_test": r["n_test"], "seconds": round(time.perf_counter() - t0, 3),
                      "majority": h["baseline_majority"][main], "recency": h["baseline_recency"][main]})
        out["targets"][target] = entry
    out["train_seconds"] = round(total, 3)
    return out, outcomes


def write_predictions(records: list[IssueRecord], outcomes: dict[str, Outcome], opts: Options, out: IO[str]) -> int:
    """One JSON line per hold-out issue: each target's ranked values and, for labels and components, the set the
    glance marks as suggested under the default settings; ``null`` for a target that would not be served."""
    ordered = chronological(records)
    _, test = split(len(ordered), opts)
    issues = [ordered[i] for i in test]
    batch = Batch.from_records(issues)
    answers: dict[str, Any] = {}
    suggested_sets: dict[str, list[list[str]]] = {}
    for target, outcome in outcomes.items():
        model = outcome.holdout_model if outcome.result["status"] == "trained" else None
        if model is None:
            answers[target] = None
        elif target in ("labels", "components"):
            P = model.proba(batch)
            answers[target] = model.ranked_from(P, max(RANKED, SHOWN))
            suggested_sets[target] = [[model.classes[j] for j in sorted(row, key=lambda j: -P[i, j])]
                                      for i, row in enumerate(model.suggested_sets(P))]
        else:
            answers[target] = model.ranked(batch, max(RANKED, SHOWN))
    for i, issue in enumerate(issues):
        line: dict[str, Any] = {"key": issue.key}
        for target in TARGETS:
            r = answers.get(target)
            if r is None:
                line[target] = None
                continue
            classes = outcomes[target].holdout_model.classes
            ranked = [[classes[c], round(float(p), 4)] for c, p in zip(r.idx[i].tolist(), r.p[i].tolist()) if p > 0]
            if target in ("assignee", "priority"):
                line[target] = ranked
            else:
                line[target] = {"ranked": ranked, "suggested": suggested_sets[target][i]}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(issues)


def table(result: dict[str, Any]) -> str:
    lines = [f"{result['issues']} issues; trained and evaluated in {result['train_seconds']:.2f} s "
             "(train: oldest 80% by created, test: newest 20%)", ""]
    fmt = "{:<11} {:<20} {:>8} {:>10} {:>10} {:>7}"
    lines.append(fmt.format("target", "metric", "model", "majority", "recency", "n_test"))
    for target in TARGETS:
        e = result["targets"][target]
        if e is None:
            lines.append(fmt.format(target, "-", "not enough data", "", "", ""))
            continue
        for i, m in enumerate(METRICS[target]):
            first = i == 0
            value = "-" if e[m] is None else f"{e[m]:.3f}"
            lines.append(fmt.format(target if first else "", m, value, f"{e['majority']:.3f}" if first else "",
                                    f"{e['recency']:.3f}" if first else "", e["n_test"] if first else ""))
        if e["status"] != "trained":
            lines.append(fmt.format("", "status: " + e["status"], "", "", "", ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="JSON Lines, one Jira REST v3 issue per line")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--details", action="store_true",
                        help="with --json: add \"details\", each target's full training result (every hold-out "
                             "metric with its majority and recency baselines, sample counts, timings)")
    parser.add_argument("--predictions", metavar="OUT",
                        help="write each hold-out issue's ranked and suggested values to OUT (JSON Lines)")
    parser.add_argument("--priority-placeholder", action="append", metavar="NAME",
                        help="a priority that means 'not set', besides Jira's None (repeatable)")
    args = parser.parse_args(argv)
    try:
        records, blank = read_jsonl(args.file)
    except InputError as e:
        print(f"evaluate: {e}", file=sys.stderr)
        return 1
    if blank:
        print(f"evaluate: skipped {blank} blank line(s)", file=sys.stderr)
    opts = Options()
    if args.priority_placeholder:
        opts.priority_placeholders = opts.priority_placeholders + args.priority_placeholder
    result, outcomes = evaluate(records, opts)
    if args.predictions:
        try:
            with open(args.predictions, "w", encoding="utf-8") as f:
                write_predictions(records, outcomes, opts, f)
        except OSError as e:
            print(f"evaluate: cannot write {args.predictions}: {e.strerror or e}", file=sys.stderr)
            return 1
    if args.json:
        if args.details:
            # Reports that put the model next to every baseline (the Java QualityReport) read these.
            result["details"] = {t: o.result for t, o in outcomes.items() if o.result["holdout"] is not None}
        print(json.dumps(result))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
