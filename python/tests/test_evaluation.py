"""Hold-out metrics and baselines: the confusion matrix the project settings page draws for priority, the
many-of-many scores and the baselines every model is put next to."""
import numpy as np
import pytest

from triage_ml.evaluation import (confusion, hit_at_k, multiclass_baselines, multilabel_baselines,
                                  multilabel_scores, top_k_accuracy)


def test_confusion_counts_true_against_decided() -> None:
    decided = np.array([0, 1, 0, 2])
    y = np.array([0, 1, 1, -1])
    result = confusion(y, decided, ["High", "Medium", "Low"])
    assert result["labels"] == ["High", "Medium", "Low"]
    assert result["matrix"] == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]  # the unknown value has no row


def test_top_k_accuracy_counts_unknown_values_as_misses() -> None:
    P = np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    assert top_k_accuracy(P, np.array([0, 0, -1]), 1) == pytest.approx(1 / 3)
    assert top_k_accuracy(P, np.array([0, 1, -1]), 2) == pytest.approx(2 / 3)
    assert top_k_accuracy(P, np.array([2, 0, 1]), 3) == pytest.approx(1.0)


def test_multilabel_scores_count_empty_issues() -> None:
    truth = [("a",), ("a", "b"), (), ()]
    predicted = [["a"], ["a"], ["a"], []]
    s = multilabel_scores(truth, predicted)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(2 / 3)
    assert s["micro_f1"] == pytest.approx(2 / 3)
    assert s["macro_f1"] == pytest.approx((0.8 + 0.0) / 2)   # a: 2tp 1fp; b: 1fn
    assert hit_at_k(truth, [["b", "a"], ["c", "d"], ["a"], []], 1) == pytest.approx(0.0)
    assert hit_at_k(truth, [["b", "a"], ["c", "d"], ["a"], []], 2) == pytest.approx(0.5)  # over issues with values


def test_baselines_answer_the_most_frequent_value_of_all_and_of_the_newest() -> None:
    train = ["x"] * 6 + ["y"] * 4          # majority x, the newest 4 all y
    test = ["y", "y", "x"]
    b = multiclass_baselines(train, test, recency_n=4)
    assert b["baseline_majority"]["accuracy"] == pytest.approx(1 / 3)
    assert b["baseline_recency"]["accuracy"] == pytest.approx(2 / 3)
    assert b["baseline_majority"]["top3"] == pytest.approx(1.0)
    m = multilabel_baselines([("a",), ("a",), ("b",)], [("a",), ()], recency_n=1)
    assert m["baseline_majority"]["micro_f1"] == pytest.approx(2 / 3)   # a on both: 1 tp, 1 fp
    assert m["baseline_recency"]["micro_f1"] == pytest.approx(0.0)      # b on both
