"""What every target's training shares: the chronologically sorted data of one training call (tokenized once),
time decay, chronological splits and the fitted featurizer per row set."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from .features import Batch, Featurizer, Tokens
from .linear import Linear
from .options import DAY_MS
from .records import IssueRecord


@dataclass
class TrainingData:
    records: list[IssueRecord]          # oldest first
    batch: Batch
    toks: Tokens
    times: np.ndarray                   # epoch millis per record

    @staticmethod
    def of(records: Sequence[IssueRecord]) -> "TrainingData":
        recs = sorted(records, key=lambda r: r.time)
        batch = Batch.from_records(recs)
        return TrainingData(recs, batch, Tokens(batch), np.array([r.time for r in recs], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.records)

    def features(self, rows: np.ndarray, use_components: bool,
                 weights: tuple[float, ...] | None = None) -> tuple[Featurizer, sp.csr_matrix]:
        """A featurizer fitted on ``rows`` and the feature matrix of every record of this data."""
        f = Featurizer.fit(self.toks, self.batch, rows, use_components=use_components, weights=weights)
        return f, f.transform(self.batch, self.toks)


@dataclass
class Raw:
    """A text model fitted on some rows, with the features of every row of the training call (never in an artifact).

    Shared by the multiclass and multi-label targets: the hold-out fit's Raw is reused by the final fit."""
    featurizer: Featurizer
    linear: Linear
    X: sp.csr_matrix | None = None


def decay(times: np.ndarray, now: int, half_life_days: float) -> np.ndarray:
    """Weight halving every ``half_life_days`` of age (future times count as now)."""
    age_days = np.maximum(now - times, 0) / DAY_MS
    return np.power(0.5, age_days / max(half_life_days, 1e-9))


def retirement_cutoff(times: np.ndarray, now: int, days: float, issues: int) -> int:
    """Epoch millis before which a value's last use retires it: ``days`` before now, or earlier in a quiet
    project, so that the values of the newest ``issues`` issues always count as recent. ``times``: the times of
    the issues that have a value of the target."""
    cutoff = now - int(days * DAY_MS)
    if len(times) >= issues:
        cutoff = min(cutoff, int(np.partition(times, len(times) - issues)[len(times) - issues]))
    elif len(times):
        cutoff = min(cutoff, int(times.min()))
    return cutoff


def chrono_split(rows: np.ndarray, newest_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows are oldest first: (older part, newest ``newest_fraction``)."""
    k = int(round(len(rows) * (1.0 - newest_fraction)))
    k = min(max(k, 1), len(rows) - 1) if len(rows) > 1 else len(rows)
    return rows[:k], rows[k:]
