"""Many-of-many targets (labels, components): one SGD logistic model per value on the issue features (for
components without the components themselves). Calibration is cross-fitted: ``label_folds`` models, each
trained without one chronological block of the rows, score that block; on these out-of-fold scores of every
training row each value gets Platt scaling and the lowest threshold whose precision reaches ``precision_target``
with at least ``min_val_positives`` correct suggestions. Values that cannot reach it, with fewer than
``min_label_support`` issues, or not seen for ``retire_after_days``, are never suggested (nor trained). Only
issues carrying at least one value train and evaluate (unlabelled is not negative)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .explain import Terms, pairs
from .features import Batch, Featurizer
from .linear import Linear, fit_binary_many, platt
from .options import DAY_MS, Options
from .records import IssueRecord
from .training import Raw, TrainingData, chrono_split, decay

NEVER = np.float32(np.inf)


def values_of(target: str, r: IssueRecord) -> tuple[str, ...]:
    return r.components if target == "components" else r.labels


def select(target: str, records: Sequence[IssueRecord], opts: Options) -> list[IssueRecord]:
    return [r for r in records if values_of(target, r)]


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

    def explain_terms(self, batch: Batch, top_k: int) -> Terms:
        X = self.featurizer.transform(batch)
        rows, classes, p = pairs(self.suggested(self.proba(batch, X), top_k))
        return Terms(X, rows, classes, p, self.linear.coef, self.a, None, None, None)


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


def thresholds(P: np.ndarray, Y: np.ndarray, target: float, min_positives: int, smoothing: float = 0.0,
               w: np.ndarray | None = None) -> np.ndarray:
    """Per column the lowest probability whose suggestions (p >= it) have precision >= target.

    ``smoothing`` > 0 shrinks each precision estimate towards the column's base rate with that many
    pseudo-suggestions, ``(tp + m * rate) / (k + m)``, so a lucky streak of a few positives at the top does not
    pass for a precise value. ``w`` weights the rows (recent validation issues count more), per row or per row
    and column; rows of weight 0 are ignored."""
    out = np.full(P.shape[1], NEVER, dtype=np.float32)
    w = np.ones(len(P)) if w is None else np.asarray(w, dtype=np.float64)
    for j in range(P.shape[1]):
        if not Y[:, j].any():
            continue
        wj = w[:, j] if w.ndim == 2 else w
        order = np.argsort(-P[:, j], kind="stable")
        order = order[wj[order] > 0]
        y = Y[order, j].astype(np.float64)
        wo = wj[order]
        tp = np.cumsum(y * wo)
        k = np.cumsum(wo)
        n_tp = np.cumsum(y)
        rate = tp[-1] / max(k[-1], 1e-12)
        prec = (tp + smoothing * rate) / (k + smoothing)
        ok = np.nonzero((prec >= target) & (n_tp >= min_positives) & (y == 1))[0]
        if len(ok):
            out[j] = np.float32(P[order[ok[-1]], j])
    return out


def _fold_ids(n: int, folds: int, interleaved: bool = True) -> np.ndarray:
    """Interleaved (row i in fold i mod k, rows oldest first: every fold spans the whole history, so values
    that appear late, such as a renamed label, are trained and calibrated in every fold) or contiguous
    chronological blocks."""
    if interleaved:
        return np.arange(n) % folds
    return np.minimum((np.arange(n) * folds) // max(n, 1), folds - 1)


def fit_calibrated(data: TrainingData, target: str, rows: np.ndarray, classes: list[str], opts: Options,
                   inner: Raw | None = None, now: int | None = None) -> tuple[MultiLabelModel, Raw]:
    """Cross-fitted calibration: ``label_folds`` models, each trained on all of ``rows`` but one chronological
    block, score that block; Platt scaling and the per-value thresholds are chosen on these out-of-fold
    probabilities of every row (rather than on a thin newest slice, too small to show a precision for most
    values). The suggested model is the average of the fold models (no refit: its scores are on the scale the
    calibration saw, slightly shrunk, which errs towards precision). ``inner`` is accepted for symmetry with
    the one-of-many targets and ignored."""
    Y = y_matrix(data, target, classes)
    now_all = now if now is not None else int(data.times[rows].max())
    f, X = data.features(rows, use_components=target != "components")
    last_seen = np.full(len(classes), np.iinfo(np.int64).min)
    for j in range(len(classes)):
        hit = rows[Y[rows, j] > 0]
        if len(hit):
            last_seen[j] = data.times[hit].max()
    alive = last_seen >= now_all - opts.retire_after_days * DAY_MS
    support = Y[rows].sum(axis=0)
    cols = np.nonzero(alive & (support >= max(opts.min_label_support, opts.min_val_positives)))[0]
    L, d = len(classes), X.shape[1]
    coef = np.zeros((L, d), dtype=np.float32)
    intercept = np.full(L, -30.0, dtype=np.float32)
    a = np.ones(L, dtype=np.float32)
    b = np.zeros(L, dtype=np.float32)
    thr = np.full(L, NEVER, dtype=np.float32)
    k = max(2, min(opts.label_folds, len(rows)))
    alpha = opts.label_alpha if target == "labels" else opts.sgd_alpha
    if len(cols) and len(rows) >= k:
        fold = _fold_ids(len(rows), k, opts.label_folds_interleaved)
        Yc = Y[rows][:, cols]
        t = data.times[rows]
        # A value is no negative before it was first used (a label introduced or renamed mid-way): those rows
        # neither train nor calibrate it.
        if opts.label_since_first_use:
            first = np.array([t[Yc[:, c] > 0].min() for c in range(len(cols))])
            in_use = (t[:, None] >= first[None, :]).astype(np.float64)
        else:
            in_use = np.ones((len(rows), len(cols)))
        w_all = decay(t, now_all, opts.model_half_life_days)
        S = np.zeros((len(rows), len(cols)), dtype=np.float32)
        intercept[cols] = 0.0
        for i in range(k):
            tr, va = rows[fold != i], rows[fold == i]
            w = w_all[fold != i]
            w = w * (len(w) / max(w.sum(), 1e-12))
            part = fit_binary_many(X[tr], Yc[fold != i], w[:, None] * in_use[fold != i], alpha, opts.sgd_epochs,
                                   pos_weight=opts.label_pos_weight)
            S[fold == i] = part.scores(X[va])
            coef[cols] += part.coef / k
            intercept[cols] += part.intercept / k
        ac, bc = platt(S, Yc, W=in_use)
        Pv = expit(S * ac + bc)
        wv = decay(t, now_all, opts.calibration_half_life_days)[:, None] * in_use
        tc = thresholds(Pv, Yc, opts.precision_target, opts.min_val_positives, opts.precision_smoothing, wv)
        a[cols], b[cols], thr[cols] = ac, bc, tc
    if opts.label_refit and len(cols):
        keep = np.isfinite(thr[cols])
        coef[:] = 0.0
        intercept[:] = -30.0
        if keep.any():
            w = decay(data.times[rows], now_all, opts.model_half_life_days)
            w = w * (len(w) / max(w.sum(), 1e-12))
            part = fit_binary_many(X[rows], Yc[:, keep], w[:, None] * in_use[:, keep], alpha, opts.sgd_epochs,
                                   pos_weight=opts.label_pos_weight)
            coef[cols[keep]], intercept[cols[keep]] = part.coef, part.intercept
    lin = Linear(coef, intercept)
    return MultiLabelModel(target, classes, f, lin, a, b, thr, len(rows)), Raw(f, lin, X)
