"""The typed LM kernel (`vnproof/_lmkernel.pyx`, issue #14) answers exactly as its numpy twin.

Each test runs a model twice in one process: with its kernel and with `kernel = None` (the numpy
code of lm.py, which `VNPROOF_PURE_PYTHON=1` runs). Positions, found masks and float64 scores
must be equal, not close: the decision's thresholds apply to them. Edge cases: empty queries,
absent keys, the first and last keys and ids, `a = -1` bigram queries, hostile ids (negative,
past the vocabulary, past 2**21), empty tables, unquantised models, the bigram share, given
bigram positions, and arrays the kernel does not take (int32 ids: numpy answers).
"""
from __future__ import annotations

import copy
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vnproof import lm
from vnproof.lm import BOS, EOS, MASK, MixedModel, NgramModel
from vnproof.lmbuild import Counts, build
from vnproof.lexicon import data_dir

ROOT = Path(__file__).resolve().parents[1]
needs_kernel = pytest.mark.skipif(lm._lmkernel is None, reason="the LM kernel is not built (or "
                                  "VNPROOF_PURE_PYTHON is set): only the numpy twin exists here")
pytestmark = needs_kernel

TEXT = ["một hai ba bốn.", "hai ba năm sáu, bảy.", "một hai ba.", "ba bốn năm một.",
        "sáu bảy tám chín mười.", "Mười một hai ba bốn năm!"]


def _model(tmp_path, name="m", quantised=True, **kw) -> NgramModel:
    c = Counts()
    for line in TEXT * 3:
        c.add_text(line)
    m = NgramModel.load(build(c, tmp_path / name, **kw))
    if not quantised:   # float32 trigram values, no codebook; float32 bigrams
        m = dataclasses.replace(m, tri_logp=m.tri_book[m.tri_logp].astype(np.float32), tri_book=None,
                                bi_logp=m.bi_logp.astype(np.float32), bi_bow=m.bi_bow.astype(np.float32))
    return m


def _twin(m: NgramModel) -> NgramModel:
    t = copy.copy(m)
    t.kernel = None
    return t


@pytest.fixture(scope="module")
def shipped() -> NgramModel:
    return NgramModel.load(data_dir() / "lm")


def _queries(m: NgramModel, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seen trigrams, random ids, the ends of the vocabulary and of the key arrays, a = -1."""
    rng = np.random.default_rng(seed)
    V = len(m.vocab)
    seen = m.tri_keys[rng.integers(0, len(m.tri_keys), n)]
    bi = m.bi_keys[rng.integers(0, len(m.bi_keys), n)]
    ends = np.array([m.tri_keys[0], m.tri_keys[-1]], np.uint64)
    a = np.concatenate([(seen >> np.uint64(42)).astype(np.int64), np.full(n, -1), rng.integers(0, V, n),
                        (ends >> np.uint64(42)).astype(np.int64), [0, V - 1, V - 1, 0]])
    b = np.concatenate([((seen >> np.uint64(21)) & np.uint64(MASK)).astype(np.int64),
                        (bi >> np.uint64(21)).astype(np.int64), rng.integers(0, V, n),
                        ((ends >> np.uint64(21)) & np.uint64(MASK)).astype(np.int64), [0, V - 1, 0, V - 1]])
    c = np.concatenate([(seen & np.uint64(MASK)).astype(np.int64), (bi & np.uint64(MASK)).astype(np.int64),
                        rng.integers(0, V, n), (ends & np.uint64(MASK)).astype(np.int64), [0, V - 1, V - 1, 0]])
    return a, b, c


def _same(x, y) -> None:
    if isinstance(x, tuple):
        assert len(x) == len(y)
        for u, v in zip(x, y):
            _same(u, v)
    else:
        assert x.dtype == y.dtype and x.shape == y.shape
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f")


def test_shipped_model_scores_and_positions_equal_the_twin(shipped):
    twin = _twin(shipped)
    assert shipped.kernel is not None
    a, b, c = _queries(shipped, 3000, 1)
    lp = shipped.logprob(a, b, c)
    _same(lp, twin.logprob(a, b, c))
    assert np.isfinite(lp).all()
    _same(shipped.bigram_positions(b, c), twin.bigram_positions(b, c))
    _same(shipped.bigram_positions(a, b), twin.bigram_positions(a, b))   # a = -1: never found
    given = (twin.bigram_positions(b, c), twin.bigram_positions(a, b))
    _same(shipped.logprob(a, b, c, given), lp)


@pytest.mark.parametrize("quantised", [True, False])
@pytest.mark.parametrize("share", [0.0, 0.25])
def test_small_models_equal_the_twin(tmp_path, quantised, share):
    m = _model(tmp_path, quantised=quantised)
    m.meta = {**m.meta, "bigram_share": share}
    assert m.kernel is not None
    twin = _twin(m)
    V = len(m.vocab)
    grid = np.array(np.meshgrid(np.arange(-1, V), np.arange(V), np.arange(V))).reshape(3, -1)
    a, b, c = (np.ascontiguousarray(x) for x in grid)   # every trigram of the vocabulary
    _same(m.logprob(a, b, c), twin.logprob(a, b, c))
    _same(m.bigram_positions(b, c), twin.bigram_positions(b, c))


@pytest.mark.parametrize("closed", [True, False])
def test_every_trigram_is_found_in_its_context_and_misses_are_not(tmp_path, closed):
    """The trigram search of given bigrams (among the context's trigrams, or for a model not
    closed among all with the first id where the context is absent): every trigram of a small
    model scores its own value, and every other (a, b, c) of the vocabulary as the twin does."""
    m = _model(tmp_path)
    m = dataclasses.replace(m, meta={**m.meta, "trigram_closure": closed})   # a kernel that reads it
    assert m.kernel is not None
    twin = _twin(m)
    bits, low = np.uint64(21), np.uint64(MASK)
    keys = m.tri_keys
    a, b, c = ((keys >> (bits + bits)).astype(np.int64), ((keys >> bits) & low).astype(np.int64),
               (keys & low).astype(np.int64))
    given = (twin.bigram_positions(b, c), twin.bigram_positions(a, b))
    _same(m.logprob(a, b, c, given), (m.tri_book[m.tri_logp].astype(np.float64) * lm.LN10))
    V = len(m.vocab)
    a, b, c = (np.ascontiguousarray(x) for x in np.array(np.meshgrid(np.arange(V), np.arange(V),
                                                                     np.arange(V))).reshape(3, -1))
    given = (twin.bigram_positions(b, c), twin.bigram_positions(a, b))
    _same(m.logprob(a, b, c, given), twin.logprob(a, b, c))


def test_empty_queries(shipped):
    twin = _twin(shipped)
    e = np.zeros(0, np.int64)
    _same(shipped.logprob(e, e, e), twin.logprob(e, e, e))
    _same(shipped.bigram_positions(e, e), twin.bigram_positions(e, e))
    given = (twin.bigram_positions(e, e), twin.bigram_positions(e, e))
    _same(shipped.logprob(e, e, e, given), twin.logprob(e, e, e, given))


def test_empty_tables(tmp_path):
    """A model without trigrams, or without bigrams and trigrams, scores as the twin does."""
    m = _model(tmp_path)
    V = len(m.vocab)
    a, b, c = np.arange(-1, V - 1), np.arange(V)[::-1].copy(), np.arange(V)
    for cut in (dict(tri_keys=m.tri_keys[:0], tri_logp=m.tri_logp[:0]),
                dict(tri_keys=m.tri_keys[:0], tri_logp=m.tri_logp[:0], bi_keys=m.bi_keys[:0],
                     bi_logp=m.bi_logp[:0], bi_bow=m.bi_bow[:0])):
        k = dataclasses.replace(m, **cut)
        assert k.kernel is not None
        twin = _twin(k)
        _same(k.logprob(a, b, c), twin.logprob(a, b, c))
        _same(k.bigram_positions(b, c), twin.bigram_positions(b, c))


@pytest.mark.parametrize("bad", [-1, -7, 10 ** 6, (1 << 21) + 3, 1 << 40, -(1 << 62)])
def test_hostile_ids_give_the_twins_answer_or_its_error(shipped, bad):
    """Ids out of the vocabulary: numpy wraps negative indices and raises IndexError past the end;
    the kernel does the same, and in the keys both use the same uint64 arithmetic."""
    twin = _twin(shipped)
    a, b, c = _queries(shipped, 50, 2)
    for which in range(3):
        q = [a.copy(), b.copy(), c.copy()]
        q[which][::7] = bad
        try:
            want = twin.logprob(*q)
        except IndexError:
            with pytest.raises(IndexError):
                shipped.logprob(*q)
        else:
            _same(shipped.logprob(*q), want)
        _same(shipped.bigram_positions(q[1], q[2]), twin.bigram_positions(q[1], q[2]))


def test_bad_given_positions_raise_as_in_the_twin(shipped):
    twin = _twin(shipped)
    a, b, c = _queries(shipped, 20, 3)
    bc, ab = twin.bigram_positions(b, c), twin.bigram_positions(a, b)
    bad = (bc[0].copy(), bc[1]), ab
    bad[0][0][3] = len(shipped.bi_keys) + 5
    with pytest.raises(IndexError):
        twin.logprob(a, b, c, bad)
    with pytest.raises(IndexError):
        shipped.logprob(a, b, c, bad)


def test_arrays_the_kernel_does_not_take_go_to_numpy(shipped, tmp_path):
    twin = _twin(shipped)
    a, b, c = (x.astype(np.int32) for x in _queries(shipped, 100, 4))
    _same(shipped.logprob(a, b, c), twin.logprob(a, b, c))
    strided = np.arange(40, dtype=np.int64)[::2]
    _same(shipped.bigram_positions(strided, strided), twin.bigram_positions(strided, strided))
    m = _model(tmp_path)
    assert dataclasses.replace(m, uni=m.uni.astype(np.float64)).kernel is None   # not a type it reads


def test_mixture_equals_the_twin(tmp_path):
    """`MixedModel` (default + house model): bigram_lookup / bigram_seen / score_ids, with extra
    tokens past the base vocabulary, as `Checker._decode` calls them."""
    a_m = _model(tmp_path, "a")
    c = Counts()
    c.add_text("bảy tám chín mười một hai. hai ba không-có.")
    b_m = NgramModel.load(build(c, tmp_path / "b"))
    vocab = [BOS, EOS] + sorted(t for t in a_m.vocab if not t.startswith("<"))
    extra = ["không-có", "xyz"]
    mixes = []
    for models in ([a_m, b_m], [_twin(a_m), _twin(b_m)]):
        mix = MixedModel(models, [0.7, 0.3])
        mix.set_base_vocab(vocab)
        mixes.append(mix)
    rng = np.random.default_rng(5)
    n = len(vocab) + len(extra)
    A, B, C = (np.concatenate([rng.integers(0, n, 3000), [0, n - 1]]) for _ in range(3))
    kern, twin = mixes
    base = (A < len(vocab)) & (B < len(vocab))
    for args in ((extra, B, C), ([], A[base], B[base])):
        seen_k, hits_k = kern.bigram_lookup(*args)
        seen_t, hits_t = twin.bigram_lookup(*args)
        _same(seen_k, seen_t)
        _same(tuple(hits_k), tuple(hits_t))
    _, bc = twin.bigram_lookup(extra, B, C)
    _, ab = twin.bigram_lookup(extra, A, B)
    _same(kern.score_ids(extra, A, B, C), twin.score_ids(extra, A, B, C))
    _same(kern.score_ids(extra, A, B, C, bigrams=list(zip(bc, ab))), twin.score_ids(extra, A, B, C))
    with pytest.raises(IndexError):   # an index past base + extra, as numpy's ids[a]
        kern.bigram_lookup(extra, np.array([n]), np.array([0]))
    with pytest.raises(IndexError):
        twin.bigram_lookup(extra, np.array([n]), np.array([0]))


def test_positions_of_any_sorted_keys_equal_searchsorted():
    """`lm._positions` through the kernel: hits, misses, both ends, empty keys and queries."""
    rng = np.random.default_rng(6)
    keys = np.unique(rng.integers(0, 1 << 42, 20_000, dtype=np.uint64))
    query = np.concatenate([rng.choice(keys, 2000), rng.integers(0, 1 << 63, 2000, dtype=np.uint64),
                            np.array([0, keys[0], keys[-1], keys[-1] + np.uint64(1), (1 << 64) - 1], np.uint64)])
    plain = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    pos, found = lm._positions(keys, query)
    assert np.array_equal(found, keys[plain] == query) and np.array_equal(pos, plain)
    for k, q in ((keys[:0], query), (keys, query[:0])):
        pos, found = lm._positions(k, q)
        assert len(pos) == len(q) and not found.any()


@pytest.mark.parametrize("hashed", [False, True])
def test_key_index_positions_equal_searchsorted(hashed):
    """`Keys` (the prefix index, and with `hashed` the bigrams' hash table, whose misses are found
    by the binary search) answers as searchsorted: repeated keys at their first position, keys
    too wide for the table (the binary search alone), one key, every query twice (built once)."""
    from vnproof import _lmkernel
    rng = np.random.default_rng(7)
    narrow = np.unique(rng.integers(0, 1 << 42, 30_000, dtype=np.uint64))
    repeated = np.sort(np.concatenate([narrow[:5000], narrow[100:3000], narrow[:10]]))
    wide = np.unique(rng.integers(0, 1 << 63, 3000, dtype=np.uint64) | np.uint64(1 << 62))
    for keys in (narrow, repeated, wide, np.array([0], np.uint64), np.array([5, 5, 5], np.uint64)):
        query = np.concatenate([rng.choice(keys, 3000), rng.integers(0, 1 << 42, 3000, dtype=np.uint64),
                                keys[:3] + np.uint64(1), np.array([0, keys[-1], (1 << 64) - 1], np.uint64)])
        plain = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        k = _lmkernel.Keys(keys, 21, hashed)
        for _ in range(2):
            pos, found = k.positions(query)
            assert np.array_equal(found, keys[plain] == query) and np.array_equal(pos, plain)


def test_the_twin_has_no_kernel():
    """`VNPROOF_PURE_PYTHON=1`: lm.py runs its numpy code, and no model holds a kernel."""
    env = {k: v for k, v in os.environ.items() if k != "VNPROOF_COMPILED_ONLY"}
    env["VNPROOF_PURE_PYTHON"] = "1"
    code = ("import vnproof, vnproof.lm as L, vnproof._impl as I; from vnproof.lexicon import data_dir; "
            "m = L.NgramModel.load(data_dir() / 'lm'); "
            "print(L._lmkernel is None, m.kernel is None, I.modules()['_lmkernel'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True", "python"]


def test_builds_record_the_trigram_closure_the_kernel_relies_on(tmp_path, shipped):
    """Every build keeps each trigram's context and suffix bigram, and says so in meta.json: the
    kernel then skips the trigram search of a query whose two bigrams are not both found."""
    m = _model(tmp_path)
    assert m.meta["trigram_closure"] is True and shipped.meta["trigram_closure"] is True
    assert lm.trigram_closure(shipped.bi_keys, shipped.tri_keys)
    suffix = m.tri_keys[0] & np.uint64((1 << 42) - 1)
    assert not lm.trigram_closure(m.bi_keys[m.bi_keys != suffix], m.tri_keys)


def test_a_model_whose_arrays_break_the_recorded_closure_scores_as_the_twin(tmp_path):
    """Arrays changed after the build (a bigram gone, its trigrams kept): meta.json's closure no
    longer holds, and the kernel searches every trigram, as the twin does."""
    m = _model(tmp_path)
    suffixes = m.tri_keys & np.uint64((1 << 42) - 1)
    drop = np.isin(m.bi_keys, suffixes[::2])
    k = dataclasses.replace(m, bi_keys=m.bi_keys[~drop], bi_logp=m.bi_logp[~drop], bi_bow=m.bi_bow[~drop])
    assert k.kernel is not None and k.meta["trigram_closure"] is True
    twin = _twin(k)
    a, b, c = _queries(k, 200, 5)
    given = (twin.bigram_positions(b, c), twin.bigram_positions(a, b))
    want = twin.logprob(a, b, c, given)
    _same(k.logprob(a, b, c, given), want)
    assert not np.array_equal(want, twin.logprob(a, b, c, (given[0], (given[1][0], np.zeros_like(given[1][1])))))


# --- The checker's contest in one pass (`Model.score_options` against `Checker._contest`) -------

@pytest.fixture(scope="module")
def checker():
    import vnproof

    return vnproof.Checker()


def _contests(checker, seed: int, sentences: int = 60):
    """Contest inputs as `Checker._decode` builds them: sentences of frequent syllables (seen
    bigrams and trigrams) and rare ones, tokens outside the base vocabulary, slots at both ends
    of a sentence, one-token sentences, slots with no candidate, non-words."""
    rng = np.random.default_rng(seed)
    base = checker.base_index
    vocab = checker.base_vocab
    frequent = [base[k] for k, _ in sorted(checker.lexicon.syllables.items(), key=lambda kv: -kv[1])[:300]
                if k in base]
    names = ["<num>", "<foreign>", "zzqx"]   # beyond the base vocabulary
    bos, eos = base[BOS], base[EOS]
    flat, at, ends, sizes, cand, prior = [], [], [], [], [], []
    for _ in range(sentences):
        n = int(rng.integers(1, 14))
        pool = rng.random(n)
        toks = [int(rng.choice(frequent)) if p < 0.7 else int(rng.integers(2, len(vocab) + len(names)))
                for p in pool]
        o = len(flat) + 2
        flat += [bos, bos, *toks, eos]
        for i in sorted(rng.choice(n, size=int(rng.integers(0, n + 1)), replace=False)):
            k = int(rng.integers(0, 32))
            at.append(o + int(i))
            ends.append(len(flat))
            sizes.append(k + 1)
            cand += [int(rng.choice(frequent)) if rng.random() < 0.5 else int(rng.integers(2, len(vocab)))
                     for _ in range(k)]
            prior += list(rng.normal(-6.0, 2.0, k))
    m = len(at)
    nonword = rng.random(m) < 0.2
    return (names, np.array(flat, np.int64), np.array(at, np.int64), np.array(ends, np.int64),
            np.array(sizes, np.int64), np.array(cand, np.int64), np.array(prior, np.float64),
            rng.normal(-5.0, 1.0, m), np.where(nonword, checker.log_err, checker.log_ok), nonword, eos)


@pytest.mark.parametrize("seed", range(4))
def test_score_options_equals_the_checkers_numpy_contest(checker, seed):
    """The kernel prunes, scores and orders every slot's options exactly as the numpy code does:
    same options kept, same float64 priors and LM scores, same bigram flags."""
    args = _contests(checker, seed)
    got = checker.lm.score_options(*args)
    assert got is not None   # the shipped model alone: the kernel's case
    want = checker._contest(*args)
    assert len(got) == len(want) == 6
    for g, w in zip(got, want):
        assert g.shape == w.shape and np.array_equal(g, w)
    assert len(got[0]) < len(args[5]) + len(args[2])   # some candidates were pruned


def test_score_options_checks_its_arrays(checker):
    """Inconsistent arrays raise ValueError, a token id past the vocabulary IndexError (numpy's
    error for the twin's index): never a read outside an array."""
    names, flat, at, ends, sizes, cand, prior, err, own, nonword, eos = _contests(checker, 9, 8)
    ok = (names, flat, at, ends, sizes, cand, prior, err, own, nonword, eos)
    assert checker.lm.score_options(*ok) is not None
    bad_at = at.copy()
    bad_at[0] = 1                                   # before the sentence's two BOS
    bad_end = ends.copy()
    bad_end[-1] = len(flat) + 5
    bad_size = sizes.copy()
    bad_size[0] += 1                                # one candidate more than `cand` holds
    zero = sizes.copy()
    zero[0] = 0                                     # no own option
    for args in ((names, flat, bad_at, ends, sizes, cand, prior, err, own, nonword, eos),
                 (names, flat, at, bad_end, sizes, cand, prior, err, own, nonword, eos),
                 (names, flat, at, ends, bad_size, cand, prior, err, own, nonword, eos),
                 (names, flat, at, ends, zero, cand, prior, err, own, nonword, eos),
                 (names, flat, at, ends, sizes, cand, prior[:-1], err, own, nonword, eos),
                 (names, flat, at[:-1], ends, sizes, cand, prior, err, own, nonword, eos)):
        with pytest.raises(ValueError):
            checker.lm.score_options(*args)
    huge = cand.copy()
    huge[0] = 10 ** 9
    with pytest.raises(IndexError):
        checker.lm.score_options(names, flat, at, ends, sizes, huge, prior, err, own, nonword, eos)
    with pytest.raises(IndexError):
        checker._contest(names, flat, at, ends, sizes, huge, prior, err, own, nonword, eos)


def test_score_options_leaves_house_models_to_numpy(checker, tmp_path):
    """With a house model mixed in, the kernel does not score alone: the numpy code does."""
    house = checker.with_models([_model(tmp_path)])
    assert house.lm.score_options(*_contests(checker, 3, 5)) is None
