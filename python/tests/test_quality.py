"""Model quality on the project's Java generator (``src/dev/.../generator``, see GENERATOR.md) and the honesty
of the label calibration.

``data/generator-10000.json.xz``: ``ProjectGenerator`` seed 7, 10,000 issues, noise 0.1, exported with
``ExportJsonl`` and reduced to the sidecar's dataset form (no assignee, descriptions cut at the 2,000 characters
the featurizer reads). Labels there are coins of 0.2-0.5 on the issue's aspect, so a precision of 0.7 per label
is close to what is attainable at all (see MODELS.md); priorities are 58% Medium.
"""
from __future__ import annotations

import lzma
from pathlib import Path

import numpy as np
import pytest

from triage_ml.labels import thresholds
from triage_ml.multiclass import choose_offsets
from triage_ml.options import Options
from triage_ml.records import IssueRecord, parse_dataset
from triage_ml.trainer import train_target

FIXTURE = Path(__file__).parent / "data" / "generator-10000.json.xz"


@pytest.fixture(scope="module")
def generated() -> list[IssueRecord]:
    return parse_dataset(lzma.decompress(FIXTURE.read_bytes()))


def test_generator_labels_honour_the_precision_target(generated) -> None:
    """At 0.7 the generator's labels sit at their attainable precision (coins of 0.3-0.5 on the aspect): few
    values qualify, but the ones suggested keep the target on the unseen hold-out. With an attainable target the
    same pipeline is well above the majority baseline."""
    h = train_target("labels", generated, Options(cv_max_samples=0), final=False).result["holdout"]
    assert h["precision"] >= 0.7 - 0.1, h  # thresholds chosen for 0.7 on out-of-fold scores, never here
    assert h["micro_f1"] >= h["baseline_majority"]["micro_f1"], h
    h = train_target("labels", generated, Options(cv_max_samples=0, precision_target=0.5), final=False).result["holdout"]
    assert h["micro_f1"] > 2 * h["baseline_majority"]["micro_f1"], h
    assert h["precision"] >= 0.5 - 0.05, h


def test_generator_priority_macro_f1_without_losing_accuracy(generated) -> None:
    h = train_target("priority", generated, Options(cv_max_samples=0), final=False).result["holdout"]
    majority = h["baseline_majority"]
    assert h["macro_f1"] >= 1.5 * majority["macro_f1"], h
    assert h["accuracy"] >= majority["accuracy"] - 0.02, h


def test_label_calibration_never_sees_the_holdout(project) -> None:
    """Scrambling the labels of the hold-out issues changes nothing in the hold-out model."""
    records = sorted((r for r in project.records if r.labels), key=lambda r: r.time)
    cut = int(round(len(records) * 0.8))
    scrambled = records[:cut] + [IssueRecord(**{**{f: getattr(r, f) for f in r.__dataclass_fields__},
                                                "labels": ("zz-bogus",)}) for r in records[cut:]]
    opts = Options(cv_max_samples=0)
    a = train_target("labels", records, opts, final=False).holdout_model
    b = train_target("labels", scrambled, opts, final=False).holdout_model
    assert a.classes == b.classes
    np.testing.assert_array_equal(a.threshold, b.threshold)
    np.testing.assert_array_equal(a.linear.coef, b.linear.coef)


def test_thresholds_smoothing_and_minimum() -> None:
    # three hits on top, then mostly misses: precision 1.0 at k=3 on raw counts
    p = np.linspace(1, 0, 40)[:, None]
    y = np.zeros((40, 1), dtype=np.int8)
    y[:3] = 1
    y[[10, 25], 0] = 1
    raw = thresholds(p, y, 0.7, 3)
    assert raw[0] == pytest.approx(p[2, 0])
    assert np.isinf(thresholds(p, y, 0.7, 3, smoothing=5.0)[0])  # (3 + 5 * 0.125) / 8 < 0.7
    assert np.isinf(thresholds(p, y, 0.7, 4)[0])                 # never 4 correct at >= 0.7


def test_offsets_trade_a_little_accuracy_for_macro_f1() -> None:
    rng = np.random.RandomState(0)
    n, K = 2000, 3
    y = rng.choice(K, size=n, p=[0.7, 0.2, 0.1])
    z = np.log(np.array([0.7, 0.2, 0.1]))[None, :] + rng.normal(0, 1, (n, K))
    z[np.arange(n), y] += 1.2  # informative but weaker than the prior: argmax is almost always class 0
    off = choose_offsets(z, y, accuracy_tolerance=0.03)
    assert off is not None
    from triage_ml.evaluation import macro_f1
    before, after = z.argmax(1), (z + off).argmax(1)
    assert macro_f1(y.tolist(), after.tolist()) > macro_f1(y.tolist(), before.tolist()) + 0.05
    assert np.mean(after == y) >= np.mean(before == y) - 0.03
