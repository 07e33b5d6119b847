"""Candidates for every kind of slip: the general edit search, transpositions, accents restored,
Shift slips and split syllables. Sentences are our own; the data is the shipped lexicon."""
from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import OSA

from vnproof.candidates import KEY_NEIGHBOURS
from vnproof.edits import SkeletonIndex, alignment_ops, deletes
from vnproof.tokenize import Kind, shift_slip, tokenize


@pytest.fixture(scope="module")
def gen(checker):
    return checker.generator


def texts(cands) -> list[str]:
    return [c.text for c in cands]


def spelling(checker, text: str, level: str = "default"):
    return [i for i in checker.check(text, level=level) if i.category == "spelling"]


# -- the edit search ------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, meant, ops", [
    ("cau", "cua", ("swap",)), ("truog", "truong", ("drop",)), ("nhaa", "nha", ("double",)),
    ("vao", "bao", ("keyboard",)), ("xao", "bao", ("letter",)), ("chiunh", "chinh", ("extra",)),
    ("trog", "truong", ("drop", "drop")), ("abcde", "vwxyz", None),
])
def test_alignment_names_the_operations(typed, meant, ops):
    assert alignment_ops(typed, meant, KEY_NEIGHBOURS) == ops


def test_delete_index_finds_exactly_the_skeletons_within_two_operations():
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdghinotu") for _ in range(rng.randint(1, 6))) for _ in range(300)]
    index = SkeletonIndex(words, KEY_NEIGHBOURS)
    for _ in range(200):
        typed = "".join(rng.choice("abcdghinotu") for _ in range(rng.randint(1, 6)))
        slow = {w for w in set(words) if w != typed and OSA.distance(typed, w) <= 2}
        assert {m.skeleton for m in index.search(typed)} == slow, typed


def test_deletes_keep_the_word_and_every_shorter_form():
    assert deletes("abc", 2) == {"abc", "ab", "ac", "bc", "a", "b", "c"}


def test_deletes_by_slicing_equal_every_combination_of_positions():
    from itertools import combinations
    rng = random.Random(11)
    for _ in range(500):
        word = "".join(rng.choice("aađnư") for _ in range(rng.randint(0, 8)))
        for depth in (0, 1, 2, 3):
            slow = {word} | {"".join(c for i, c in enumerate(word) if i not in idx)
                             for d in range(1, min(depth, len(word)) + 1)
                             for idx in combinations(range(len(word)), d)}
            assert deletes(word, depth) == slow, (word, depth)


def test_within_gives_a_lower_bound_of_the_named_operations():
    # `_search` skips a skeleton when its OSA distance alone rules out every form
    rng = random.Random(5)
    words = ["".join(rng.choice("abcdghinotu") for _ in range(rng.randint(1, 6))) for _ in range(300)]
    index = SkeletonIndex(words, KEY_NEIGHBOURS)
    for _ in range(200):
        typed = "".join(rng.choice("abcdghinotu") for _ in range(rng.randint(1, 6)))
        near = index.within(typed)
        assert [s for s, _ in near] == sorted(s for s, _ in near)
        for s, dist in near:
            ops = alignment_ops(typed, s, KEY_NEIGHBOURS)
            assert ops is not None and len(ops) >= dist >= 1
        assert [m.skeleton for m in index.search(typed)] == [s for s, _ in near]


def test_the_insertion_filter_keeps_every_known_spelling(gen):
    # a letter is inserted before typed[i] only where both pairs it makes occur in a known
    # spelling: dropping any inner letter of a known spelling, the filter lets it back in
    from vnproof.candidates import INSERT_LETTERS
    checked = 0
    for form in gen.form_key:
        for j in range(len(form) - 1):   # the letter loop inserts before a letter, not at the end
            if form[j] in INSERT_LETTERS:
                typed = form[:j] + form[j + 1:]
                pair = (typed[j - 1] if j else "\0") + typed[j]
                assert form[j] in gen._insertable(pair), (form, j)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("typed, meant", [("truog", "trường"), ("kgông", "không"), ("nguờii", "người"),
                                          ("đuợc", "được"), ("quoanh", "quanh")])
def test_non_words_are_offered_what_they_were_meant_to_be(gen, typed, meant):
    assert meant in texts(gen.for_syllable(typed))


@pytest.mark.parametrize("typed, meant", [("cảu", "của"), ("màu", "mùa")])
def test_known_syllables_are_offered_their_transpositions(gen, typed, meant):
    assert gen.is_known(typed)
    (c,) = [c for c in gen.for_syllable(typed) if c.text == meant]
    assert c.kind == "transpose"


def test_an_unaccented_word_gets_its_accented_forms_the_frequent_first(gen):
    order = texts(gen.for_syllable("nguoi"))
    assert {"người", "nguội", "ngưởi"} <= set(order)
    assert order.index("người") < order.index("nguội") < order.index("ngưởi")
    (c,) = [c for c in gen.for_syllable("nguoi") if c.text == "người"]
    assert c.kind == "accents"
    assert gen.unaccented("nguoi") and gen.unaccented("truog")
    assert not gen.unaccented("video") and not gen.unaccented("diva")


# -- Shift slips ----------------------------------------------------------------------------------
@pytest.mark.parametrize("word, fixes", [("chíUnh", ("chính",)), ("nGười", ("người",)), ("tHanh", ("thanh",))])
def test_a_stray_capital_inside_a_word_is_a_shift_slip(word, fixes):
    assert shift_slip(word)[: len(fixes)] == fixes


@pytest.mark.parametrize("word", ["iPhone", "McDonald", "YouTube", "kWh", "TPHCM", "MU", "UI", "TikTok",
                                  "LaGi", "MiG", "CaO", "NaOH", "ĐắkLắk", "eKYC", "mRNA", "pH"])
def test_brands_units_acronyms_and_formulas_are_not_shift_slips(word):
    assert shift_slip(word) == ()


def test_brands_keep_their_kind_and_draw_no_spelling_issue(checker):
    text = "Anh ấy mua iPhone ở gần cửa hàng McDonald rồi xem YouTube, dùng hết 3 kWh điện."
    kinds = {t.text: t.kind for t in tokenize(text).tokens}
    assert kinds["iPhone"] is Kind.FOREIGN and kinds["YouTube"] is Kind.FOREIGN
    assert spelling(checker, text, "picky") == []


@pytest.mark.parametrize("text, typo, fix", [
    ("Nhà nước ban hành chíUnh sách mới cho nông dân.", "chíUnh", "chính"),
    ("Mọi nGười đều vui mừng khi nghe tin ấy.", "nGười", "người"),
])
def test_shift_slips_are_fixed(checker, text, typo, fix):
    hits = [i for i in spelling(checker, text) if i.text == typo]
    assert hits and hits[0].replacements[0] == fix
    fixed = text.replace(typo, fix)
    assert spelling(checker, fixed, "picky") == []


# -- split and glued syllables -------------------------------------------------------------------
@pytest.mark.parametrize("text, typo, fix", [
    ("Các em học sinh tr ường làng đi thi.", "tr ường", "trường"),
    ("Mọi ng ười đều có mặt đông đủ.", "ng ười", "người"),
    ("Chúng tôi kh ông biết việc ấy.", "kh ông", "không"),
    ("N gười dân đã đến từ rất sớm.", "N gười", "Người"),   # a page's drop cap, scraped
    ("H ãng hàng không thông báo lịch bay mới.", "H ãng", "Hãng"),
])
def test_a_syllable_split_by_a_space_is_joined(checker, text, typo, fix):
    (issue,) = [i for i in spelling(checker, text) if i.rule_id == "VI_SPELLING_SPLIT"]
    assert text[issue.offset:issue.offset + issue.length] == typo
    assert issue.replacements == [fix] and issue.message and issue.message_en
    assert not [i for i in spelling(checker, text.replace(typo, fix)) if i.rule_id == "VI_SPELLING_SPLIT"]


def test_two_real_syllables_are_never_joined(checker):
    text = "Điểm a khoản 2 nói rằng ông ấy và bà ấy cùng đi."
    assert not [i for i in spelling(checker, text, "picky") if i.rule_id == "VI_SPELLING_SPLIT"]


def test_a_capital_letter_inside_a_sentence_is_not_a_drop_cap(checker):
    """Only a sentence's first letter is taken for a drop cap: "tiểu đội B ông" is no "Bông"."""
    text = "Tiểu đội B ông Nam chỉ huy đã về đến nơi."
    assert not [i for i in spelling(checker, text, "picky") if i.rule_id == "VI_SPELLING_SPLIT"]


def test_a_split_word_in_the_dictionary_is_left_alone(checker):
    text = "Các em học sinh tr ường làng đi thi."
    assert not [i for i in checker.check(text, dictionary=["tr"]) if i.rule_id == "VI_SPELLING_SPLIT"]


def test_glued_words_are_split(checker):
    (issue,) = [i for i in spelling(checker, "Kết quả đạt đượcmột phần lớn.") if i.text == "đượcmột"]
    assert issue.replacements == ["được một"]


def test_a_name_run_into_the_next_word_is_split_but_brands_and_loanwords_are_not(checker):
    glued = lambda text: [(i.text, i.replacements) for i in spelling(checker, text)  # noqa: E731
                          if i.rule_id == "VI_SPELLING_GLUED"]
    assert glued("Danh hài Trường Giangcũng chúc mừng sinh nhật anh.") == [("Giangcũng", ["Giang cũng"])]
    assert glued("Ông mua xe Honda và điện thoại Samsung ở Bogotá.") == []
    assert glued("Những ảnh hưởng từ Kitô giáo còn rõ ở Tập đoàn Ôtô Trường Hải.") == []


def test_a_name_is_read_with_one_slip_only(checker):
    # a nickname two letters away from a syllable is no typo; a marked non-word name still is
    assert not spelling(checker, "Biệt danh “đại ca Toọng” cũng bắt đầu xuất hiện từ đây.")
    assert [i.text for i in spelling(checker, "Ngày 4/6, quân đội Syỉa đã phối hợp với lực lượng bạn.")] == ["Syỉa"]


# -- slips in context ---------------------------------------------------------------------------
def test_transposed_letters_are_fixed_in_context(checker):
    hits = [i for i in spelling(checker, "Đây là quyển sách cảu tôi và em.", "picky") if i.text == "cảu"]
    assert hits and hits[0].replacements[0] == "của"


def test_an_unaccented_word_in_accented_text_gets_accented_candidates(checker):
    hits = [i for i in spelling(checker, "Anh ấy là một nguoi rất tốt bụng.", "picky") if i.text == "nguoi"]
    assert hits and hits[0].replacements[0] == "người"


def test_unaccented_words_in_unaccented_text_are_left_alone(checker):
    assert spelling(checker, "The nguoi and truog words sit in an English sentence here.", "picky") == []


def test_an_unaccented_word_that_is_also_latin_is_fixed_among_vietnamese(checker):
    # "hoc" is Latin ("ad hoc") and no Vietnamese syllable: beside Vietnamese words it is "học".
    hits = [i for i in spelling(checker, "Tôi đi hoc ở trường gần nhà.") if i.text == "hoc"]
    assert hits and hits[0].replacements[0] == "học"
    assert spelling(checker, "Nhóm làm việc ad hoc của Liên hợp quốc.", "picky") == []


def test_a_word_beside_foreign_words_is_left_alone(checker):
    text = "Tác phẩm \"Những cảnh đời riêng\" (\"Scènes de la vie privée\") của bộ tiểu thuyết."
    assert spelling(checker, text, "picky") == []


def test_a_unit_after_a_number_is_no_vni_slip(checker):
    assert spelling(checker, "Diện tích là 12.308 km2 (4.752 mi2), mặt nước 30 m2.", "picky") == []
    assert spelling(checker, "Những mẫu xe điện như BMW i3 được dân đô thị ưa chuộng.", "picky") == []
    hits = [i for i in spelling(checker, "Tôi muốn vie65t thư cho bạn.") if i.text == "vie65t"]
    assert hits and hits[0].replacements == ["việt"]
