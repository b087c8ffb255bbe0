"""One-of-many targets (assignee, priority): multinomial logistic regression on the issue features, pooled with
a time-decayed recency prior conditioned on one field (the reporter for assignees, the issue type for
priorities).

    log p(c | issue) = a * log p_text(c | issue) + b * log p_prior(c | key) + const

``a`` and ``b`` are chosen on the newest slice of the training data by log-loss (which also calibrates: they
act as a temperature); ``a = 0, b = 1`` (the prior alone) is on the grid, and if the chosen pool loses to the
prior alone on the target's main metric there, the prior alone is used. Retired values
(``training.retirement_cutoff``) are never suggested.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from .evaluation import macro_f1, top_k_accuracy
from .calibration import top1_thresholds
from .explain import Terms
from .ranked import Ranked, top_k
from .features import Batch, Featurizer
from .linear import Linear, fit_binary_many, fit_multinomial, log_softmax, softmax
from .options import Options
from .training import Raw, TrainingData, chrono_split, decay, retirement_cutoff

A_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0)
B_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
LOG_FLOOR = float(np.log(1e-6))


@dataclass(frozen=True)
class Spec:
    target: str
    prior_field: str          # Batch attribute the prior is conditioned on
    prior_feature: str        # explanation name of the prior
    main_metric: str          # "top3" or "macro_f1"


@dataclass
class Prior:
    keys: dict[str, int]
    log_table: np.ndarray     # (n_keys + 1, K) log-probabilities; the last row is the project-wide prior

    def rows(self, values: Sequence[str | None]) -> np.ndarray:
        g = len(self.keys)
        idx = np.fromiter((self.keys.get(v, g) if v is not None else g for v in values), dtype=np.int64,
                          count=len(values))
        return self.log_table[idx]


def build_prior(values: Sequence[str | None], y: np.ndarray, w: np.ndarray, K: int, strength: float) -> Prior:
    """Decayed counts of each class per key, smoothed towards the decayed project-wide distribution."""
    ok = y >= 0
    g = np.bincount(y[ok], weights=w[ok], minlength=K) + 1e-3
    g = g / g.sum()
    keys: dict[str, int] = {}
    kidx = np.full(len(values), -1, dtype=np.int64)
    for i, v in enumerate(values):
        if v is not None and ok[i]:
            kidx[i] = keys.setdefault(v, len(keys))
    table = np.zeros((len(keys) + 1, K))
    has = kidx >= 0
    np.add.at(table, (kidx[has], y[has]), w[has])
    totals = table.sum(axis=1, keepdims=True)
    table = (table + strength * g) / (totals + strength)
    table[-1] = g
    return Prior(keys, np.log(table).astype(np.float32))


@dataclass(frozen=True)
class Decision:
    """``argmax(a * log p_text + b * log p_prior + offset)``: its own pool weights and per-class offsets."""
    a: float
    b: float
    offset: np.ndarray


def decision_of(lm: np.ndarray, lp: np.ndarray, d: Decision, active: np.ndarray) -> np.ndarray:
    z = d.a * lm + d.b * lp + d.offset
    if not active.all():
        z[:, ~active] = -np.inf
    return z.argmax(axis=1)


@dataclass
class MulticlassModel:
    """Fitted one-of-many target. ``proba`` is calibrated (the pool weights act as a temperature); the
    *decision* (priority) is chosen for the main metric, macro-F1, which must not always answer the majority
    class, and is suggested when its probability reaches ``suggest_threshold``."""
    spec: Spec
    classes: list[str]
    featurizer: Featurizer
    linear: Linear
    prior: Prior
    a: float
    b: float
    active: np.ndarray        # bool per class: not retired (see training.retirement_cutoff)
    n_train: int = 0
    decision: Decision | None = None  # None: the most probable class
    suggest_threshold: float = 0.0
    auto_threshold: float = float("inf")

    @property
    def target(self) -> str:
        return self.spec.target

    def log_parts(self, batch: Batch, X: sp.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray]:
        X = self.featurizer.transform(batch) if X is None else X
        lm = np.maximum(log_softmax(self.linear.scores(X)), LOG_FLOOR)
        lp = self.prior.rows(getattr(batch, self.spec.prior_field))
        return lm, lp

    def proba(self, batch: Batch, X: sp.csr_matrix | None = None) -> np.ndarray:
        lm, lp = self.log_parts(batch, X)
        return pooled(lm, lp, self.a, self.b, self.active)

    def decide(self, batch: Batch, X: sp.csr_matrix | None = None) -> np.ndarray:
        """The decided class of each row (macro-F1's answer for priority, the most probable for assignee)."""
        return self._decision(*self.log_parts(batch, X))

    def answer(self, batch: Batch, X: sp.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``proba`` and ``decide`` from one pass over the batch."""
        lm, lp = self.log_parts(batch, X)
        return pooled(lm, lp, self.a, self.b, self.active), self._decision(lm, lp)

    def _decision(self, lm: np.ndarray, lp: np.ndarray) -> np.ndarray:
        if self.decision is None:
            return pooled(lm, lp, self.a, self.b, self.active).argmax(axis=1)
        return decision_of(lm, lp, self.decision, self.active)

    def ranked(self, batch: Batch, n: int, X: sp.csr_matrix | None = None) -> Ranked:
        return self.ranked_from(*self.answer(batch, X), n)

    def ranked_from(self, P: np.ndarray, d: np.ndarray, n: int) -> Ranked:
        """The ``n`` most probable classes, except that the decided class ``d`` is always among them (it may not
        be the most probable); ``suggest`` marks the decision when it is confident enough."""
        k = max(0, min(n, P.shape[1]))
        idx = top_k(P, k)
        if k:
            missing = ~(idx == d[:, None]).any(axis=1)
            idx[missing, k - 1] = d[missing]
        p = np.take_along_axis(P, idx, axis=1)
        is_d = idx == d[:, None]
        return Ranked(idx, p, is_d & (p >= self.suggest_threshold), is_d & (p >= self.auto_threshold))

    def explain_terms(self, batch: Batch, n: int) -> Terms:
        X = self.featurizer.transform(batch)
        lm, lp = self.log_parts(batch, X)
        P = pooled(lm, lp, self.a, self.b, self.active)
        rows, classes, p, suggest, auto = self.ranked_from(P, self._decision(lm, lp), n).pairs()
        # Coefficients centred over the classes: what pushes towards c rather than the rest.
        return Terms(X, rows, classes, p, self.linear.coef, self.a, self.linear.column_mean(),
                     self.b * (lp - lp.mean(axis=1, keepdims=True)), self.spec.prior_feature, suggest, auto)


def pooled(lm: np.ndarray, lp: np.ndarray, a: float, b: float, active: np.ndarray) -> np.ndarray:
    z = a * lm + b * lp
    if not active.all():
        z[:, ~active] = -np.inf
    return softmax(z)


def learnable(values: Sequence[str | None], min_per_class: int) -> list[str]:
    counts: dict[str, int] = {}
    for v in values:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return sorted(v for v, c in counts.items() if c >= min_per_class)


def main_metric(name: str, P: np.ndarray, y: np.ndarray, decision: np.ndarray | None = None) -> float:
    if name == "top3":
        return top_k_accuracy(P, y, 3)
    if decision is None:
        decision = P.argmax(axis=1) if P.shape[1] else np.zeros(len(y), dtype=np.int64)
    return macro_f1(y.tolist(), decision.tolist())


def active_classes(data: TrainingData, rows: np.ndarray, y: np.ndarray, K: int, now: int, opts: Options) -> np.ndarray:
    """Classes not retired at ``now`` (people who left, priorities no longer used); all if none is active."""
    last_seen = np.full(K, np.iinfo(np.int64).min)
    np.maximum.at(last_seen, y[rows], data.times[rows])
    active = last_seen >= retirement_cutoff(data.times[rows], now, opts.retire_after_days, opts.retire_after_issues)
    return active if active.any() else np.ones(K, dtype=bool)


def _fit_raw(data: TrainingData, rows: np.ndarray, y: np.ndarray, K: int, opts: Options, now: int,
             learnt: np.ndarray | None = None) -> Raw:
    """The text model on ``rows``, with a model of its own for the classes ``learnt`` only (default: all)."""
    f, X = data.features(rows, use_components=True)
    yr = y[rows]
    counts = np.bincount(yr, minlength=K).astype(np.float64)
    w = decay(data.times[rows], now, opts.model_half_life_days) * np.power(np.maximum(counts[yr], 1), -opts.class_balance)
    w = w * (len(w) / max(w.sum(), 1e-12))
    if opts.multiclass_solver == "lbfgs":
        return Raw(f, fit_multinomial(X[rows].astype(np.float64), yr, w, K, opts.C, opts.max_iter), X)
    learnt = np.arange(K) if learnt is None else learnt
    Y = (yr[:, None] == learnt[None, :]).astype(np.int8)
    part = fit_binary_many(X[rows], Y, w, opts.ovr_alpha, opts.ovr_epochs, opts.ovr_max_negatives)
    coef = np.zeros((K, X.shape[1]), dtype=np.float32)
    intercept = np.full(K, -30.0, dtype=np.float32)
    coef[learnt], intercept[learnt] = part.coef, part.intercept
    return Raw(f, Linear(coef, intercept), X)


def remap(raw: Raw, old: list[str], new: list[str]) -> Raw:
    """A text model's outputs reordered to another class list (classes it does not know get none)."""
    if old == new:
        return raw
    index = {c: i for i, c in enumerate(old)}
    coef = np.zeros((len(new), raw.linear.coef.shape[1]), dtype=np.float32)
    intercept = np.full(len(new), -30.0, dtype=np.float32)
    for j, c in enumerate(new):
        i = index.get(c)
        if i is not None:
            coef[j], intercept[j] = raw.linear.coef[i], raw.linear.intercept[i]
    return Raw(raw.featurizer, Linear(coef, intercept), raw.X)


def fit_calibrated(data: TrainingData, rows: np.ndarray, y: np.ndarray, classes: list[str], spec: Spec,
                   opts: Options, inner: tuple[Raw, np.ndarray] | None = None,
                   now: int | None = None) -> tuple[MulticlassModel, Raw]:
    """The production pipeline on ``rows`` (labelled, oldest first): a text model on the older part; pool
    weights, decision and thresholds chosen on the newer part (the newest ``val_fraction``); the text model
    refitted on all rows. ``inner``: a text model the caller already has and the rows it was fitted on (the
    hold-out's model, for the final fit: then the newer part is every row after those)."""
    K = len(classes)
    rows = rows[y[rows] >= 0]
    if inner is None:
        older, newer = chrono_split(rows, opts.val_fraction)
        raw = _fit_raw(data, older, y, K, opts, int(data.times[older].max()))
    else:
        raw, seen = inner
        older = rows[np.isin(rows, seen)]
        newer = rows[~np.isin(rows, seen)]
    prior_values = getattr(data.batch, spec.prior_field)
    pool = choose_pool(data, older, newer, y, K, raw, spec, opts, prior_values)
    now_all = now if now is not None else int(data.times[rows].max())
    active = active_classes(data, rows, y, K, now_all, opts)
    # Retired classes are never suggested, so the served model needs none of theirs (on a long-lived project
    # most of its people have left: a large part of the training time). The models that choose the pool keep
    # them: there, a class retired at the end of the older part may well be back in the newer one.
    final = _fit_raw(data, rows, y, K, opts, now_all, np.nonzero(active)[0])
    w_prior = decay(data.times[rows], now_all, opts.prior_half_life_days)
    prior = build_prior([prior_values[i] for i in rows], y[rows], w_prior, K, opts.prior_strength)
    model = MulticlassModel(spec, classes, final.featurizer, final.linear, prior, pool.a, pool.b, active,
                            len(rows), pool.decision, pool.suggest, pool.auto)
    return model, final


@dataclass(frozen=True)
class Pool:
    a: float
    b: float
    decision: Decision | None
    suggest: float
    auto: float


def choose_pool(data: TrainingData, older: np.ndarray, newer: np.ndarray, y: np.ndarray, K: int, inner: Raw,
                spec: Spec, opts: Options, prior_values: Sequence[str | None]) -> Pool:
    """On the validation rows ``newer``: the pool weights by log-loss, the decision offsets for macro-F1, and
    the suggest/auto thresholds of the decision's probability."""
    if len(newer) == 0 or len(older) == 0:
        return Pool(1.0, 1.0, None, 0.0, float("inf"))
    now = int(data.times[older].max())
    prior = build_prior([prior_values[i] for i in older], y[older], decay(data.times[older], now,
                        opts.prior_half_life_days), K, opts.prior_strength)
    assert inner.X is not None
    v = newer
    lm = np.maximum(log_softmax(inner.linear.scores(inner.X[v])), LOG_FLOOR)
    lp = prior.rows([prior_values[i] for i in v])
    yv = y[v]
    ones = np.ones(K, dtype=bool)
    best: tuple[float, float, float] | None = None
    for a in A_GRID:
        for b in B_GRID:
            if a == 0 and b == 0:
                continue
            P = pooled(lm, lp, a, b, ones)
            ll = -float(np.mean(np.log(np.maximum(P[np.arange(len(v)), yv], 1e-9))))
            if best is None or ll < best[0]:
                best = (ll, a, b)
    assert best is not None
    _, a, b = best
    P = pooled(lm, lp, a, b, ones)
    decision = None
    if spec.main_metric == "macro_f1" and opts.macro_offsets:
        decision = choose_decision(lm, lp, (a, b), yv, y[older], K)
    decided = P.argmax(axis=1) if decision is None else decision_of(lm, lp, decision, ones)
    if (main_metric(spec.main_metric, P, yv, decided)
            < main_metric(spec.main_metric, pooled(lm, lp, 0.0, 1.0, ones), yv)):
        a, b, decision = 0.0, 1.0, None
        P = pooled(lm, lp, a, b, ones)
        decided = P.argmax(axis=1)
    p_top = P[np.arange(len(v)), decided]
    suggest, auto = top1_thresholds(p_top, decided == yv, opts.auto_precision, opts.min_val_positives)
    return Pool(a, b, decision, suggest, auto)


POWER_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


def choose_decision(lm: np.ndarray, lp: np.ndarray, pool: tuple[float, float], y: np.ndarray,
                    y_train: np.ndarray, K: int) -> Decision | None:
    """The decision rule with the best macro-F1 on validation among: the calibrated pool or the text model alone,
    each with offsets ``-beta * log(class share)`` for ``beta`` in ``POWER_GRID``. ``beta = 1`` divides out the
    class priors (what a class-balanced classifier answers), ``0`` keeps them, and the calibrated argmax almost
    always answers the majority class. Few candidates, so a small validation slice can choose without
    overfitting, unlike one offset per class. None: the most probable class is best."""
    share = (np.bincount(y_train[y_train >= 0], minlength=K) + 1.0) / (np.sum(y_train >= 0) + K)
    ones = np.ones(K, dtype=bool)
    best = macro_f1(y.tolist(), pooled(lm, lp, pool[0], pool[1], ones).argmax(axis=1).tolist())
    chosen = None
    for a, b in (pool, (1.0, 0.0)):
        for beta in POWER_GRID:
            d = Decision(a, b, (-beta * np.log(share)).astype(np.float32))
            f1 = macro_f1(y.tolist(), decision_of(lm, lp, d, ones).tolist())
            if f1 > best + 1e-9:
                best, chosen = f1, d
    return chosen
