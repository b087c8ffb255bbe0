"""The calibration stage's threshold choices and calibration error, on hand-made inputs whose answers are worked
out in the comments."""
from __future__ import annotations

import numpy as np
import pytest

from triage_ml.calibration import (NEVER, best_f1_thresholds, expected_calibration_error, platt,
                                   precision_thresholds, top1_thresholds)


def col(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)[:, None]


def hits(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int8)[:, None]


def test_best_f1_threshold_is_the_probability_of_the_best_cut() -> None:
    # 3 positives. Cutting after k rows: tp 1,2,2,3,3,3 -> F1 = 2tp / (k + 3) = .5, .8, .67, .857, .75, .67
    P, Y = col(0.9, 0.8, 0.7, 0.6, 0.5, 0.4), hits(1, 1, 0, 1, 0, 0)
    assert best_f1_thresholds(P, Y, 1)[0] == pytest.approx(0.6)
    assert best_f1_thresholds(P, Y, 3)[0] == pytest.approx(0.6)
    assert best_f1_thresholds(P, Y, 4)[0] == NEVER             # never 4 correct suggestions
    # Rows in any order: the same answer.
    order = np.array([3, 0, 5, 1, 4, 2])
    assert best_f1_thresholds(P[order], Y[order], 1)[0] == pytest.approx(0.6)


def test_best_f1_threshold_needs_positives_and_respects_the_floor_and_weights() -> None:
    assert np.isinf(best_f1_thresholds(col(0.9, 0.5), hits(0, 0), 1)[0])      # no positive at all
    assert best_f1_thresholds(col(0.04, 0.03, 0.01), hits(1, 1, 0), 1)[0] == pytest.approx(0.05)  # floored
    assert best_f1_thresholds(col(0.04, 0.03, 0.01), hits(1, 1, 0), 1, floor=0.0)[0] == pytest.approx(0.03)
    # F1 per cut: .67, .5, .8, .67 -> 0.7; a negative at 0.8 weighing 10 makes the first cut the best one
    P, Y = col(0.9, 0.8, 0.7, 0.6), hits(1, 0, 1, 0)
    assert best_f1_thresholds(P, Y, 1)[0] == pytest.approx(0.7)
    W = np.array([1.0, 10.0, 1.0, 1.0])[:, None]
    assert best_f1_thresholds(P, Y, 1, W)[0] == pytest.approx(0.9)
    # weight 0 leaves a row out: without the negative at 0.8 the best cut takes both positives
    W0 = np.array([1.0, 0.0, 1.0, 1.0])[:, None]
    assert best_f1_thresholds(P, Y, 1, W0)[0] == pytest.approx(0.7)


def test_best_f1_thresholds_are_per_column() -> None:
    P = np.hstack([col(0.9, 0.8, 0.7, 0.6, 0.5, 0.4), col(0.1, 0.2, 0.3, 0.4, 0.5, 0.6)])
    Y = np.hstack([hits(1, 1, 0, 1, 0, 0), hits(0, 0, 0, 0, 0, 0)])
    out = best_f1_thresholds(P, Y, 1)
    assert out.shape == (2,) and out[0] == pytest.approx(0.6) and np.isinf(out[1])


def test_precision_threshold_is_the_lowest_cut_reaching_the_target() -> None:
    # cumulative precision per cut: 1, 1, .67, .75, .6
    P, Y = col(0.9, 0.8, 0.7, 0.6, 0.5), hits(1, 1, 0, 1, 0)
    assert precision_thresholds(P, Y, 0.75, 1)[0] == pytest.approx(0.6)
    assert precision_thresholds(P, Y, 0.8, 1)[0] == pytest.approx(0.8)
    assert precision_thresholds(P, Y, 0.75, 3)[0] == pytest.approx(0.6)
    assert precision_thresholds(P, Y, 0.8, 3)[0] == NEVER      # 3 correct only at precision .75
    assert precision_thresholds(P, Y, 1.0, 2)[0] == pytest.approx(0.8)
    assert np.isinf(precision_thresholds(col(0.9, 0.8), hits(0, 0), 0.5, 1)[0])
    # the negative at 0.7 weighing 5: precision at the 0.6 cut is 3/8, at 0.8 still 1
    W = np.array([1.0, 1.0, 5.0, 1.0, 1.0])[:, None]
    assert precision_thresholds(P, Y, 0.75, 1, W)[0] == pytest.approx(0.8)


def test_top1_thresholds_suggest_by_f1_auto_by_precision() -> None:
    p_top = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    correct = np.array([True, True, False, True, False, False])
    suggest, auto = top1_thresholds(p_top, correct, 0.75, 1)
    assert suggest == pytest.approx(0.6) and auto == pytest.approx(0.6)
    suggest, auto = top1_thresholds(p_top, correct, 0.9, 1)
    assert suggest == pytest.approx(0.6) and auto == pytest.approx(0.8)
    suggest, auto = top1_thresholds(p_top, correct, 0.9, 3)
    assert suggest == pytest.approx(0.6) and auto == float("inf")
    # no floor for the one-of-many decision: a low but right top value is still suggested
    suggest, _ = top1_thresholds(np.array([0.04, 0.03, 0.01]), np.array([True, True, False]), 0.8, 1)
    assert suggest == pytest.approx(0.03)


def test_expected_calibration_error() -> None:
    assert expected_calibration_error(np.array([]), np.array([])) is None
    assert expected_calibration_error(np.full(4, 0.5), np.array([1, 1, 0, 0])) == pytest.approx(0.0)
    # bins 0.1 and 0.9: |0.2 - 0| + |1.8 - 2| over 4 values
    assert expected_calibration_error(np.array([0.1, 0.1, 0.9, 0.9]), np.array([0, 0, 1, 1])) == pytest.approx(0.1)
    assert expected_calibration_error(np.array([1.0, 1.0]), np.array([0, 0])) == pytest.approx(1.0)  # p = 1: last bin
    # always-confident, half right: 0.5 away
    assert expected_calibration_error(np.full(10, 0.95), np.arange(10) % 2) == pytest.approx(0.45)
    # within a bin, over- and under-confidence cancel; across bins they do not
    assert expected_calibration_error(np.array([0.31, 0.39]), np.array([0, 1])) == pytest.approx(0.15)
    assert expected_calibration_error(np.array([0.31, 0.39]), np.array([0, 1]), bins=100) == pytest.approx(0.46)


def test_platt_recovers_a_known_sigmoid() -> None:
    rng = np.random.RandomState(0)
    s = rng.normal(0, 2, (20000, 1))
    y = (rng.rand(20000, 1) < 1 / (1 + np.exp(-(1.5 * s - 0.5)))).astype(np.int8)
    a, b = platt(s, y)
    assert a[0] == pytest.approx(1.5, abs=0.1) and b[0] == pytest.approx(-0.5, abs=0.1)


def test_platt_recovers_a_sigmoid_of_scores_far_from_zero() -> None:
    """Lightly regularised models score in the -15..0 range; Newton's method must still find the slope (a
    negative slope for a value whose scores rise with its use marks it as having learnt nothing)."""
    rng = np.random.RandomState(1)
    s = rng.normal(-7, 3, (5000, 1))
    y = (rng.rand(5000, 1) < 1 / (1 + np.exp(-(0.5 * s + 3)))).astype(np.int8)
    a, b = platt(s, y)
    assert a[0] == pytest.approx(0.5, abs=0.1) and b[0] == pytest.approx(3.0, abs=0.5)
