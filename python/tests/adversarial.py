"""Seeded generator of adversarial issue text: what Jira (and JSON) allow in a summary or description, and what
has broken, or could break, a text pipeline that joins, lower-cases, splits, cuts or encodes it.

``hypothesis`` is not among the test requirements; this is its poor relation: a ``random.Random(seed)`` mixing
the atoms below with ordinary words, deterministic for a seed, so a failure names its seed and case.
"""
from __future__ import annotations

import random
from typing import Any, Callable

# Atoms, by family. Every family is drawn; ``ALL_ATOMS`` keeps them flat for tests that want each one alone.
FAMILIES: dict[str, list[str]] = {
    # NUL is also the tokenizer's batch separator: the bug this module was written for.
    "nul_and_separator": ["\x00", "\x00\x00", " \x00 ", "a\x00b", "\x00login\x00"],
    "c0_controls": [chr(c) for c in range(1, 32)] + ["\x7f"],
    "c1_controls": [chr(c) for c in range(0x80, 0xA0)],  # U+0085 (NEL) among them
    # json.loads('"\\ud800"') gives a str holding a lone surrogate; Java hands such Strings over too.
    "lone_surrogates": ["\ud800", "\udbff", "\udc00", "\udfff", "x\ud83d", "\ude00y", "\udc00\ud800"],
    "noncharacters": ["\uffff", "\ufffe", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"],
    "zero_width": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "lo\u200bgin", "cr\u200dash"],
    "bidi": ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2068", "\u2069", "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd",
             "\u0645\u0631\u062d\u0628\u0627"],
    "emoji": ["\U0001F600", "\U0001F4A5", "\U0001F469\u200D\U0001F4BB", "\U0001F44D\U0001F3FD",
              "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", "\U0001F3F3\uFE0F\u200D\U0001F308",
              "\U0001F1E9\U0001F1EA", "\u2764\ufe0f", "crash\U0001F4A5outage"],
    "cjk": ["\u767b\u5f55\u9875\u9762\u65e0\u6cd5\u52a0\u8f7d\u7528\u6237\u6570\u636e",
            "\u30ed\u30b0\u30a4\u30f3\u3067\u304d\u307e\u305b\u3093", "\ub85c\uadf8\uc778\uc2e4\ud328",
            "\u6570\u636e\u5e93\u3002\u9519\u8bef\uff0c\u8d85\u65f6", "\U00020000\U0002a6d6"],
    "combining": ["e\u0301", "a\u0308\u0323", "\u0301", "Z\u0351\u0352\u0353\u0354\u0355\u0356",
                  "n\u0303o\u0303", "\u0915\u094d\u0937"],
    "case_mapping": ["\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", "\u03a3", "\u03a3\u0391\u03a3",
                     "\u03c3\u03c2", "\u0130STANBUL", "\u0130", "\u0131", "I\u0307", "\u00df", "STRASSE",
                     "\ufb01le", "\u2167", "\u1e9e", "\u0149", "\u01c5"],
    "spaces_and_breaks": ["\u00a0", "\u2007", "\u202f", "\u3000", "\u2028", "\u2029", "\u0085", "\t", "\r\n",
                          "\r", "\v", "\f", "\u1680", "\u180e"],
    "json_like": ['{"issues": []}', '"', "\\", "\\u0000", '\\"', '"}]}', "null", "[1, 2]", "\\ud800",
                  "{\"type\":\"doc\"}", "'; DROP TABLE issue; --", "</script>", "${jndi:x}", "%s%n"],
}
ALL_ATOMS: list[str] = [a for atoms in FAMILIES.values() for a in atoms]

# Ordinary words, some of them the synthetic projects' own, so adversarial issues still carry known tokens.
WORDS = ["login", "crash", "outage", "page", "error", "fails", "user", "typo", "cosmetic", "export", "server",
         "invoice", "payment", "session", "the", "when", "after", "LOGIN", "Crash", "timeout"]


def adversarial_text(rng: random.Random, max_parts: int = 12, words: list[str] | None = None) -> str:
    """A string mixing atoms of several families with words, glued with or without spaces."""
    vocabulary = words or WORDS
    parts: list[str] = []
    for _ in range(rng.randint(1, max_parts)):
        r = rng.random()
        if r < 0.45:
            parts.append(rng.choice(vocabulary))
        elif r < 0.9:
            parts.append(rng.choice(FAMILIES[rng.choice(list(FAMILIES))]))
        else:
            parts.append(rng.choice(ALL_ATOMS) * rng.randint(2, 20))
    glue = rng.choice([" ", "", "\x00", "\u200b", "\n"])
    return glue.join(parts)


def field_value(rng: random.Random, words: list[str] | None = None) -> Any:
    """A summary or description as JSON may carry it: mostly adversarial text, sometimes null, empty,
    whitespace-only, a string that looks like JSON, or a very long text."""
    r = rng.random()
    if r < 0.05:
        return None
    if r < 0.10:
        return ""
    if r < 0.15:
        return rng.choice([" ", "\t\n ", "\u00a0\u3000", "\u200b\u200b", "\x00", "\x00 \x00"])
    if r < 0.17:
        return adversarial_text(rng, words=words) * 50
    return adversarial_text(rng, words=words)


def megabyte(rng: random.Random) -> str:
    """A ~1 MB description (in code points) made of adversarial text."""
    chunk = "".join(adversarial_text(rng, 20) for _ in range(40))
    return (chunk * (1_000_000 // max(len(chunk), 1) + 1))[:1_000_000]


def cases(seed: int, n: int, make: Callable[[random.Random], Any]) -> list[Any]:
    rng = random.Random(seed)
    return [make(rng) for _ in range(n)]
