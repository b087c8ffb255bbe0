"""Assignee: who should get the issue. Multinomial text model pooled with the reporter's recent assignees
(reporters tend to file for the same people); learnt only from issues whose assignee is still assignable."""
from __future__ import annotations

from typing import Sequence

from .multiclass import Spec
from .options import Options
from .records import IssueRecord

SPEC = Spec(target="assignee", prior_field="reporter", prior_feature="prior:recent assignments", main_metric="top3")


def values(records: Sequence[IssueRecord], opts: Options) -> list[str | None]:
    """Each issue's assignee when it is a candidate (everyone when no candidates are given), else None."""
    allowed = set(opts.candidates) if opts.candidates is not None else None
    return [r.assignee if allowed is None or r.assignee in allowed else None for r in records]
