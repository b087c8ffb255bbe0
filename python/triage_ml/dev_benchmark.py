"""Development benchmark on real Jira projects (not a test): ``bin/dev-benchmark [DIR] [PROJECT ...]``.

Runs ``bin/evaluate``'s protocol on every ``*.jsonl.gz`` of DIR (default ``../shared/data/jira-dev``) and prints
each target's score next to the best baseline of DIR's README (the simple TF-IDF + linear models and the priors
measured on the same chronological 80/20 split), with the margin, the calibration error and the training time.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from .evaluate_cli import evaluate
from .options import Options
from .records import record_from_jira
from .trainer import TARGETS, train_target

DEFAULT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "jira-dev"

# (README column group, our target, our metric)
COLUMNS = [("assignee top-3", "assignee", "top3"), ("priority macro-F1", "priority", "macro_f1"),
           ("components micro-F1", "components", "micro_f1"), ("components hit@3", "components", "hit3"),
           ("labels micro-F1", "labels", "micro_f1"), ("labels hit@3", "labels", "hit3")]


def readme_baselines(readme: Path) -> dict[str, dict[str, float]]:
    """Best baseline per project and README column group, read from the README's baseline table."""
    if not readme.exists():
        return {}
    lines = [ln for ln in readme.read_text(encoding="utf-8").splitlines() if ln.startswith("|")]
    header = next((ln for ln in lines if "assignee top-3" in ln), None)
    if header is None:
        return {}
    groups = [re.sub(r":.*", "", h).strip() for h in header.strip("|").split("|")]
    out: dict[str, dict[str, float]] = {}
    for ln in lines[lines.index(header) + 2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        if len(cells) != len(groups):
            continue
        best: dict[str, float] = {}
        for group, cell in zip(groups[1:], cells[1:]):
            values = [float(v) for v in re.findall(r"\d+\.\d+", cell)]
            if values:
                best[group] = max(values)
        out[cells[0]] = best
    return out


def load(path: Path) -> list[Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [record_from_jira(json.loads(line)) for line in f if line.strip()]


def training_time(files: list[Path]) -> int:
    for path in files:
        records = load(path)
        seconds = {}
        for target in TARGETS:
            t0 = time.perf_counter()
            outcome = train_target(target, records, Options())
            seconds[target] = (time.perf_counter() - t0, outcome.result["status"])
        parts = ", ".join(f"{t} {s:.1f} s ({status})" for t, (s, status) in seconds.items())
        print(f"{path.name.split('.')[0]}: {len(records)} issues, all targets {sum(s for s, _ in seconds.values()):.1f} s: "
              f"{parts}", flush=True)
    return 0


def artifact_figures(files: list[Path], save: Path | None, repeats: int = 5) -> int:
    """Per target: artifact size, time to write it and best-of-``repeats`` time to load it (what the sidecar does
    when Java loads a model on demand); with ``save``, each artifact is also written there (to time its loading
    side by side with another version's, as the machine's load changes)."""
    from . import artifact
    for path in files:
        records = load(path)
        for target in TARGETS:
            model = train_target(target, records, Options()).model
            if model is None:
                continue
            t0 = time.perf_counter()
            blob = artifact.dumps(model)
            written = time.perf_counter() - t0
            if save is not None:
                (save / f"{path.name.split('.')[0]}-{target}.bin").write_bytes(blob)
            loads = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                artifact.loads(blob)
                loads.append(time.perf_counter() - t0)
            print(f"{path.name.split('.')[0]} {target}: {len(model.classes)} values, {model.linear.coef.shape[1]} "
                  f"features, {len(blob) / 1e6:.2f} MB, dumps {written * 1e3:.0f} ms, loads {min(loads) * 1e3:.1f} ms",
                  flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/dev-benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("projects", nargs="*", help="only these projects (default: every file)")
    parser.add_argument("--json", metavar="OUT", help="also write every project's full result to OUT")
    parser.add_argument("--training-time", action="store_true",
                        help="instead: train every target as the app does (hold-out and final model) and print "
                             "the seconds per target")
    parser.add_argument("--artifacts", action="store_true",
                        help="instead: train every target and print its artifact's size and write/load times")
    parser.add_argument("--save", metavar="DIR", help="with --artifacts: also write each artifact into DIR")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    files = sorted(folder.glob("*.jsonl.gz"))
    if args.projects:
        files = [f for f in files if f.name.split(".")[0] in args.projects]
    if not files:
        print(f"dev-benchmark: no *.jsonl.gz in {folder}", file=sys.stderr)
        return 1
    if args.training_time:
        return training_time(files)
    if args.artifacts:
        return artifact_figures(files, Path(args.save) if args.save else None)
    baselines = readme_baselines(folder / "README.md")
    fmt = "{:<8} {:>6} {:>8}  " + "  ".join(["{:>22}"] * len(COLUMNS)) + "  {:>23}"
    print(fmt.format("project", "issues", "train s", *[c[0] for c in COLUMNS], "ECE a/p/c/l"))
    margins: dict[str, list[float]] = {c[0]: [] for c in COLUMNS}
    below: list[str] = []
    everything: dict[str, Any] = {}
    for path in files:
        project = path.name.split(".")[0]
        records = load(path)
        t0 = time.perf_counter()
        result, _ = evaluate(records, Options())
        seconds = time.perf_counter() - t0
        everything[project] = result
        cells = []
        for group, target, metric in COLUMNS:
            entry = result["targets"].get(target)
            ours = entry.get(metric) if entry else None
            base = baselines.get(project, {}).get(group)
            if ours is None:
                cells.append("-" if base is None else f"- (base {base:.2f})")
                continue
            if base is None:
                cells.append(f"{ours:.3f}")
                continue
            margins[group].append(ours - base)
            if ours < base:
                below.append(f"{project} {group}")
            cells.append(f"{ours:.3f} vs {base:.2f} ({ours - base:+.3f})")
        ece = "/".join("-" if not result["targets"].get(t) or result["targets"][t]["ece"] is None
                       else f"{result['targets'][t]['ece']:.3f}"
                       for t in ("assignee", "priority", "components", "labels"))
        print(fmt.format(project, result["issues"], f"{seconds:.1f}", *cells, ece), flush=True)
    print()
    for group, values in margins.items():
        if values:
            print(f"{group:<22} mean margin over the best baseline: {sum(values) / len(values):+.3f} "
                  f"on {len(values)} project(s)")
    print("below the best baseline: " + (", ".join(below) if below else "none"))
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
