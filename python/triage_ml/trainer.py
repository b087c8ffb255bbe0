"""Training one target end to end, the last two stages of the pipeline (featurize -> fit -> calibrate, in the
target's estimator module, then evaluate -> package here):

1. split the project chronologically: the oldest 80% of its issues train, the newest 20% are the hold-out;
2. fit the target's estimator (``multiclass`` or ``multilabel``) on the training part and score it on the
   hold-out as a user meets it: one-of-many targets on every hold-out issue that has a value (a value the model
   cannot know is a miss), many-of-many targets on every hold-out issue (an issue without labels counts);
3. put it next to the majority and recency baselines on the same hold-out: a model below the better of them is
   not put in service (``below_baseline``);
4. otherwise fit the final model on every issue with the same pipeline, ready to be packaged as an artifact."""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from . import assignee, multiclass, multilabel, priority
from .calibration import expected_calibration_error
from .evaluation import (confusion, hit_at_k, macro_f1, multiclass_baselines, multilabel_baselines,
                         multilabel_scores, top_k_accuracy)
from .features import Batch
from .options import Options
from .ranked import Ranked
from .records import IssueRecord, InvalidInput
from .training import TrainingData, chrono_split

TARGETS = ("assignee", "priority", "labels", "components")
MAIN_METRIC = {"assignee": "top3", "priority": "macro_f1", "labels": "micro_f1", "components": "micro_f1"}
MULTICLASS = {"assignee": assignee, "priority": priority}
SHOWN = 3          # values the glance shows per target: what the calibration error is measured on

Model = Any  # MulticlassModel | MultiLabelModel


def versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn
    return {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__}


@dataclass
class Outcome:
    result: dict[str, Any]
    model: Model | None                 # the model to serve (None: insufficient data or below its baseline)
    holdout_model: Model | None = None  # the same pipeline fitted on the training part only


def split(n: int, opts: Options) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a chronologically sorted project: (training part, hold-out = the newest ``holdout_fraction``)."""
    return chrono_split(np.arange(n), opts.holdout_fraction)


def multiclass_values(target: str, records: Sequence[IssueRecord], opts: Options) -> list[str | None]:
    if target not in MULTICLASS:
        raise InvalidInput(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    return MULTICLASS[target].values(records, opts)


def _result(status: str, target: str, n: int, n_train: int, n_test: int, classes: list[str],
            needed: dict[str, int], have: dict[str, int], holdout: dict[str, Any] | None,
            comparison: dict[str, Any] | None, fit_s: float, eval_s: float, t0: float) -> dict[str, Any]:
    main = MAIN_METRIC[target]
    out = {"status": status, "target": target, "n_samples": n, "n_train": n_train, "n_test": n_test,
           "classes": classes, "needed": needed, "have": have, "holdout": holdout, "main_metric": main,
           "main_value": holdout[main] if holdout else None, "comparison": comparison,
           "timings": {"fit_seconds": round(fit_s, 4), "eval_seconds": round(eval_s, 4),
                       "total_seconds": round(time.perf_counter() - t0, 4)},
           "versions": versions()}
    if holdout:
        name = max(("baseline_majority", "baseline_recency"), key=lambda b: holdout[b][main])
        out["baseline"] = {"name": name.removeprefix("baseline_"), "value": holdout[name][main]}
    return out


def shown_calibration(r: Ranked, hit: np.ndarray) -> float | None:
    """Expected calibration error over the values the glance shows (the ``SHOWN`` best of each issue)."""
    shown = r.p[:, :SHOWN] > 0
    return expected_calibration_error(r.p[:, :SHOWN][shown], hit[:, :SHOWN][shown])


def score_multiclass(model: multiclass.MulticlassModel, batch: Batch, y: np.ndarray, X: Any = None
                     ) -> dict[str, Any]:
    """Hold-out metrics of a one-of-many model; ``y``: class index, -1 for a value it cannot know."""
    P, decision = model.answer(batch, X)
    r = model.ranked_from(P, decision, SHOWN)
    known = y >= 0
    suggested = r.suggest.any(axis=1)
    right = suggested & (decision == y)
    return {"top1": float(np.mean(P.argmax(axis=1) == y)) if len(y) else 0.0,
            "top3": top_k_accuracy(P, y, 3),
            "accuracy": float(np.mean(decision == y)) if len(y) else 0.0,
            "macro_f1": macro_f1(y.tolist(), decision.tolist()),
            "log_loss": -float(np.mean(np.log(np.maximum(P[known, y[known]], 1e-9)))) if known.any() else None,
            "suggested_share": float(suggested.mean()) if len(y) else 0.0,
            "suggested_precision": float(right.sum() / max(suggested.sum(), 1)),
            "ece": shown_calibration(r, r.idx == y[:, None])}


def score_multilabel(model: multilabel.MultiLabelModel, batch: Batch, truth: list[tuple[str, ...]],
                     X: Any = None) -> dict[str, Any]:
    """Hold-out metrics of a many-of-many model over every issue: the suggested set's micro/macro scores, hit@3
    of the ranking, calibration of the shown values."""
    P = model.proba(batch, X)
    r = model.ranked_from(P, SHOWN)
    predicted = [[model.classes[j] for j in row] for row in model.suggested_sets(P)]
    out: dict[str, Any] = multilabel_scores(truth, predicted)
    ranked_values = [[model.classes[j] for j, p in zip(row, ps) if p > 0] for row, ps in zip(r.idx.tolist(), r.p.tolist())]
    out["hit3"] = hit_at_k(truth, ranked_values, 3)
    index = {c: j for j, c in enumerate(model.classes)}
    T = np.zeros(P.shape, dtype=bool)
    for i, values in enumerate(truth):
        for v in values:
            if v in index:
                T[i, index[v]] = True
    out["ece"] = shown_calibration(r, np.take_along_axis(T, r.idx, axis=1))
    out["suggestable_values"] = int((np.isfinite(model.threshold) & model.trained).sum())
    return out


def compare_with_active(target: str, candidate: Model, active: Model | None, main_on: Any, test: np.ndarray,
                        data: TrainingData, opts: Options) -> dict[str, Any] | None:
    """Both models on the hold-out issues the active one has never seen (created after it was trained).

    The active model was fit on everything older than its training, so on older hold-out issues it would be
    scored on its own training data and always look better. None when there is no comparable active model or
    too few unseen issues: the caller then compares with the active model's own recorded hold-out score.
    """
    if active is None or getattr(active, "target", None) != target or opts.active_trained_at is None:
        return None
    unseen = test[data.times[test] > opts.active_trained_at]
    if len(unseen) < opts.min_comparison:
        return None
    try:
        active_value = main_on(active, unseen)
    except Exception:  # an active model that cannot score this data is not comparable
        return None
    return {"issues": int(len(unseen)), "candidate": round(float(main_on(candidate, unseen)), 6),
            "active": round(float(active_value), 6)}


def train_target(target: str, records: Sequence[IssueRecord], opts: Options, active: Model | None = None,
                 final: bool = True) -> Outcome:
    """``final=False`` stops after the hold-out (the offline evaluation command)."""
    if target in ("labels", "components"):
        return _train_multilabel(target, records, opts, active, final)
    return _train_multiclass(target, records, opts, active, final)


def _train_multiclass(target: str, records: Sequence[IssueRecord], opts: Options, active: Model | None,
                      final: bool) -> Outcome:
    t0 = time.perf_counter()
    data = TrainingData.of(records)
    y_str = multiclass_values(target, data.records, opts)
    labelled = np.array([v is not None for v in y_str], dtype=bool)
    train, test = split(len(data), opts)
    train, test = train[labelled[train]], test[labelled[test]]
    n = int(labelled.sum())
    classes = multiclass.learnable([y_str[i] for i in train], opts.min_per_class)
    needed = {"samples": opts.min_samples, "per_class": opts.min_per_class, "classes": opts.min_classes}
    have = {"samples": n, "classes": len(classes)}
    if n < opts.min_samples or len(classes) < opts.min_classes or len(test) == 0:
        return Outcome(_result("insufficient_data", target, n, 0, 0, [], needed, have, None, None, 0, 0, t0), None)
    spec = MULTICLASS[target].SPEC

    def index_of(cls: list[str]) -> np.ndarray:
        index = {c: i for i, c in enumerate(cls)}
        return np.array([index.get(v, -1) if v is not None else -1 for v in y_str], dtype=np.int64)

    y = index_of(classes)
    tf = time.perf_counter()
    hold, raw = multiclass.fit_calibrated(data, train, y, classes, spec, opts)
    fit_s = time.perf_counter() - tf
    te = time.perf_counter()
    test_batch = data.batch.take(test.tolist())
    assert raw.X is not None
    holdout = score_multiclass(hold, test_batch, y[test], raw.X[test])
    if target == "priority":
        holdout["confusion"] = confusion(y[test], hold.decide(test_batch, raw.X[test]), classes)
    holdout.update(multiclass_baselines([y_str[i] for i in train], [y_str[i] for i in test], opts.recency_n))
    holdout = _rounded(holdout)

    def main_on(model: Model, rows: np.ndarray) -> float:
        b = data.batch.take(rows.tolist())
        yi = np.array([{c: i for i, c in enumerate(model.classes)}.get(y_str[i], -1) for i in rows])
        return multiclass.main_metric(spec.main_metric, model.proba(b), yi, model.decide(b))

    comparison = compare_with_active(target, hold, active, main_on, test, data, opts)
    eval_s = time.perf_counter() - te
    status, model, final_classes = _status(target, holdout), None, classes
    if final and status == "trained":
        tf2 = time.perf_counter()
        rows = np.nonzero(labelled)[0]
        final_classes = multiclass.learnable([y_str[i] for i in rows], opts.min_per_class)
        # The hold-out's text model (fitted on the training part) chooses the final pool on the hold-out issues.
        inner = (multiclass.remap(raw, classes, final_classes), train)
        model, _ = multiclass.fit_calibrated(data, rows, index_of(final_classes), final_classes, spec, opts,
                                             inner=inner, now=opts.now)
        fit_s += time.perf_counter() - tf2
    return Outcome(_result(status, target, n, len(train), len(test), list(final_classes), needed, have, holdout,
                           comparison, fit_s, eval_s, t0), model, hold)


def _train_multilabel(target: str, records: Sequence[IssueRecord], opts: Options, active: Model | None,
                      final: bool) -> Outcome:
    t0 = time.perf_counter()
    data = TrainingData.of(records)
    truth_all = [multilabel.values_of(target, r) for r in data.records]
    train, test = split(len(data), opts)
    n = sum(1 for t in truth_all if t)
    classes = multilabel.learnable(data, target, train, opts.min_per_class)
    needed = {"samples": opts.min_samples, "per_class": opts.min_per_class, "classes": 1}
    have = {"samples": n, "classes": len(classes)}
    if n < opts.min_samples or not classes or len(test) == 0:
        return Outcome(_result("insufficient_data", target, n, 0, 0, [], needed, have, None, None, 0, 0, t0), None)
    tf = time.perf_counter()
    hold, raw = multilabel.fit_calibrated(data, target, train, classes, opts)
    fit_s = time.perf_counter() - tf
    te = time.perf_counter()
    assert raw.X is not None
    truth = [truth_all[i] for i in test]
    holdout = score_multilabel(hold, data.batch.take(test.tolist()), truth, raw.X[test])
    holdout.update(multilabel_baselines([truth_all[i] for i in train], truth, opts.recency_n))
    holdout = _rounded(holdout)

    def main_on(model: Model, rows: np.ndarray) -> float:
        P = model.proba(data.batch.take(rows.tolist()))
        predicted = [[model.classes[j] for j in row] for row in model.suggested_sets(P)]
        return multilabel_scores([truth_all[i] for i in rows], predicted)["micro_f1"]

    comparison = compare_with_active(target, hold, active, main_on, test, data, opts)
    eval_s = time.perf_counter() - te
    status, model, final_classes = _status(target, holdout), None, classes
    if final and status == "trained":
        tf2 = time.perf_counter()
        rows = np.arange(len(data))
        final_classes = multilabel.learnable(data, target, rows, opts.min_per_class)
        model, _ = multilabel.fit_calibrated(data, target, rows, final_classes, opts, now=opts.now)
        fit_s += time.perf_counter() - tf2
    return Outcome(_result(status, target, n, len(train), len(test), list(final_classes), needed, have, holdout,
                           comparison, fit_s, eval_s, t0), model, hold)


def _status(target: str, holdout: dict[str, Any]) -> str:
    """``below_baseline`` when always answering the majority or the recent values does better on the hold-out."""
    main = MAIN_METRIC[target]
    prior = max(holdout["baseline_majority"][main], holdout["baseline_recency"][main])
    return "below_baseline" if holdout[main] < prior else "trained"


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 6) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v)
            for k, v in d.items()}
