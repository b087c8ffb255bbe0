"""Fit stage: the linear learners the targets share. One-vs-rest SGD logistic models (assignee, priority,
labels), class-balanced linear SVMs per value (components, liblinear) and, as an option, multinomial logistic
regression, trained two at a time on threads (the inner loops release the GIL). All return plain coefficient
matrices, so prediction is one sparse-dense product."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC

from .features import Derived

N_JOBS = 2


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


def _training_rows(y: np.ndarray, w: np.ndarray, max_negatives: int, seed: int) -> tuple[np.ndarray, float]:
    """The rows one value's model trains on: every weighted positive and at most ``max_negatives`` weighted
    negatives (a uniform sample: a value's model needs the negatives near it, not all of them), and the share
    of the negatives kept."""
    keep = np.nonzero(w > 0)[0]
    pos, neg = keep[y[keep] > 0], keep[y[keep] == 0]
    if len(neg) <= max_negatives:
        return keep, 1.0
    sample = np.random.RandomState(seed).choice(neg, max_negatives, replace=False)
    return np.sort(np.concatenate([pos, sample])), max_negatives / len(neg)


def _fit_svc_one(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, C: float, max_negatives: int,
                 seed: int) -> tuple[np.ndarray, float]:
    rows, _ = _training_rows(y, w, max_negatives, seed)
    if y[rows].min() == y[rows].max():
        return np.zeros(X.shape[1]), (-30.0 if y[rows][0] == 0 else 30.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LinearSVC(C=C, class_weight="balanced", max_iter=1000).fit(X[rows], y[rows], sample_weight=w[rows])
    return m.coef_[0], float(m.intercept_[0])


def _fit_sgd_one(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, alpha: float, epochs: int, max_negatives: int,
                 seed: int) -> tuple[np.ndarray, float]:
    rows, kept = _training_rows(y, w, max_negatives, seed)
    if not len(rows) or y[rows].min() == y[rows].max():
        return np.zeros(X.shape[1]), (30.0 if len(rows) and y[rows][0] == 1 else -30.0)
    m = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=0,
                      learning_rate="optimal")
    m.fit(X[rows], y[rows], sample_weight=w[rows])
    # Fewer negatives raise the log-odds by -log(kept share): take it back so the output stays a probability.
    return m.coef_[0], float(m.intercept_[0]) + float(np.log(kept))


def _many(fit_one: Callable[..., tuple[np.ndarray, float]], X: sp.csr_matrix, Y: np.ndarray, w: np.ndarray,
          *args: Any) -> Linear:
    out = Parallel(n_jobs=N_JOBS, prefer="threads")(
        delayed(fit_one)(X, np.ascontiguousarray(Y[:, j]), w if w.ndim == 1 else np.ascontiguousarray(w[:, j]),
                         *args, j) for j in range(Y.shape[1]))
    coef = np.array([c for c, _ in out], dtype=np.float32).reshape(Y.shape[1], X.shape[1])
    intercept = np.array([b for _, b in out], dtype=np.float32)
    return Linear(coef, intercept)


def fit_svc_many(X: sp.csr_matrix, Y: np.ndarray, w: np.ndarray, C: float, max_negatives: int) -> Linear:
    """One class-balanced linear SVM per column of the 0/1 matrix ``Y`` (margins: the caller calibrates them).
    ``w``: sample weights per row, or per row and column (rows of weight 0 are left out of that column's model)."""
    return _many(_fit_svc_one, X, Y, w, C, max_negatives)


def fit_binary_many(X: sp.csr_matrix, Y: np.ndarray, w: np.ndarray, alpha: float, epochs: int,
                    max_negatives: int) -> Linear:
    """One SGD logistic model per column of the 0/1 matrix ``Y``; ``w`` as for ``fit_svc_many``."""
    return _many(_fit_sgd_one, X.astype(np.float64), Y, w, alpha, epochs, max_negatives)


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
