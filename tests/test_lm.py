"""Language model: building with lmbuild, normalisation, loading errors, and house models."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from vnproof import Checker
from vnproof.lm import BOS, EOS, MixedModel, ModelError, NgramModel, model_sentences
from vnproof.lmbuild import Counts, build
from vnproof.text import tone_key

TINY = ["một hai ba bốn.", "hai ba năm sáu, bảy.", "một hai ba.", "ba bốn năm một.",
        "sáu bảy tám chín mười.", "Mười một hai ba bốn năm!"]


def _tiny(tmp_path, **kw):
    c = Counts()
    for line in TINY * 3:
        c.add_text(line)
    return NgramModel.load(build(c, tmp_path / "tiny", **kw))


def _k(w: str) -> str:
    return tone_key(w)


def _next_mass(m: NgramModel, a: str, b: str) -> float:
    V = len(m.vocab)
    ia, ib = m.ids([a])[0], m.ids([b])[0]
    lp = m.logprob(np.full(V, ia), np.full(V, ib), np.arange(V))
    assert np.all(np.isfinite(lp)) and np.all(lp <= 1e-6)
    return float(np.exp(lp).sum())


CONTEXTS = [(BOS, BOS), (BOS, "một"), ("một", "hai"), ("hai", "ba"), ("ba", "bốn"), ("sáu", "bảy"),
            ("chín", "mười"), ("xyz", "hai"), ("hai", "không-có"), ("<p>", "bảy")]


@pytest.mark.parametrize("a,b", CONTEXTS)
def test_next_token_probabilities_sum_to_one(tmp_path, a, b):
    m = _tiny(tmp_path)
    a = a if a.startswith("<") else _k(a)
    b = b if b.startswith("<") else _k(b)
    assert _next_mass(m, a, b) == pytest.approx(1.0, abs=1e-3)  # 8-bit trigrams, float16 bigrams


@pytest.mark.parametrize("a,b", CONTEXTS[:6])
def test_probabilities_sum_to_one_with_pruned_trigrams(tmp_path, a, b):
    m = _tiny(tmp_path, min_trigram=2)
    a = a if a.startswith("<") else _k(a)
    b = b if b.startswith("<") else _k(b)
    assert _next_mass(m, a, b) == pytest.approx(1.0, abs=1e-3)


def test_seen_trigram_beats_unseen(tmp_path):
    m = _tiny(tmp_path)
    ids = m.ids([_k("một"), _k("hai"), _k("ba"), _k("mười")])
    seen = m.logprob(ids[:1], ids[1:2], ids[2:3])[0]
    unseen = m.logprob(ids[:1], ids[1:2], ids[3:4])[0]
    assert seen > unseen


def test_meta_and_vocab(tmp_path):
    m = _tiny(tmp_path)
    assert m.meta["format"] == "vnproof-ngram" and m.meta["order"] == 3
    assert m.meta["syllables"] == sum(len(s) for line in TINY * 3 for s in model_sentences(line))
    assert {BOS, EOS, "<unk>", _k("mười")} <= set(m.vocab)


def test_model_tokens_share_old_and_new_tone_style():
    assert model_sentences("Hoá chất thuỷ sản.") == model_sentences("Hóa chất thủy sản.")


def test_missing_meta_raises_model_error_with_rebuild_hint(tmp_path):
    m = _tiny(tmp_path)
    (m.path / "meta.json").unlink()
    with pytest.raises(ModelError) as e:
        NgramModel.load(m.path)
    msg = str(e.value)
    assert "meta.json" in msg and "vnproof train" in msg


def test_missing_folder_and_wrong_version(tmp_path):
    with pytest.raises(ModelError, match="vnproof train"):
        NgramModel.load(tmp_path / "nope")
    m = _tiny(tmp_path)
    meta = json.loads((m.path / "meta.json").read_text())
    meta["version"] = 999
    (m.path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="rebuild"):
        NgramModel.load(m.path)
    assert issubclass(ModelError, ValueError)


def test_checker_with_bad_model_path_raises_model_error(tmp_path):
    with pytest.raises(ModelError):
        Checker(models=[tmp_path / "nope"])


def test_rebuild_over_an_old_model(tmp_path):
    _tiny(tmp_path)
    c = Counts()
    c.add_text("bốn năm sáu bảy tám.")
    m = NgramModel.load(build(c, tmp_path / "tiny"))
    assert _k("mười") not in m.vocab and _k("tám") in m.vocab


def test_mixed_model_is_a_probability(tmp_path):
    a = _tiny(tmp_path)
    c = Counts()
    c.add_text("bảy tám chín mười một hai.")
    b = NgramModel.load(build(c, tmp_path / "other"))
    mix = MixedModel([a, b], [0.7, 0.3])
    vocab = sorted(set(a.vocab) | set(b.vocab))
    lp = mix.score([_k("một")] * len(vocab), [_k("hai")] * len(vocab), vocab)
    assert np.all(np.isfinite(lp)) and np.all(lp <= 1e-9)
    with pytest.raises(ValueError):
        MixedModel([])


# --- house models -------------------------------------------------------------------------------
LOCAL = ["rượu đoác", "cá niêng"]   # real Central Highlands food whose syllables the lexicon lacks
SUBJ = ["Người dân", "Bà con", "Du khách", "Các em học sinh", "Gia đình tôi", "Chị Lan", "Cô giáo"]
VERB = ["rất thích ăn", "thường mua", "hay làm", "mang theo", "bán", "giới thiệu"]
TAIL = ["trong dịp lễ.", "mỗi buổi sáng.", "ở chợ huyện.", "khi có khách.", "vào cuối tuần.", "cho cả nhà."]


@pytest.fixture(scope="module")
def house(tmp_path_factory):
    rnd = random.Random(7)
    counts = Counts()
    for _ in range(3000):
        counts.add_text(f"{rnd.choice(SUBJ)} {rnd.choice(VERB)} {rnd.choice(LOCAL)} {rnd.choice(TAIL)}")
    path = build(counts, tmp_path_factory.mktemp("house") / "model", meta={"kind": "house"})
    return Checker(models=[path])


SENTENCES = {"rượu đoác": "Ông ấy mời khách uống rượu đoác.", "cá niêng": "Mẹ tôi nấu cá niêng cho cả nhà."}


@pytest.mark.parametrize("phrase", LOCAL)
def test_house_model_accepts_a_consistently_used_local_word(checker, house, phrase):
    text = SENTENCES[phrase]
    word = phrase.split()[1]
    assert any(i.text == word for i in checker.check(text)), "default checker should flag it"
    assert not any(i.text == word for i in house.check(text)), "house model should accept it"


def test_house_model_still_flags_impossible_syllables(house):
    hits = [i for i in house.check("Nó nói chúng tôi nhât định thắng.") if i.text == "nhât"]
    assert hits and "nhất" in hits[0].replacements


def test_house_model_still_flags_unattested_nonwords(house):
    assert any(i.text == "vảo" for i in house.check("Tôi thích ăn cơm vảo buổi tối."))


def test_names_inside_a_sentence_are_not_the_common_word():
    """'huyện Đại Lộc' must not teach the model that 'huyện đại' is usual."""
    [name] = model_sentences("Ủy ban huyện Đại Lộc họp.")
    [word] = model_sentences("Truyền thống và hiện đại.")
    assert _k("đại") in word and _k("đại") not in name
    assert name[0] == _k("ủy")  # a sentence's first word is a common word


def test_lookup_dedupe_agrees_with_plain_search():
    """The deduplicating search (large queries) finds what a plain searchsorted finds, misses too."""
    from vnproof.lm import DEDUPE_MIN, _lookup, _positions

    rng = np.random.default_rng(12)
    keys = np.unique(rng.integers(0, 1 << 42, 50_000, dtype=np.uint64))
    values = rng.random(len(keys)).astype(np.float16)
    hits = rng.choice(keys, 3 * DEDUPE_MIN)
    query = np.concatenate([hits, rng.integers(0, 1 << 42, 2 * DEDUPE_MIN, dtype=np.uint64), hits[:500],
                            np.array([0, keys[0], keys[-1], keys[-1] + np.uint64(1)], np.uint64)])
    rng.shuffle(query)
    plain = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    pos, found = _positions(keys, query)
    assert np.array_equal(found, keys[plain] == query) and found.sum() > 3 * DEDUPE_MIN
    assert np.array_equal(pos[found], plain[found])
    vals, found2 = _lookup(keys, values, query, -1.0)
    assert np.array_equal(found2, found)
    assert np.array_equal(vals, np.where(found, values[plain], -1.0).astype(np.float32))
    small = query[:100]   # below DEDUPE_MIN: the plain path
    assert np.array_equal(_positions(keys, small)[1], found[:100])
    empty, none = _lookup(keys[:0], values[:0], small, 0.5)
    assert not none.any() and (empty == 0.5).all()


def test_scores_with_known_bigram_positions_equal_the_plain_scores(tmp_path):
    """`score_ids(bigrams=...)` with the positions `bigram_lookup` found (as `Checker._decode`
    passes them) gives exactly the scores of the plain call, for a mixture with a house model."""
    a = _tiny(tmp_path)
    c = Counts()
    c.add_text("bảy tám chín mười một hai. hai ba không-có.")
    b = NgramModel.load(build(c, tmp_path / "other"))
    mix = MixedModel([a, b], [0.7, 0.3])
    vocab = [BOS, EOS] + sorted({_k(w) for w in " ".join(TINY).replace(".", " ").replace(",", " ").split()})
    mix.set_base_vocab(vocab)
    extra = ["không-có", "xyz"]
    rng = np.random.default_rng(3)
    n = 6000   # above DEDUPE_MIN: the deduplicating search too
    A, B, C = (rng.integers(0, len(vocab) + len(extra), n) for _ in range(3))
    _, hits_bc = mix.bigram_lookup(extra, B, C)
    _, hits_ab = mix.bigram_lookup(extra, A, B)
    plain = mix.score_ids(extra, A, B, C)
    given = mix.score_ids(extra, A, B, C, bigrams=list(zip(hits_bc, hits_ab)))
    assert np.array_equal(plain, given) and np.isfinite(plain).all()
    assert np.array_equal(mix.bigram_seen(extra, B, C), hits_bc[0][1] | hits_bc[1][1])
