"""Metrics, baselines, the chronological hold-out and cross-validation rules."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np


def top_k_accuracy(P: np.ndarray, y: np.ndarray, k: int) -> float:
    """Share of rows whose true class index (``-1``: a class the model cannot know, always a miss) is among the
    ``k`` most probable."""
    if len(y) == 0:
        return 0.0
    k = min(k, P.shape[1])
    top = np.argpartition(-P, k - 1, axis=1)[:, :k] if k < P.shape[1] else np.tile(np.arange(P.shape[1]), (len(y), 1))
    return float(np.mean((top == y[:, None]).any(axis=1) & (y >= 0)))


def macro_f1(y_true: Sequence[object], y_pred: Sequence[object]) -> float:
    """Mean F1 over every class that occurs in the truth or the predictions."""
    classes = set(y_true) | set(y_pred)
    if not classes:
        return 0.0
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for t, p in zip(y_true, y_pred):
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    scores = [2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]) if (tp[c] + fp[c] + fn[c]) else 0.0 for c in classes]
    return float(np.mean(scores))


def accuracy(y_true: Sequence[object], y_pred: Sequence[object]) -> float:
    return float(np.mean([t == p for t, p in zip(y_true, y_pred)])) if len(y_true) else 0.0


def multilabel_scores(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, float]:
    """Micro precision/recall/F1 and macro-F1 (over values occurring in truth or predictions)."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for t, p in zip(truth, predicted):
        ts, ps = set(t), set(p)
        for v in ts | ps:
            c = per.setdefault(v, [0, 0, 0])
            if v in ts and v in ps:
                c[0] += 1
            elif v in ps:
                c[1] += 1
            else:
                c[2] += 1
        tp += len(ts & ps)
        fp += len(ps - ts)
        fn += len(ts - ps)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    macro = float(np.mean([2 * a / (2 * a + b + c) for a, b, c in per.values()])) if per else 0.0
    return {"micro_f1": f1, "macro_f1": macro, "precision": precision, "recall": recall}


def ranked_by_frequency(values: Sequence[object]) -> list[object]:
    return [v for v, _ in Counter(values).most_common()]


def multiclass_baselines(train_y: Sequence[str], test_y: Sequence[str], recency_n: int) -> dict[str, dict[str, float]]:
    """Majority and recency baselines: always the most frequent value(s) of all / the newest N training issues."""
    out = {}
    for name, source in (("baseline_majority", train_y), ("baseline_recency", train_y[-recency_n:])):
        ranked = ranked_by_frequency(source)
        top1 = ranked[0] if ranked else None
        top3 = set(ranked[:3])
        pred = [top1] * len(test_y)
        out[name] = {
            "top1": accuracy(test_y, pred), "top3": float(np.mean([t in top3 for t in test_y])) if test_y else 0.0,
            "accuracy": accuracy(test_y, pred), "macro_f1": macro_f1(test_y, pred),
        }
    return out


def hit_at_k(truth: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]], k: int) -> float:
    """Share of the issues with at least one true value whose true set meets the ``k`` best-ranked values."""
    with_values = [(set(t), r) for t, r in zip(truth, ranked) if t]
    return float(np.mean([bool(t & set(r[:k])) for t, r in with_values])) if with_values else 0.0


def multilabel_baselines(train: Sequence[Sequence[str]], test: Sequence[Sequence[str]],
                         recency_n: int) -> dict[str, dict[str, float]]:
    """Always suggest the single most frequent value (of all / of the newest N training issues); hit@3 ranks
    the three most frequent."""
    out = {}
    for name, source in (("baseline_majority", train), ("baseline_recency", train[-recency_n:])):
        ranked = ranked_by_frequency([v for vs in source for v in vs])
        pred = [[ranked[0]] if ranked else [] for _ in test]
        out[name] = multilabel_scores(test, pred)
        out[name]["hit3"] = hit_at_k(test, [ranked[:3]] * len(test), 3)
    return out


def confusion(y: np.ndarray, pred: np.ndarray, classes: Sequence[str]) -> dict[str, object]:
    """Hold-out confusion matrix of a one-of-many target: ``matrix[t][p]`` counts issues whose true value is
    ``classes[t]`` and whose decided value is ``classes[p]``. Issues whose value the model does not know are left
    out (they have no row)."""
    k = len(classes)
    matrix = np.zeros((k, k), dtype=np.int64)
    if k and len(y):
        known = y >= 0
        np.add.at(matrix, (y[known], pred[known]), 1)
    return {"labels": list(classes), "matrix": matrix.tolist()}
