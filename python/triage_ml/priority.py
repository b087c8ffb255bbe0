"""Priority: multinomial text model (alarm words, type) pooled with the recent priorities of the issue type."""
from __future__ import annotations

from typing import Sequence

from .multiclass import Spec
from .options import Options
from .records import IssueRecord

SPEC = Spec(target="priority", prior_field="type", prior_feature="prior:recent priorities", main_metric="macro_f1")


def value(r: IssueRecord) -> str | None:
    return r.priority


def select(records: Sequence[IssueRecord], opts: Options) -> list[IssueRecord]:
    return [r for r in records if r.priority is not None]
