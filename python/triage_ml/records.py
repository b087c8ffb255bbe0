"""The issue record every model reads, parsed from the app's dataset JSON or from Jira REST v3 issue JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Sequence

from .adf import adf_to_text


class InvalidInput(ValueError):
    """The input bytes are not what the contract says (engine errors map it to ``INVALID_INPUT:``)."""


@dataclass(frozen=True, slots=True)
class IssueRecord:
    id: int | None = None
    key: str | None = None
    summary: str = ""
    text: str = ""
    type: str | None = None
    components: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    priority: str | None = None
    assignee: str | None = None
    reporter: str | None = None
    created: int | None = None
    updated: int | None = None

    @property
    def time(self) -> int:
        """Epoch millis used for ordering and decay: created, else updated, else 0 (oldest)."""
        if self.created is not None:
            return self.created
        return self.updated if self.updated is not None else 0


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (int, float, bool)):
        return str(value)
    return None


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name")
        s = _str(item)
        if s is not None and s not in out:
            out.append(s)
    return tuple(out)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value:
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def record_from_dataset(item: Any) -> IssueRecord:
    """One element of the app's ``{"issues": [...]}``; missing or null fields are tolerated."""
    if not isinstance(item, dict):
        raise InvalidInput("issue is not a JSON object")
    return IssueRecord(
        id=_int(item.get("id")),
        key=_str(item.get("key")),
        summary=_str(item.get("summary")) or "",
        text=_str(item.get("text")) or "",
        type=_str(item.get("type")),
        components=_strs(item.get("components")),
        labels=_strs(item.get("labels")),
        priority=_str(item.get("priority")),
        assignee=_str(item.get("assignee")),
        reporter=_str(item.get("reporter")),
        created=_int(item.get("created")),
        updated=_int(item.get("updated")),
    )


def parse_dataset(data: bytes | bytearray | str) -> list[IssueRecord]:
    """``{"issues": [...]}`` as UTF-8 JSON bytes (a bare list is accepted too)."""
    try:
        doc = json.loads(bytes(data) if isinstance(data, bytearray) else data)
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidInput(f"dataset is not UTF-8 JSON: {e}") from None
    issues = doc.get("issues") if isinstance(doc, dict) else doc
    if issues is None:
        issues = []
    if not isinstance(issues, list):
        raise InvalidInput("dataset 'issues' is not a list")
    return [record_from_dataset(item) for item in issues]


def parse_jira_time(value: Any) -> int | None:
    """Jira's ``2024-03-01T10:15:30.123+0000`` (and ISO variants) to epoch millis."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if not isinstance(value, str) or not value:
        return None
    s = value.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    elif len(s) >= 5 and s[-5] in "+-" and s[-4:].isdigit():
        s = s[:-2] + ":" + s[-2:]
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        from datetime import timezone
        dt = dt.replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def _account(value: Any) -> str | None:
    return _str(value.get("accountId")) if isinstance(value, dict) else None


def _name(value: Any) -> str | None:
    return _str(value.get("name")) if isinstance(value, dict) else None


def record_from_jira(issue: Any) -> IssueRecord:
    """One issue as REST v3 ``search/jql`` returns it."""
    if not isinstance(issue, dict):
        raise InvalidInput("issue is not a JSON object")
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        fields = {}
    return IssueRecord(
        id=_int(issue.get("id")),
        key=_str(issue.get("key")),
        summary=_str(fields.get("summary")) or "",
        text=adf_to_text(fields.get("description")),
        type=_name(fields.get("issuetype")),
        components=_strs(fields.get("components")),
        labels=_strs(fields.get("labels")),
        priority=_name(fields.get("priority")),
        assignee=_account(fields.get("assignee")),
        reporter=_account(fields.get("reporter")),
        created=parse_jira_time(fields.get("created")),
        updated=parse_jira_time(fields.get("updated")),
    )


def record_to_dataset(r: IssueRecord) -> dict[str, Any]:
    """The app's dataset form of a record (what Java would send)."""
    return {
        "id": r.id, "key": r.key, "summary": r.summary, "text": r.text, "type": r.type,
        "components": list(r.components), "labels": list(r.labels), "priority": r.priority,
        "assignee": r.assignee, "reporter": r.reporter, "created": r.created, "updated": r.updated,
    }


def dataset_bytes(records: Iterable[IssueRecord]) -> bytes:
    return json.dumps({"issues": [record_to_dataset(r) for r in records]}).encode("utf-8")


def chronological(records: Sequence[IssueRecord]) -> list[IssueRecord]:
    """Oldest first by created (stable, so ties keep input order)."""
    return sorted(records, key=lambda r: r.time)
