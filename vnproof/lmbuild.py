"""Build n-gram models: count syllable trigrams, smooth with interpolated modified Kneser-Ney.

Used by `dictionaries/build.py` (the shipped default model) and by `vnproof train` (house
models from a newsroom's archive). Counting is vectorised with numpy, so 20 million syllables
train in about a minute. One path: a token stream (`Counts`) -> n-gram counts summed by key
(`aggregate` -> `Aggregate`) -> smoothed model (`smooth`). House models keep their `Aggregate`
(`save_counts`, counts.npz) so `vnproof train --update` can add new text without recounting.
"""
from __future__ import annotations

import json
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from .lm import BITS, BOS, EOS, MASK, UNK, model_sentences, write_model

B = np.uint64(BITS)
LEXICON_SCALE = 0.05  # lexicon word counts -> bigram counts of our running text


@dataclass
class Counts:
    """Raw n-gram counts collected from text, plus optional extra evidence."""

    vocab: dict[str, int] = field(default_factory=lambda: {BOS: 0, EOS: 1, UNK: 2})
    stream: array = field(default_factory=lambda: array("l"))   # ids, sentences padded
    weights: array = field(default_factory=lambda: array("f"))  # per token weight
    extra_bigrams: dict[tuple[int, int], float] = field(default_factory=dict)
    unigram_prior: dict[int, float] = field(default_factory=dict)  # external frequencies
    syllables: int = 0
    sources: list[dict] = field(default_factory=list)

    def ident(self, token: str) -> int:
        i = self.vocab.get(token)
        if i is None:
            i = self.vocab[token] = len(self.vocab)
        return i

    def add_sentences(self, sentences: Iterable[list[str]], weight: float = 1.0) -> None:
        ident, stream, weights = self.ident, self.stream, self.weights
        for sent in sentences:
            if not sent:
                continue
            stream.append(0)
            stream.extend(ident(t) for t in sent)
            stream.append(1)
            weights.extend([weight] * (len(sent) + 2))
            self.syllables += len(sent)

    def add_text(self, text: str, weight: float = 1.0) -> None:
        self.add_sentences(model_sentences(text), weight)

    def merge(self, vocab: list[str], stream: np.ndarray, syllables: int) -> None:
        """Append another counter's padded id stream (ids index `vocab`), at weight 1."""
        remap = np.fromiter((self.ident(t) for t in vocab), np.int64, len(vocab))
        ids = remap[stream].astype(np.dtype(self.stream.typecode))
        self.stream.frombytes(ids.tobytes())
        self.weights.frombytes(np.ones(len(ids), np.float32).tobytes())
        self.syllables += syllables

    def export(self) -> tuple[list[str], np.ndarray, int]:
        """(vocab, id stream, syllables): what `merge` takes, cheap to send between processes."""
        vocab = [""] * len(self.vocab)
        for t, i in self.vocab.items():
            vocab[i] = t
        return vocab, np.frombuffer(self.stream, dtype=np.dtype(self.stream.typecode)).astype(np.int32), self.syllables

    def forget(self, mask: np.ndarray) -> int:
        """Map the token ids where `mask` is true to UNK in the stream; returns how many tokens."""
        if not mask.any() or not len(self.stream):
            return 0
        ids = np.frombuffer(self.stream, dtype=np.dtype(self.stream.typecode))
        n = int(mask[ids].sum())
        remap = np.arange(len(mask), dtype=ids.dtype)
        remap[mask] = self.vocab[UNK]
        ids[:] = remap[ids]
        return n

    def add_bigram(self, a: str, b: str, count: float) -> None:
        key = (self.ident(a), self.ident(b))
        self.extra_bigrams[key] = self.extra_bigrams.get(key, 0.0) + count


def strip_marks(token: str) -> str:
    """A model token without marks and tone digit ("nhat5" -> "nhat")."""
    d = unicodedata.normalize("NFD", token.replace("đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c)).rstrip("0123456789")


def rare_variants(words: list[str], freq: np.ndarray, ratio: float,
                  protect: frozenset[str] = frozenset()) -> np.ndarray:
    """Mask of tokens seen fewer than `ratio` times as often as the most frequent token with the
    same letters ("nhât" beside "nhất"): in edited text these are mostly slips, and counting them
    would teach the model to expect the slip. Tokens in `protect` (e.g. syllables of lexicon
    words) and special tokens are kept."""
    keys = [strip_marks(w) for w in words]
    best: dict[str, int] = {}
    for k, f in zip(keys, freq.tolist()):
        if f > best.get(k, 0):
            best[k] = f
    mask = np.zeros(len(words), bool)
    for i, (w, k, f) in enumerate(zip(words, keys, freq.tolist())):
        if f and f < ratio * best[k] and w not in protect and not w.startswith("<") and i > 2:
            mask[i] = True
    return mask


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Modified Kneser-Ney discounts D1, D2, D3+ from count-of-counts (Chen & Goodman)."""
    n = [max(int(np.sum(counts == k)), 1) for k in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1])
    d = np.array([0.0, 1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])
    return np.clip(d, 0.05, [0, 0.95, 1.9, 2.9])


def _level(keys: np.ndarray, counts: np.ndarray, shift: np.uint64):
    """Discounted probability mass and backoff weight per context for one order."""
    ctx = keys >> shift
    uctx, inv = np.unique(ctx, return_inverse=True)
    d = _discounts(np.rint(counts).astype(np.int64))
    ci = np.minimum(np.rint(counts).astype(np.int64), 3)
    disc = np.where(counts > 0, d[np.maximum(ci, 1)], 0.0)
    disc = np.minimum(disc, counts * 0.999)
    total = np.bincount(inv, counts)
    p = (counts - disc) / total[inv]
    gamma = np.bincount(inv, disc) / total
    return p, uctx, gamma, inv


@dataclass
class Aggregate:
    """N-gram counts summed over a stream: all that smoothing needs, and what `--update` adds to.

    Keys are sorted and packed as in `vnproof.lm` (ids index `words`); counts are weighted sums
    before any rounding or pruning."""

    words: list[str]
    tri_keys: np.ndarray     # uint64 (a << 42 | b << 21 | c)
    tri_counts: np.ndarray   # float64
    bi_keys: np.ndarray      # uint64 (a << 21 | b)
    bi_counts: np.ndarray    # float64, from the stream
    bi_extra: np.ndarray     # float64, extra evidence (lexicon pairs)
    prior: np.ndarray        # float64 per id: external unigram frequencies
    syllables: int = 0
    sources: list[dict] = field(default_factory=list)

    def add(self, other: "Aggregate") -> "Aggregate":
        """Counts of both; `other.words` must extend `self.words` (same ids, new tokens appended)."""
        if other.words[: len(self.words)] != self.words:
            raise ValueError("vocabularies differ: the other counts must extend this vocabulary")
        K3, C3 = _sum_by_key([self.tri_keys, other.tri_keys], [self.tri_counts, other.tri_counts])
        K2, C2, E2 = _sum_by_key([self.bi_keys, other.bi_keys], [self.bi_counts, other.bi_counts],
                                 [self.bi_extra, other.bi_extra])
        prior = np.zeros(len(other.words))
        prior[: len(self.prior)] += self.prior
        prior[: len(other.prior)] += other.prior
        return Aggregate(other.words, K3, C3, K2, C2, E2, prior, self.syllables + other.syllables,
                         self.sources + other.sources)


def _sum_by_key(keys: list[np.ndarray], *values: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Union of key arrays with each value list summed per key: (keys, *sums)."""
    K, inv = np.unique(np.concatenate(keys), return_inverse=True)
    return (K, *(np.bincount(inv, np.concatenate(v), minlength=len(K)) for v in values))


COUNTS_FILE = "counts.npz"
COUNTS_FORMAT, COUNTS_VERSION = "vnproof-counts", 1


class CountsError(ValueError):
    """A model folder has no raw counts, or counts of another format."""


def save_counts(agg: Aggregate, folder: str | Path) -> Path:
    """Write `agg` as `folder/counts.npz`: keys delta-coded, integral counts as uint32, compressed."""
    path = Path(folder) / COUNTS_FILE
    header = {"format": COUNTS_FORMAT, "version": COUNTS_VERSION, "syllables": agg.syllables,
              "sources": agg.sources}
    tmp = path.with_name(path.name + ".part.npz")
    np.savez_compressed(
        tmp, header=_bytes(json.dumps(header, ensure_ascii=False)), vocab=_bytes("\n".join(agg.words)),
        tri_keys=np.diff(agg.tri_keys, prepend=np.uint64(0)), tri_counts=_compact(agg.tri_counts),
        bi_keys=np.diff(agg.bi_keys, prepend=np.uint64(0)), bi_counts=_compact(agg.bi_counts),
        bi_extra=_compact(agg.bi_extra), prior=_compact(agg.prior))
    tmp.replace(path)
    return path


def load_counts(folder: str | Path) -> Aggregate:
    """The raw counts saved beside a model by `save_counts`; `CountsError` if absent or foreign."""
    path = Path(folder) / COUNTS_FILE
    if not path.exists():
        raise CountsError(f"{folder}: no raw counts ({COUNTS_FILE}); the model was trained before "
                          "`vnproof train` kept them: retrain it once from the full archive")
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(z["header"].tobytes().decode("utf-8"))
            if header.get("format") != COUNTS_FORMAT or header.get("version") != COUNTS_VERSION:
                raise CountsError(f"{path}: counts format {header.get('format')} v{header.get('version')}, "
                                  f"this vnproof reads {COUNTS_FORMAT} v{COUNTS_VERSION}; retrain the model")
            words = z["vocab"].tobytes().decode("utf-8").split("\n")
            f64 = {k: z[k].astype(np.float64) for k in ("tri_counts", "bi_counts", "bi_extra", "prior")}
            return Aggregate(words, np.cumsum(z["tri_keys"], dtype=np.uint64), f64["tri_counts"],
                             np.cumsum(z["bi_keys"], dtype=np.uint64), f64["bi_counts"], f64["bi_extra"],
                             f64["prior"], int(header["syllables"]), list(header["sources"]))
    except (OSError, ValueError, KeyError) as e:
        if isinstance(e, CountsError):
            raise
        raise CountsError(f"{path}: unreadable counts ({e}); retrain the model") from e


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), np.uint8)


def _compact(values: np.ndarray) -> np.ndarray:
    """uint32 when every value is a whole number that fits (the usual case), else float64."""
    if len(values) == 0 or (values.min() >= 0 and values.max() < 2**32 and np.all(values == np.rint(values))):
        return values.astype(np.uint32)
    return values.astype(np.float64)


def aggregate(counts: Counts) -> Aggregate:
    """Sum the trigrams and bigrams of `counts`' stream (and its extra evidence) by key."""
    V = len(counts.vocab)
    if V > MASK:
        raise ValueError(f"vocabulary of {V} tokens exceeds the {BITS}-bit id space")
    s = np.frombuffer(counts.stream, dtype=np.int64 if counts.stream.itemsize == 8 else np.int32).astype(np.uint64)
    w = np.frombuffer(counts.weights, dtype=np.float32).astype(np.float64)

    # Trigrams: no BOS as the predicted word, no EOS in the context.
    if len(s) >= 3:
        a, b, c = s[:-2], s[1:-1], s[2:]
        ok = (c != 0) & (a != 1) & (b != 1) & (b != 0)
        k3 = (a[ok] << (B + B)) | (b[ok] << B) | c[ok]
        w3 = w[2:][ok]
    else:
        k3, w3 = np.zeros(0, np.uint64), np.zeros(0)
    K3, inv3 = np.unique(k3, return_inverse=True)
    R3 = np.bincount(inv3, w3) if len(k3) else np.zeros(0)

    # Bigrams (raw), plus the extra evidence.
    if len(s) >= 2:
        a, c = s[:-1], s[1:]
        ok = (c != 0) & (a != 1)
        k2 = (a[ok] << B) | c[ok]
        w2 = w[1:][ok]
    else:
        k2, w2 = np.zeros(0, np.uint64), np.zeros(0)
    extra_k = np.array([(x << BITS) | y for x, y in counts.extra_bigrams], dtype=np.uint64)
    extra_c = np.array(list(counts.extra_bigrams.values()), dtype=np.float64)
    K2, inv2 = np.unique(np.concatenate([k2, extra_k]), return_inverse=True)
    R2 = np.bincount(inv2[: len(k2)], w2, minlength=len(K2)) if len(k2) else np.zeros(len(K2))
    E2 = np.bincount(inv2[len(k2):], extra_c, minlength=len(K2)) if len(extra_k) else np.zeros(len(K2))

    prior = np.zeros(V)
    for i, f in counts.unigram_prior.items():
        prior[i] += f
    words = [""] * V
    for t, i in counts.vocab.items():
        words[i] = t
    return Aggregate(words, K3, R3, K2, R2, E2, prior, counts.syllables, list(counts.sources))


def build(counts: Counts, out_dir: str | Path, *, min_trigram: int = 1, min_bigram: int = 1,
          meta: dict | None = None, quantised: bool = True) -> Path:
    """Smooth `counts` and write a model folder (see `vnproof.lm`). Returns the folder."""
    return smooth(aggregate(counts), out_dir, min_trigram=min_trigram, min_bigram=min_bigram,
                  meta=meta, quantised=quantised)


def smooth(agg: Aggregate, out_dir: str | Path, *, min_trigram: int = 1, min_bigram: int = 1,
           meta: dict | None = None, quantised: bool = True) -> Path:
    """Smooth aggregated counts (interpolated modified Kneser-Ney) and write a model folder."""
    out = Path(out_dir)
    V = len(agg.words)
    if V > MASK:
        raise ValueError(f"vocabulary of {V} tokens exceeds the {BITS}-bit id space")
    K3, K2, R2, E2 = agg.tri_keys, agg.bi_keys, agg.bi_counts, agg.bi_extra
    C3 = np.maximum(np.rint(agg.tri_counts), 1.0)

    # Adjusted (continuation) counts for bigrams: distinct left contexts, raw after BOS.
    suffix = K3 & np.uint64((1 << (2 * BITS)) - 1)
    usuf, suf_types = np.unique(suffix, return_counts=True)
    A2 = np.zeros(len(K2))
    if len(usuf):
        A2[np.searchsorted(K2, usuf)] = suf_types
    after_bos = (K2 >> B) == 0
    A2 = np.where(after_bos, np.rint(R2), A2) + np.rint(E2)
    A2 = np.maximum(A2, 1.0)

    # Unigram continuation counts.
    last = (K2 & np.uint64(MASK)).astype(np.int64)
    A1 = np.bincount(last, minlength=V).astype(np.float64)
    A1[0] = 0.0
    d1 = _discounts(np.rint(A1[A1 > 0]).astype(np.int64))
    disc1 = np.where(A1 > 0, d1[np.minimum(np.maximum(np.rint(A1).astype(np.int64), 1), 3)], 0.0)
    disc1 = np.minimum(disc1, A1 * 0.999)
    gamma1 = disc1.sum() / max(A1.sum(), 1.0)
    base = np.ones(V) + agg.prior
    base[0] = 0.0
    base /= base.sum()
    P1 = (A1 - disc1) / max(A1.sum(), 1.0) + gamma1 * base
    P1[0] = 1e-12  # BOS is never predicted

    # Bigram level.
    p2, ctx2, gamma2, inv_2 = _level(K2, A2, B)
    P2 = p2 + gamma2[inv_2] * P1[last]
    uni_bow = np.zeros(V)
    uni_bow[ctx2.astype(np.int64)] = gamma2

    # Trigram level.
    if len(K3):
        p3, ctx3, gamma3, inv_3 = _level(K3, C3, B)
        pos = np.searchsorted(K2, suffix)
        P3 = p3 + gamma3[inv_3] * P2[pos]
        bi_bow = np.ones(len(K2))
        bi_bow[np.searchsorted(K2, ctx3)] = gamma3
    else:
        P3, bi_bow = np.zeros(0), np.ones(len(K2))

    keep3 = C3 >= min_trigram
    keep2 = (np.rint(R2 + E2) >= min_bigram) | (bi_bow != 1.0)
    arrays = {"uni": np.log10(P1), "uni_bow": np.log10(np.where(uni_bow > 0, uni_bow, 1.0)),
              "bi_keys": K2[keep2], "bi_logp": np.log10(P2[keep2]), "bi_bow": np.log10(bi_bow[keep2]),
              "tri_keys": K3[keep3], "tri_logp": np.log10(P3[keep3])}
    info = {"smoothing": "interpolated modified Kneser-Ney", "syllables": agg.syllables,
            "sources": agg.sources}
    info.update(meta or {})
    return write_model(out, agg.words, arrays, info, quantised=quantised)


def _lexicon_evidence(counts: Counts, words_tsv: Path) -> int:
    """Add the in-word syllable pairs of the word lexicon as extra bigram evidence.

    genz-tokenize's counts are word frequencies in a large corpus: scaled by `LEXICON_SCALE`
    (about the ratio of our running text to that corpus) they become bigram counts; words
    from count-less lists (pyvi, Viet74K) count once.
    """
    from .lexicon import read_tsv
    from .text import tone_key

    n = 0
    for cols in read_tsv(words_tsv):
        parts = [tone_key(s) for s in cols[0].split()]
        c = float(cols[1]) if len(cols) > 1 else 1.0
        weight = max(1.0, c * LEXICON_SCALE)
        for a, b in zip(parts, parts[1:]):
            counts.add_bigram(a, b, weight)
            n += 1
    return n


def _unigram_prior(counts: Counts, syllables_tsv: Path) -> None:
    from .lexicon import read_tsv
    from .text import tone_key

    for cols in read_tsv(syllables_tsv):
        i = counts.ident(tone_key(cols[0]))
        counts.unigram_prior[i] = counts.unigram_prior.get(i, 0.0) + float(cols[1])


def build_default_model(*args, **kwargs) -> Path:
    """The shipped model (see `vnproof.lmdefault`)."""
    from .lmdefault import build_default_model as build_default

    return build_default(*args, **kwargs)
