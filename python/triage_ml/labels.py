"""Many-of-many targets (labels, components): one SGD logistic model per value on the issue features (for
components without the components themselves), Platt-calibrated per value on the newest slice of the training
data, where each value also gets the lowest threshold whose precision reaches ``precision_target`` with at least
``min_val_positives`` correct suggestions. Values that cannot reach it, or not seen for ``retire_after_days``, are
never suggested. Only issues carrying at least one value train and evaluate (unlabelled is not negative)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .features import Batch, Featurizer
from .linear import Linear, fit_binary_many, platt
from .options import DAY_MS, Options
from .records import IssueRecord
from .training import TrainingData, chrono_split, decay

NEVER = np.float32(np.inf)


def values_of(target: str, r: IssueRecord) -> tuple[str, ...]:
    return r.components if target == "components" else r.labels


def select(target: str, records: Sequence[IssueRecord], opts: Options) -> list[IssueRecord]:
    return [r for r in records if values_of(target, r)]


@dataclass
class Raw:
    featurizer: Featurizer
    linear: Linear
    X: sp.csr_matrix | None = None


@dataclass
class MultiLabelModel:
    target: str
    classes: list[str]
    featurizer: Featurizer
    linear: Linear
    a: np.ndarray            # Platt slope per value
    b: np.ndarray            # Platt intercept per value
    threshold: np.ndarray    # per value; inf = never suggested
    n_train: int = 0

    def proba(self, batch: Batch, X: sp.csr_matrix | None = None) -> np.ndarray:
        X = self.featurizer.transform(batch) if X is None else X
        return expit(self.linear.scores(X) * self.a + self.b)

    def suggested(self, P: np.ndarray, top_k: int) -> list[list[tuple[int, float]]]:
        ok = P >= self.threshold
        out: list[list[tuple[int, float]]] = []
        for i in range(len(P)):
            idx = np.nonzero(ok[i])[0]
            if len(idx) > top_k:
                idx = idx[np.argsort(-P[i, idx], kind="stable")[:top_k]]
            else:
                idx = idx[np.argsort(-P[i, idx], kind="stable")]
            out.append([(int(j), float(P[i, j])) for j in idx])
        return out

    def rank(self, batch: Batch, top_k: int) -> list[list[tuple[str, float]]]:
        P = self.proba(batch)
        return [[(self.classes[j], p) for j, p in row] for row in self.suggested(P, top_k)]

    def explain(self, batch: Batch, top_k: int, max_features: int) -> list[list[dict[str, Any]]]:
        from .explain import explain_rows
        X = self.featurizer.transform(batch)
        P = self.proba(batch, X)
        return explain_rows(X, self.suggested(P, top_k), self.classes, max_features, self.featurizer,
                            self.linear.coef, self.a, None, None)


def y_matrix(data: TrainingData, target: str, classes: list[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    Y = np.zeros((len(data), len(classes)), dtype=np.int8)
    for i, r in enumerate(data.records):
        for v in values_of(target, r):
            j = index.get(v)
            if j is not None:
                Y[i, j] = 1
    return Y


def learnable(data: TrainingData, target: str, rows: np.ndarray, min_per_class: int) -> list[str]:
    counts: dict[str, int] = {}
    for i in rows:
        for v in values_of(target, data.records[i]):
            counts[v] = counts.get(v, 0) + 1
    return sorted(v for v, c in counts.items() if c >= min_per_class)


def _fit_raw(data: TrainingData, target: str, rows: np.ndarray, Y: np.ndarray, opts: Options, now: int,
             only: np.ndarray | None = None) -> Raw:
    """``only``: the columns worth a model (the others get a never-firing intercept): training the values that
    can never be suggested would only cost time (200 labels: most of them)."""
    f, X = data.features(rows, use_components=target != "components")
    w = decay(data.times[rows], now, opts.model_half_life_days)
    w = w * (len(w) / max(w.sum(), 1e-12))
    cols = np.arange(Y.shape[1]) if only is None else np.nonzero(only)[0]
    part = fit_binary_many(X[rows], Y[rows][:, cols], w, opts.sgd_alpha, opts.sgd_epochs)
    coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
    intercept = np.full(Y.shape[1], -30.0, dtype=np.float32)
    coef[cols] = part.coef
    intercept[cols] = part.intercept
    return Raw(f, Linear(coef, intercept), X)


def thresholds(P: np.ndarray, Y: np.ndarray, target: float, min_positives: int) -> np.ndarray:
    """Per column the lowest probability whose suggestions (p >= it) have precision >= target."""
    out = np.full(P.shape[1], NEVER, dtype=np.float32)
    for j in range(P.shape[1]):
        order = np.argsort(-P[:, j], kind="stable")
        y = Y[order, j].astype(np.int64)
        tp = np.cumsum(y)
        prec = tp / np.arange(1, len(y) + 1)
        ok = np.nonzero((prec >= target) & (tp >= min_positives) & (y == 1))[0]
        if len(ok):
            out[j] = np.float32(P[order[ok[-1]], j])
    return out


def fit_calibrated(data: TrainingData, target: str, rows: np.ndarray, classes: list[str], opts: Options,
                   inner: Raw | None = None, now: int | None = None) -> tuple[MultiLabelModel, Raw]:
    Y = y_matrix(data, target, classes)
    older, newer = chrono_split(rows, opts.val_fraction)
    if inner is None:  # only values that can show their precision on the calibration slice
        inner = _fit_raw(data, target, older, Y, opts, int(data.times[older].max()),
                         only=(Y[newer].sum(axis=0) >= opts.min_val_positives) & (Y[older].sum(axis=0) > 0))
    assert inner.X is not None
    S = inner.linear.scores(inner.X[newer])
    a, b = platt(S, Y[newer])
    Pv = expit(S * a + b)
    thr = thresholds(Pv, Y[newer], opts.precision_target, opts.min_val_positives)
    now_all = now if now is not None else int(data.times[rows].max())
    last_seen = np.full(len(classes), np.iinfo(np.int64).min)
    for j in range(len(classes)):
        hit = rows[Y[rows, j] > 0]
        if len(hit):
            last_seen[j] = data.times[hit].max()
    thr[last_seen < now_all - opts.retire_after_days * DAY_MS] = NEVER
    final = _fit_raw(data, target, rows, Y, opts, now_all, only=np.isfinite(thr))
    return MultiLabelModel(target, classes, final.featurizer, final.linear, a, b, thr, len(rows)), final
