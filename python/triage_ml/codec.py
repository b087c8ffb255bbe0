"""A fitted model as plain data: a JSON document of strings, numbers and booleans whose numeric arrays live in a
separate little-endian byte block, and back. Everything an artifact can turn into is spelt out here, field by
field: the reader accepts exactly these fields with these types, dtypes and shapes, and rebuilds the model's
classes itself, so reading an artifact can only ever produce numbers and strings (see ``artifact.py``)."""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from . import assignee, priority
from .features import CHAR_BUCKET_BITS, SEP, CharVocabulary, Featurizer, TextVocabulary
from .linear import Linear
from .multiclass import Decision, MulticlassModel, Prior, Spec
from .multilabel import MultiLabelModel

SPECS: dict[str, Spec] = {s.target: s for s in (assignee.SPEC, priority.SPEC)}
MULTILABEL = ("labels", "components")
_ALIGN = 8
# The dense coefficient matrix is rebuilt from its non-zero rows, so its size is not bounded by the artifact's:
# without a cap a few crafted bytes could make the sidecar allocate (and later transpose) any amount of memory.
# 1 GiB: ~2,600 classes at the features' maximum (100,000); ARROW's 180 assignees take 62 MB.
MAX_COEFFICIENTS = 1 << 28


class Invalid(ValueError):
    """The document or its arrays are not a model this code wrote."""


class ArrayWriter:
    """Collects arrays into one byte block; the document refers to each by dtype, shape and offset."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def __call__(self, a: np.ndarray, dtype: type) -> dict[str, Any]:
        a = np.ascontiguousarray(a, dtype=np.dtype(dtype).newbyteorder("<"))
        pad = -self.size % _ALIGN   # aligned, so loaded arrays are views, not copies
        self.parts.append(b"\0" * pad + a.tobytes())
        at = self.size + pad
        self.size = at + a.nbytes
        return {"dtype": a.dtype.str, "shape": list(a.shape), "at": at}

    def strings(self, values: Sequence[str]) -> dict[str, Any]:
        """A long list of strings (vocabulary words, n-grams) as UTF-8 bytes and lengths: it goes with the arrays,
        compressed, rather than into the document."""
        text = "".join(values).encode("utf-8", "surrogatepass")
        return {"utf8": self(np.frombuffer(text, dtype=np.uint8), np.uint8),
                "lengths": self(np.fromiter(map(len, values), dtype=np.int64, count=len(values)), np.int64)}

    def nonzero_rows(self, a: np.ndarray) -> dict[str, Any]:
        """A coefficient matrix as its rows that are not all zero: retired classes and values without a model
        have none (most of an old project's assignees), and inflating their zeros was most of the loading."""
        rows = np.nonzero(a.any(axis=1))[0]
        return {"rows": self(rows, np.int64), "values": self(a[rows], np.float32)}

    def block(self) -> bytes:
        return b"".join(self.parts)


class Reader:
    """Checks every field of the document as it rebuilds the model; any surprise raises ``Invalid``. Arrays are
    read-only views of the block, except the coefficients (rebuilt with their zero rows)."""

    def __init__(self, block: bytes) -> None:
        self.block = block

    def fields(self, doc: Any, names: Sequence[str]) -> list[Any]:
        if not isinstance(doc, dict) or set(doc) != set(names):
            got = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
            raise Invalid(f"expected fields {sorted(names)}, got {got}")
        return [doc[n] for n in names]

    def array(self, ref: Any, dtype: type, shape: Sequence[int | None]) -> np.ndarray:
        """An array of exactly ``dtype`` (little-endian) and ``shape`` (None: any length), read-only."""
        want, got_shape, at = self.fields(ref, ("dtype", "shape", "at"))
        if want != np.dtype(dtype).newbyteorder("<").str:
            raise Invalid(f"array of dtype {want!r}, expected {np.dtype(dtype).str}")
        if (not isinstance(got_shape, list) or len(got_shape) != len(shape)
                or not all(self._is_int(n) and n >= 0 and (s is None or n == s) for n, s in zip(got_shape, shape))):
            raise Invalid(f"array of shape {got_shape}, expected {list(shape)}")
        count = math.prod(got_shape)
        itemsize = np.dtype(dtype).itemsize
        if not self._is_int(at) or at < 0 or at % _ALIGN or at + count * itemsize > len(self.block):
            raise Invalid("array outside the artifact's data")
        a = np.frombuffer(self.block, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=at)
        return a.reshape(got_shape)

    def string_table(self, ref: Any) -> list[str]:
        utf8, lengths = self.fields(ref, ("utf8", "lengths"))
        text = self.array(utf8, np.uint8, (None,)).tobytes().decode("utf-8", "surrogatepass")
        n = self.array(lengths, np.int64, (None,))
        if n.size and (n.min() < 0 or n.max() > len(text) or int(n.sum()) != len(text)):
            raise Invalid("string lengths do not add up to the text")
        ends = np.cumsum(n).tolist()
        return [text[a:b] for a, b in zip([0] + ends[:-1], ends)]

    def nonzero_rows(self, ref: Any, shape: tuple[int, int]) -> np.ndarray:
        rows, values = self.fields(ref, ("rows", "values"))
        if shape[0] * shape[1] > MAX_COEFFICIENTS:
            raise Invalid(f"a {shape[0]} x {shape[1]} coefficient matrix: larger than any model trained here")
        rows = self.index_array(rows, (None,), 0, shape[0])
        if np.any(np.diff(rows) <= 0):
            raise Invalid("rows not in increasing order")
        out = np.zeros(shape, dtype=np.float32)
        out[rows] = self.array(values, np.float32, (len(rows), shape[1]))
        return out

    def index_array(self, ref: Any, shape: Sequence[int | None], low: int, high: int) -> np.ndarray:
        """An int64 array whose values all lie in ``[low, high)``: it indexes another array."""
        a = self.array(ref, np.int64, shape)
        if a.size and (a.min() < low or a.max() >= high):
            raise Invalid(f"index out of range [{low}, {high})")
        return a

    @staticmethod
    def _is_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    def integer(self, v: Any) -> int:
        if not self._is_int(v):
            raise Invalid(f"expected an integer, got {type(v).__name__}")
        return v

    def number(self, v: Any) -> float:
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v != v:
            raise Invalid(f"expected a number, got {v!r}")
        return float(v)

    def boolean(self, v: Any) -> bool:
        if not isinstance(v, bool):
            raise Invalid(f"expected a boolean, got {type(v).__name__}")
        return v

    def strings(self, v: Any, unique: bool = False) -> list[str]:
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise Invalid("expected a list of strings")
        if unique and len(set(v)) != len(v):
            raise Invalid("duplicate values in a list that must hold each once")
        return v

    def index(self, v: Any) -> dict[str, int]:
        """A value -> position dict, stored as the list of values in position order."""
        return {s: i for i, s in enumerate(self.strings(v, unique=True))}


def _ordered(index: dict[str, int]) -> list[str]:
    """The keys of a value -> position dict whose positions are 0..n-1, in position order."""
    keys = sorted(index, key=index.__getitem__)
    if [index[k] for k in keys] != list(range(len(keys))):
        raise ValueError("positions are not 0..n-1")
    return keys


# --- writing -----------------------------------------------------------------------------------------------------

def encode(model: MulticlassModel | MultiLabelModel) -> tuple[dict[str, Any], bytes]:
    """The model's document and array block."""
    arr = ArrayWriter()
    lin = model.linear
    common = {"target": model.target, "classes": list(model.classes), "n_train": int(model.n_train),
              "featurizer": _featurizer(model.featurizer, arr),
              "linear": {"coef": arr.nonzero_rows(lin.coef), "intercept": arr(lin.intercept, np.float32)}}
    if isinstance(model, MulticlassModel):
        d = model.decision
        doc = {**common,
               "prior": {"keys": _ordered(model.prior.keys), "log_table": arr(model.prior.log_table, np.float32)},
               "a": float(model.a), "b": float(model.b), "active": arr(model.active, np.bool_),
               "decision": None if d is None else {"a": float(d.a), "b": float(d.b),
                                                   "offset": arr(d.offset, np.float32)},
               "suggest_threshold": float(model.suggest_threshold), "auto_threshold": float(model.auto_threshold)}
    else:
        doc = {**common, "a": arr(model.a, np.float32), "b": arr(model.b, np.float32),
               "threshold": arr(model.threshold, np.float32), "auto_threshold": arr(model.auto_threshold, np.float32),
               "trained": arr(model.trained, np.bool_)}
    return doc, arr.block()


def _featurizer(f: Featurizer, arr: ArrayWriter) -> dict[str, Any]:
    v, c = f.vocab, f.chars
    return {"vocab": {"words": arr.strings(_ordered({w: i for w, i in v.words.items() if w != SEP})),
                      "uni_col": arr(v.uni_col, np.int64), "bi_keys": arr(v.bi_keys, np.int64),
                      "bi_col": arr(v.bi_col, np.int64), "idf": arr(v.idf, np.float32)},
            "chars": {"buckets": arr(c.buckets, np.int64), "idf": arr(c.idf, np.float32),
                      "grams": arr.strings(c.grams)},
            "types": _ordered(f.types), "components": _ordered(f.components), "reporters": _ordered(f.reporters),
            "use_components": bool(f.use_components), "weights": [float(w) for w in f.weights]}


# --- reading -----------------------------------------------------------------------------------------------------

def decode(doc: Any, block: bytes) -> MulticlassModel | MultiLabelModel:
    r = Reader(block)
    target = doc.get("target") if isinstance(doc, dict) else None
    build: Callable[[Reader, Any], MulticlassModel | MultiLabelModel]
    if target in SPECS:
        build = _multiclass
    elif target in MULTILABEL:
        build = _multilabel
    else:
        raise Invalid(f"unknown target {target!r}")
    return build(r, doc)


COMMON = ("target", "classes", "n_train", "featurizer", "linear")


def _common(r: Reader, featurizer: Any, linear: Any, classes: list[str]) -> tuple[Featurizer, Linear]:
    f = _read_featurizer(r, featurizer)
    coef, intercept = r.fields(linear, ("coef", "intercept"))
    K = len(classes)
    return f, Linear(r.nonzero_rows(coef, (K, f.n_features)), r.array(intercept, np.float32, (K,)))


def _multiclass(r: Reader, doc: Any) -> MulticlassModel:
    target, classes, n_train, featurizer, linear, prior, a, b, active, decision, suggest, auto = r.fields(
        doc, COMMON + ("prior", "a", "b", "active", "decision", "suggest_threshold", "auto_threshold"))
    classes = r.strings(classes, unique=True)
    K = len(classes)
    f, lin = _common(r, featurizer, linear, classes)
    keys, table = r.fields(prior, ("keys", "log_table"))
    keys = r.index(keys)
    d = None
    if decision is not None:
        da, db, offset = r.fields(decision, ("a", "b", "offset"))
        d = Decision(r.number(da), r.number(db), r.array(offset, np.float32, (K,)))
    prior_model = Prior(keys, r.array(table, np.float32, (len(keys) + 1, K)))
    return MulticlassModel(SPECS[target], classes, f, lin, prior_model, r.number(a), r.number(b),
                           r.array(active, np.bool_, (K,)), r.integer(n_train), d, r.number(suggest), r.number(auto))


def _multilabel(r: Reader, doc: Any) -> MultiLabelModel:
    target, classes, n_train, featurizer, linear, a, b, threshold, auto, trained = r.fields(
        doc, COMMON + ("a", "b", "threshold", "auto_threshold", "trained"))
    classes = r.strings(classes, unique=True)
    L = len(classes)
    f, lin = _common(r, featurizer, linear, classes)
    per_value = [r.array(x, np.float32, (L,)) for x in (a, b, threshold, auto)]
    return MultiLabelModel(target, classes, f, lin, *per_value, r.array(trained, np.bool_, (L,)), r.integer(n_train))


def _read_featurizer(r: Reader, doc: Any) -> Featurizer:
    vocab, chars, types, components, reporters, use_components, weights = r.fields(
        doc, ("vocab", "chars", "types", "components", "reporters", "use_components", "weights"))
    words, uni_col, bi_keys, bi_col, idf = r.fields(vocab, ("words", "uni_col", "bi_keys", "bi_col", "idf"))
    word_ids = r.index(r.string_table(words))
    if SEP in word_ids:
        raise Invalid("the document separator is a word")
    word_ids[SEP] = -2
    W = len(word_ids) - 1
    idf = r.array(idf, np.float32, (None,))
    n = len(idf)
    bi_keys = r.index_array(bi_keys, (None,), 0, max(W * W, 1))
    v = TextVocabulary(word_ids, r.index_array(uni_col, (W,), -1, n), bi_keys,
                       r.index_array(bi_col, (len(bi_keys),), 0, n), idf)
    buckets, char_idf, grams = r.fields(chars, ("buckets", "idf", "grams"))
    buckets = r.index_array(buckets, (None,), 0, 1 << CHAR_BUCKET_BITS)
    grams = r.string_table(grams)
    if len(grams) != len(buckets):
        raise Invalid(f"{len(grams)} n-grams for {len(buckets)} buckets")
    c = CharVocabulary(buckets, r.array(char_idf, np.float32, (len(buckets),)), grams)
    if not isinstance(weights, list) or len(weights) != 5:
        raise Invalid("expected 5 block weights")
    return Featurizer(v, c, r.index(types), r.index(components), r.index(reporters), r.boolean(use_components),
                      tuple(r.number(x) for x in weights))  # type: ignore[arg-type]

