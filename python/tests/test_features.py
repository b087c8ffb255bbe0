import numpy as np

from triage_ml.features import Batch, Featurizer, HashTable, Tokens, tokenize
from triage_ml.records import IssueRecord


def _records() -> list[IssueRecord]:
    texts = ["Login page timeout on submit", "Timeout when saving the form", "Export to CSV fails",
             "login timeout again", "CSV export broken", "Saving the form fails with timeout"]
    return [IssueRecord(id=i, summary=t, text=f"details {t.lower()} com.acme.Login", type="Bug" if i % 2 else "Task",
                        components=("Backend",) if i % 2 else ("UI", "Backend"), reporter=f"r{i % 2}", created=i)
            for i, t in enumerate(texts)]


def test_training_and_prediction_paths_agree() -> None:
    recs = _records()
    batch = Batch.from_records(recs)
    toks = Tokens(batch)
    f = Featurizer.fit(toks, batch, np.arange(len(recs)))
    a = f.transform(batch, toks).toarray()
    b = f.transform(Batch.from_dicts([{"summary": r.summary, "text": r.text, "type": r.type,
                                       "components": list(r.components), "reporter": r.reporter} for r in recs])).toarray()
    assert np.allclose(a, b)
    names = f.feature_names()
    assert {"word:timeout", "word:com acme", "type:Bug", "component:Backend", "reporter:r0", "word:acme"} <= set(names)
    assert len(names) == f.n_features == a.shape[1]


def test_vocabulary_only_from_training_rows_and_components_optional() -> None:
    recs = _records()
    batch = Batch.from_records(recs)
    toks = Tokens(batch)
    f = Featurizer.fit(toks, batch, np.arange(3), use_components=False)
    assert "word:csv" not in f.feature_names()  # only in rows 2..5, min_df 2 inside rows 0..2 fails
    assert not any(n.startswith("component:") for n in f.feature_names())


def test_hash_table_matches_sorted_lookup() -> None:
    rng = np.random.RandomState(0)
    keys = np.unique(rng.randint(0, 10 ** 12, size=5000).astype(np.int64))
    vals = np.arange(len(keys))
    t = HashTable(keys, vals)
    query = np.concatenate([keys, rng.randint(0, 10 ** 12, size=5000).astype(np.int64)])
    expected = np.full(len(query), -1)
    pos = np.searchsorted(keys, query).clip(0, len(keys) - 1)
    expected[keys[pos] == query] = pos[keys[pos] == query]
    assert np.array_equal(t.lookup(query), expected)


def test_derived_structures_are_reused() -> None:
    from triage_ml.linear import Linear
    recs = _records()
    batch = Batch.from_records(recs)
    f = Featurizer.fit(Tokens(batch), batch, np.arange(len(recs)))
    lin = Linear(np.arange(2 * f.n_features, dtype=np.float32).reshape(2, -1) / 100, np.zeros(2, dtype=np.float32))
    X = f.transform(batch)
    assert np.allclose(lin.scores(X), X.toarray() @ lin.coef.T)
    assert f.feature_names() is f.feature_names()  # built once per loaded model


def test_every_feature_is_named_after_what_it_counts() -> None:
    recs = _records()
    batch = Batch.from_records(recs)
    f = Featurizer.fit(Tokens(batch), batch, np.arange(len(recs)))
    names = f.feature_names()
    assert len(names) == f.n_features and len(set(names)) == len(names)
    for i in range(len(recs)):
        one = batch.take([i])
        row = f.transform(one)
        words = set(tokenize(one))
        for c in row.indices[row.indices < f.vocab.n_features]:
            assert set(names[c].removeprefix("word:").split()) <= words, names[c]
        nw = f.vocab.n_features
        for c in row.indices[(row.indices >= nw) & (row.indices < nw + f.chars.n_features)]:
            assert names[c].startswith("chars:")


def test_transform_weighs_text_and_keeps_categorical_weights() -> None:
    recs = _records()
    batch = Batch.from_records(recs)
    f = Featurizer.fit(Tokens(batch), batch, np.arange(len(recs)))
    X = f.transform(batch).toarray()
    text = X[:, :f.vocab.n_features]
    assert np.allclose(np.linalg.norm(text, axis=1), f.weights[0])  # L2 per row over the text block only
    names = f.feature_names()
    assert X[0, names.index("type:Task")] == np.float32(0.5)
    assert np.isclose(X[0, names.index("component:UI")], 0.5 / np.sqrt(2))  # two components share the weight
    assert X[1, names.index("reporter:r1")] == np.float32(0.7)
