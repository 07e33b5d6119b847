"""Mix group models into one backoff model: weights by held-out likelihood, then pruning.

1. `fit_weights`: EM for the interpolation weights of the group models, maximising the mean
   log-likelihood of held-out sets, each set counted equally (so no source wins by size).
2. `mix`: static interpolation into one backoff model, as SRILM's `-mix-lm` does. Every n-gram
   seen by any group gets the weighted sum of the groups' probabilities; backoff weights are
   recomputed so each context's distribution sums to one.
3. Pruning keeps the n-grams whose removal would cost most, by Stolcke's weighted difference
   P(h) p(w|h) |log p(w|h) - log p_backoff(w|h)|, up to a budget, then renormalises.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lm import BITS, MASK, NgramModel

B = np.uint64(BITS)
LOW2 = np.uint64((1 << (2 * BITS)) - 1)


def stream_logprobs(model: NgramModel, s: np.ndarray) -> np.ndarray:
    """Natural-log probability of every predicted token of a padded id stream (BOS=0, EOS=1)."""
    i = np.nonzero(s != 0)[0]
    i = i[i >= 1]
    prev = s[i - 1]
    a = np.where(prev == 0, -1, s[np.maximum(i - 2, 0)])
    return model.logprob(a, prev, s[i])


def fit_weights(sets: list[np.ndarray], iters: int = 100) -> np.ndarray:
    """EM weights for a linear mixture; `sets` are (tokens x models) natural-log probabilities."""
    g = sets[0].shape[1]
    lam = np.full(g, 1.0 / g)
    for _ in range(iters):
        acc = np.zeros(g)
        for lp in sets:
            x = lp + np.log(lam)
            post = np.exp(x - np.logaddexp.reduce(x, axis=1, keepdims=True))
            acc += post.mean(axis=0) / len(sets)
        if np.allclose(acc, lam, atol=1e-6):
            break
        lam = acc
    return lam


def mixture_perplexity(lp: np.ndarray, lam: np.ndarray) -> float:
    return float(np.exp(-np.mean(np.logaddexp.reduce(lp + np.log(lam), axis=1))))


@dataclass
class Arrays:
    """A backoff model as plain arrays (natural-log probabilities and backoffs)."""

    uni: np.ndarray        # ln p(w), by id
    uni_bow: np.ndarray    # ln backoff of the unigram context w
    bi_keys: np.ndarray    # sorted uint64 (a << BITS | b)
    bi_logp: np.ndarray
    bi_bow: np.ndarray     # ln backoff of the bigram context (a, b)
    tri_keys: np.ndarray
    tri_logp: np.ndarray


def _group_sum(ctx_inv: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(ctx_inv, values, minlength=n)


def _backoffs(ctx: np.ndarray, p_seen: np.ndarray, p_lower: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique contexts and their ln backoff: (1 - sum seen p) / (1 - sum of the lower p of the seen)."""
    uctx, inv = np.unique(ctx, return_inverse=True)
    num = 1.0 - _group_sum(inv, p_seen, len(uctx))
    den = 1.0 - _group_sum(inv, p_lower, len(uctx))
    return uctx, np.log(np.clip(num, 1e-9, None)) - np.log(np.clip(den, 1e-9, None))


def _find(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pos = np.searchsorted(keys, q)
    pos = np.minimum(pos, len(keys) - 1)
    return pos, keys[pos] == q


def mix(models: list[NgramModel], lam: np.ndarray) -> Arrays:
    """Static interpolation of models that share one vocabulary."""
    lam = np.asarray(lam, np.float64)
    V = len(models[0].uni)
    p1 = sum(l * np.power(10.0, m.uni.astype(np.float64)) for m, l in zip(models, lam))
    k2 = np.unique(np.concatenate([m.bi_keys for m in models]))
    k3 = np.unique(np.concatenate([m.tri_keys for m in models]))
    b2, c2 = (k2 >> B).astype(np.int64), (k2 & np.uint64(MASK)).astype(np.int64)
    minus = np.full(len(k2), -1, np.int64)
    p2 = sum(l * np.exp(m.logprob(minus, b2, c2)) for m, l in zip(models, lam))
    a3 = (k3 >> (B + B)).astype(np.int64)
    b3 = ((k3 >> B) & np.uint64(MASK)).astype(np.int64)
    c3 = (k3 & np.uint64(MASK)).astype(np.int64)
    p3 = sum(l * np.exp(m.logprob(a3, b3, c3)) for m, l in zip(models, lam))
    return _renormalise(V, p1, k2, p2, k3, p3)


def _renormalise(V: int, p1, k2, p2, k3, p3) -> Arrays:
    """Backoff weights for the seen n-grams' probabilities (natural logs out)."""
    uctx1, bow1_u = _backoffs(k2 >> B, p2, p1[(k2 & np.uint64(MASK)).astype(np.int64)])
    uni_bow = np.zeros(V)
    uni_bow[uctx1.astype(np.int64)] = bow1_u
    bi_bow = np.zeros(len(k2))
    if len(k3):
        pos, found = _find(k2, k3 & LOW2)
        assert found.all(), "a trigram's suffix bigram is missing"
        uctx2, bow2_u = _backoffs(k3 >> B, p3, p2[pos])
        pos2, found2 = _find(k2, uctx2)
        assert found2.all(), "a trigram's context bigram is missing"
        bi_bow[pos2] = bow2_u
    return Arrays(np.log(p1), uni_bow, k2, np.log(p2), bi_bow, k3, np.log(p3))


def prune(m: Arrays, max_trigrams: int, max_bigrams: int) -> Arrays:
    """Keep the trigrams and bigrams whose removal costs most (weighted difference), renormalise."""
    p1 = np.exp(m.uni)
    k2, lp2 = m.bi_keys, m.bi_logp
    b2, c2 = (k2 >> B).astype(np.int64), (k2 & np.uint64(MASK)).astype(np.int64)
    keep3 = np.ones(len(m.tri_keys), bool)
    if len(m.tri_keys) > max_trigrams:
        k3 = m.tri_keys
        pos_suf, _ = _find(k2, k3 & LOW2)
        pos_ctx, _ = _find(k2, k3 >> B)
        a3 = (k3 >> (B + B)).astype(np.int64)
        lower = m.bi_bow[pos_ctx] + lp2[pos_suf]            # backoff estimate of p(c | a b)
        p_ctx = np.exp(m.uni[a3] + lp2[pos_ctx])            # P(a b) ~ p(a) p(b | a)
        cost = p_ctx * np.exp(m.tri_logp) * np.abs(m.tri_logp - lower)
        cut = np.partition(cost, len(cost) - max_trigrams)[len(cost) - max_trigrams]
        keep3 = cost >= cut
        keep3 &= np.cumsum(keep3) <= max_trigrams           # ties: stay within the budget
    k3 = m.tri_keys[keep3]
    p3 = np.exp(m.tri_logp[keep3])
    needed = np.zeros(len(k2), bool)                        # contexts and suffixes of kept trigrams
    if len(k3):
        needed[_find(k2, k3 >> B)[0]] = True
        needed[_find(k2, k3 & LOW2)[0]] = True
    keep2 = needed.copy()
    free = max_bigrams - int(needed.sum())
    if free > 0:
        cost2 = p1[b2] * np.exp(lp2) * np.abs(lp2 - (m.uni_bow[b2] + m.uni[c2]))
        cost2[needed] = -1.0
        order = np.argsort(-cost2, kind="stable")[:free]
        keep2[order] = True
    return _renormalise(len(p1), p1, k2[keep2], np.exp(lp2[keep2]), k3, p3)
