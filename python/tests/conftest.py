from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))
# Py4J's Python half, which the Maven build extracts (it is on no package registry these machines reach).
PY4J_ZIP = PYTHON_DIR.parent / "target" / "py4j" / "python" / "py4j-src-0.10.9.7.zip"
if PY4J_ZIP.exists() and str(PY4J_ZIP) not in sys.path:
    sys.path.append(str(PY4J_ZIP))

import numpy as np  # noqa: E402

from triage_ml.options import Options  # noqa: E402
from triage_ml.records import IssueRecord  # noqa: E402
from triage_ml.synthetic import Project, generate  # noqa: E402
from triage_ml.trainer import TARGETS, Outcome, train_target  # noqa: E402


@pytest.fixture(scope="session")
def project() -> Project:
    return generate(3000, n_people=16, n_labels=12, seed=11)


@pytest.fixture(scope="session")
def outcomes(project: Project) -> dict[str, Outcome]:
    return {t: train_target(t, project.records, Options()) for t in TARGETS}


def noise_label_records(n: int, common_share: float, seed: int, signal: bool = False) -> list[IssueRecord]:
    """Text of random common words; ``common`` on ``common_share`` of the issues, ``n1``..``n3`` each on a random
    quarter (with ``signal``, each label comes with its own word)."""
    rng = np.random.RandomState(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    out = []
    for i in range(n):
        labels = [name for name, share in (("common", common_share), ("n1", 0.25), ("n2", 0.25), ("n3", 0.25))
                  if rng.rand() < share]
        text = " ".join(rng.choice(words, 6))
        if signal:
            text += "".join(f" word{name}" for name in labels)
        out.append(IssueRecord(id=i, key=f"N-{i + 1}", summary=" ".join(rng.choice(words, 3)), text=text,
                               type="Task", labels=tuple(labels), priority="Medium", reporter=f"r{i % 7}",
                               created=1_700_000_000_000 + i * 3_600_000))
    return out
