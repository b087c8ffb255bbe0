"""Many-of-many targets (labels, components): one linear model per value on the issue features (components: an SVM
on the text only), trained on every issue (an issue without the value is a negative: that is how it looks to the
person filing it).

Calibration is cross-fitted: ``label_folds`` / ``component_folds`` models, each trained without one interleaved fold of the rows,
score that fold; on these out-of-fold scores of every training row each value gets Platt scaling, a *suggest*
threshold (best F1) and an *auto* threshold (``auto_precision``). Values with fewer than ``label_min_support`` /
``component_min_support`` issues, or retired (``training.retirement_cutoff``), are never ranked (nor trained)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .calibration import NEVER, best_f1_thresholds, platt, precision_thresholds
from .explain import Terms
from .features import Batch, Featurizer
from .linear import Linear, fit_binary_many, fit_svc_many
from .options import Options
from .ranked import Ranked, top_k
from .records import IssueRecord
from .training import Raw, TrainingData, decay, retirement_cutoff


def values_of(target: str, r: IssueRecord) -> tuple[str, ...]:
    return r.components if target == "components" else r.labels


@dataclass
class MultiLabelModel:
    target: str
    classes: list[str]
    featurizer: Featurizer
    linear: Linear
    a: np.ndarray            # Platt slope per value
    b: np.ndarray            # Platt intercept per value
    threshold: np.ndarray    # suggest threshold per value; inf = never suggested
    auto_threshold: np.ndarray  # auto-apply threshold per value; inf = never
    trained: np.ndarray      # bool per value: has a model (else never ranked)
    n_train: int = 0

    def proba(self, batch: Batch, X: sp.csr_matrix | None = None) -> np.ndarray:
        X = self.featurizer.transform(batch) if X is None else X
        P = expit(self.linear.scores(X) * self.a + self.b)
        P[:, ~self.trained] = 0.0
        return P

    def ranked(self, batch: Batch, n: int, X: sp.csr_matrix | None = None) -> Ranked:
        return self.ranked_from(self.proba(batch, X), n)

    def ranked_from(self, P: np.ndarray, n: int) -> Ranked:
        idx = top_k(P, n)
        p = np.take_along_axis(P, idx, axis=1)
        return Ranked(idx, p, p >= self.threshold[idx], p >= self.auto_threshold[idx])

    def suggested_sets(self, P: np.ndarray) -> list[list[int]]:
        """Every value at or above its suggest threshold, per row (the suggested set, not cut at top_k)."""
        ok = P >= self.threshold
        return [np.nonzero(r)[0].tolist() for r in ok]

    def explain_terms(self, batch: Batch, n: int) -> Terms:
        X = self.featurizer.transform(batch)
        r = self.ranked(batch, n, X)
        rows, classes, p, suggest, auto = r.pairs()
        return Terms(X, rows, classes, p, self.linear.coef, self.a, None, None, None, suggest, auto)


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


@dataclass(frozen=True)
class Setup:
    """What differs between labels and components (chosen on the dev projects' measurements, see MODELS.md)."""
    svm: bool                # class-balanced linear SVMs, else SGD logistic models
    folds: int
    min_support: int
    retire_after_days: float
    retire_after_issues: int
    text_only: bool          # leave the type and reporter out of the features

    @staticmethod
    def of(target: str, opts: Options) -> "Setup":
        if target == "components":
            return Setup(True, opts.component_folds, opts.component_min_support, opts.retire_after_days,
                         opts.retire_after_issues, True)
        return Setup(False, opts.label_folds, opts.label_min_support, opts.label_retire_after_days,
                     opts.label_retire_after_issues, False)


TEXT_ONLY = (1.0, 1.0, 0.0, 0.0, 0.0)


def fit_calibrated(data: TrainingData, target: str, rows: np.ndarray, classes: list[str], opts: Options,
                   now: int | None = None) -> tuple[MultiLabelModel, Raw]:
    """Cross-fitted calibration on ``rows`` (oldest first); the served model is the average of the fold models
    (no refit: its scores are on the scale the calibration saw; a refit model was over-confident)."""
    setup = Setup.of(target, opts)
    Y = y_matrix(data, target, classes)
    now_all = now if now is not None else int(data.times[rows].max())
    f, X = data.features(rows, use_components=target != "components",
                         weights=TEXT_ONLY if setup.text_only else None)
    Yr = Y[rows]
    t = data.times[rows]
    L = len(classes)
    last_seen = np.array([t[Yr[:, j] > 0].max() if Yr[:, j].any() else np.iinfo(np.int64).min for j in range(L)])
    cutoff = retirement_cutoff(t[Yr.any(axis=1)], now_all, setup.retire_after_days, setup.retire_after_issues)
    cols = np.nonzero((last_seen >= cutoff) & (Yr.sum(axis=0) >= setup.min_support))[0]
    coef = np.zeros((L, X.shape[1]), dtype=np.float32)
    intercept = np.full(L, -30.0, dtype=np.float32)
    a = np.ones(L, dtype=np.float32)
    b = np.zeros(L, dtype=np.float32)
    thr = np.full(L, NEVER, dtype=np.float32)
    auto = np.full(L, NEVER, dtype=np.float32)
    trained = np.zeros(L, dtype=bool)
    k = max(2, setup.folds)
    if len(cols) and len(rows) >= 2 * k:
        fold = np.arange(len(rows)) % k   # interleaved: every fold spans the whole history
        Yc = Yr[:, cols]
        # A value is no negative before it was first used (a label introduced or renamed mid-way).
        first = np.array([t[Yc[:, c] > 0].min() for c in range(len(cols))])
        in_use = (t[:, None] >= first[None, :]).astype(np.float32)
        w_all = decay(t, now_all, opts.model_half_life_days)
        S = np.zeros((len(rows), len(cols)), dtype=np.float32)
        intercept[cols] = 0.0
        for i in range(k):
            tr, va = rows[fold != i], rows[fold == i]
            w = w_all[fold != i]
            w = (w * (len(w) / max(w.sum(), 1e-12)))[:, None] * in_use[fold != i]
            if setup.svm:
                part = fit_svc_many(X[tr], Yc[fold != i], w, opts.component_C, opts.max_negatives)
            else:
                part = fit_binary_many(X[tr], Yc[fold != i], w, opts.label_alpha, opts.label_epochs, opts.max_negatives)
            S[fold == i] = part.scores(X[va])
            coef[cols] += part.coef / k
            intercept[cols] += part.intercept / k
        ac, bc = platt(S, Yc, W=in_use)
        Pv = expit(S * ac + bc)
        wv = decay(t, now_all, opts.calibration_half_life_days)[:, None] * in_use
        a[cols], b[cols] = ac, bc
        thr[cols] = best_f1_thresholds(Pv, Yc, opts.min_val_positives, wv)
        # Auto-apply acts only on what would also be suggested.
        auto[cols] = np.maximum(precision_thresholds(Pv, Yc, opts.auto_precision, opts.min_val_positives, wv),
                                thr[cols])
        # A value whose out-of-fold scores do not rise with its use (slope <= 0) has learnt nothing to rank by.
        trained[cols] = ac > 0
    lin = Linear(coef, intercept)
    return MultiLabelModel(target, classes, f, lin, a, b, thr, auto, trained, len(rows)), Raw(f, lin, X)
