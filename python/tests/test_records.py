import json

import pytest

from triage_ml.records import InvalidInput, parse_dataset, parse_jira_time, record_from_jira


def test_dataset_tolerates_missing_and_null_fields() -> None:
    data = json.dumps({"issues": [
        {"id": 1, "key": "A-1", "summary": None, "text": None, "type": None, "components": None, "labels": None,
         "priority": None, "assignee": None, "reporter": None, "created": None, "updated": 5},
        {},
        {"summary": "s", "components": ["C", "C", None], "labels": ["x"], "created": 7}]}).encode()
    a, b, c = parse_dataset(bytearray(data))
    assert a.summary == "" and a.text == "" and a.components == () and a.time == 5
    assert b.time == 0 and b.assignee is None
    assert c.components == ("C",) and c.labels == ("x",) and c.time == 7


@pytest.mark.parametrize("bad", [b"{", b"\xff\xfe", json.dumps({"issues": 3}).encode(), json.dumps({"issues": [1]}).encode()])
def test_dataset_rejects_garbage(bad: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_dataset(bad)


def test_jira_issue_to_record() -> None:
    r = record_from_jira({"id": "10001", "key": "P-1", "fields": {
        "summary": "Login fails", "description": {"type": "doc", "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Timeout"}]}]},
        "assignee": {"accountId": "a1"}, "reporter": {"accountId": "r1"}, "labels": ["ui"],
        "components": [{"name": "Backend"}, {"id": "9"}], "priority": {"name": "High"},
        "issuetype": {"name": "Bug"}, "created": "2024-03-01T10:15:30.123+0000"}})
    assert (r.id, r.key, r.summary, r.text, r.assignee, r.reporter) == (10001, "P-1", "Login fails", "Timeout", "a1", "r1")
    assert r.labels == ("ui",) and r.components == ("Backend",) and r.priority == "High" and r.type == "Bug"
    assert r.created == 1709288130123
    empty = record_from_jira({"key": "P-2", "fields": {"assignee": None, "description": "plain", "created": None}})
    assert empty.assignee is None and empty.text == "plain" and empty.created is None


def test_jira_times() -> None:
    assert parse_jira_time("2024-03-01T10:15:30.123+0000") == 1709288130123
    assert parse_jira_time("2024-03-01T11:15:30.123+0100") == 1709288130123
    assert parse_jira_time("2024-03-01T10:15:30Z") == 1709288130000
    assert parse_jira_time("garbage") is None and parse_jira_time(None) is None
