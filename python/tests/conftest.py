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

from triage_ml.options import Options  # noqa: E402
from triage_ml.synthetic import Project, generate  # noqa: E402
from triage_ml.trainer import TARGETS, Outcome, train_target  # noqa: E402


@pytest.fixture(scope="session")
def project() -> Project:
    return generate(3000, n_people=16, n_labels=12, seed=11)


@pytest.fixture(scope="session")
def outcomes(project: Project) -> dict[str, Outcome]:
    return {t: train_target(t, project.records, Options()) for t in TARGETS}
