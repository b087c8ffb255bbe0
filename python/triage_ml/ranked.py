"""What every model answers for a batch: its ``top_k`` values per issue, best first, with their calibrated
probability and the two decisions the product acts on (suggested; confident enough to auto-apply)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class Ranked:
    idx: np.ndarray        # (n, k) class indices, best first
    p: np.ndarray          # (n, k) probabilities
    suggest: np.ndarray    # (n, k) bool
    auto: np.ndarray       # (n, k) bool

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row, class, p, suggest, auto) of every shown value (p > 0), rows in order, each row's best first."""
        shown = self.p > 0
        rows = np.nonzero(shown)[0]
        return rows, self.idx[shown], self.p[shown], self.suggest[shown], self.auto[shown]

    def json(self, classes: Sequence[str]) -> str:
        """``{"predictions": [[{"value", "p", "suggest", "auto"}, ...], ...]}`` (p rounded to 4 places)."""
        from .jsonout import ranked_json
        return ranked_json(self.idx, self.p, self.suggest, self.auto, classes)

    def values(self, classes: Sequence[str]) -> list[list[tuple[str, float]]]:
        names = np.asarray(classes, dtype=object)
        return [[(names[c], float(p)) for c, p in zip(ci, pi) if p > 0]
                for ci, pi in zip(self.idx.tolist(), self.p.tolist())]

    def suggested(self, classes: Sequence[str]) -> list[list[str]]:
        names = np.asarray(classes, dtype=object)
        return [[names[c] for c, s in zip(ci, si) if s] for ci, si in zip(self.idx.tolist(), self.suggest.tolist())]


def top_k(P: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's ``k`` largest values, largest first (ties: lower index first)."""
    k = max(0, min(k, P.shape[1]))
    if k == 0:
        return np.zeros((len(P), 0), dtype=np.int64)
    if k < P.shape[1]:
        part = np.argpartition(-P, k - 1, axis=1)[:, :k]
        part.sort(axis=1)  # ties broken by index, as a full stable sort would
        vals = np.take_along_axis(P, part, axis=1)
        return np.take_along_axis(part, np.argsort(-vals, axis=1, kind="stable"), axis=1)
    return np.argsort(-P, axis=1, kind="stable")
