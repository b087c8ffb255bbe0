"""Assignee: who should get the issue. Multinomial text model pooled with the reporter's recent assignees
(reporters tend to file for the same people); trained only on issues whose assignee is still assignable."""
from __future__ import annotations

from typing import Sequence

from .multiclass import Spec
from .options import Options
from .records import IssueRecord

SPEC = Spec(target="assignee", prior_field="reporter", prior_feature="prior:recent assignments", main_metric="top3")


def value(r: IssueRecord) -> str | None:
    return r.assignee


def select(records: Sequence[IssueRecord], opts: Options) -> list[IssueRecord]:
    """Issues with an assignee who is a candidate (everyone when no candidates are given)."""
    allowed = set(opts.candidates) if opts.candidates is not None else None
    return [r for r in records if r.assignee is not None and (allowed is None or r.assignee in allowed)]
