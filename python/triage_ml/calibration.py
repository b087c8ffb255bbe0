"""Calibration stage: turning a fitted model's scores into probabilities that mean what they say (Platt scaling
per value, a temperature for the pooled one-of-many model) and choosing, on validation issues, the two
thresholds the glance and auto-apply use: *suggest* (best F1) and *auto* (a precision target)."""
from __future__ import annotations

import numpy as np
from scipy.special import expit

NEVER = np.float32(np.inf)


def platt(scores: np.ndarray, Y: np.ndarray, iters: int = 25, l2: float = 1e-3,
          W: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per column ``p = sigmoid(a * s + b)`` fitted by Newton's method on all columns at once, with Platt's
    smoothed targets so separable columns stay finite. ``W``: weight per row and column (0: leave out)."""
    n, L = scores.shape
    W = np.ones((n, L)) if W is None else W
    pos = (Y * W).sum(axis=0)
    neg = W.sum(axis=0) - pos
    t = np.where(Y > 0, (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0))
    a = np.ones(L)
    b = np.zeros(L)
    # Newton's steps are fitted on standardised scores (raw margins can sit far from 0, where the clipped steps
    # wander off to negative slopes) and mapped back at the end.
    raw = scores.astype(np.float64)
    wsum = np.maximum(W.sum(axis=0), 1e-12)
    mu = (raw * W).sum(axis=0) / wsum
    sd = np.sqrt(((raw - mu) ** 2 * W).sum(axis=0) / wsum)
    sd = np.where(sd > 1e-9, sd, 1.0)
    s = (raw - mu) / sd
    def loss(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        z = s * a + b
        # log(1 + e^z) - t z, stable for large |z|
        return ((np.logaddexp(0.0, z) - t * z) * W).sum(0) + 0.5 * l2 * (a * a + b * b)

    current = loss(a, b)
    for _ in range(iters):
        p = expit(s * a + b)
        g = (p - t) * W
        h = p * (1 - p) * W + 1e-12
        ga = (g * s).sum(0) + l2 * a
        gb = g.sum(0) + l2 * b
        haa = (h * s * s).sum(0) + l2
        hab = (h * s).sum(0)
        hbb = h.sum(0) + l2
        det = haa * hbb - hab * hab
        det = np.where(np.abs(det) < 1e-12, 1e-12, det)
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        # Damped Newton: a full step can overshoot on nearly separable columns; halve it until the loss drops.
        step = np.ones(L)
        for _ in range(20):
            na, nb = a - step * da, b - step * db
            new = loss(na, nb)
            worse = new > current + 1e-12
            if not worse.any():
                break
            step = np.where(worse, step / 2, step)
        a, b = np.where(worse, a, na), np.where(worse, b, nb)
        current = np.where(worse, current, new)
    return (a / sd).astype(np.float32), (b - a * mu / sd).astype(np.float32)


def _ranked_column(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                          np.ndarray]:
    order = np.argsort(-p, kind="stable")
    order = order[w[order] > 0]
    yo = y[order].astype(np.float64)
    wo = w[order]
    return p[order], np.cumsum(yo * wo), np.cumsum(wo), yo


def best_f1_thresholds(P: np.ndarray, Y: np.ndarray, min_positives: int, W: np.ndarray | None = None,
                       floor: float = 0.05) -> np.ndarray:
    """Per column the probability whose suggestions (p >= it) have the best F1 on these rows (weighted),
    provided they hold at least ``min_positives`` correct ones; ``NEVER`` otherwise. Never below ``floor``: a
    value suggested at a few percent is noise, whatever a thin validation slice says."""
    out = np.full(P.shape[1], NEVER, dtype=np.float32)
    W = np.ones(P.shape) if W is None else W
    for j in range(P.shape[1]):
        p, tp, k, y = _ranked_column(P[:, j], Y[:, j], W[:, j])
        if not len(p) or tp[-1] <= 0:
            continue
        f1 = 2 * tp / (k + tp[-1])
        ok = (np.cumsum(y) >= min_positives) & (y == 1)
        if ok.any():
            i = int(np.argmax(np.where(ok, f1, -1.0)))
            out[j] = np.float32(max(p[i], floor))
    return out


def precision_thresholds(P: np.ndarray, Y: np.ndarray, target: float, min_positives: int,
                         W: np.ndarray | None = None) -> np.ndarray:
    """Per column the lowest probability whose suggestions have weighted precision >= ``target`` with at least
    ``min_positives`` correct ones; ``NEVER`` when none does."""
    out = np.full(P.shape[1], NEVER, dtype=np.float32)
    W = np.ones(P.shape) if W is None else W
    for j in range(P.shape[1]):
        p, tp, k, y = _ranked_column(P[:, j], Y[:, j], W[:, j])
        if not len(p):
            continue
        ok = np.nonzero((tp / np.maximum(k, 1e-12) >= target) & (np.cumsum(y) >= min_positives) & (y == 1))[0]
        if len(ok):
            out[j] = np.float32(p[ok[-1]])
    return out


def top1_thresholds(p_top: np.ndarray, correct: np.ndarray, precision_target: float,
                    min_positives: int) -> tuple[float, float]:
    """A one-of-many target's (suggest, auto) thresholds on its top value's probability: the best F1 of
    "suggest the top value when p >= t" (recall over every issue) and the lowest t whose precision reaches
    ``precision_target``."""
    P = p_top[:, None]
    Y = correct[:, None].astype(np.int8)
    suggest = float(best_f1_thresholds(P, Y, min_positives, floor=0.0)[0])
    auto = float(precision_thresholds(P, Y, precision_target, min_positives)[0])
    return suggest, max(auto, suggest)


def expected_calibration_error(p: np.ndarray, hit: np.ndarray, bins: int = 10) -> float | None:
    """Mean |shown probability - share right| over equal-width probability bins, weighted by their size."""
    p = np.asarray(p, dtype=np.float64)
    if not len(p):
        return None
    hit = np.asarray(hit, dtype=np.float64)
    b = np.minimum((p * bins).astype(np.int64), bins - 1)
    gap = np.abs(np.bincount(b, weights=p, minlength=bins) - np.bincount(b, weights=hit, minlength=bins))
    return float(gap.sum() / len(p))
