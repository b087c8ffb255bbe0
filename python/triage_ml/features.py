"""Issue features: word uni- and bigram TF-IDF of summary and description, plus issue type, components and
reporter as one-hot blocks, in one sparse row per issue.

The tokenizer is vectorised for throughput (prediction must stay far above 50,000 issues/s): a whole batch is
lower-cased and joined with a separator, one regex pass finds every token, one C-level ``map(dict.get)`` turns
them into ids and bigrams are looked up with ``searchsorted`` on packed id pairs. sklearn's ``CountVectorizer``
with bigrams managed ~42,000 docs/s on the synthetic project; this does several times that (see MODELS.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from .records import IssueRecord

SEP = "\x00"
# ASCII punctuation and common Unicode punctuation become spaces; str.translate + split is ~2.5x faster than
# a \w regex findall. Tokens shorter than two characters are never features (as in sklearn's default).
_PUNCT = {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c in "_\x00")}
_PUNCT.update({c: " " for c in map(chr, list(range(0x80, 0xC0)) + list(range(0x2000, 0x2070)) + [0x3000, 0x3001, 0x3002, 0xFF0C])
               if not c.isalnum()})
_PUNCT.update({c: c.lower() for c in map(chr, range(ord("A"), ord("Z") + 1))})
_TABLE = str.maketrans(_PUNCT)
DESCRIPTION_CHARS = 2000   # the beginning of a description carries the signal; bounds the cost per issue


@dataclass
class Batch:
    """Columnar view of issues: what the featurizer needs, cheap to build from records or raw dicts."""
    summary: list[str]
    text: list[str]
    type: list[str | None]
    components: list[Sequence[str]]
    reporter: list[str | None]

    def __len__(self) -> int:
        return len(self.summary)

    @staticmethod
    def from_records(records: Sequence[IssueRecord]) -> "Batch":
        return Batch([r.summary for r in records], [r.text for r in records], [r.type for r in records],
                     [r.components for r in records], [r.reporter for r in records])

    @staticmethod
    def from_dicts(items: Sequence[Any]) -> "Batch":
        """Straight from the parsed ``{"issues": [...]}`` (prediction path; skips building records)."""
        def s(v: Any) -> str:
            return v if isinstance(v, str) else ""

        def o(v: Any) -> str | None:
            return v if isinstance(v, str) and v else None

        def lst(v: Any) -> list[str]:
            return [c for c in v if isinstance(c, str)] if isinstance(v, list) else []

        g = [it if isinstance(it, dict) else {} for it in items]
        return Batch([s(d.get("summary")) for d in g], [s(d.get("text")) for d in g], [o(d.get("type")) for d in g],
                     [lst(d.get("components")) for d in g], [o(d.get("reporter")) for d in g])

    def take(self, idx: Sequence[int]) -> "Batch":
        return Batch([self.summary[i] for i in idx], [self.text[i] for i in idx], [self.type[i] for i in idx],
                     [self.components[i] for i in idx], [self.reporter[i] for i in idx])


def tokenize(batch: Batch) -> list[str]:
    """All tokens of a batch in order, documents separated by a ``SEP`` token."""
    docs = [f"{a} {b[:DESCRIPTION_CHARS]}" for a, b in zip(batch.summary, batch.text)]
    joined = SEP.join(docs)
    if joined.count(SEP) != max(len(docs) - 1, 0):  # a field holds the separator itself (NUL is valid Jira text)
        joined = SEP.join(d.replace(SEP, " ") for d in docs)
    if not joined.isascii():
        joined = joined.lower()
    return joined.translate(_TABLE).replace(SEP, " " + SEP + " ").split()


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of int64 keys by one in-place sort: several times faster than its hash-based path here."""
    keys = np.sort(keys)
    if not len(keys):
        return keys
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


class Tokens:
    """A tokenized batch as ids into its own list of distinct tokens; reused by every fit and transform of one
    training call. ``doc`` is the document of each (non-separator) token."""

    def __init__(self, batch: Batch) -> None:
        self.n = len(batch)
        tokens = tokenize(batch)
        index = dict.fromkeys(tokens)
        self.uniq: list[str] = list(index)
        for i, w in enumerate(self.uniq):
            index[w] = i
        gid = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        sep = index.get(SEP, -1)
        is_sep = gid == sep
        self.doc = np.cumsum(is_sep)[~is_sep]
        self.gid = gid[~is_sep]


class HashTable:
    """Open addressing (linear probing, load <= 0.5) from non-negative int64 keys to columns, looked up with
    vectorised probes: several times faster than ``searchsorted`` on the sorted keys."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        size = 1 << max(4, int(2 * max(len(keys), 1) - 1).bit_length())
        self.mask = np.uint64(size - 1)
        self.shift = np.uint64(64 - (size.bit_length() - 1))
        self.keys = np.full(size, -1, dtype=np.int64)
        self.values = np.full(size, -1, dtype=np.int64)
        slot = self._hash(keys)
        self.max_probe = 0
        pending = np.arange(len(keys))
        probe = 0
        while len(pending):
            s = (slot[pending] + np.uint64(probe)) & self.mask
            free = self.keys[s] == -1
            cand = pending[free]
            s_free = s[free]
            uniq, first = np.unique(s_free, return_index=True)  # one key per free slot per round
            won = cand[first]
            self.keys[uniq.astype(np.int64)] = keys[won]
            self.values[uniq.astype(np.int64)] = values[won]
            placed = np.zeros(len(keys), dtype=bool)
            placed[won] = True
            pending = pending[~placed[pending]]
            probe += 1
        self.max_probe = probe

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return (keys.astype(np.uint64) * self._MULT) >> self.shift

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        out = np.full(len(keys), -1, dtype=np.int64)
        slot = self._hash(keys)
        todo = np.arange(len(keys))
        for probe in range(self.max_probe):
            s = ((slot[todo] + np.uint64(probe)) & self.mask).astype(np.int64)
            k = self.keys[s]
            hit = k == keys[todo]
            out[todo[hit]] = self.values[s[hit]]
            todo = todo[~hit & (k != -1)]
            if not len(todo):
                break
        return out


class Derived:
    """Structures derived from a fitted object and needed by every call (hash tables, lookup masks, transposed
    coefficients, feature names), built on first use and kept with the loaded model, never stored in an artifact:
    rebuilding them on every prediction call was most of its fixed cost at small batches."""

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        cache = self.__dict__.setdefault("_derived_cache", {})
        value = cache.get(name)
        if value is None:
            value = cache[name] = build()
        return value


@dataclass
class TextVocabulary(Derived):
    words: dict[str, int]            # every word used by a unigram or bigram feature -> word id
    uni_col: np.ndarray              # word id -> column (-1: not a unigram feature)
    bi_keys: np.ndarray              # sorted packed (word a * n_words + word b) of bigram features
    bi_col: np.ndarray               # column of each bi_keys entry
    idf: np.ndarray                  # per column

    @property
    def n_features(self) -> int:
        return len(self.idf)

    @property
    def names(self) -> list[str]:
        """Per column, human-readable; built from the words when explanations first need them (they would be
        most of an artifact's text)."""
        def build() -> list[str]:
            by_id = [""] * len(self.uni_col)
            for w, i in self.words.items():
                if i >= 0:
                    by_id[i] = w
            names = [""] * self.n_features
            for w, c in enumerate(self.uni_col.tolist()):
                if c >= 0:
                    names[c] = f"word:{by_id[w]}"
            n_words = max(len(by_id), 1)
            for key, c in zip(self.bi_keys.tolist(), self.bi_col.tolist()):
                names[c] = f"word:{by_id[key // n_words]} {by_id[key % n_words]}"
            return names
        return self.derived("names", build)

    def _bigram_table(self) -> "HashTable":
        return self.derived("table", lambda: HashTable(self.bi_keys, self.bi_col))

    def _bigram_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Per word id (plus a False sentinel at -1): can it start / end a bigram feature."""
        def build() -> tuple[np.ndarray, np.ndarray]:
            W = len(self.uni_col)
            first = np.zeros(W + 1, dtype=bool)
            first[self.bi_keys // max(W, 1)] = True
            second = np.zeros(W + 1, dtype=bool)
            second[self.bi_keys % max(W, 1)] = True
            return first, second
        return self.derived("ends", build)

    def ids(self, toks: Tokens) -> tuple[np.ndarray, np.ndarray]:
        """Word ids (-1: not in the vocabulary) and document of every token of a batch tokenized for training."""
        remap = np.fromiter(map(self.words.get, toks.uniq, repeat(-1)), dtype=np.int64, count=len(toks.uniq))
        ids = remap[toks.gid] if len(toks.gid) else np.zeros(0, dtype=np.int64)
        return ids, toks.doc

    def batch_ids(self, batch: "Batch") -> tuple[np.ndarray, np.ndarray]:
        """Prediction path: one C-level dict lookup per token (``SEP`` maps to -2 and marks documents)."""
        tokens = tokenize(batch)
        ids = np.fromiter(map(self.words.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        is_sep = ids == -2
        keep = ~is_sep
        return ids[keep], np.cumsum(is_sep)[keep]

    def entries(self, ids: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every unigram and bigram feature occurrence; duplicates are term counts."""
        ids = np.where(ids >= 0, ids, -1)
        ucol = np.where(ids >= 0, self.uni_col[np.maximum(ids, 0)], -1) if len(self.uni_col) else np.full(len(ids), -1)
        rows = [doc[ucol >= 0]]
        cols = [ucol[ucol >= 0]]
        if len(self.bi_keys) and len(ids) > 1:
            a, b = ids[:-1], ids[1:]
            first, second = self._bigram_ends()
            ok = first[a] & second[b] & (doc[:-1] == doc[1:])   # -1 indexes the always-False sentinel
            key = a[ok] * len(self.uni_col) + b[ok]
            col = self._bigram_table().lookup(key)
            hit = col >= 0
            rows.append(doc[:-1][ok][hit])
            cols.append(col[hit])
        return np.concatenate(rows), np.concatenate(cols)


def fit_vocabulary(toks: Tokens, rows: np.ndarray, min_df: int = 2, min_df_bigram: int = 3,
                   max_features: int = 60_000) -> TextVocabulary:
    """Vocabulary and IDF from the documents ``rows`` only (the training part)."""
    in_rows = np.zeros(toks.n + 1, dtype=bool)
    in_rows[rows] = True
    U = len(toks.uniq)
    word_ok = np.fromiter(map(len, toks.uniq), dtype=np.int64, count=U) >= 2
    doc, ids = toks.doc, toks.gid
    sel = in_rows[doc] & word_ok[ids]
    n_docs = max(len(rows), 1)
    pairs = sorted_unique(doc[sel] * U + ids[sel])
    udf = np.bincount(pairs % U, minlength=U)
    ok = sel[:-1] & sel[1:] & (doc[:-1] == doc[1:])
    bkey = ids[:-1][ok] * U + ids[1:][ok]
    bdoc = doc[:-1][ok]
    if len(bkey):
        ukeys, inv = np.unique(bkey, return_inverse=True)
        dpairs = sorted_unique(bdoc * len(ukeys) + inv)
        bdf = np.bincount(dpairs % len(ukeys), minlength=len(ukeys))
    else:
        ukeys, bdf = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    uni_keep = np.nonzero(udf >= min_df)[0]
    bi_keep = np.nonzero(bdf >= min_df_bigram)[0]
    if len(uni_keep) + len(bi_keep) > max_features:  # keep the most frequent
        dfs = np.concatenate([udf[uni_keep], bdf[bi_keep]])
        order = np.argsort(-dfs, kind="stable")[:max_features]
        is_uni = order < len(uni_keep)
        uni_keep, bi_keep = np.sort(uni_keep[order[is_uni]]), np.sort(bi_keep[order[~is_uni] - len(uni_keep)])
    bi_a, bi_b = ukeys[bi_keep] // U, ukeys[bi_keep] % U
    needed = np.unique(np.concatenate([uni_keep, bi_a, bi_b]))
    remap = np.full(U, -1, dtype=np.int64)
    remap[needed] = np.arange(len(needed))
    W = len(needed)
    words = {toks.uniq[w]: int(remap[w]) for w in needed}
    words[SEP] = -2
    n_uni = len(uni_keep)
    uni_col = np.full(W, -1, dtype=np.int64)
    uni_col[remap[uni_keep]] = np.arange(n_uni)
    keys = remap[bi_a] * W + remap[bi_b]
    order = np.argsort(keys)
    df = np.concatenate([udf[uni_keep], bdf[bi_keep]]).astype(np.float64)
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    return TextVocabulary(words, uni_col, keys[order], (n_uni + np.arange(len(bi_keep)))[order].astype(np.int64),
                          idf)


_CHAR_MULT = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
CHAR_NGRAMS = (2, 3, 4, 5)
CHAR_BUCKET_BITS = 20


def _summary_codes(summaries: Sequence[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """Code points of every lower-cased, space-padded, whitespace-collapsed summary, and the document of each.

    Documents are delimited by their lengths, never by a character, so no text can move a boundary; lone
    surrogates encode as themselves (``surrogatepass``)."""
    docs = [" " + " ".join(s.replace(SEP, " ").lower().split()) + " " for s in summaries]
    joined = "".join(docs)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), np.fromiter(map(len, docs), dtype=np.int64,
                                                                      count=len(docs)))
    return codes, doc, joined


def char_ngrams(summaries: Sequence[str], with_positions: bool = False
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, str]:
    """Every character n-gram (``CHAR_NGRAMS``) inside one summary as (bucket, document[, start, length]) and the
    joined text they index into. The bucket is a ``CHAR_BUCKET_BITS``-bit hash of the code points and the length
    (the hashing trick: no n-gram table to probe; a rare n-gram sharing a frequent one's bucket adds a little
    noise to it)."""
    codes, doc, joined = _summary_codes(summaries)
    buckets, docs, starts, sizes = [], [], [], []
    h = codes.copy()
    shift = np.uint64(64 - CHAR_BUCKET_BITS)
    with np.errstate(over="ignore"):
        for n in range(2, max(CHAR_NGRAMS) + 1):
            h = h[:-1] * _CHAR_MULT + codes[n - 1:]
            if n in CHAR_NGRAMS:
                ok = np.nonzero(doc[:len(h)] == doc[n - 1:])[0]
                buckets.append((((h[ok] + np.uint64(n)) * _MIX) >> shift).astype(np.int64))
                docs.append(doc[ok])
                if with_positions:
                    starts.append(ok)
                    sizes.append(np.full(len(ok), n, dtype=np.int64))
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)  # noqa: E731
    return (cat(buckets), cat(docs), cat(starts) if with_positions else None,
            cat(sizes) if with_positions else None, joined)


@dataclass
class CharVocabulary(Derived):
    """Character 2-5-grams of the summary (``char`` TF-IDF): they keep what word tokens lose, such as ``[C++]``,
    ``UI:`` prefixes, identifiers, word stems and text without spaces."""
    buckets: np.ndarray       # hash bucket per column
    idf: np.ndarray           # per column
    grams: list[str]          # per column: the most frequent n-gram of its bucket when fitted

    @property
    def n_features(self) -> int:
        return len(self.buckets)

    def _remap(self) -> np.ndarray:
        def build() -> np.ndarray:
            remap = np.full(1 << CHAR_BUCKET_BITS, -1, dtype=np.int32)
            remap[self.buckets] = np.arange(len(self.buckets), dtype=np.int32)
            return remap
        return self.derived("remap", build)

    def entries(self, summaries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.buckets):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        buckets, doc, _, _, _ = char_ngrams(summaries)
        col = self._remap()[buckets]
        hit = col >= 0
        return doc[hit], col[hit].astype(np.int64)


def fit_char_vocabulary(summaries: Sequence[str], rows: np.ndarray, min_df: int = 2,
                        max_features: int = 40_000) -> CharVocabulary:
    buckets, doc, start, size, joined = char_ngrams([summaries[i] for i in rows], with_positions=True)
    if not len(buckets):
        return CharVocabulary(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), [])
    assert start is not None and size is not None
    pair = sorted_unique(doc * (1 << CHAR_BUCKET_BITS) + buckets)
    df = np.bincount(pair % (1 << CHAR_BUCKET_BITS), minlength=1 << CHAR_BUCKET_BITS)
    keep = np.nonzero(df >= min_df)[0]
    if len(keep) > max_features:
        keep = np.sort(keep[np.argsort(-df[keep], kind="stable")[:max_features]])
    # A bucket's name: its first occurrence's n-gram (occurrences are in text order, so usually a common one).
    first = np.full(1 << CHAR_BUCKET_BITS, -1, dtype=np.int64)
    first[buckets[::-1]] = np.arange(len(buckets) - 1, -1, -1)
    at = first[keep]
    grams = [joined[a:a + n] for a, n in zip(start[at].tolist(), size[at].tolist())]
    idf = (np.log((1.0 + len(rows)) / (1.0 + df[keep])) + 1.0).astype(np.float32)
    return CharVocabulary(keep.astype(np.int64), idf, grams)


@dataclass
class Featurizer(Derived):
    """Text blocks (word uni- and bigrams of summary and description, character n-grams of the summary) plus
    one-hot blocks (type, components, reporter); knows every column's human-readable name. Each text block is
    sublinear TF x IDF, L2-normalised on its own, then scaled by its weight."""
    vocab: TextVocabulary
    chars: CharVocabulary
    types: dict[str, int]
    components: dict[str, int]
    reporters: dict[str, int]
    use_components: bool
    weights: tuple[float, float, float, float, float] = (1.0, 1.0, 0.5, 0.5, 0.7)  # words, chars, type, comps, reporter

    @staticmethod
    def fit(toks: Tokens, batch: Batch, rows: np.ndarray, use_components: bool = True,
            min_count: int = 2, weights: tuple[float, ...] | None = None) -> "Featurizer":
        vocab = fit_vocabulary(toks, rows)
        chars = fit_char_vocabulary(batch.summary, rows)

        def cats(values: Iterable[str | None]) -> dict[str, int]:
            counts: dict[str, int] = {}
            for v in values:
                if v is not None:
                    counts[v] = counts.get(v, 0) + 1
            return {v: i for i, v in enumerate(sorted(k for k, c in counts.items() if c >= min_count))}

        types = cats(batch.type[i] for i in rows)
        comps = cats(c for i in rows for c in batch.components[i]) if use_components else {}
        reps = cats(batch.reporter[i] for i in rows)
        f = Featurizer(vocab, chars, types, comps, reps, use_components)
        if weights is not None:
            f.weights = tuple(weights)  # type: ignore[assignment]
        return f

    @property
    def n_features(self) -> int:
        return (self.vocab.n_features + self.chars.n_features + len(self.types) + len(self.components)
                + len(self.reporters))

    def _names(self) -> list[str]:
        inv = lambda d, p: [f"{p}:{k}" for k, _ in sorted(d.items(), key=lambda kv: kv[1])]  # noqa: E731
        return (self.vocab.names + [f"chars:{g}" for g in self.chars.grams] + inv(self.types, "type")
                + inv(self.components, "component") + inv(self.reporters, "reporter"))

    def feature_kinds(self) -> np.ndarray:
        return np.array(["word"] * self.vocab.n_features + ["chars"] * self.chars.n_features
                        + ["type"] * len(self.types) + ["component"] * len(self.components)
                        + ["reporter"] * len(self.reporters))

    def feature_names(self) -> list[str]:
        return self.derived("names", self._names)

    def transform(self, batch: Batch, toks: Tokens | None = None) -> sp.csr_matrix:
        """One sparse row per issue. Every block's entries go into one matrix built once: constructing and
        stacking a matrix per block cost ~0.5 ms per call, most of a small prediction batch."""
        ids, doc = self.vocab.ids(toks) if toks is not None else self.vocab.batch_ids(batch)
        text_rows, text_cols = self.vocab.entries(ids, doc)
        char_rows, char_cols = self.chars.entries(batch.summary)
        n = len(batch)
        nw = self.vocab.n_features
        rows = [text_rows, char_rows]
        cols = [text_cols, char_cols + nw]
        data = [np.ones(len(text_rows), dtype=np.float32), np.ones(len(char_rows), dtype=np.float32)]
        at = nw + self.chars.n_features
        for values, index, w, multi in ((batch.type, self.types, self.weights[2], False),
                                        (batch.components, self.components, self.weights[3], True),
                                        (batch.reporter, self.reporters, self.weights[4], False)):
            if multi and not self.use_components:
                continue
            r, c, d = (_multi_hot if multi else _one_hot)(values, index, n, w)
            rows.append(r)
            cols.append(c + at)
            data.append(d)
            at += len(index)
        m = sp.csr_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n, self.n_features), dtype=np.float32)
        m.sum_duplicates()
        nc = nw + self.chars.n_features
        words = m.indices < nw
        chars = (m.indices >= nw) & (m.indices < nc)
        _weigh(m, words, self.vocab.idf, 0, self.weights[0])
        _weigh(m, chars, self.chars.idf, nw, self.weights[1])
        return m


def _weigh(m: sp.csr_matrix, block: np.ndarray, idf: np.ndarray, offset: int, weight: float) -> None:
    """In place, on summed term counts of one text block: sublinear TF x IDF, L2 per row, times ``weight``."""
    d = m.data[block]
    np.log1p(d, out=d)
    d *= idf[m.indices[block] - offset]
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))[block]
    norm = np.sqrt(np.bincount(row, weights=d.astype(np.float64) ** 2, minlength=m.shape[0]))
    norm[norm == 0] = 1.0
    d *= (weight / norm).astype(np.float32)[row]
    m.data[block] = d


def _one_hot(values: Sequence[str | None], index: dict[str, int], n: int,
             w: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cols = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.int64, count=n) if n else np.zeros(0, np.int64)
    rows = np.nonzero(cols >= 0)[0]
    return rows, cols[rows], np.full(len(rows), w, dtype=np.float32)


def _multi_hot(values: Sequence[Sequence[str]], index: dict[str, int], n: int,
               w: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows: list[int] = []
    cols: list[int] = []
    for i, vs in enumerate(values):
        for v in vs:
            c = index.get(v)
            if c is not None:
                rows.append(i)
                cols.append(c)
    data = np.full(len(rows), w, dtype=np.float32)
    if rows:
        counts = np.bincount(rows, minlength=n)
        data /= np.sqrt(counts[rows]).astype(np.float32)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), data
