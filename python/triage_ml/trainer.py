"""Training one target end to end: select its issues, check the minimums, evaluate on the chronological
hold-out (oldest 80% train, newest 20% test) next to the baselines, cross-validate small datasets, score the
active model on the hold-out issues it has not seen, and fit the final model on everything with the same pipeline."""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from . import assignee, labels, multiclass, priority
from .evaluation import (confusion, macro_f1, multiclass_baselines, multilabel_baselines, multilabel_scores,
                         top_k_accuracy)
from .options import Options
from .records import IssueRecord, InvalidInput
from .training import TrainingData, chrono_split

TARGETS = ("assignee", "priority", "labels", "components")
MAIN_METRIC = {"assignee": "top3", "priority": "macro_f1", "labels": "micro_f1", "components": "micro_f1"}
MULTICLASS = {"assignee": assignee, "priority": priority}

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
    model: Model | None
    holdout_model: Model | None = None


def select(target: str, records: Sequence[IssueRecord], opts: Options) -> list[IssueRecord]:
    if target in MULTICLASS:
        return MULTICLASS[target].select(records, opts)
    if target in ("labels", "components"):
        return labels.select(target, records, opts)
    raise InvalidInput(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")


def _insufficient(target: str, n: int, needed: dict[str, int], have: dict[str, int], t0: float) -> Outcome:
    return Outcome({
        "status": "insufficient_data", "target": target, "n_samples": n, "n_train": 0, "n_test": 0, "classes": [],
        "needed": needed, "have": have, "holdout": None, "cv": None, "main_metric": MAIN_METRIC[target],
        "main_value": None, "comparison": None,
        "timings": {"fit_seconds": 0.0, "eval_seconds": 0.0, "total_seconds": round(time.perf_counter() - t0, 4)},
        "versions": versions(),
    }, None)


def _mc_metrics(P: np.ndarray, y: np.ndarray) -> dict[str, float]:
    pred = P.argmax(axis=1) if P.shape[1] else np.full(len(y), -2)
    known = y >= 0
    ll = -float(np.mean(np.log(np.maximum(P[known, y[known]], 1e-9)))) if known.any() else None
    acc = float(np.mean(pred == y)) if len(y) else 0.0
    return {"top1": acc, "top3": top_k_accuracy(P, y, 3), "accuracy": acc,
            "macro_f1": macro_f1(y.tolist(), pred.tolist()), "log_loss": ll}


def _ml_predicted(model: labels.MultiLabelModel, P: np.ndarray) -> list[list[str]]:
    return [[model.classes[j] for j, _ in row] for row in model.suggested(P, 10 ** 6)]


def _main_on(target: str, model: Model, data: TrainingData, rows: np.ndarray) -> float:
    """A model's main metric on some rows of the dataset."""
    batch = data.batch.take(rows.tolist())
    if target in MULTICLASS:
        mod = MULTICLASS[target]
        index = {c: i for i, c in enumerate(model.classes)}
        y = np.array([index.get(mod.value(data.records[i]), -1) for i in rows])
        return multiclass.main_metric(MAIN_METRIC[target], model.proba(batch), y)
    truth = [labels.values_of(target, data.records[i]) for i in rows]
    return multilabel_scores(truth, _ml_predicted(model, model.proba(batch)))["micro_f1"]


def compare_with_active(target: str, candidate: Model, active: Model | None, data: TrainingData, test: np.ndarray,
                        opts: Options) -> dict[str, Any] | None:
    """Both models on the hold-out issues the active one has never seen (created after it was trained).

    The active model was fit on everything older than its training, so on older hold-out issues it would be
    scored on its own training data and always look better. None when there is no comparable active model or
    too few unseen issues: the caller then compares with the active model's own recorded hold-out score.
    """
    if active is None or getattr(active, "target", None) != target or opts.active_trained_at is None:
        return None
    unseen = np.array([i for i in test if data.records[i].time > opts.active_trained_at], dtype=np.int64)
    if len(unseen) < opts.min_comparison:
        return None
    try:
        active_value = _main_on(target, active, data, unseen)
    except Exception:  # an active model that cannot score this data is not comparable
        return None
    return {"issues": int(len(unseen)), "candidate": round(float(_main_on(target, candidate, data, unseen)), 6),
            "active": round(float(active_value), 6)}


def train_target(target: str, records: Sequence[IssueRecord], opts: Options, active: Model | None = None,
                 final: bool = True) -> Outcome:
    """``final=False`` stops after the hold-out (the offline evaluation command)."""
    t0 = time.perf_counter()
    selected = select(target, records, opts)
    data = TrainingData.of(selected)
    n = len(data)
    rows = np.arange(n)
    train, test = chrono_split(rows, opts.holdout_fraction)
    multi = target in MULTICLASS
    needed = {"samples": opts.min_samples, "per_class": opts.min_per_class}
    if multi:
        needed["classes"] = opts.min_classes
        mod = MULTICLASS[target]
        y_str = [mod.value(r) for r in data.records]
        classes = multiclass.learnable([y_str[i] for i in train], opts.min_per_class)
    else:
        needed["classes"] = 1
        classes = labels.learnable(data, target, train, opts.min_per_class)
    have = {"samples": n, "classes": len(classes)}
    if n < opts.min_samples or len(classes) < needed["classes"] or len(test) == 0:
        return _insufficient(target, n, needed, have, t0)

    tf = time.perf_counter()
    if multi:
        spec = mod.SPEC
        index = {c: i for i, c in enumerate(classes)}
        y = np.array([index.get(v, -1) for v in y_str], dtype=np.int64)
        hold, raw = multiclass.fit_calibrated(data, train, y, classes, spec, opts)
        fit_s = time.perf_counter() - tf
        te = time.perf_counter()
        assert raw.X is not None
        P = hold.proba(data.batch.take(test.tolist()), raw.X[test])
        holdout = _mc_metrics(P, y[test])
        if target == "priority":
            holdout["confusion"] = confusion(y[test], P, classes)
        holdout.update(multiclass_baselines([y_str[i] for i in train], [y_str[i] for i in test], opts.recency_n))
    else:
        hold, raw = labels.fit_calibrated(data, target, train, classes, opts)
        fit_s = time.perf_counter() - tf
        te = time.perf_counter()
        assert raw.X is not None
        P = hold.proba(data.batch.take(test.tolist()), raw.X[test])
        truth = [labels.values_of(target, data.records[i]) for i in test]
        holdout = multilabel_scores(truth, _ml_predicted(hold, P))
        holdout["suggestable_values"] = int(np.isfinite(hold.threshold).sum())
        holdout.update(multilabel_baselines([labels.values_of(target, data.records[i]) for i in train], truth,
                                            opts.recency_n))
    holdout = _rounded(holdout)
    main_name = MAIN_METRIC[target]
    main_value = holdout[main_name]
    comparison = compare_with_active(target, hold, active, data, test, opts)
    cv = cross_validate(target, data, opts) if n <= opts.cv_max_samples else None
    eval_s = time.perf_counter() - te

    model = None
    final_classes = classes
    if final:
        tf2 = time.perf_counter()
        if multi:
            final_classes = multiclass.learnable(y_str, opts.min_per_class)
            index = {c: i for i, c in enumerate(final_classes)}
            y_all = np.array([index.get(v, -1) for v in y_str], dtype=np.int64)
            inner = _remap_raw(raw, classes, final_classes) if opts.val_fraction == opts.holdout_fraction else None
            model, _ = multiclass.fit_calibrated(data, rows, y_all, final_classes, spec, opts, inner=inner, now=opts.now)
        else:
            final_classes = labels.learnable(data, target, rows, opts.min_per_class)
            inner = _remap_raw(raw, classes, final_classes) if opts.val_fraction == opts.holdout_fraction else None
            model, _ = labels.fit_calibrated(data, target, rows, final_classes, opts, inner=inner, now=opts.now)
        fit_s += time.perf_counter() - tf2
    result = {
        "status": "trained", "target": target, "n_samples": n, "n_train": int(len(train)), "n_test": int(len(test)),
        "classes": list(final_classes), "needed": needed, "have": have, "holdout": holdout, "cv": cv,
        "main_metric": main_name, "main_value": main_value,
        "comparison": comparison,
        "timings": {"fit_seconds": round(fit_s, 4), "eval_seconds": round(eval_s, 4),
                    "total_seconds": round(time.perf_counter() - t0, 4)},
        "versions": versions(),
    }
    return Outcome(result, model, hold)


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 6) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v) for k, v in d.items()}


def _remap_raw(raw: Any, old: list[str], new: list[str]) -> Any:
    """The hold-out's text model with its outputs reordered to the final class list (new classes get none)."""
    from .linear import Linear
    if old == new:
        return raw
    index = {c: i for i, c in enumerate(old)}
    coef = np.zeros((len(new), raw.linear.coef.shape[1]), dtype=np.float32)
    intercept = np.full(len(new), -30.0, dtype=np.float32)
    for j, c in enumerate(new):
        i = index.get(c)
        if i is not None:
            coef[j] = raw.linear.coef[i]
            intercept[j] = raw.linear.intercept[i]
    return type(raw)(raw.featurizer, Linear(coef, intercept), raw.X)


def cross_validate(target: str, data: TrainingData, opts: Options) -> dict[str, Any] | None:
    """k-fold CV of the whole pipeline (stratified for one-of-many targets, on classes with at least k members)
    for small datasets only; each fold's training rows stay in time order so its calibration slice is the
    fold's newest."""
    from sklearn.model_selection import KFold, StratifiedKFold
    k = opts.cv_folds
    n = len(data)
    rows = np.arange(n)
    values: list[float] = []
    if target in MULTICLASS:
        mod = MULTICLASS[target]
        y_str = np.array([mod.value(r) for r in data.records], dtype=object)
        counts: dict[str, int] = {}
        for v in y_str:
            counts[v] = counts.get(v, 0) + 1
        eligible = np.array([counts[v] >= k for v in y_str])
        if eligible.sum() < opts.min_samples or len({v for v in y_str[eligible]}) < 2:
            return None
        splits = StratifiedKFold(k, shuffle=True, random_state=0).split(rows[eligible], y_str[eligible])
        base = rows[eligible]
        for tr, te in splits:
            tr, te = np.sort(base[tr]), np.sort(base[te])
            classes = multiclass.learnable(y_str[tr].tolist(), opts.min_per_class)
            if len(classes) < 2:
                return None
            index = {c: i for i, c in enumerate(classes)}
            y = np.array([index.get(v, -1) for v in y_str], dtype=np.int64)
            m, raw = multiclass.fit_calibrated(data, tr, y, classes, mod.SPEC, opts)
            P = m.proba(data.batch.take(te.tolist()), raw.X[te])
            values.append(multiclass.main_metric(MAIN_METRIC[target], P, y[te]))
        kind = "stratified"
    else:
        for tr, te in KFold(k, shuffle=True, random_state=0).split(rows):
            tr, te = np.sort(tr), np.sort(te)
            classes = labels.learnable(data, target, tr, opts.min_per_class)
            if not classes:
                return None
            m, raw = labels.fit_calibrated(data, target, tr, classes, opts)
            P = m.proba(data.batch.take(te.tolist()), raw.X[te])
            truth = [labels.values_of(target, data.records[i]) for i in te]
            values.append(multilabel_scores(truth, _ml_predicted(m, P))["micro_f1"])
        kind = "kfold"
    return {"kind": kind, "folds": k, "metric": MAIN_METRIC[target], "mean": round(float(np.mean(values)), 6),
            "std": round(float(np.std(values)), 6), "values": [round(v, 6) for v in values]}
