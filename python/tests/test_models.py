"""Behaviour of the trained models on learnable synthetic projects."""
from __future__ import annotations

import json

import numpy as np
import pytest

from triage_ml.explain import explain
from triage_ml.features import Batch
from triage_ml.labels import values_of
from triage_ml.options import Options
from triage_ml.synthetic import generate
from triage_ml.trainer import train_target
from triage_ml.training import TrainingData, chrono_split


def test_all_targets_far_above_baselines(outcomes) -> None:
    a = outcomes["assignee"].result["holdout"]
    assert a["top1"] > 3 * a["baseline_majority"]["top1"] and a["top1"] > 0.5
    assert a["top3"] > a["baseline_recency"]["top3"] + 0.3 and a["top3"] > 0.85
    p = outcomes["priority"].result["holdout"]
    assert p["macro_f1"] > 1.5 * p["baseline_majority"]["macro_f1"]  # noisy by design: 3,000 issues
    assert p["accuracy"] >= p["baseline_majority"]["accuracy"] - 0.01
    for t in ("labels", "components"):
        h = outcomes[t].result["holdout"]
        assert h["micro_f1"] > h["baseline_majority"]["micro_f1"] + 0.3, t


def test_result_shape(outcomes) -> None:
    r = outcomes["assignee"].result
    assert r["status"] == "trained" and r["main_metric"] == "top3" and r["main_value"] == r["holdout"]["top3"]
    assert r["n_train"] + r["n_test"] == r["n_samples"]
    assert set(r["timings"]) == {"fit_seconds", "eval_seconds", "total_seconds"}
    assert r["cv"] is not None and r["cv"]["folds"] == 3 and 0 < r["cv"]["mean"] <= 1  # 3000 issues: CV runs
    assert {"sklearn", "numpy", "python"} <= set(r["versions"])
    assert outcomes["priority"].result["main_metric"] == "macro_f1"
    assert outcomes["labels"].result["main_metric"] == "micro_f1"


def test_insufficient_data_reports_needed_and_actual(project) -> None:
    r = train_target("assignee", project.records[:40], Options()).result
    assert r["status"] == "insufficient_data" and r["main_value"] is None
    assert r["needed"]["samples"] == 50 and r["have"]["samples"] < 50
    r = train_target("priority", project.records[:500], Options(min_samples=100, min_per_class=400)).result
    assert r["status"] == "insufficient_data"
    assert r["needed"] == {"samples": 100, "per_class": 400, "classes": 2} and r["have"]["classes"] < 2
    unlabelled = [r for r in project.records if not r.labels]
    r = train_target("labels", unlabelled, Options()).result
    assert r["status"] == "insufficient_data" and r["have"]["samples"] == 0


def test_candidates_restrict_the_assignees(project) -> None:
    people = sorted({r.assignee for r in project.records if r.assignee})[:6]
    o = train_target("assignee", project.records, Options(candidates=people))
    assert o.result["status"] == "trained" and set(o.model.classes) <= set(people)


def test_departed_people_and_retired_labels_are_not_suggested(project, outcomes) -> None:
    recent = project.records[-300:]
    batch = Batch.from_records(recent)
    end = project.records[-1].created
    gone = {p for p, t in project.departed.items() if t < end - 200 * 86_400_000}
    assert gone, "the synthetic project must have people who left long ago"
    suggested = {v for row in outcomes["assignee"].model.rank(batch, 5) for v, _ in row}
    assert suggested and not (suggested & gone)
    retired = {l for l, t in project.retired_labels.items() if t < end - 200 * 86_400_000}
    assert retired
    labels = {v for row in outcomes["labels"].model.rank(batch, 10) for v, _ in row}
    assert labels and not (labels & retired)
    assert any(c.endswith("-v2") for c in outcomes["labels"].model.classes)  # their successors are learned


def test_label_thresholds_honour_precision_target_on_holdout() -> None:
    p = generate(4000, n_people=12, n_labels=15, seed=3)
    for target in (0.7, 0.85):
        o = train_target("labels", p.records, Options(precision_target=target, cv_max_samples=0))
        assert o.result["holdout"]["precision"] >= target - 0.1, (target, o.result["holdout"])
        # per value, where the hold-out has enough suggestions to judge
        data = TrainingData.of([r for r in p.records if r.labels])
        _, test = chrono_split(np.arange(len(data)), 0.2)
        m = o.holdout_model
        P = m.proba(data.batch.take(test.tolist()))
        for j, c in enumerate(m.classes):
            on = P[:, j] >= m.threshold[j]
            if on.sum() >= 25:
                truth = np.array([c in values_of("labels", data.records[i]) for i in test])
                assert truth[on].mean() >= target - 0.2, (c, truth[on].mean())


def test_never_worse_than_the_prior_when_text_is_noise(project) -> None:
    rng = np.random.RandomState(0)
    noise = [type(r)(**{**{f: getattr(r, f) for f in r.__dataclass_fields__},
                        "summary": " ".join(rng.choice(["alpha", "beta", "gamma", "delta"], 4)), "text": "",
                        "components": (), "type": None})
             for r in project.records]
    r = train_target("assignee", noise, Options(cv_max_samples=0)).result["holdout"]
    assert r["top3"] >= r["baseline_recency"]["top3"] - 0.02


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
                assert {"value", "p", "because"} <= set(v)
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
                    else:
                        assert kind == "prior"
        assert seen > 0, target
