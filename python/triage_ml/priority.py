"""Priority: multinomial text model (alarm words, type) pooled with the recent priorities of the issue type."""
from __future__ import annotations

from typing import Sequence

from .multiclass import Spec
from .options import Options
from .records import IssueRecord

SPEC = Spec(target="priority", prior_field="type", prior_feature="prior:recent priorities", main_metric="macro_f1")


def values(records: Sequence[IssueRecord], opts: Options) -> list[str | None]:
    """Each issue's priority, or None for a placeholder (Jira's ``None``, or one the project declares): such an
    issue has no priority to learn from, and the placeholder is never suggested."""
    placeholders = {p.casefold() for p in opts.priority_placeholders}
    return [r.priority if r.priority is not None and r.priority.casefold() not in placeholders else None
            for r in records]
