"""Deterministic synthetic Jira projects with learnable structure, for tests and the benchmark.

Structure: topics own keywords and a component and are handled by owners; reporters mostly file about one
topic; labels are triggered by their own words; priorities follow alarm words and the issue type, with noise.
Over time some owners leave (their topics pass to a newcomer) and some labels are retired (replaced by a new
name), a few labels are free-form one-offs, and some issues are unassigned or unlabelled.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from .records import IssueRecord

DAY_MS = 86_400_000
START_MS = 1_672_531_200_000  # 2023-01-01

_SYLLABLES = ["ka", "lo", "mi", "ra", "te", "zu", "po", "ne", "vi", "sa", "do", "qu", "fe", "bi", "gu", "xo",
              "le", "ta", "ru", "ni", "mo", "se", "pa", "ki"]
_COMMON = ("the when after user page error fails shows wrong value please check again issue report "
           "problem seems broken since update customer sees cannot open save load list view button click "
           "server request response data field form report export import settings account login").split()
_TYPES = ["Bug", "Task", "Story", "Improvement"]
_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
_URGENT = ["crash", "outage", "dataloss", "security", "down"]
_MINOR = ["typo", "cosmetic", "alignment", "wording"]


def _words(rng: np.random.RandomState, n: int, prefix: str) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        w = prefix + "".join(rng.choice(_SYLLABLES, size=rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


@dataclass(frozen=True)
class Project:
    records: list[IssueRecord]
    people: list[str]
    departed: dict[str, int]          # accountId -> epoch millis they left
    retired_labels: dict[str, int]    # label -> epoch millis it stopped being used
    label_words: dict[str, list[str]]


def generate(n_issues: int = 3000, n_people: int = 16, n_labels: int = 12, n_components: int = 6,
             days: int = 720, seed: int = 7, leave_fraction: float = 0.25, labelled_fraction: float = 0.7,
             unassigned_fraction: float = 0.05) -> Project:
    rng = np.random.RandomState(seed)
    n_topics = max(n_components, n_people // 2)
    components = [f"Comp{c}" for c in range(n_components)]
    topic_words = [_words(rng, 6, f"t{t}") for t in range(n_topics)]
    topic_component = [components[t % n_components] for t in range(n_topics)]
    people = [f"acct-{p:03d}" for p in range(n_people)]
    # each topic: two owners with 75/25 share; owners of some topics leave mid-way, a newcomer takes over
    owners = [[people[t % n_people], people[(t * 3 + 1) % n_people]] for t in range(n_topics)]
    end_ms = START_MS + days * DAY_MS
    n_leavers = int(round(leave_fraction * n_people))
    leavers = list(rng.choice(n_people, size=n_leavers, replace=False)) if n_leavers else []
    departed: dict[str, int] = {}
    successor: dict[str, str] = {}
    for i, p in enumerate(leavers):
        departed[people[p]] = START_MS + int((0.35 + 0.25 * rng.rand()) * days) * DAY_MS
        successor[people[p]] = f"acct-new-{i:03d}"
    all_people = people + list(successor.values())
    n_reporters = max(4, n_people * 2)
    reporters = [f"rep-{r:03d}" for r in range(n_reporters)]
    reporter_topic = rng.randint(0, n_topics, size=n_reporters)

    label_names = [f"label-{i:03d}" for i in range(n_labels)]
    label_words = {name: _words(rng, 2, f"l{i}") for i, name in enumerate(label_names)}
    label_topic = rng.randint(0, n_topics, size=n_labels)
    retired: dict[str, int] = {}
    replacement: dict[str, str] = {}
    for i in range(0, n_labels, 6):  # every sixth label is renamed at some point
        name = label_names[i]
        retired[name] = START_MS + int((0.4 + 0.2 * rng.rand()) * days) * DAY_MS
        replacement[name] = name + "-v2"
        label_words[name + "-v2"] = label_words[name]

    times = np.sort(START_MS + (rng.rand(n_issues) * days * DAY_MS).astype(np.int64))
    records: list[IssueRecord] = []
    for i in range(n_issues):
        t = int(times[i])
        rep = int(rng.randint(n_reporters))
        topic = int(reporter_topic[rep]) if rng.rand() < 0.6 else int(rng.randint(n_topics))
        kind = _TYPES[int(rng.choice(4, p=[0.45, 0.25, 0.2, 0.1]))]
        words = topic_words[topic]
        summary_words = list(rng.choice(words, size=2)) + list(rng.choice(_COMMON, size=rng.randint(2, 6)))
        desc_words = list(rng.choice(words, size=rng.randint(1, 4))) + list(rng.choice(_COMMON, size=rng.randint(8, 30)))
        # labels: topic-affine label words appear, the label follows its words mostly
        labels: list[str] = []
        for j in np.nonzero(label_topic == topic)[0][:3]:
            if rng.rand() < 0.5:
                name = label_names[j]
                desc_words += list(rng.choice(label_words[name], size=2))
                if rng.rand() < 0.85:
                    labels.append(replacement[name] if name in retired and t >= retired[name] else name)
        if rng.rand() < 0.3:
            name = label_names[int(rng.randint(n_labels))]
            desc_words.append(str(rng.choice(label_words[name])))
            if rng.rand() < 0.8:
                labels.append(replacement[name] if name in retired and t >= retired[name] else name)
        if rng.rand() < 0.01:
            labels.append(f"oneoff-{i}")
        # priority from alarm words and type, with noise
        level = 2
        r = rng.rand()
        if r < 0.12:
            desc_words.append(str(rng.choice(_URGENT)))
            level = 0 if rng.rand() < 0.4 else 1
        elif r < 0.27:
            desc_words.append(str(rng.choice(_MINOR)))
            level = 3 if rng.rand() < 0.7 else 4
        elif kind == "Bug" and rng.rand() < 0.3:
            level = 1
        if rng.rand() < 0.15:
            level = int(rng.randint(5))
        rng.shuffle(desc_words)
        owner = owners[topic][0] if rng.rand() < 0.75 else owners[topic][1]
        if owner in departed and t >= departed[owner]:
            owner = successor[owner]
        assignee = None if rng.rand() < unassigned_fraction else owner
        if rng.rand() < 0.08 and assignee is not None:  # noise: someone else picked it up
            assignee = all_people[int(rng.randint(n_people))]
            if assignee in departed and t >= departed[assignee]:
                assignee = successor[assignee]
        comps = [topic_component[topic]]
        if rng.rand() < 0.1:
            comps.append(components[int(rng.randint(n_components))])
        keep_labels = rng.rand() < labelled_fraction
        description = " ".join(desc_words)
        if kind == "Bug" and rng.rand() < 0.2:
            description += f"\njava.lang.IllegalStateException: {words[0]}\n\tat com.acme.{words[1]}.run(X.java:{i % 97})"
        records.append(IssueRecord(
            id=10_000 + i, key=f"PRJ-{i + 1}", summary=" ".join(summary_words).capitalize(), text=description,
            type=kind, components=tuple(dict.fromkeys(comps)), labels=tuple(dict.fromkeys(labels)) if keep_labels else (),
            priority=_PRIORITIES[level], assignee=assignee, reporter=reporters[rep], created=t,
            updated=t + int(rng.randint(0, 10)) * DAY_MS))
    return Project(records, all_people, departed, retired, label_words)


def _adf(text: str) -> dict[str, Any]:
    """Description as ADF: first line a paragraph, a stack trace (if any) a code block."""
    first, _, rest = text.partition("\n")
    content: list[dict[str, Any]] = [{"type": "paragraph", "content": [{"type": "text", "text": first}]}]
    if rest:
        content.append({"type": "codeBlock", "content": [{"type": "text", "text": rest}]})
    return {"type": "doc", "version": 1, "content": content}


def _jira_time(ms: int) -> str:
    from datetime import datetime, timezone
    dt = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+0000"


def to_jira(r: IssueRecord) -> dict[str, Any]:
    """A record as Jira REST v3 ``search/jql`` returns it."""
    return {
        "id": str(r.id), "key": r.key,
        "fields": {
            "summary": r.summary, "description": _adf(r.text) if r.text else None,
            "assignee": {"accountId": r.assignee} if r.assignee else None,
            "reporter": {"accountId": r.reporter} if r.reporter else None,
            "labels": list(r.labels), "components": [{"name": c} for c in r.components],
            "priority": {"name": r.priority} if r.priority else None,
            "issuetype": {"name": r.type} if r.type else None,
            "created": _jira_time(r.created) if r.created is not None else None,
        },
    }


def to_jsonl(records: list[IssueRecord]) -> str:
    return "".join(json.dumps(to_jira(r)) + "\n" for r in records)
