"""Syllable n-gram language model: compact, memory-mapped, queried in batches.

A model is a folder written by `vnproof.lmbuild`:
  meta.json        format, version, order, counts, sources (written last: a missing file means
                   the build did not finish)
  vocab.txt        one token per line; the line number is its id
  uni.npy          log10 p(w) and uni_bow.npy log10 backoff, float32, indexed by id
  bi_keys.npy      sorted uint64 keys (a << 21 | b), bi_logp.npy, bi_bow.npy (float16)
  tri_keys.npy     sorted uint64 keys (a << 42 | b << 21 | c), tri_logp.npy: uint8 codes into
                   tri_book.npy, 256 float32 values (equal-count bins, each its mean), as KenLM
                   quantises
All probabilities and backoffs are log10. Intermediate models may keep float32 arrays and
no codebook (`write_model(quantised=False)`).
meta.json may set `bigram_share` s: p(c | a b) is then (1 - s) p3(c | a b) + s p2(c | b).
Probabilities are interpolated modified Kneser-Ney, stored ARPA-style (probability of each
seen n-gram plus backoff weights), so a query is at most three binary searches.

The searches run in C (`vnproof/_lmkernel.pyx`) when the compiled core is built; the numpy code
here is their pure-Python twin and gives the same positions and float values
(`VNPROOF_PURE_PYTHON=1`, or no compiler at install time).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .text import tone_key

try:
    from . import _lmkernel   # the typed kernel; absent in the pure-Python twin (vnproof/_impl.py)
except ImportError:
    _lmkernel = None

FORMAT = "vnproof-ngram"
VERSION = 2
READABLE_VERSIONS = (2,)  # version 1 models spelled names like common words: retrain them
BITS = 21
MASK = (1 << BITS) - 1
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
PAUSE = "<p>"   # a comma, colon, semicolon or dash inside a sentence
LN10 = float(np.log(10.0))
DEDUPE_MIN = 256   # queries longer than this are deduplicated (and sorted) before the search:
#                    sorted searches share cache lines even for a news paragraph's few hundred
#                    (4096 before: news 10% slower, recorded queries replayed 15% slower)


class ModelError(ValueError):
    """A model folder is missing, incomplete or of another format version."""


def _positions(keys: np.ndarray, query: np.ndarray, dedupe: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(index into `keys`, found mask) of each query in a sorted key array.

    Large queries are deduplicated first: each distinct key is searched once, in sorted order
    (cache locality), and the answers are spread back. The kernel, if built, does one C binary
    search per query instead (same answers)."""
    if _lmkernel is not None and _fits(keys, query):
        return _lmkernel.positions(keys, query)
    n = len(query)
    if dedupe and n > DEDUPE_MIN:
        shift = (n - 1).bit_length()
        if int(query.max()) >> (64 - shift):   # no room for the index beside the key
            uniq, inverse = np.unique(query, return_inverse=True)
            pos, found = _positions(keys, uniq, dedupe=False)
            return pos[inverse], found[inverse]
        # Sort (key, index) packed in one uint64: a plain sort, much faster than an argsort.
        packed = query << np.uint64(shift)           # in place from here: fewer temporaries
        packed |= np.arange(n, dtype=np.uint64)
        packed.sort()
        order = (packed & np.uint64((1 << shift) - 1)).view(np.int64)
        packed >>= np.uint64(shift)
        ordered = packed
        first = np.empty(n, bool)
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        pos_u, found_u = _positions(keys, ordered[first], dedupe=False)
        group = np.cumsum(first) - 1
        pos, found = np.empty(n, np.intp), np.empty(n, bool)
        pos[order], found[order] = pos_u[group], found_u[group]
        return pos, found
    pos = np.searchsorted(keys, query)
    pos[pos >= len(keys)] = len(keys) - 1
    return pos, keys[pos] == query


def _fits(*arrays: np.ndarray) -> bool:
    """Whether the kernel takes these arrays as they are: 1-D, C-contiguous, uint64 keys."""
    return all(type(x) is np.ndarray and x.dtype == np.uint64 and x.ndim == 1 and x.flags.c_contiguous
               for x in arrays)


def _ids_fit(*arrays) -> bool:
    """Whether these id arrays reach the kernel as they are (1-D int64, C-contiguous)."""
    return all(type(x) is np.ndarray and x.dtype == np.int64 and x.ndim == 1 and x.flags.c_contiguous
               for x in arrays)


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, default: float,
            book: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised exact-match lookup in a sorted key array: (values, found mask).

    With `book`, `values` are codes into it (a quantised array)."""
    if len(keys) == 0:
        return np.full(len(query), default, np.float32), np.zeros(len(query), bool)
    pos, found = _positions(keys, query)
    return _values(values, pos, found, default, book), found


def _values(values: np.ndarray, pos: np.ndarray, found: np.ndarray, default: float,
            book: np.ndarray | None = None) -> np.ndarray:
    """`values` at `pos` where found, else `default`, as float32."""
    got = values[pos] if book is None else book[values[pos]]
    return np.where(found, got, default).astype(np.float32)


def quantise(values: np.ndarray, levels: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 codes, codebook): equal-count bins of the sorted values, each coded by its mean."""
    n = len(values)
    if n == 0:
        return np.zeros(0, np.uint8), np.zeros(levels, np.float32)
    order = np.argsort(values, kind="stable")
    bins = np.minimum((np.arange(n) * levels) // n, levels - 1)
    codes = np.empty(n, np.uint8)
    codes[order] = bins
    sums = np.bincount(bins, values[order].astype(np.float64), minlength=levels)
    sizes = np.bincount(bins, minlength=levels)
    book = np.where(sizes > 0, sums / np.maximum(sizes, 1), 0.0).astype(np.float32)
    return codes, book


def trigram_closure(bi_keys: np.ndarray, tri_keys: np.ndarray) -> bool:
    """Whether every trigram (a, b, c) has its context (a, b) and its suffix (b, c) among the
    bigrams (the builds keep both): a trigram query whose two bigrams are not both found then
    needs no search (the kernel skips it; meta.json `trigram_closure`)."""
    if not len(tri_keys):
        return True
    if not len(bi_keys):
        return False
    low = np.uint64((1 << (2 * BITS)) - 1)
    for q in (tri_keys >> np.uint64(BITS), tri_keys & low):
        if not _positions(bi_keys, q)[1].all():
            return False
    return True


def write_model(out: Path, words: list[str], arrays: dict[str, np.ndarray], meta: dict,
                quantised: bool = True) -> Path:
    """Write a model folder: log10 `arrays` (uni, uni_bow, bi_keys, bi_logp, bi_bow, tri_keys,
    tri_logp), trigram probabilities quantised to 8 bits, bigrams to float16 (or all float32
    with `quantised=False`, for intermediate models); meta.json last."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "meta.json").unlink(missing_ok=True)  # incomplete until meta.json is written
    (out / "tri_book.npy").unlink(missing_ok=True)
    small = np.float16 if quantised else np.float32
    files = {
        "uni": np.asarray(arrays["uni"], np.float32), "uni_bow": np.asarray(arrays["uni_bow"], np.float32),
        "bi_keys": np.asarray(arrays["bi_keys"], np.uint64),
        "bi_logp": np.asarray(arrays["bi_logp"], small), "bi_bow": np.asarray(arrays["bi_bow"], small),
        "tri_keys": np.asarray(arrays["tri_keys"], np.uint64),
        "tri_logp": np.asarray(arrays["tri_logp"], np.float32),
    }
    if quantised:
        files["tri_logp"], files["tri_book"] = quantise(files["tri_logp"])
    for name, arr in files.items():
        np.save(out / f"{name}.npy", arr)
    (out / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    info = {"format": FORMAT, "version": VERSION, "order": 3, "vocab": len(words),
            "bigrams": len(files["bi_keys"]), "trigrams": len(files["tri_keys"]),
            "quantisation": {"trigram_logp": "8-bit codebook", "bigram": "float16"} if quantised else None,
            "trigram_closure": trigram_closure(files["bi_keys"], files["tri_keys"])}
    info.update(meta)
    (out / "meta.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


@dataclass
class NgramModel:
    """A loaded model. `vocab` maps token -> id; arrays are memory-mapped read-only."""

    path: Path
    meta: dict
    vocab: dict[str, int]
    uni: np.ndarray
    uni_bow: np.ndarray
    bi_keys: np.ndarray
    bi_logp: np.ndarray
    bi_bow: np.ndarray
    tri_keys: np.ndarray
    tri_logp: np.ndarray
    tri_book: np.ndarray | None = None  # codebook of a quantised tri_logp (version 2)
    # The arrays as the C kernel sees them (no copy), None in the pure-Python twin.
    kernel: object = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.kernel = _kernel_model(self) if _lmkernel is not None else None

    @classmethod
    def load(cls, path: str | Path, mmap: bool = True) -> "NgramModel":
        path = Path(path)
        meta_path = path / "meta.json"
        if not path.is_dir():
            raise ModelError(f"{path}: no such model folder (build one with `vnproof train`)")
        if not meta_path.exists():
            raise ModelError(f"{path}: incomplete model (meta.json missing); rebuild it with `vnproof train`")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("version") not in READABLE_VERSIONS:
            raise ModelError(f"{path}: model format {meta.get('format')} v{meta.get('version')}, "
                             f"this vnproof reads {FORMAT} v{VERSION}; rebuild it with `vnproof train`")
        words = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        vocab = {w: i for i, w in enumerate(words)}
        mode = "r" if mmap else None
        # Plain ndarray views of the maps: indexing a memmap object is slow.
        arr = {name: np.asarray(np.load(path / f"{name}.npy", mmap_mode=mode))
               for name in ("uni", "uni_bow", "bi_keys", "bi_logp", "bi_bow", "tri_keys", "tri_logp")}
        book = path / "tri_book.npy"
        arr["tri_book"] = np.load(book) if book.exists() else None
        return cls(path, meta, vocab, **arr)

    @property
    def bigram_share(self) -> float:
        """Weight of the bigram distribution mixed into every trigram probability (meta.json
        `bigram_share`, 0 if absent): a model built from text of other domains than the one it
        checks predicts better when its trigrams are hedged."""
        return float(self.meta.get("bigram_share", 0.0))

    def ids(self, tokens: list[str]) -> np.ndarray:
        unk = self.vocab[UNK]
        get = self.vocab.get
        return np.fromiter((get(t, unk) for t in tokens), np.int64, len(tokens))

    def bigram_positions(self, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into `bi_keys`, found mask) of the bigrams (b, c), for arrays of ids."""
        if self.kernel is not None and _ids_fit(b, c) and len(b) == len(c):
            return self.kernel.bigram_positions(None, b, c)
        q = (b.astype(np.uint64) << np.uint64(BITS)) | c.astype(np.uint64)
        if not len(self.bi_keys):
            return np.zeros(len(q), np.intp), np.zeros(len(q), bool)
        return _positions(self.bi_keys, q)

    def logprob(self, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                bigrams: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None
                ) -> np.ndarray:
        """Natural-log p(c | a b) for arrays of ids (a may be -1 for a bigram query).

        `bigrams`, if given, is ((position, found) of each (b, c), (position, found) of each (a, b))
        in `bi_keys`, as `bigram_positions` finds them: a caller that has searched them already
        saves the searches."""
        if self.kernel is not None and _ids_fit(a, b, c) and len(a) == len(b) == len(c) \
                and (bigrams is None or _positions_fit(bigrams, len(c))):
            if not self.bigram_share:
                return self.kernel.logprob(a, b, c, bigrams)
            _, out, lower = self.kernel.logprob(a, b, c, bigrams, True)
            return self._share(out, lower)
        a = a.astype(np.uint64)
        b = b.astype(np.uint64)
        c = c.astype(np.uint64)
        bits = np.uint64(BITS)
        tri_q = (a << (bits + bits)) | (b << bits) | c
        tri, tri_found = _lookup(self.tri_keys, self.tri_logp, tri_q, 0.0, book=self.tri_book)
        # p2(c | b) and the context's backoff, in one search: the bigrams (b, c) of one query are
        # often the contexts (a, b) of another ("x F y": F y is both).
        n = len(c)
        if not len(self.bi_keys):
            bi, bi_found = np.zeros(n, np.float32), np.zeros(n, bool)
            ctx_bow = bi
        else:
            if bigrams is not None:
                (pos_bi, bi_found), (pos_ctx, ctx_found) = bigrams
            else:
                bi_q = (b << bits) | c
                ctx_q = (a << bits) | b
                pos, found = _positions(self.bi_keys, np.concatenate([bi_q, ctx_q]))
                pos_bi, bi_found, pos_ctx, ctx_found = pos[:n], found[:n], pos[n:], found[n:]
            bi = _values(self.bi_logp, pos_bi, bi_found, 0.0)
            ctx_bow = _values(self.bi_bow, pos_ctx, ctx_found, 0.0)
        uni = self.uni[c.astype(np.int64)] + self.uni_bow[b.astype(np.int64)]
        lower = np.where(bi_found, bi, uni)
        out = np.where(tri_found, tri, ctx_bow + lower)
        if self.bigram_share:  # hedge trigrams from other domains with the bigram distribution
            return self._share(out, lower)
        return out.astype(np.float64) * LN10

    def _share(self, out: np.ndarray, lower: np.ndarray) -> np.ndarray:
        """Natural-log (1 - s) p3 + s p2 from the float32 log10 trigram result and its lower order."""
        share = self.bigram_share
        return np.logaddexp(np.log1p(-share) + out.astype(np.float64) * LN10,
                            np.log(share) + lower.astype(np.float64) * LN10)


def _kernel_model(m: NgramModel):
    """The kernel's view of a model's arrays, or None when their types are not the ones it reads
    (the numpy code then runs for this model)."""
    f32 = lambda x: type(x) is np.ndarray and x.dtype == np.float32 and x.ndim == 1 and x.flags.c_contiguous
    small = lambda x: type(x) is np.ndarray and x.dtype in (np.float16, np.float32) and x.ndim == 1 \
        and x.flags.c_contiguous
    coded = m.tri_book is not None
    tri_ok = (f32(m.tri_book) and len(m.tri_book) == 256 and type(m.tri_logp) is np.ndarray
              and m.tri_logp.dtype == np.uint8 and m.tri_logp.ndim == 1 and m.tri_logp.flags.c_contiguous) \
        if coded else f32(m.tri_logp)
    if not (tri_ok and _fits(m.tri_keys, m.bi_keys) and f32(m.uni) and f32(m.uni_bow) and small(m.bi_logp)
            and small(m.bi_bow) and m.bi_logp.dtype == m.bi_bow.dtype
            and len(m.tri_logp) == len(m.tri_keys) and len(m.bi_logp) == len(m.bi_bow) == len(m.bi_keys)):
        return None
    # The closure meta.json records holds for these arrays only if they are the ones written.
    closed = m.meta.get("trigram_closure") is True and m.meta.get("bigrams") == len(m.bi_keys) \
        and m.meta.get("trigrams") == len(m.tri_keys)
    return _lmkernel.Model(m.tri_keys, m.tri_logp, m.tri_book, m.bi_keys, m.bi_logp, m.bi_bow, m.uni, m.uni_bow,
                           closed)


def _positions_fit(bigrams, n: int) -> bool:
    """Whether given bigram positions ((pos, found), (pos, found)) reach the kernel as they are."""
    try:
        arrays = [x for pair in bigrams for x in pair]
    except (TypeError, ValueError):
        return False
    return len(arrays) == 4 and all(
        type(x) is np.ndarray and x.ndim == 1 and x.flags.c_contiguous and len(x) == n
        and x.dtype == (np.intp if i % 2 == 0 else np.bool_) for i, x in enumerate(arrays))


class MixedModel:
    """Linear interpolation of several n-gram models (the default plus house models)."""

    def __init__(self, models: list[NgramModel], weights: list[float] | None = None):
        if not models:
            raise ValueError("MixedModel needs at least one model")
        self.models = models
        w = np.asarray(weights or [1.0] * len(models), dtype=np.float64)
        self.log_weights = np.log(w / w.sum())
        # The unknown class stands for every type the build mapped to it (the rare variants):
        # one unknown string gets its share, not the whole class's mass, which is as large as a
        # frequent word's ("hiẹn" must not look nearly as likely as "hiện").
        self.log_unk_share = -math.log(max(int(models[0].meta.get("rare_variant_types", 1)), 1))
        self._unk0 = models[0].vocab[UNK]

    def score(self, a: list[str], b: list[str], c: list[str]) -> np.ndarray:
        """Natural-log p(c | a b) for parallel lists of token strings."""
        if not c:
            return np.zeros(0)
        return self._mix([(m, m.ids(a), m.ids(b), m.ids(c)) for m in self.models])

    def _mix(self, queries: list[tuple["NgramModel", np.ndarray, np.ndarray, np.ndarray]],
             bigrams: list | None = None) -> np.ndarray:
        """Interpolate the models. A house model says nothing about words it has never seen:
        for those it lends its weight to the default model instead of its unknown-word mass."""
        bigrams = bigrams or [None] * len(queries)
        default = queries[0]
        lp0 = default[0].logprob(default[1], default[2], default[3], bigrams[0])
        if self.log_unk_share:
            lp0 = np.where(default[3] == self._unk0, lp0 + self.log_unk_share, lp0)
        if len(queries) == 1:
            return lp0
        parts = [self.log_weights[0] + lp0]
        for (m, ia, ib, ic), lw, bg in zip(queries[1:], self.log_weights[1:], bigrams[1:]):
            lp = m.logprob(ia, ib, ic, bg)
            parts.append(lw + np.where(ic == m.vocab[UNK], lp0, lp))
        return np.logaddexp.reduce(np.vstack(parts), axis=0)

    def set_base_vocab(self, vocab: list[str]) -> None:
        """Fix a vocabulary whose ids `score_ids` callers may use without mapping them again."""
        self._base = [m.ids(vocab) for m in self.models]

    def score_ids(self, extra: list[str], a: np.ndarray, b: np.ndarray, c: np.ndarray,
                  bigrams: list | None = None) -> np.ndarray:
        """Like `score`, with tokens as indices into the base vocabulary followed by `extra`.

        `bigrams`, if given, holds for each model the positions of every query's bigrams (b, c)
        and (a, b), as `NgramModel.logprob` takes them (from `bigram_lookup`)."""
        if len(c) == 0:
            return np.zeros(0)
        queries = []
        for m, base in zip(self.models, self._base):
            ids = np.concatenate([base, m.ids(extra)]) if extra else base
            queries.append((m, ids[a], ids[b], ids[c]))
        return self._mix(queries, bigrams)

    def bigram_lookup(self, extra: list[str], a: np.ndarray, b: np.ndarray
                      ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Whether any model has seen the bigram (a, b), and each model's (position, found) of it
        (for `score_ids`' `bigrams`); ids as in `score_ids`."""
        seen = np.zeros(len(a), bool)
        hits = []
        for m, base in zip(self.models, self._base):
            ids = np.concatenate([base, m.ids(extra)]) if extra else base
            if m.kernel is not None and _ids_fit(a, b) and len(a) == len(b):
                pos, found = m.kernel.bigram_positions(ids, a, b)   # ids[a], ids[b] mapped in C
            else:
                pos, found = m.bigram_positions(ids[a], ids[b])
            seen |= found
            hits.append((pos, found))
        return seen, hits

    def score_options(self, extra: list[str], flat: np.ndarray, at: np.ndarray, ends: np.ndarray,
                      sizes: np.ndarray, cand: np.ndarray, cand_prior: np.ndarray, slot_err: np.ndarray,
                      own_prior: np.ndarray, keep_all: np.ndarray, eos: int) -> tuple | None:
        """The checker's contest in one pass of the kernel: each slot's own token and candidates,
        pruned by their bigrams with the neighbours and scored by their trigrams (ids as in
        `score_ids`; `_lmkernel.Model.score_options` says what each array holds). None where
        the kernel cannot score alone (house models, a bigram share, no kernel, no bigrams,
        arrays of other types): the caller's numpy code (`Checker._contest`) is its twin."""
        m = self.models[0]
        if len(self.models) != 1 or m.kernel is None or m.bigram_share or not len(m.bi_keys) \
                or not _ids_fit(flat, at, ends, sizes, cand) \
                or not all(type(x) is np.ndarray and x.dtype == np.float64 and x.ndim == 1 and x.flags.c_contiguous
                           for x in (cand_prior, slot_err, own_prior)) \
                or not (type(keep_all) is np.ndarray and keep_all.dtype == np.bool_ and keep_all.flags.c_contiguous):
            return None
        ids = np.concatenate([self._base[0], m.ids(extra)]) if extra else self._base[0]
        return m.kernel.score_options(ids, flat, at, ends, sizes, cand, cand_prior, slot_err, own_prior,
                                      keep_all.view(np.uint8), eos, self._unk0, self.log_unk_share)

    def bigram_seen(self, extra: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether any model has seen the bigram (a, b); ids as in `score_ids`."""
        return self.bigram_lookup(extra, a, b)[0]

    def known(self, token: str) -> bool:
        return any(token in m.vocab for m in self.models)


# --- From tokens to model tokens -------------------------------------------------------------
_CLASS = {"number": "<num>", "date": "<date>", "code": "<code>", "url": "<url>",
          "foreign": "<foreign>", "cjk": "<foreign>"}
_BREAK = {".", "!", "?", "…", "..."}
_PAUSE = {",", ";", ":", "-", "–", "—"}


NAME_MARK = "^"  # a capitalised word inside a sentence: "huyện Đại Lộc" is not "huyện đại"


@lru_cache(maxsize=200_000)
def model_token(kind: str, norm: str) -> str | None:
    """The model's token for a text token: tone key for words, a class for the rest.

    Names (capitalised inside a sentence) are marked: their neighbours are not a common
    word's ("huyện Đại Lộc" must not make "huyện đại" look usual). None means "skip" (quotes,
    brackets, emoji); "" means "sentence break".
    """
    if kind == "name":
        return NAME_MARK + tone_key(norm.lower())
    if kind in ("syllable", "acronym"):
        return tone_key(norm.lower())
    cls = _CLASS.get(kind)
    if cls:
        return cls
    if kind == "punct":
        if norm in _BREAK:
            return ""
        if norm in _PAUSE:
            return PAUSE
    return None


def model_sentences(text: str) -> list[list[str]]:
    """Split a text into sentences of model tokens (training and checking share this)."""
    from .tokenize import tokenize

    out: list[list[str]] = [[]]
    last_sentence = 0
    for tok in tokenize(text).tokens:
        if tok.sentence != last_sentence:
            last_sentence = tok.sentence
            if out[-1]:
                out.append([])
        m = model_token(tok.kind.value, tok.norm)
        if m is None:
            continue
        if m == "":
            if out[-1]:
                out.append([])
            continue
        out[-1].append(m)
    if not out[-1]:
        out.pop()
    return out
