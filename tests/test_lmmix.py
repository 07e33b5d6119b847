"""Mixing group models, pruning, quantising, rare variants, and the shipped model's format."""
from __future__ import annotations

import numpy as np
import pytest

from vnproof.lexicon import data_dir
from vnproof.lm import NgramModel, quantise
from vnproof.lmbuild import Counts, build, rare_variants
from vnproof.lmdefault import _write, encode
from vnproof.lmmix import fit_weights, mix, prune, stream_logprobs
from vnproof.lmsources import is_heldout
from vnproof.text import tone_key

DAILY = ["Tôi đi học ở trường.", "Chúng tôi đi chơi ở công viên.", "Trời hôm nay đẹp quá.",
         "Mẹ tôi đi chợ mua rau.", "Em bé ngủ ngon."]
LEGAL = ["Cơ quan nhà nước quy định việc này.", "Nhà nước quản lý đất đai.",
         "Tôi đi làm ở cơ quan nhà nước.", "Ủy ban nhân dân tỉnh quy định mức thu."]


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    d = tmp_path_factory.mktemp("groups")
    a = Counts()
    for line in DAILY * 3:
        a.add_text(line)
    b = Counts(vocab=a.vocab)
    for line in LEGAL * 3:
        b.add_text(line)
    build(a, d / "daily", quantised=False)
    build(b, d / "legal", quantised=False)
    words = (d / "daily" / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    return NgramModel.load(d / "daily"), NgramModel.load(d / "legal"), words, d


def _mass(m: NgramModel, a: str, b: str) -> float:
    V = len(m.vocab)
    ia, ib = m.ids([a])[0], m.ids([b])[0]
    return float(np.exp(m.logprob(np.full(V - 1, ia), np.full(V - 1, ib), np.arange(1, V))).sum())


CONTEXTS = [("<s>", "tôi"), ("tôi", "đi"), ("đi", "làm"), ("nhà", "nước"), ("xyz", "quy")]


@pytest.mark.parametrize("budget", [None, (6, 20)])
@pytest.mark.parametrize("a,b", CONTEXTS)
def test_mixed_and_pruned_model_is_a_distribution(groups, a, b, budget):
    daily, legal, words, d = groups
    m = mix([daily, legal], np.array([0.4, 0.6]))
    if budget:
        m = prune(m, *budget)
    out = NgramModel.load(_write(d / f"mixed-{budget}", words, m, {}))
    a = a if a.startswith("<") else tone_key(a)
    assert _mass(out, a, tone_key(b)) == pytest.approx(1.0, abs=2e-3)


def test_static_mix_equals_the_mixture_on_seen_trigrams(groups):
    daily, legal, words, d = groups
    lam = np.array([0.3, 0.7])
    out = NgramModel.load(_write(d / "exact", words, mix([daily, legal], lam), {}))
    ids = [daily.vocab[tone_key(w)] for w in ("tôi", "đi", "làm")]
    q = tuple(np.array([i]) for i in ids)
    dynamic = np.log(lam[0] * np.exp(daily.logprob(*q)) + lam[1] * np.exp(legal.logprob(*q)))
    assert out.logprob(*q)[0] == pytest.approx(dynamic[0], abs=0.02)  # 8-bit trigram codes


def test_pruning_keeps_the_budget(groups):
    daily, legal, _, _ = groups
    m = prune(mix([daily, legal], np.array([0.5, 0.5])), 5, 12)
    assert len(m.tri_keys) <= 5 and len(m.bi_keys) <= 12 + 10


def test_em_weights_favour_the_model_of_the_held_out_domain(groups):
    daily, legal, _, _ = groups
    held = encode([[tone_key(w) for w in "mẹ tôi đi học".split()]], daily.vocab)
    lp = np.stack([stream_logprobs(m, held) for m in (daily, legal)], axis=1)
    lam = fit_weights([lp])
    assert lam[0] > lam[1] and lam.sum() == pytest.approx(1.0)


def test_quantised_values_stay_close():
    rng = np.random.default_rng(0)
    v = -rng.gamma(2.0, 1.0, 10_000).astype(np.float32)
    codes, book = quantise(v)
    assert codes.dtype == np.uint8 and np.abs(book[codes] - v).mean() < 0.02


def test_rare_variant_of_a_frequent_word_is_forgotten_unless_the_lexicon_has_it():
    words = ["<s>", "</s>", "<unk>", tone_key("nhất"), tone_key("nhât"), tone_key("bả"), tone_key("bà")]
    freq = np.array([0, 0, 0, 5000, 3, 4, 9000])
    mask = rare_variants(words, freq, 0.002, protect=frozenset({tone_key("bả")}))
    assert mask.tolist() == [False, False, False, False, True, False, False]


def test_held_out_split_is_stable_and_small():
    ids = [f"doc-{i}" for i in range(20_000)]
    share = sum(map(is_heldout, ids)) / len(ids)
    assert 0.01 < share < 0.03 and [is_heldout(i) for i in ids[:50]] == [is_heldout(i) for i in ids[:50]]


def test_shipped_model_is_a_quantised_mixture_of_groups():
    m = NgramModel.load(data_dir() / "lm")
    assert m.meta["version"] == 2 and m.tri_book is not None and m.tri_logp.dtype == np.uint8
    assert m.meta["kind"] == "default" and set(m.meta["groups"]) >= {"legal", "news", "wiki"}
    w = m.meta["groups"]
    assert abs(sum(g["weight"] for g in w.values()) - 1.0) < 1e-3
