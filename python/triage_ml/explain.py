"""Why a value was suggested: the issue's own features that pushed that value most (coefficient x feature value
of the linear model, scaled by how much the pool/calibration weighs it), plus the prior's push when there is one.
Names are human-readable: ``word:timeout``, ``component:Backend``, ``type:Bug``, ``reporter:<accountId>``,
``prior:recent assignments``.

The answer is JSON text built from array operations: every contribution of every (issue, value) pair is computed,
filtered and sorted at once, and only the few features kept become text, from a per-feature table of their JSON.
Listing, sorting and serialising every contribution as Python objects made an explanation ~9x slower than a
prediction (3,000-issue project, batches of 256)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .features import Featurizer


@dataclass(frozen=True)
class Terms:
    """What a model's explanation of a batch is made of. Pairs are (issue row, class) to explain, in answer order:
    ``rows`` non-decreasing, each row's values best first."""
    X: sp.csr_matrix                 # the batch's features
    rows: np.ndarray                 # pair -> issue row
    classes: np.ndarray              # pair -> class index
    p: np.ndarray                    # pair -> probability shown
    coef: np.ndarray                 # (classes, features) linear coefficients
    scale: np.ndarray | float        # per class (or for all): how much the final score weighs its linear part
    center: np.ndarray | None        # per feature, subtracted from every class's coefficient (None: nothing)
    prior_push: np.ndarray | None    # (rows, classes): the prior's push (None: no prior)
    prior_name: str | None
    suggest: np.ndarray              # pair -> suggested
    auto: np.ndarray                 # pair -> confident enough to auto-apply


def _kind(name: str) -> str:
    return name.split(":", 1)[0]


def _because_prefix(name: str) -> str:
    return '{"feature":' + json.dumps(name) + ',"kind":' + json.dumps(_kind(name)) + ',"weight":'


def _feature_prefixes(featurizer: Featurizer) -> list[str]:
    return featurizer.derived("because_prefixes", lambda: [_because_prefix(n) for n in featurizer.feature_names()])


def explanations_json(terms: Terms, n_rows: int, classes: Sequence[str], max_features: int,
                      featurizer: Featurizer) -> str:
    """``{"predictions": [[{"value", "p", "suggest", "auto", "because": [{"feature", "kind", "weight"}, ...]}, ...],
    ...]}``: per row its pairs' values, each with up to ``max_features`` positive contributions, largest first (equal ones in the
    issue's feature order, the prior after the features), weights and p rounded to 4 places."""
    X, keep = terms.X, max(max_features, 0)
    m = len(terms.rows)
    # Every (pair, feature of its row) entry.
    counts = np.diff(X.indptr)[terms.rows]
    entry_pair = np.repeat(np.arange(m), counts)
    first_entry = np.concatenate(([0], np.cumsum(counts)[:-1])) if m else np.zeros(0, dtype=np.intp)
    entry = np.arange(len(entry_pair)) + np.repeat(X.indptr[terms.rows] - first_entry, counts)
    cols = X.indices[entry]
    cls = terms.classes[entry_pair]
    w = terms.coef[cls, cols].astype(np.float64)
    if terms.center is not None:
        w -= terms.center[cols]
    w *= X.data[entry]
    w *= np.broadcast_to(np.asarray(terms.scale, dtype=np.float64), (terms.coef.shape[0],))[cls]
    # Positive ones, by pair then largest first; lexsort is stable, so equal weights keep the feature order.
    positive = np.flatnonzero(w > 0)
    order = positive[np.lexsort((-w[positive], entry_pair[positive]))]
    pair_of = entry_pair[order]
    rank = np.arange(len(order)) - np.searchsorted(pair_of, pair_of)
    kept = order[rank < keep]
    starts = np.searchsorted(entry_pair[kept], np.arange(m + 1))

    prefixes = _feature_prefixes(featurizer)
    weights = w[kept].tolist()
    texts = [prefixes[j] + repr(round(x, 4)) + "}" for j, x in zip(cols[kept].tolist(), weights)]
    prior = (terms.prior_push[terms.rows, terms.classes].tolist()
             if terms.prior_push is not None and terms.prior_name else [0.0] * m)
    prior_prefix = _because_prefix(terms.prior_name) if terms.prior_name else ""
    value_prefixes = ['{"value":' + json.dumps(c) + ',"p":' for c in classes]

    answer: list[list[str]] = [[] for _ in range(n_rows)]
    flags = [FLAGS[2 * s + a] for s, a in zip(terms.suggest.tolist(), terms.auto.tolist())]
    for pair, (row, c, p) in enumerate(zip(terms.rows.tolist(), terms.classes.tolist(), terms.p.tolist())):
        lo, hi = starts[pair], starts[pair + 1]
        because = texts[lo:hi]
        push = prior[pair]
        if push > 0 and keep > 0:
            at = lo
            while at < hi and weights[at] >= push:
                at += 1
            because.insert(at - lo, prior_prefix + repr(round(push, 4)) + "}")
            del because[keep:]
        answer[row].append(value_prefixes[c] + repr(round(p, 4)) + flags[pair] + ',"because":['
                           + ",".join(because) + "]}")
    return '{"predictions":[' + ",".join("[" + ",".join(values) + "]" for values in answer) + "]}"


def explain(model: Any, batch: Any, top_k: int, max_features: int) -> str:
    """A model's explanations of a batch (``model.explain_terms``) as ``explanations_json`` text."""
    return explanations_json(model.explain_terms(batch, top_k), len(batch), model.classes, max_features,
                             model.featurizer)


FLAGS = [',"suggest":' + json.dumps(s) + ',"auto":' + json.dumps(a) for s in (False, True) for a in (False, True)]
