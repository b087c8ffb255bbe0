"""Fast JSON text for ranked predictions: prediction throughput is dominated by Python-level per-value work, so
the per-value pieces come from lookup tables indexed by numpy (class JSON prefixes, probabilities rounded to
four places) and are glued with object-array string addition."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Sequence

import numpy as np

_P_STEPS = 10_000


@lru_cache(maxsize=1)
def _p_table() -> np.ndarray:
    return np.array([json.dumps(round(q / _P_STEPS, 4)) for q in range(_P_STEPS + 1)], dtype=object)


_FLAGS = np.array([',"suggest":' + json.dumps(s) + ',"auto":' + json.dumps(a) + "}"
                   for s in (False, True) for a in (False, True)], dtype=object)


@lru_cache(maxsize=64)
def _prefixes(classes: tuple[str, ...]) -> np.ndarray:
    return np.array(['{"value":' + json.dumps(c) + ',"p":' for c in classes], dtype=object)


def ranked_json(idx: np.ndarray, p: np.ndarray, suggest: np.ndarray, auto: np.ndarray, classes: Sequence[str]) -> str:
    """``idx``/``p``/``suggest``/``auto``: (n, k) class indices, probabilities and decisions, best first; entries
    with p == 0 are left out."""
    n, k = idx.shape
    if k == 0 or n == 0:
        return '{"predictions":[' + ",".join(["[]"] * n) + "]}"
    q = np.rint(np.clip(p, 0.0, 1.0) * _P_STEPS).astype(np.int64)
    items = _prefixes(tuple(classes))[idx] + _p_table()[q] + _FLAGS[2 * suggest.astype(np.int64) + auto]
    if (p <= 0).any():
        items[p <= 0] = ""
        rows = ["[" + ",".join(x for x in r if x) + "]" for r in items.tolist()]
        return '{"predictions":[' + ",".join(rows) + "]}"
    rows = "[" + items[:, 0]
    for j in range(1, k):
        rows = rows + "," + items[:, j]
    rows = rows + "]"
    return '{"predictions":[' + ",".join(rows.tolist()) + "]}"
