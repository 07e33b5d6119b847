"""Do 4-grams pay for their size? Held-out perplexity of order 2, 3 and 4 on the default model's groups.

    python benchmarks/fourgram.py [--cache dictionaries/build-cache] [--groups wiki,news,literature]

Reads the counts that `dictionaries/build.py` keeps in `CACHE/lm-work/counts-open.pkl` (the
open corpus, 2% of each source's documents held out) and, per group, fits interpolated
Kneser-Ney models of order 2, 3 and 4 (one discount per order, from count-of-counts) on the
training documents, then prints the perplexity of the group's held-out documents and the number
of n-grams each order adds: what a 4-gram table would cost against what it buys. Every token of
the held-out text is predicted from the longest context inside its sentence.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BITS = np.uint64(16)  # the open corpus vocabulary has under 65,536 tokens


def _grams(s: np.ndarray, n: int) -> np.ndarray:
    """Packed keys of every n-gram inside a sentence (BOS only first, no EOS in the context)."""
    m = len(s) - n + 1
    key = np.zeros(m, np.uint64)
    ok = np.ones(m, bool)
    for j in range(n):
        part = s[j:j + m]
        key = (key << BITS) | part.astype(np.uint64)
        if j < n - 1:
            ok &= part != 1
        if j > 0:
            ok &= part != 0
    return key[ok]


class KN:
    """Interpolated Kneser-Ney of order `order` over a padded id stream."""

    def __init__(self, s: np.ndarray, order: int, vocab: int):
        self.order, self.vocab = order, vocab
        self.levels = []
        top, top_c = np.unique(_grams(s, order), return_counts=True)
        keys, counts = top, top_c.astype(np.float64)
        for n in range(order, 0, -1):
            d = self._discount(counts)
            ctx = keys >> BITS if n > 1 else np.zeros(len(keys), np.uint64)
            uctx, inv, = np.unique(ctx, return_inverse=True)
            total = np.bincount(inv, counts)
            types = np.bincount(inv)
            self.levels.append((n, keys, counts, d, uctx, total, types))
            if n > 1:  # continuation counts of the next lower order
                suffix = keys & ((np.uint64(1) << (BITS * np.uint64(n - 1))) - np.uint64(1))
                keys, cont = np.unique(suffix, return_counts=True)
                counts = cont.astype(np.float64)
        self.levels.reverse()  # order 1 first

    @staticmethod
    def _discount(counts: np.ndarray) -> float:
        n1, n2 = max(int((counts == 1).sum()), 1), max(int((counts == 2).sum()), 1)
        return n1 / (n1 + 2 * n2)

    def logprob(self, s: np.ndarray) -> np.ndarray:
        """Natural-log probability of every predicted token (not BOS) of a padded stream."""
        idx = np.flatnonzero(s != 0)
        p = np.full(len(idx), 1.0 / self.vocab)
        for n, keys, counts, d, uctx, total, types in self.levels:
            # context of length n-1 ending before each token, if it stays inside the sentence
            key = np.zeros(len(idx), np.uint64)
            ok = np.ones(len(idx), bool)
            for j in range(n - 1, -1, -1):
                pos = idx - j
                tok = s[np.maximum(pos, 0)]
                ok &= pos >= 0
                if j > 0:
                    ok &= tok != 1
                    if j < n - 1:
                        ok &= tok != 0
                key = (key << BITS) | tok.astype(np.uint64)
            ctx = key >> BITS if n > 1 else np.zeros(len(idx), np.uint64)
            ci = np.minimum(np.searchsorted(uctx, ctx), len(uctx) - 1)
            seen_ctx = ok & (uctx[ci] == ctx)
            ki = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            c = np.where(seen_ctx & (keys[ki] == key), counts[ki], 0.0)
            tot, typ = total[ci], types[ci]
            new = np.maximum(c - d, 0.0) / np.maximum(tot, 1e-9) + d * typ / np.maximum(tot, 1e-9) * p
            p = np.where(seen_ctx, new, p)
        return np.log(p)

    def size(self) -> dict[int, int]:
        return {n: int(len(k)) for n, k, *_ in self.levels}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "dictionaries" / "build-cache")
    ap.add_argument("--groups", default="wiki,news,literature")
    args = ap.parse_args()
    path = args.cache / "lm-work" / "counts-open.pkl"
    if not path.exists():
        print(f"{path} not found: run dictionaries/build.py --cache {args.cache} first", file=sys.stderr)
        return 2
    with open(path, "rb") as fh:
        saved = pickle.load(fh)
    V = len(saved["vocab"])
    print("| group | train tokens | held-out tokens | ppl order 2 | ppl order 3 | ppl order 4 | trigrams | 4-grams |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for g in args.groups.split(","):
        tr = np.frombuffer(saved["train"][g].stream, dtype=np.dtype(saved["train"][g].stream.typecode)).astype(np.int64)
        he = np.frombuffer(saved["held"][g].stream, dtype=np.dtype(saved["held"][g].stream.typecode)).astype(np.int64)
        ppl, sizes = {}, {}
        for order in (2, 3, 4):
            m = KN(tr, order, V)
            ppl[order] = float(np.exp(-m.logprob(he).mean()))
            sizes = m.size()
        print(f"| {g} | {len(tr):,} | {len(he):,} | {ppl[2]:.1f} | {ppl[3]:.1f} | {ppl[4]:.1f} | "
              f"{sizes[3]:,} | {sizes[4]:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
