"""The hold-out confusion matrix the project settings page draws for priority."""
import numpy as np

from triage_ml.evaluation import confusion


def test_confusion_counts_true_against_top_prediction() -> None:
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])
    y = np.array([0, 1, 1, -1])
    result = confusion(y, P, ["High", "Medium", "Low"])
    assert result["labels"] == ["High", "Medium", "Low"]
    assert result["matrix"] == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]
