"""Behaviour of the trained models on learnable synthetic projects."""
from __future__ import annotations

import json

import numpy as np

from conftest import noise_label_records
from triage_ml.explain import explain
from triage_ml.features import Batch
from triage_ml.multilabel import values_of
from triage_ml.options import Options
from triage_ml.records import IssueRecord
from triage_ml.synthetic import generate
from triage_ml.trainer import TARGETS, split, train_target
from triage_ml.training import TrainingData

DAY_MS = 86_400_000


def replace(r: IssueRecord, **changes) -> IssueRecord:
    return IssueRecord(**{**{f: getattr(r, f) for f in r.__dataclass_fields__}, **changes})


def test_all_targets_far_above_baselines(outcomes) -> None:
    a = outcomes["assignee"].result["holdout"]
    assert a["top1"] > 3 * a["baseline_majority"]["top1"] and a["top1"] > 0.6
    assert a["top3"] > a["baseline_recency"]["top3"] + 0.3 and a["top3"] > 0.85
    assert a["suggested_precision"] > 0.6 and a["suggested_share"] > 0.5
    p = outcomes["priority"].result["holdout"]
    assert p["macro_f1"] > 1.5 * p["baseline_majority"]["macro_f1"]  # noisy by design: 3,000 issues
    # The most probable value is as right as the majority; the decision trades accuracy for the rare priorities
    # (macro-F1), and what it suggests is right more often than the majority is.
    assert p["top1"] >= p["baseline_majority"]["accuracy"] - 0.02
    assert p["accuracy"] >= p["baseline_majority"]["accuracy"] - 0.15
    assert p["suggested_precision"] > p["baseline_majority"]["accuracy"] + 0.1
    for t in ("labels", "components"):
        h = outcomes[t].result["holdout"]
        assert h["micro_f1"] > h["baseline_majority"]["micro_f1"] + 0.3, t
        assert h["hit3"] > max(h["baseline_majority"]["hit3"], h["baseline_recency"]["hit3"]) + 0.3, t
    for t in TARGETS:
        h = outcomes[t].result["holdout"]
        assert outcomes[t].result["status"] == "trained", t
        assert h["ece"] is not None and 0 <= h["ece"] < 0.1, (t, h["ece"])


def test_result_shape(outcomes, project) -> None:
    r = outcomes["assignee"].result
    assert r["status"] == "trained" and r["main_metric"] == "top3" and r["main_value"] == r["holdout"]["top3"]
    assert "cv" not in r
    assert r["n_train"] + r["n_test"] == r["n_samples"]
    assert set(r["timings"]) == {"fit_seconds", "eval_seconds", "total_seconds"}
    assert {"sklearn", "numpy", "python"} <= set(r["versions"])
    assert set(r["holdout"]) >= {"top1", "top3", "accuracy", "macro_f1", "log_loss", "suggested_share",
                                 "suggested_precision", "ece", "baseline_majority", "baseline_recency"}
    assert r["baseline"]["name"] in ("majority", "recency")
    assert r["baseline"]["value"] == r["holdout"]["baseline_" + r["baseline"]["name"]]["top3"]
    assert r["baseline"]["value"] == max(r["holdout"]["baseline_majority"]["top3"],
                                         r["holdout"]["baseline_recency"]["top3"])
    assert set(outcomes["priority"].result["holdout"]) >= {"confusion"}
    assert outcomes["priority"].result["main_metric"] == "macro_f1"
    for t in ("labels", "components"):
        r = outcomes[t].result
        assert r["main_metric"] == "micro_f1" and "cv" not in r
        assert set(r["holdout"]) >= {"micro_f1", "macro_f1", "precision", "recall", "hit3", "ece",
                                     "suggestable_values", "baseline_majority", "baseline_recency"}
        # Many-of-many targets: trained on every issue, scored on every hold-out issue (empty ones count).
        n = len(project.records)
        assert r["n_test"] == n - int(round(n * 0.8)) and r["n_train"] == int(round(n * 0.8))
        assert r["n_samples"] == sum(1 for x in project.records if values_of(t, x))
        assert 0 < r["holdout"]["suggestable_values"] <= len(r["classes"])


def test_holdout_is_the_newest_fifth_of_all_issues(project, outcomes) -> None:
    """One-of-many targets are scored on the hold-out issues that have a value: the newest 20% of every issue."""
    ordered = sorted(project.records, key=lambda r: r.time)
    _, test = split(len(ordered), Options())
    assert len(test) == len(ordered) - int(round(len(ordered) * 0.8))
    with_assignee = sum(1 for i in test if ordered[i].assignee)
    assert outcomes["assignee"].result["n_test"] == with_assignee < len(test)
    assert outcomes["priority"].result["n_test"] == len(test)   # every synthetic issue has a priority


def test_insufficient_data_reports_needed_and_actual(project) -> None:
    r = train_target("assignee", project.records[:40], Options()).result
    assert r["status"] == "insufficient_data" and r["main_value"] is None and "baseline" not in r
    assert r["needed"]["samples"] == 50 and r["have"]["samples"] < 50
    r = train_target("priority", project.records[:500], Options(min_samples=100, min_per_class=400)).result
    assert r["status"] == "insufficient_data"
    assert r["needed"] == {"samples": 100, "per_class": 400, "classes": 2} and r["have"]["classes"] < 2
    unlabelled = [r for r in project.records if not r.labels]
    o = train_target("labels", unlabelled, Options())
    assert o.result["status"] == "insufficient_data" and o.result["have"]["samples"] == 0 and o.model is None


def test_candidates_restrict_the_assignees(project) -> None:
    people = sorted({r.assignee for r in project.records if r.assignee})[:6]
    o = train_target("assignee", project.records, Options(candidates=people))
    assert o.result["status"] == "trained" and set(o.model.classes) <= set(people)
    ranked = o.model.ranked(Batch.from_records(project.records[-200:]), 5)
    assert {v for row in ranked.values(o.model.classes) for v, _ in row} <= set(people)


def test_departed_people_and_retired_labels_are_not_suggested(project, outcomes) -> None:
    recent = project.records[-300:]
    batch = Batch.from_records(recent)
    end = project.records[-1].created
    gone = {p for p, t in project.departed.items() if t < end - 200 * DAY_MS}
    assert gone, "the synthetic project must have people who left long ago"
    assignee = outcomes["assignee"].model
    ranked = assignee.ranked(batch, 5)
    shown = {v for row in ranked.values(assignee.classes) for v, _ in row}
    assert shown and not (shown & gone)
    assert gone & set(assignee.classes), "they were learnt (and so are left out on purpose)"
    assert not {v for row in ranked.suggested(assignee.classes) for v in row} & gone
    retired = {l for l, t in project.retired_labels.items() if t < end - 200 * DAY_MS}
    assert retired
    labels = outcomes["labels"].model
    ranked = labels.ranked(batch, 10)
    shown = {v for row in ranked.values(labels.classes) for v, _ in row}
    assert shown and not (shown & retired)
    assert not {v for row in labels.suggested_sets(labels.proba(batch)) for v in
                [labels.classes[j] for j in row]} & retired
    assert any(c.endswith("-v2") for c in labels.classes)  # their successors are learned
    assert {c for c in shown if c.endswith("-v2")}, "and suggested"


def test_ranked_answers_follow_the_thresholds(project, outcomes) -> None:
    """Suggest exactly at or above the value's suggest threshold, auto at or above its auto threshold; a
    one-of-many target suggests at most one value per issue: its decision."""
    batch = Batch.from_records(project.records[-400:])
    for target in TARGETS:
        for model in (outcomes[target].model, outcomes[target].holdout_model):
            r = model.ranked(batch, 5)
            assert r.idx.shape == r.p.shape == r.suggest.shape == r.auto.shape == (len(batch), min(5, len(model.classes)))
            assert np.all(np.diff(r.p, axis=1) <= 1e-7), "best first"
            assert np.all((r.p >= 0) & (r.p <= 1 + 1e-6))
            if target in ("labels", "components"):
                np.testing.assert_array_equal(r.suggest, r.p >= model.threshold[r.idx])
                np.testing.assert_array_equal(r.auto, r.p >= model.auto_threshold[r.idx])
                assert not r.suggest[r.p <= 0].any()
                P = model.proba(batch)
                # The suggested set is every value at or above its threshold (not cut at the ranking).
                for i, row in enumerate(model.suggested_sets(P)):
                    assert row == np.nonzero(P[i] >= model.threshold)[0].tolist()
                    assert set(r.idx[i][r.suggest[i]].tolist()) <= set(row)
            else:
                assert r.suggest.sum(axis=1).max() <= 1 and r.auto.sum(axis=1).max() <= 1
                assert np.all(r.p[r.suggest] >= model.suggest_threshold)
                assert np.all(r.p[r.auto] >= model.auto_threshold)
                d = model.decide(batch)
                assert (r.idx == d[:, None]).any(axis=1).all(), "the decision is always among the ranked"
                rows, cols = np.nonzero(r.suggest)
                assert np.array_equal(r.idx[rows, cols], d[rows])
            assert r.suggest.any(), target


def test_auto_apply_is_at_least_as_confident_as_a_suggestion(project, outcomes) -> None:
    """What would be applied without asking is also suggested: auto thresholds are not below suggest ones."""
    batch = Batch.from_records(project.records[-400:])
    for target in TARGETS:
        for which, model in (("final", outcomes[target].model), ("holdout", outcomes[target].holdout_model)):
            if target in ("labels", "components"):
                s, a = model.threshold, model.auto_threshold
            else:
                s, a = np.array([model.suggest_threshold]), np.array([model.auto_threshold])
            both = np.isfinite(s) & np.isfinite(a)
            low = [(model.classes[j] if len(s) > 1 else "*", float(s[j]), float(a[j]))
                   for j in np.nonzero(both & (a < s))[0]]
            assert not low, (target, which, "auto threshold below suggest threshold", low)
            r = model.ranked(batch, 5)
            assert not (r.auto & ~r.suggest).any(), (target, which, int((r.auto & ~r.suggest).sum()))


def test_auto_thresholds_honour_auto_precision_on_holdout() -> None:
    """Every label of this project follows its words (no issue loses its labels), so the precision target is
    attainable: what the hold-out model would auto-apply on the newest 20% keeps it, pooled and per value."""
    p = generate(4000, n_people=12, n_labels=15, seed=3, labelled_fraction=1.0)
    data = TrainingData.of(p.records)
    _, test = split(len(data), Options())
    batch = data.batch.take(test.tolist())
    for target in (0.7, 0.85):
        m = train_target("labels", p.records, Options(auto_precision=target), final=False).holdout_model
        P = m.proba(batch)
        T = np.array([[c in values_of("labels", data.records[i]) for c in m.classes] for i in test])
        auto = P >= m.auto_threshold
        assert auto.sum() >= 100, (target, int(auto.sum()))
        assert T[auto].mean() >= target - 0.05, (target, T[auto].mean())
        for j, c in enumerate(m.classes):
            if auto[:, j].sum() >= 25:
                assert T[auto[:, j], j].mean() >= target - 0.2, (c, T[auto[:, j], j].mean())


def test_never_worse_than_the_prior_when_text_is_noise(project) -> None:
    rng = np.random.RandomState(0)
    noise = [replace(r, summary=" ".join(rng.choice(["alpha", "beta", "gamma", "delta"], 4)), text="",
                     components=(), type=None) for r in project.records]
    r = train_target("assignee", noise, Options()).result["holdout"]
    assert r["top3"] >= r["baseline_recency"]["top3"] - 0.02


def test_a_labels_model_below_its_baseline_is_not_put_in_service() -> None:
    """Text carries nothing and one label is on 90% of the issues: always suggesting it beats whatever a model
    learns from the text, so the model is not served and the better baseline is named."""
    o = train_target("labels", noise_label_records(800, 0.9, 1), Options())
    r = o.result
    assert r["status"] == "below_baseline", (r["status"], r["holdout"]["micro_f1"], r.get("baseline"))
    assert o.model is None and r["main_value"] == r["holdout"]["micro_f1"]
    assert r["baseline"]["name"] in ("majority", "recency")
    assert r["holdout"]["micro_f1"] < r["baseline"]["value"]
    assert r["baseline"]["value"] == max(r["holdout"]["baseline_majority"]["micro_f1"],
                                         r["holdout"]["baseline_recency"]["micro_f1"])
    assert o.holdout_model is not None  # it was trained and scored, just not served
    # The same project where each label has a word of its own: the model earns its place.
    o = train_target("labels", noise_label_records(800, 0.9, 1, signal=True), Options())
    assert o.result["status"] == "trained" and o.model is not None, o.result["holdout"]
    assert o.result["holdout"]["micro_f1"] >= o.result["baseline"]["value"]


def test_placeholder_priorities_are_never_learnt_nor_suggested(project) -> None:
    rng = np.random.RandomState(4)
    records = [replace(r, priority=("None" if rng.rand() < 0.35 else "none" if rng.rand() < 0.25 else r.priority))
               for r in project.records[:1500]]
    placeholders = sum(1 for r in records if r.priority.casefold() == "none")
    assert 600 <= placeholders <= 900  # about half
    batch = Batch.from_records(project.records[-300:])
    o = train_target("priority", records, Options())
    assert o.result["status"] == "trained"
    assert o.result["n_samples"] == len(records) - placeholders
    for model in (o.model, o.holdout_model):
        assert not {c.casefold() for c in model.classes} & {"none"}
    # A project-declared placeholder too (case-insensitive), as the options the app sends declare it.
    records = [replace(r, priority="UNSET") if i % 5 == 0 else r for i, r in enumerate(records)]
    o = train_target("priority", records, Options.parse(json.dumps({"priority_placeholders": ["None", "Unset"]})))
    values = {v for row in o.model.ranked(batch, 5).values(o.model.classes) for v, _ in row}
    assert values and not {v.casefold() for v in values} & {"none", "unset"}
    assert not {c.casefold() for c in o.model.classes} & {"none", "unset"}
    assert o.result["n_samples"] == sum(1 for r in records if r.priority.casefold() not in ("none", "unset"))
    # Without declaring it, UNSET is an ordinary value (on a fifth of the issues it is learnt).
    assert "UNSET" in train_target("priority", records, Options(), final=False).holdout_model.classes


def test_explanations_name_real_features_of_the_issue(project, outcomes) -> None:
    recs = project.records[-20:]
    batch = Batch.from_records(recs)
    for target in ("assignee", "labels", "priority"):
        rows = json.loads(explain(outcomes[target].model, batch, 2, 5))["predictions"]
        assert len(rows) == len(recs)
        seen = 0
        for r, row in zip(recs, rows):
            text = (r.summary + " " + r.text).lower()
            for v in row:
                assert set(v) == {"value", "p", "suggest", "auto", "because"}
                for b in v["because"]:
                    seen += 1
                    kind, _, name = b["feature"].partition(":")
                    assert b["kind"] == kind and b["weight"] > 0
                    if kind == "word":
                        assert all(w in text for w in name.split(" ")), (name, text)
                    elif kind == "component":
                        assert name in r.components
                    elif kind == "type":
                        assert name == r.type
                    elif kind == "reporter":
                        assert name == r.reporter
                    elif kind == "chars":  # a character n-gram of the summary
                        assert name.lower() in r.summary.lower(), (name, r.summary)
                    else:
                        assert kind == "prior"
        assert seen > 0, target
