from typing import Any, Sequence

import numpy as np
import pytest
import scipy.sparse as sp

from triage_ml import explain
from triage_ml.features import Batch, Featurizer


def per_feature_reference(X: sp.csr_matrix, ranked: Sequence[Sequence[tuple[int, float]]], classes: Sequence[str],
                          max_features: int, featurizer: Featurizer, coef: np.ndarray, scale: np.ndarray | float,
                          prior_push: np.ndarray | None, prior_name: str | None,
                          center: np.ndarray | None = None) -> list[list[dict[str, Any]]]:
    """The definition, one feature at a time: every positive contribution listed, all sorted, the first kept."""
    names = featurizer.feature_names()
    scales = np.broadcast_to(np.asarray(scale, dtype=np.float64), (coef.shape[0],))
    out = []
    for i, values in enumerate(ranked):
        cols = X.indices[X.indptr[i]:X.indptr[i + 1]]
        xs = X.data[X.indptr[i]:X.indptr[i + 1]].astype(np.float64)
        shift = center[cols].astype(np.float64) if center is not None else 0.0
        row = []
        for c, p in values:
            contrib = (coef[c, cols].astype(np.float64) - shift) * xs * scales[c]
            items = [(names[j], float(w)) for j, w in zip(cols.tolist(), contrib.tolist()) if w > 0]
            if prior_push is not None and prior_name and prior_push[i, c] > 0:
                items.append((prior_name, float(prior_push[i, c])))
            items.sort(key=lambda t: -t[1])
            row.append({"value": classes[c], "p": round(float(p), 4), "because": [
                {"feature": n, "kind": n.split(":", 1)[0], "weight": round(w, 4)} for n, w in items[:max(max_features, 0)]]})
        out.append(row)
    return out


@pytest.mark.parametrize("target", ["assignee", "labels", "components", "priority"])
def test_explanations_equal_the_per_feature_definition(project, outcomes, monkeypatch, target) -> None:
    model = outcomes[target].model
    batch = Batch.from_records(project.records[-120:])
    for top_k, max_features in ((1, 1), (3, 5), (2, 0), (3, 500)):
        fast = model.explain(batch, top_k, max_features)
        with monkeypatch.context() as m:
            m.setattr(explain, "explain_rows", per_feature_reference)
            assert model.explain(batch, top_k, max_features) == fast, (top_k, max_features)
    assert any(v["because"] for row in fast for v in row)
