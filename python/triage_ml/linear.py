"""Linear learners shared by the targets: multinomial logistic regression (assignee, priority) and many binary
SGD logistic models, one per label (labels, components), trained two at a time on threads (the SGD inner loop
releases the GIL). Both return plain coefficient matrices so prediction is one sparse-dense product."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier

from .features import Derived

N_JOBS = 2
SCHEDULE = {"lr": "optimal", "eta0": 0.01}


@dataclass
class Linear(Derived):
    coef: np.ndarray        # (n_outputs, n_features) float32; never changed once the model is built
    intercept: np.ndarray   # (n_outputs,) float32

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        # scipy multiplies by a C-ordered dense matrix: given coef.T it copied the whole coefficient matrix on
        # every call (25 MB for 100 assignees x 60,000 features).
        return np.asarray(X @ self.derived("coef_t", lambda: np.ascontiguousarray(self.coef.T))) + self.intercept

    def column_mean(self) -> np.ndarray:
        """Mean coefficient of every feature over the outputs (explanations push each class against the rest)."""
        return self.derived("column_mean", lambda: self.coef.mean(axis=0))


def fit_multinomial(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, n_classes: int, C: float,
                    max_iter: int) -> Linear:
    """Softmax regression over classes ``0..n_classes-1``; classes absent from ``y`` get a very low intercept."""
    present = np.unique(y)
    coef = np.zeros((n_classes, X.shape[1]), dtype=np.float32)
    intercept = np.full(n_classes, -30.0, dtype=np.float32)
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return Linear(coef, intercept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LogisticRegression(C=C, max_iter=max_iter, solver="lbfgs").fit(X, y, sample_weight=w)
    if len(present) == 2:  # sklearn keeps one row for binary problems: make it a symmetric softmax
        coef[present[1]] = m.coef_[0] / 2
        coef[present[0]] = -m.coef_[0] / 2
        intercept[present[1]] = m.intercept_[0] / 2
        intercept[present[0]] = -m.intercept_[0] / 2
    else:
        coef[m.classes_] = m.coef_
        intercept[m.classes_] = m.intercept_
    return Linear(coef, intercept)


def fit_svc(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, n_classes: int, C: float) -> Linear:
    """Linear SVM (squared hinge, one-vs-rest, liblinear's dual coordinate descent) over classes
    ``0..n_classes-1``: margins, calibrated by the caller; absent classes get a very low intercept."""
    from sklearn.svm import LinearSVC
    present = np.unique(y)
    coef = np.zeros((n_classes, X.shape[1]), dtype=np.float32)
    intercept = np.full(n_classes, -30.0, dtype=np.float32)
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return Linear(coef, intercept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LinearSVC(C=C, max_iter=2000).fit(X, y, sample_weight=w)
    if len(present) == 2:
        coef[present[1]] = m.coef_[0] / 2
        coef[present[0]] = -m.coef_[0] / 2
        intercept[present[1]] = m.intercept_[0] / 2
        intercept[present[0]] = -m.intercept_[0] / 2
    else:
        coef[m.classes_] = m.coef_
        intercept[m.classes_] = m.intercept_
    return Linear(coef, intercept)


def _fit_svc_one(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, C: float, max_negatives: int,
                 seed: int) -> tuple[np.ndarray, float]:
    from sklearn.svm import LinearSVC
    keep = np.nonzero(w > 0)[0]
    pos, neg = keep[y[keep] > 0], keep[y[keep] == 0]
    if len(pos) == 0 or len(neg) == 0:
        return np.zeros(X.shape[1]), (-30.0 if len(pos) == 0 else 30.0)
    if len(neg) > max_negatives:  # the rare value's model needs the negatives near it, not all of them
        neg = np.sort(np.random.RandomState(seed).choice(neg, max_negatives, replace=False))
    sub = np.sort(np.concatenate([pos, neg]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LinearSVC(C=C, class_weight="balanced", max_iter=1000).fit(X[sub], y[sub], sample_weight=w[sub])
    return m.coef_[0], float(m.intercept_[0])


def fit_svc_many(X: sp.csr_matrix, Y: np.ndarray, w: np.ndarray, C: float, max_negatives: int) -> Linear:
    """One class-balanced linear SVM per column of the 0/1 matrix ``Y`` (margins: the caller calibrates them)."""
    out = Parallel(n_jobs=N_JOBS, prefer="threads")(
        delayed(_fit_svc_one)(X, np.ascontiguousarray(Y[:, j]), w if w.ndim == 1 else np.ascontiguousarray(w[:, j]),
                              C, max_negatives, j) for j in range(Y.shape[1]))
    coef = np.array([c for c, _ in out], dtype=np.float32).reshape(Y.shape[1], X.shape[1])
    intercept = np.array([b for _, b in out], dtype=np.float32)
    return Linear(coef, intercept)


def _fit_one(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, alpha: float, epochs: int,
             pos_weight: float = 0.0, average: bool = False) -> tuple[np.ndarray, float]:
    if not w.all():
        keep = np.nonzero(w > 0)[0]
        X, y, w = X[keep], y[keep], w[keep]
    if len(y) == 0:
        return np.zeros(X.shape[1]), -30.0
    if y.min() == y.max():
        return np.zeros(X.shape[1]), (-30.0 if y[0] == 0 else 30.0)
    if pos_weight > 0:  # positives up-weighted by (negatives / positives) ** pos_weight
        pos = float(y.sum())
        w = np.where(y > 0, w * ((len(y) - pos) / max(pos, 1.0)) ** pos_weight, w)
    m = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=0,
                      learning_rate=SCHEDULE["lr"], eta0=SCHEDULE["eta0"], average=average)
    m.fit(X, y, sample_weight=w)
    return m.coef_[0], float(m.intercept_[0])


def fit_binary_many(X: sp.csr_matrix, Y: np.ndarray, w: np.ndarray, alpha: float, epochs: int,
                    pos_weight: float = 0.0, average: bool = False) -> Linear:
    """One logistic model per column of the 0/1 matrix ``Y``; ``pos_weight`` > 0 up-weights each column's
    positives by ``(negatives / positives) ** pos_weight``. ``w``: sample weights per row, or per row and column
    (rows of weight 0 are left out of that column's model)."""
    X = X.astype(np.float64)
    out = Parallel(n_jobs=N_JOBS, prefer="threads")(
        delayed(_fit_one)(X, np.ascontiguousarray(Y[:, j]), w if w.ndim == 1 else np.ascontiguousarray(w[:, j]),
                          alpha, epochs, pos_weight, average) for j in range(Y.shape[1]))
    coef = np.array([c for c, _ in out], dtype=np.float32).reshape(Y.shape[1], X.shape[1])
    intercept = np.array([b for _, b in out], dtype=np.float32)
    return Linear(coef, intercept)


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def platt(scores: np.ndarray, Y: np.ndarray, iters: int = 25, l2: float = 1e-3,
          W: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per column ``p = sigmoid(a * s + b)`` fitted by Newton's method on all columns at once, with Platt's
    smoothed targets so separable columns stay finite. ``W``: 0/1 per row and column, rows to leave out."""
    n, L = scores.shape
    W = np.ones((n, L)) if W is None else W
    pos = (Y * W).sum(axis=0)
    neg = W.sum(axis=0) - pos
    t = np.where(Y > 0, (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0))
    a = np.ones(L)
    b = np.zeros(L)
    s = scores.astype(np.float64)
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
        a -= np.clip(da, -5, 5)
        b -= np.clip(db, -5, 5)
    return a.astype(np.float32), b.astype(np.float32)
