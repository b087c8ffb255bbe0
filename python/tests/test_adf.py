import json

from triage_ml.adf import MAX_CHARS, adf_to_text


def test_java_reference_document() -> None:
    """The same document and expected text as the Java AdfTextTest."""
    adf = json.loads("""
    {"type":"doc","version":1,"content":[
      {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Steps to reproduce"}]},
      {"type":"paragraph","content":[
        {"type":"text","text":"Open the "},{"type":"text","text":"login","marks":[{"type":"strong"}]},
        {"type":"text","text":" page as "},{"type":"mention","attrs":{"id":"abc","text":"@Alice"}},
        {"type":"hardBreak"},{"type":"text","text":"then click "},{"type":"emoji","attrs":{"shortName":":boom:"}}]},
      {"type":"codeBlock","attrs":{"language":"java"},"content":[{"type":"text",
        "text":"java.lang.NullPointerException\\n\\tat com.acme.Login.submit(Login.java:42)"}]},
      {"type":"bulletList","content":[
        {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"Chrome"}]}]},
        {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"inlineCard","attrs":{"url":"https://x.example/1"}}]}]}]},
      {"type":"futureNode","content":[{"type":"text","text":"still readable"}]}
    ]}""")
    assert adf_to_text(adf) == (
        "Steps to reproduce\nOpen the login page as @Alice\nthen click :boom:\n"
        "java.lang.NullPointerException\n\tat com.acme.Login.submit(Login.java:42)\n"
        "Chrome\nhttps://x.example/1\nstill readable")


def test_null_plain_and_empty() -> None:
    assert adf_to_text(None) == ""
    assert adf_to_text("plain v2 text") == "plain v2 text"
    assert adf_to_text("  kept as is \n") == "  kept as is \n"  # a string is only cut, never stripped
    assert adf_to_text({"type": "doc", "version": 1, "content": []}) == ""


def test_nested_lists_and_inline_nodes() -> None:
    item = lambda *c: {"type": "listItem", "content": list(c)}  # noqa: E731
    para = lambda t: {"type": "paragraph", "content": [{"type": "text", "text": t}]}  # noqa: E731
    adf = {"type": "doc", "content": [
        {"type": "orderedList", "content": [
            item(para("one"), {"type": "bulletList", "content": [item(para("one.a")), item(para("one.b"))]}),
            item(para("two"))]},
        {"type": "paragraph", "content": [
            {"type": "emoji", "attrs": {"shortName": ":x:", "text": "❌"}},
            {"type": "date", "attrs": {"timestamp": "1700000000000"}},
            {"type": "status", "attrs": {"text": "IN PROGRESS"}},
            {"type": "mention", "attrs": {"id": "1"}}]},
        {"type": "rule"},
        {"type": "blockCard", "attrs": {"url": "https://b.example"}}]}
    assert adf_to_text(adf) == "one\none.a\none.b\ntwo\n❌1700000000000IN PROGRESS\nhttps://b.example"


def test_code_block_keeps_stack_trace_verbatim() -> None:
    trace = "Exception in thread \"main\" java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)"
    adf = {"type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Crash:"}]},
                                      {"type": "codeBlock", "content": [{"type": "text", "text": trace}]}]}
    assert adf_to_text(adf) == "Crash:\n" + trace


def test_huge_documents_are_cut_and_java_whitespace_rules() -> None:
    big = "x" * (MAX_CHARS * 2)
    assert len(adf_to_text({"type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", "text": big}]}]})) == MAX_CHARS
    assert len(adf_to_text(big)) == MAX_CHARS
    # Java's strip keeps no-break spaces; a null text node reads "null" like Jackson's asText
    assert adf_to_text({"type": "doc", "content": [{"type": "text", "text": "\u00a0a "}]}) == "\u00a0a"
    assert adf_to_text({"type": "doc", "content": [{"type": "text", "text": None}]}) == "null"
    # lengths are UTF-16 units: an astral character counts two
    emoji = "\U0001F600" * (MAX_CHARS // 2 + 5)
    assert len(adf_to_text(emoji)) == MAX_CHARS // 2
