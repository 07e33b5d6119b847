"""Syllable n-gram language model: compact, memory-mapped, queried in batches.

A model is a folder written by `vnproof.lmbuild`:
  meta.json        format, version, order, counts, sources (written last: a missing file means
                   the build did not finish)
  vocab.txt        one token per line; the line number is its id
  uni.npy          log10 p(w) and uni_bow.npy log10 backoff, float32, indexed by id
  bi_keys.npy      sorted uint64 keys (a << 21 | b), bi_logp.npy, bi_bow.npy
  tri_keys.npy     sorted uint64 keys (a << 42 | b << 21 | c), tri_logp.npy
meta.json may set `bigram_share` s: p(c | a b) is then (1 - s) p3(c | a b) + s p2(c | b).
Probabilities are interpolated modified Kneser-Ney, stored ARPA-style (probability of each
seen n-gram plus backoff weights), so a query is at most three binary searches.
"""
from __future__ import annotations

import json
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import tone_key

FORMAT = "vnproof-ngram"
VERSION = 1
BITS = 21
MASK = (1 << BITS) - 1
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
LN10 = float(np.log(10.0))


class ModelError(ValueError):
    """A model folder is missing, incomplete or of another format version."""


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, default: float,
            dedupe: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised exact-match lookup in a sorted key array: (values, found mask)."""
    if len(keys) == 0:
        return np.full(len(query), default, np.float32), np.zeros(len(query), bool)
    if dedupe and len(query) > 4096:  # sorted queries search far faster (cache locality)
        order = np.argsort(query)
        vals_s, found_s = _lookup(keys, values, query[order], default, dedupe=False)
        vals, found = np.empty_like(vals_s), np.empty_like(found_s)
        vals[order], found[order] = vals_s, found_s
        return vals, found
    pos = np.searchsorted(keys, query)
    pos[pos >= len(keys)] = len(keys) - 1
    found = keys[pos] == query
    out = np.where(found, values[pos], default).astype(np.float32)
    return out, found


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

    @classmethod
    def load(cls, path: str | Path, mmap: bool = True) -> "NgramModel":
        path = Path(path)
        meta_path = path / "meta.json"
        if not path.is_dir():
            raise ModelError(f"{path}: no such model folder (build one with `vnproof train`)")
        if not meta_path.exists():
            raise ModelError(f"{path}: incomplete model (meta.json missing); rebuild it with `vnproof train`")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
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

    def logprob(self, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Natural-log p(c | a b) for arrays of ids (a may be -1 for a bigram query)."""
        a = a.astype(np.uint64)
        b = b.astype(np.uint64)
        c = c.astype(np.uint64)
        bits = np.uint64(BITS)
        tri_q = (a << (bits + bits)) | (b << bits) | c
        tri, tri_found = _lookup(self.tri_keys, self.tri_logp, tri_q, 0.0)
        bi_q = (b << bits) | c
        bi, bi_found = _lookup(self.bi_keys, self.bi_logp, bi_q, 0.0)
        ctx_q = (a << bits) | b
        ctx_bow, _ = _lookup(self.bi_keys, self.bi_bow, ctx_q, 0.0)
        uni = self.uni[c.astype(np.int64)] + self.uni_bow[b.astype(np.int64)]
        lower = np.where(bi_found, bi, uni)
        out = np.where(tri_found, tri, ctx_bow + lower)
        share = self.bigram_share
        if share:  # hedge trigrams from other domains with the bigram distribution
            return np.logaddexp(np.log1p(-share) + out.astype(np.float64) * LN10,
                                np.log(share) + lower.astype(np.float64) * LN10)
        return out.astype(np.float64) * LN10


class MixedModel:
    """Linear interpolation of several n-gram models (the default plus house models)."""

    def __init__(self, models: list[NgramModel], weights: list[float] | None = None):
        if not models:
            raise ValueError("MixedModel needs at least one model")
        self.models = models
        w = np.asarray(weights or [1.0] * len(models), dtype=np.float64)
        self.log_weights = np.log(w / w.sum())

    def score(self, a: list[str], b: list[str], c: list[str]) -> np.ndarray:
        """Natural-log p(c | a b) for parallel lists of token strings."""
        if not c:
            return np.zeros(0)
        return self._mix([(m, m.ids(a), m.ids(b), m.ids(c)) for m in self.models])

    def _mix(self, queries: list[tuple["NgramModel", np.ndarray, np.ndarray, np.ndarray]]) -> np.ndarray:
        """Interpolate the models. A house model says nothing about words it has never seen:
        for those it lends its weight to the default model instead of its unknown-word mass."""
        default = queries[0]
        lp0 = default[0].logprob(default[1], default[2], default[3])
        if len(queries) == 1:
            return lp0
        parts = [self.log_weights[0] + lp0]
        for (m, ia, ib, ic), lw in zip(queries[1:], self.log_weights[1:]):
            lp = m.logprob(ia, ib, ic)
            parts.append(lw + np.where(ic == m.vocab[UNK], lp0, lp))
        return np.logaddexp.reduce(np.vstack(parts), axis=0)

    def set_base_vocab(self, vocab: list[str]) -> None:
        """Fix a vocabulary whose ids `score_ids` callers may use without mapping them again."""
        self._base = [m.ids(vocab) for m in self.models]

    def score_ids(self, extra: list[str], a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Like `score`, with tokens as indices into the base vocabulary followed by `extra`."""
        if len(c) == 0:
            return np.zeros(0)
        queries = []
        for m, base in zip(self.models, self._base):
            ids = np.concatenate([base, m.ids(extra)]) if extra else base
            queries.append((m, ids[a], ids[b], ids[c]))
        return self._mix(queries)

    def bigram_seen(self, extra: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether any model has seen the bigram (a, b); ids as in `score_ids`."""
        seen = np.zeros(len(a), bool)
        for m, base in zip(self.models, self._base):
            ids = np.concatenate([base, m.ids(extra)]) if extra else base
            q = (ids[a].astype(np.uint64) << np.uint64(BITS)) | ids[b].astype(np.uint64)
            seen |= _lookup(m.bi_keys, m.bi_logp, q, 0.0)[1]
        return seen

    def known(self, token: str) -> bool:
        return any(token in m.vocab for m in self.models)


# --- From tokens to model tokens -------------------------------------------------------------
_CLASS = {"number": "<num>", "date": "<date>", "code": "<code>", "url": "<url>",
          "foreign": "<foreign>", "cjk": "<foreign>"}
_BREAK = {".", "!", "?", "…", "..."}
_PAUSE = {",", ";", ":", "-", "–", "—"}


@lru_cache(maxsize=200_000)
def model_token(kind: str, norm: str) -> str | None:
    """The model's token for a text token: tone key for words, a class for the rest.

    None means "skip" (quotes, brackets, emoji); "" means "sentence break".
    """
    if kind in ("syllable", "name", "acronym"):
        return tone_key(norm.lower())
    cls = _CLASS.get(kind)
    if cls:
        return cls
    if kind == "punct":
        if norm in _BREAK:
            return ""
        if norm in _PAUSE:
            return "<p>"
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
