"""Text that cannot break the pipeline: NUL (the tokenizer's old batch separator) and other control characters,
lone surrogates, noncharacters, zero-width and bidi marks, emoji, CJK, combining marks, case mappings that change
length or depend on context, huge, empty, null and JSON-looking fields.

Seeded property tests (see ``adversarial.py``), written against public behaviour only (``Engine.train`` /
``predict`` / ``explain``, ``bin/evaluate``'s ``main``, ``adf_to_text``, the record parsers), so they hold
whatever the features and calibration become:

- an issue's predictions and explanations do not depend on the batch it is in: alone = in any batch, and adding
  adversarial issues to a batch leaves every other issue's answer exactly as it was;
- training succeeds whatever the text (adversarial summaries, descriptions, labels, components, reporters; every
  description holding NUL);
- the offline evaluation reads JSON Lines carrying such text (escaped NUL and lone surrogates, raw UTF-8);
- ADF and records keep the text as it is.
"""
from __future__ import annotations

import json
import random
import unicodedata
from typing import Any

import pytest

from adversarial import ALL_ATOMS, FAMILIES, adversarial_text, cases, field_value, megabyte
from triage_ml import evaluate_cli
from triage_ml.adf import MAX_CHARS, adf_json_to_text, adf_to_text
from triage_ml.engine import Engine, unframe
from triage_ml.records import parse_dataset, record_from_dataset, record_from_jira, record_to_dataset
from triage_ml.synthetic import generate, to_jira
from triage_ml.trainer import TARGETS

SEED = 20261207
TOP_K = 3
MAX_FEATURES = 5
WEIRD_LABEL = "\U0001F4A5\x00\ud800 \u202eboom"      # a label (and so a class name) holding the worst of it
WEIRD_COMPONENT = "Comp\u200d\u0130\x00"
WEIRD_REPORTER = "rep-\x00\udfff"


def payload(doc: Any) -> bytes:
    """UTF-8 JSON as Java sends it: raw UTF-8, a lone surrogate as its ``\\uXXXX`` escape (it has no UTF-8 form;
    json.dumps escapes backslashes, so the ``backslashreplace`` of one can only ever be that escape)."""
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "backslashreplace")


def adversarial_dataset(records, seed: int, share: float) -> list[dict[str, Any]]:
    """Synthetic issues in the app's dataset form, ``share`` of them with adversarial text around their own
    (so they stay learnable) or instead of it, and some adversarial labels, components and reporters."""
    rng = random.Random(seed)
    out = []
    for r in records:
        d = record_to_dataset(r)
        if rng.random() < share:
            mode = rng.random()
            if mode < 0.4:
                d["summary"] = adversarial_text(rng) + " " + r.summary + " " + adversarial_text(rng)
                d["text"] = adversarial_text(rng) + "\x00" + r.text + adversarial_text(rng)
            elif mode < 0.7:
                d["summary"] = r.summary.replace(" ", rng.choice(["\x00", "\u200b", "\u3000", "\u2028"]))
                d["text"] = field_value(rng)
            else:
                d["summary"], d["text"] = field_value(rng), field_value(rng)
        # The adversarial label goes with a real one (so it is learnable: its name is what is adversarial).
        if rng.random() < 0.1 or (d["labels"] and d["labels"][0] == "label-001"):
            d["labels"] = d["labels"] + [WEIRD_LABEL]
        if rng.random() < 0.2:
            d["components"] = d["components"] + [WEIRD_COMPONENT]
        if rng.random() < 0.1:
            d["reporter"] = WEIRD_REPORTER
        out.append(d)
    return out


def request(d: dict[str, Any]) -> dict[str, Any]:
    """What is known when an issue is predicted for."""
    return {k: d.get(k) for k in ("summary", "text", "type", "components", "reporter")}


def adversarial_request(rng: random.Random) -> dict[str, Any]:
    issue: dict[str, Any] = {"summary": field_value(rng), "text": field_value(rng),
                             "type": rng.choice(["Bug", "Task", None, "", "\x00", "Bug\u200b", 7]),
                             "components": rng.choice([[], ["Comp1"], [WEIRD_COMPONENT, "Comp2"], None, "Comp1",
                                                       [None, 3, "\ud800"]]),
                             "reporter": rng.choice(["rep-001", WEIRD_REPORTER, None, "", "\ufeff"])}
    if rng.random() < 0.05:
        issue["text"] = megabyte(rng)
    if rng.random() < 0.05:
        issue["summary"] = rng.choice([42, ["a"], {"text": "x"}, True])
    return issue


def answer_rows(engine: Engine, how: str, model_id: str, issues: list[dict[str, Any]]) -> list[Any]:
    data = payload({"issues": issues})
    text = (engine.predict(model_id, data, TOP_K) if how == "predict"
            else engine.explain(model_id, data, TOP_K, MAX_FEATURES))
    rows = json.loads(text)["predictions"]
    assert len(rows) == len(issues)
    return rows


@pytest.fixture(scope="module")
def project():
    return generate(1200, n_people=8, n_labels=6, n_components=4, seed=SEED % 1000)


@pytest.fixture(scope="module")
def trained(project):
    """Every target trained on a dataset where 40% of the issues carry adversarial text."""
    engine = Engine()
    dataset = adversarial_dataset(project.records[:1000], SEED, 0.4)
    results = {}
    for target in TARGETS:
        result, blob = unframe(engine.train(target, payload({"issues": dataset}), '{}', None))
        results[target] = result
        if blob:
            engine.load(target, blob)
    return engine, results, dataset


def test_every_target_trains_on_adversarial_text(trained) -> None:
    _, results, dataset = trained
    assert sum(d["summary"] is None or "\x00" in d["summary"] for d in dataset) >= 20  # the dataset is adversarial
    for target in TARGETS:
        assert results[target]["status"] == "trained", (target, results[target])
    # The adversarial label and component are ordinary values to learn, kept exactly.
    assert WEIRD_LABEL in results["labels"]["classes"]
    assert WEIRD_COMPONENT in results["components"]["classes"]


@pytest.mark.parametrize("target", TARGETS)
def test_batch_answers_are_each_issues_own_answer(project, trained, target) -> None:
    """For predict and explain: each issue alone = in a mixed batch, and adversarial issues added to a batch of
    ordinary ones change none of theirs."""
    engine = trained[0]
    rng = random.Random(SEED + TARGETS.index(target))
    ordinary = [request(record_to_dataset(r)) for r in project.records[1000:1040]]
    weird = [adversarial_request(rng) for _ in range(40)]
    # The NUL-only and separator-like issues at both ends of a batch, where a shifted boundary shows first.
    weird[0] = {"summary": "\x00", "text": "\x00"}
    weird[-1] = {"summary": "crash\x00", "text": "\x00outage"}
    mixed = ordinary + weird
    rng.shuffle(mixed)
    mixed = [weird[0]] + mixed + [weird[-1]]
    where = [mixed.index(o) for o in ordinary]

    for how in ("predict", "explain"):
        clean = answer_rows(engine, how, target, ordinary)
        together = answer_rows(engine, how, target, mixed)
        assert [together[i] for i in where] == clean, how
        for i, issue in enumerate(mixed):
            assert answer_rows(engine, how, target, [issue]) == [together[i]], (how, i, issue)
        # Something is predicted at all (else the equalities above prove little).
        assert sum(bool(row) for row in together) >= len(mixed) // 4, how
        if how == "explain":
            assert any(v["because"] for row in together for v in row)


def test_every_atom_alone_and_in_a_batch(trained) -> None:
    """Each atom of every family as a whole summary and description, one batch of them all, every target."""
    engine = trained[0]
    issues = [{"summary": f"login {atom} crash", "text": atom + " page error " + atom} for atom in ALL_ATOMS]
    issues += [{"summary": atom, "text": atom} for atom in ALL_ATOMS]
    for target in TARGETS:
        for how in ("predict", "explain"):
            together = answer_rows(engine, how, target, issues)
            for i in range(0, len(issues), 7):  # alone for a seventh of them: the full cross is in the test above
                assert answer_rows(engine, how, target, [issues[i]]) == [together[i]], (target, how, issues[i])
            # A NUL inside a document is a space, not a boundary: "a\x00b" reads as "a b".
            nul = answer_rows(engine, how, target, [{"summary": "login\x00crash", "text": "page\x00error"},
                                                    {"summary": "login crash", "text": "page error"}])
            assert nul[0] == nul[1], (target, how)


def test_class_names_with_adversarial_text_come_back_exactly(trained) -> None:
    engine = trained[0]
    issues = [request(d) for d in trained[2] if WEIRD_LABEL in (d["labels"] or [])][:50]
    rows = answer_rows(engine, "explain", "labels", issues)
    values = {v["value"] for row in rows for v in row}
    # Whatever is suggested is a value the model knows, lone surrogate and NUL included.
    assert values <= set(trained[1]["labels"]["classes"])


def test_training_when_every_description_holds_nul(project) -> None:
    engine = Engine()
    rng = random.Random(SEED + 1)
    dataset = []
    for r in project.records[:600]:
        d = record_to_dataset(r)
        words = d["text"].split(" ")
        at = rng.randrange(len(words) + 1)
        d["text"] = " ".join(words[:at] + ["\x00" * rng.randint(1, 3)] + words[at:])
        if rng.random() < 0.3:
            d["summary"] = d["summary"] + "\x00"
        dataset.append(d)
    assert all("\x00" in d["text"] for d in dataset)
    served = 0
    for target in TARGETS:
        result, blob = unframe(engine.train(target, payload({"issues": dataset}), '{}', None))
        # A model that loses to its baseline on 600 issues is not served; that is no failure.
        assert result["status"] in ("trained", "below_baseline"), (target, result)
        assert bool(blob) == (result["status"] == "trained")
        if not blob:
            continue
        served += 1
        engine.load(target, blob)
        issues = [request(d) for d in dataset[-30:]]
        together = answer_rows(engine, "explain", target, issues)
        assert [answer_rows(engine, "explain", target, [i])[0] for i in issues] == together
    assert served >= 3


def test_training_on_nothing_but_adversarial_text_does_not_fail(project) -> None:
    """No usable words at all: every summary and description is adversarial (or null, empty, huge)."""
    engine = Engine()
    rng = random.Random(SEED + 2)
    dataset = []
    for r in project.records[:400]:
        d = record_to_dataset(r)
        d["summary"], d["text"] = field_value(rng), field_value(rng)
        dataset.append(d)
    dataset[7]["text"] = megabyte(rng)
    for target in TARGETS:
        result, blob = unframe(engine.train(target, payload({"issues": dataset}), '{}', None))
        # No words to learn from: the model may lose to its baseline (then it is not served), never fail.
        assert result["status"] in ("trained", "below_baseline"), (target, result)
        assert result["holdout"] is not None and bool(blob) == (result["status"] == "trained")


def _jira_issue(rng: random.Random, r) -> dict[str, Any]:
    issue = to_jira(r)
    fields = issue["fields"]
    choice = rng.random()
    if choice < 0.3:
        fields["summary"] = adversarial_text(rng) + " " + r.summary
        fields["description"] = {"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": adversarial_text(rng)},
                                              {"type": "emoji", "attrs": {"shortName": ":boom:", "text": "\U0001F4A5"}},
                                              {"type": "mention", "attrs": {"text": "@\u202eAlice\x00"}},
                                              {"type": "text", "text": r.text}]},
            {"type": "codeBlock", "content": [{"type": "text", "text": adversarial_text(rng)}]}]}
    elif choice < 0.4:
        fields["summary"], fields["description"] = field_value(rng), field_value(rng)  # v2-style plain strings
    elif choice < 0.45:
        fields["summary"] = None
        fields["description"] = None
    if rng.random() < 0.2:
        fields["labels"] = fields["labels"] + [WEIRD_LABEL, adversarial_text(rng, 3)]
    return issue


def test_evaluate_reads_jsonl_with_adversarial_text(tmp_path, capsys) -> None:
    """Escaped NUL and lone surrogates, raw control-free UTF-8 (U+2028, U+0085 and emoji unescaped)."""
    rng = random.Random(SEED + 3)
    records = generate(400, n_people=6, n_labels=4, seed=3).records
    lines = []
    for i, r in enumerate(records):
        issue = _jira_issue(rng, r)
        if i % 2:
            line = json.dumps(issue)                                    # \u0000, \ud800 escapes, all ASCII
        else:
            line = json.dumps(issue, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")
        lines.append(line)
    assert any("\\u0000" in line for line in lines) and any("\\ud800" in line.lower() for line in lines)
    assert any("\u2028" in line for line in lines) and any("\x85" in line for line in lines)
    path = tmp_path / "adversarial.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert evaluate_cli.main([str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["issues"] == len(records)
    assert out["targets"]["assignee"] is not None and out["targets"]["priority"] is not None
    assert evaluate_cli.main([str(path)]) == 0
    assert "assignee" in capsys.readouterr().out


# -- ADF and records ---------------------------------------------------------------------------------------------

_JAVA_SPACE = set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")


def _java_whitespace(ch: str) -> bool:
    """``Character.isWhitespace`` as its Javadoc defines it."""
    return ch in _JAVA_SPACE or (unicodedata.category(ch) in ("Zs", "Zl", "Zp") and ch not in "\u00a0\u2007\u202f")


def _java_strip(s: str) -> str:
    a, b = 0, len(s)
    while a < b and _java_whitespace(s[a]):
        a += 1
    while b > a and _java_whitespace(s[b - 1]):
        b -= 1
    return s[a:b]


def _cut(s: str) -> str:
    """The first MAX_CHARS UTF-16 units, an astral character that would straddle the cut left out."""
    units = 0
    for i, ch in enumerate(s):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_CHARS:
            return s[:i]
    return s


def _units(s: str) -> bytes:
    return s.encode("utf-16-le", "surrogatepass")


def _doc(*texts: str) -> dict[str, Any]:
    return {"type": "doc", "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": t}]} for t in texts]}


def test_adf_keeps_every_atom_verbatim() -> None:
    for atom in ALL_ATOMS:
        assert adf_to_text(_doc("a" + atom + "b")) == "a" + atom + "b", repr(atom)
        assert adf_to_text("a" + atom + "b") == "a" + atom + "b", repr(atom)
        assert adf_to_text(_doc(atom)) == _java_strip(atom), repr(atom)
        # the same through JSON text (escapes for NUL and the surrogates)
        assert adf_json_to_text(json.dumps(_doc("a" + atom + "b"))) == "a" + atom + "b", repr(atom)


def test_adf_of_random_adversarial_documents() -> None:
    for texts in cases(SEED + 4, 300, lambda rng: [adversarial_text(rng) for _ in range(rng.randint(1, 6))]):
        expected = "".join(t if not t or t.endswith("\n") else t + "\n" for t in texts)
        assert adf_to_text(_doc(*texts)) == _cut(_java_strip(expected)), texts
        # text nodes inside marks, lists, tables and unknown nodes: never an error, always a str
        nested = {"type": "doc", "content": [{"type": "table", "content": [{"type": "tableRow", "content": [
            {"type": "tableCell", "content": [{"type": "futureNode", "content": [{"type": "text", "text": t}]}]}
            for t in texts]}]}]}
        assert isinstance(adf_to_text(nested), str)


def test_adf_cut_never_splits_a_character_and_keeps_lone_surrogates_as_one_unit() -> None:
    emoji = "\U0001F4A5"
    # the cut falls between the two UTF-16 units of the emoji: it goes whole (as Java's AdfText does)
    assert adf_to_text("x" * (MAX_CHARS - 1) + emoji + "y") == "x" * (MAX_CHARS - 1)
    assert adf_to_text(_doc("x" * (MAX_CHARS - 1) + emoji + "y")) == "x" * (MAX_CHARS - 1)
    # a lone surrogate is one unit, as in Java
    assert adf_to_text("x" * (MAX_CHARS - 1) + "\ud800" + "y") == "x" * (MAX_CHARS - 1) + "\ud800"
    rng = random.Random(SEED + 5)
    huge = adf_to_text(_doc(megabyte(rng)))
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in huge)
    assert MAX_CHARS - 1 <= units <= MAX_CHARS


def test_records_keep_adversarial_fields_exactly() -> None:
    for d in cases(SEED + 6, 300, lambda rng: {"summary": field_value(rng), "text": field_value(rng),
                                                "labels": [adversarial_text(rng, 3), WEIRD_LABEL],
                                                "components": [{"name": WEIRD_COMPONENT}],
                                                "reporter": WEIRD_REPORTER, "type": "\u202eBug"}):
        # Through JSON text, escapes of a high then a low surrogate are one character (as in Java's UTF-16): so
        # compare UTF-16 code units, which is what both sides hold.
        d = json.loads(payload(d))
        parsed = parse_dataset(payload({"issues": [d]}))[0]
        assert parsed == record_from_dataset(d)
        assert _units(parsed.summary) == _units(d["summary"] or "") and _units(parsed.text) == _units(d["text"] or "")
        assert parsed.labels == tuple(dict.fromkeys(d["labels"]))
        assert parsed.components == (WEIRD_COMPONENT,) and parsed.reporter == WEIRD_REPORTER
        assert parsed.type == "\u202eBug"
        jira = record_from_jira({"id": "1", "key": "K-1", "fields": {
            "summary": d["summary"], "description": _doc(d["text"]) if isinstance(d["text"], str) else None,
            "labels": d["labels"], "reporter": {"accountId": WEIRD_REPORTER}}})
        assert jira.summary == (d["summary"] or "")
        assert jira.text == (_cut(_java_strip(d["text"])) if isinstance(d["text"], str) else "")
        assert jira.reporter == WEIRD_REPORTER


def test_families_are_all_exercised() -> None:
    """The generator draws from every family (a guard against a family silently dropping out)."""
    seen = set()
    for s in cases(SEED, 500, adversarial_text):
        for name, atoms in FAMILIES.items():
            if any(a in s for a in atoms):
                seen.add(name)
    assert seen == set(FAMILIES)
