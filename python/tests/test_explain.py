import json
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from triage_ml.explain import Terms, explain, explanations_json
from triage_ml.features import Batch, Featurizer


def per_feature_reference(terms: Terms, n_rows: int, classes: list[str], max_features: int,
                          featurizer: Featurizer) -> list[list[dict[str, Any]]]:
    """The definition, one feature at a time: every positive contribution listed, the prior's push with them, all
    sorted largest first (a stable sort), the first ``max_features`` kept."""
    names = featurizer.feature_names()
    scales = np.broadcast_to(np.asarray(terms.scale, dtype=np.float64), (terms.coef.shape[0],))
    X = terms.X
    out: list[list[dict[str, Any]]] = [[] for _ in range(n_rows)]
    for i, c, p, s, a in zip(terms.rows.tolist(), terms.classes.tolist(), terms.p.tolist(), terms.suggest.tolist(),
                             terms.auto.tolist()):
        cols = X.indices[X.indptr[i]:X.indptr[i + 1]]
        xs = X.data[X.indptr[i]:X.indptr[i + 1]].astype(np.float64)
        shift = terms.center[cols].astype(np.float64) if terms.center is not None else 0.0
        contrib = (terms.coef[c, cols].astype(np.float64) - shift) * xs * scales[c]
        items = [(names[j], float(w)) for j, w in zip(cols.tolist(), contrib.tolist()) if w > 0]
        if terms.prior_push is not None and terms.prior_name and terms.prior_push[i, c] > 0:
            items.append((terms.prior_name, float(terms.prior_push[i, c])))
        items.sort(key=lambda t: -t[1])
        out[i].append({"value": classes[c], "p": round(p, 4), "suggest": bool(s), "auto": bool(a), "because": [
            {"feature": n, "kind": n.split(":", 1)[0], "weight": round(w, 4)} for n, w in items[:max(max_features, 0)]]})
    return out


@pytest.mark.parametrize("target", ["assignee", "labels", "components", "priority"])
def test_explanations_equal_the_per_feature_definition(project, outcomes, target) -> None:
    model = outcomes[target].model
    batch = Batch.from_records(project.records[-120:])
    for top_k, max_features in ((1, 1), (3, 5), (2, 0), (3, 500)):
        terms = model.explain_terms(batch, top_k)
        text = explain(model, batch, top_k, max_features)
        assert json.loads(text)["predictions"] == per_feature_reference(
            terms, len(batch), list(model.classes), max_features, model.featurizer), (top_k, max_features)
        assert text == json.dumps(json.loads(text), separators=(",", ":"))  # the engine's JSON, byte for byte
        # The same values and decisions as a prediction, the same probabilities (up to the last rounded place).
        predicted = json.loads(model.ranked(batch, top_k).json(model.classes))["predictions"]
        explained = json.loads(text)["predictions"]
        assert [[(v["value"], v["suggest"], v["auto"]) for v in row] for row in explained] == \
            [[(v["value"], v["suggest"], v["auto"]) for v in row] for row in predicted]
        assert all(abs(e["p"] - q["p"]) <= 1.0001e-4 for a, b in zip(explained, predicted) for e, q in zip(a, b))
    assert any(v["because"] for row in json.loads(explain(model, batch, 3, 5))["predictions"] for v in row)


def test_the_prior_takes_its_place_among_the_features_and_equal_weights_keep_feature_order(outcomes) -> None:
    featurizer = outcomes["assignee"].model.featurizer
    names = featurizer.feature_names()
    # One issue with four features of weights 0.5, 0.2, 0.2, 0.1 for class 0, and a prior push of 0.2.
    coef = np.zeros((1, len(names)))
    coef[0, [3, 1, 2, 0]] = [0.5, 0.2, 0.2, 0.1]
    X = sp.csr_matrix((np.ones(4, dtype=np.float32), np.array([0, 1, 2, 3]), np.array([0, 4])), shape=(1, len(names)))
    terms = Terms(X, np.array([0]), np.array([0]), np.array([0.9]), coef, 1.0, None, np.array([[0.2]]), "prior:test",
                  np.array([True]), np.array([False]))
    for keep in (0, 1, 3, 4, 9):
        got = json.loads(explanations_json(terms, 1, ["a"], keep, featurizer))["predictions"][0][0]
        assert got["suggest"] is True and got["auto"] is False
        got = got["because"]
        expected = [names[3], names[1], names[2], "prior:test", names[0]][:keep]
        assert [b["feature"] for b in got] == expected, keep
