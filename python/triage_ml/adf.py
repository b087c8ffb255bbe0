"""Atlassian Document Format (ADF) to plain text, the same text the Java side's ``AdfText`` produces.

Both sides must agree byte for byte: the Java app stores descriptions as text and trains on it, while the
offline evaluation reads raw Jira JSON. Java semantics are mirrored, including Jackson's ``asText`` (null node
gives ``"null"``, numbers their decimal form, containers ``""``), ``String.strip`` (Java whitespace, not Unicode
spaces such as U+00A0) and lengths counted in UTF-16 code units.
"""
from __future__ import annotations

import json
from typing import Any

MAX_CHARS = 32_000

_BLOCKS = frozenset({
    "paragraph", "heading", "codeBlock", "blockquote", "listItem", "bulletList", "orderedList", "panel",
    "rule", "table", "tableRow", "tableCell", "tableHeader", "mediaSingle", "expand", "nestedExpand",
    "taskList", "taskItem", "decisionList", "decisionItem",
})

_MISSING = object()


def _java_is_whitespace(ch: str) -> bool:
    """``Character.isWhitespace``: space/line/paragraph separators except no-break spaces, plus C0 separators."""
    if ch in "\t\n\u000b\f\r\u001c\u001d\u001e\u001f":
        return True
    if ch in "\u00a0\u2007\u202f":
        return False
    import unicodedata
    return unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def _java_strip(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _java_is_whitespace(text[start]):
        start += 1
    while end > start and _java_is_whitespace(text[end - 1]):
        end -= 1
    return text[start:end]


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


def _cut(text: str) -> str:
    """Java's ``substring(0, MAX_CHARS)`` in UTF-16 units; a surrogate pair split by the cut is dropped whole."""
    if len(text) <= MAX_CHARS // 2 or _utf16_len(text) <= MAX_CHARS:
        return text
    units = 0
    for i, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > MAX_CHARS:
            return text[:i]
        units += width
    return text


def _as_text(value: Any, default: str = "") -> str:
    """Jackson ``JsonNode.asText()`` of a parsed JSON value (``_MISSING`` for a missing node)."""
    if value is _MISSING:
        return default
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else f"{value:.1f}"
    return ""


def _as_text_or(value: Any, default: str) -> str:
    """``asText(default)``: the default for missing or null nodes."""
    if value is _MISSING or value is None:
        return default
    return _as_text(value)


def _path(node: Any, name: str) -> Any:
    return node.get(name, _MISSING) if isinstance(node, dict) else _MISSING


class _Text:
    __slots__ = ("parts", "units", "last")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.units = 0
        self.last = ""

    def append(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.units += _utf16_len(s)
            self.last = s[-1]


def _walk(node: Any, out: _Text) -> None:
    if out.units > MAX_CHARS:
        return
    kind = _as_text(_path(node, "type"))
    attrs = _path(node, "attrs")
    if kind == "text":
        out.append(_as_text(_path(node, "text")))
    elif kind == "hardBreak":
        out.append("\n")
    elif kind == "mention" or kind == "status":
        out.append(_as_text(_path(attrs, "text")))
    elif kind == "emoji":
        out.append(_as_text_or(_path(attrs, "text"), _as_text(_path(attrs, "shortName"))))
    elif kind in ("inlineCard", "blockCard", "embedCard"):
        out.append(_as_text(_path(attrs, "url")))
    elif kind == "date":
        out.append(_as_text(_path(attrs, "timestamp")))
    else:
        block = kind in _BLOCKS
        if block and out.units > 0 and out.last != "\n":
            out.append("\n")
        content = _path(node, "content")
        children = content if isinstance(content, list) else list(content.values()) if isinstance(content, dict) else ()
        for child in children:
            _walk(child, out)
        if block and out.units > 0 and out.last != "\n":
            out.append("\n")


def adf_to_text(adf: Any) -> str:
    """Plain text of a parsed ADF document, a plain-string description (v2 API) or None."""
    if adf is None:
        return ""
    if isinstance(adf, str):
        return _cut(adf)
    out = _Text()
    _walk(adf, out)
    return _cut(_java_strip("".join(out.parts)))


def adf_json_to_text(adf_json: str) -> str:
    return adf_to_text(json.loads(adf_json))
