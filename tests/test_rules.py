"""Rules for official writing: one generic test over the fixtures table, plus the registry.

Each wrong example must give exactly one match at its marker (with the expected first
replacement), its corrected form none; each right example (a near miss) none.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vnproof.issues import Category
from vnproof.lexicon import default_lexicon
from vnproof.options import CheckOptions
from vnproof.rules import RULES, rule_info, run_rules
from vnproof.rules.base import CATEGORIES
from vnproof.tokenize import tokenize

EXAMPLES = Path(__file__).parents[1] / "vnproof" / "rules" / "examples.json"   # shipped: the rule pages show them
FIXTURES = {k: v for k, v in json.loads(EXAMPLES.read_text("utf-8"))["rules"].items()
            if not k.startswith("VI_SPELLING_")}   # spelling needs the whole checker
MARKER = re.compile(r"<marker>(.*?)</marker>")
OWN = [r for r in RULES.values() if not r.id.startswith("VI_SPELLING_")]   # the rule families' own


def _check(text: str, rule_id: str, options: dict | None = None):
    kw = dict(options or {})
    kw.setdefault("level", "picky" if RULES[rule_id].picky else "default")
    opts = CheckOptions.make(enabled_only=True, enabled_rules=[rule_id], **kw)
    return run_rules(tokenize(text), opts, default_lexicon())


def _wrong():
    for rule_id, ex in FIXTURES.items():
        for n, w in enumerate(ex["wrong"]):
            yield pytest.param(rule_id, w, id=f"{rule_id}-wrong{n}")


def _right():
    for rule_id, ex in FIXTURES.items():
        for n, r in enumerate(ex["right"]):
            r = r if isinstance(r, dict) else {"text": r}
            yield pytest.param(rule_id, r, id=f"{rule_id}-right{n}")


@pytest.mark.parametrize("rule_id,example", list(_wrong()))
def test_wrong_example_matches_once_at_marker(rule_id, example):
    marked = example["text"]
    m = MARKER.search(marked)
    assert m and len(MARKER.findall(marked)) == 1, "one marker per wrong example"
    text = MARKER.sub(r"\1", marked)
    issues = _check(text, rule_id, example.get("options"))
    assert [(i.offset, i.length) for i in issues] == [(m.start(), len(m.group(1)))], issues
    issue = issues[0]
    assert issue.text == text[issue.offset:issue.end]
    if example.get("fix") is not None:
        assert issue.replacements and issue.replacements[0] == example["fix"]
        fixed = text[:issue.offset] + issue.replacements[0] + text[issue.end:]
        assert _check(fixed, rule_id, example.get("options")) == [], f"still flagged after the fix: {fixed}"


@pytest.mark.parametrize("rule_id,example", list(_right()))
def test_right_example_is_silent(rule_id, example):
    assert _check(example["text"], rule_id, example.get("options")) == []


def test_every_rule_has_examples_and_a_valid_schema():
    assert {r.id for r in OWN} == set(FIXTURES)
    for r in OWN:
        assert re.fullmatch(r"VI_[A-Z0-9_]+", r.id)
        assert r.category in CATEGORIES and r.category in {c.value for c in Category}
        assert r.description and r.description_en
        assert rule_info(r.id) is r
        assert FIXTURES[r.id]["wrong"] and FIXTURES[r.id]["right"]


def test_ids_are_unique_and_spelling_stays_apart():
    from vnproof.rules import FAMILIES

    ids = [r.id for f in FAMILIES for r in f.RULES]
    assert len(ids) == len(set(ids))
    assert RULES["VI_SPELLING_NONWORD"].category == "spelling"
    assert RULES["VI_SPELLING_CONTEXT"].category == "spelling"
    assert all(not r.id.startswith("VI_SPELLING_") for r in OWN)   # the checker's own ids stay its own


def test_messages_are_bilingual_and_offsets_exact():
    text = ("Tình hình ANCT, TTATXH trên địa bàn còn hạn chế.... Trong dịch Covid -19, "
            "văn hoá và văn hóa, kinh tế, văn hóa; ngày 31-4-2022.")
    issues = run_rules(tokenize(text), CheckOptions(), default_lexicon())
    assert len({i.rule_id for i in issues}) >= 5
    for i in issues:
        assert i.message and i.message_en and i.message != i.message_en
        assert i.text == text[i.offset:i.end]
        assert i.category in CATEGORIES


def test_offsets_survive_decomposed_input():
    import unicodedata

    text = unicodedata.normalize("NFD", "Đây là trách nhiệm của của lực lượng Công an.")
    issues = _check(text, "VI_REPEATED_WORD")
    assert len(issues) == 1 and issues[0].text == text[issues[0].offset:issues[0].end]
    assert unicodedata.normalize("NFC", issues[0].text) == "của của"


def test_enable_and_disable_per_call():
    text = "Còn hạn chế.... Tình hình TTATXH ổn định."
    lex = default_lexicon()
    every = {i.rule_id for i in run_rules(tokenize(text), CheckOptions(), lex)}
    assert {"VI_PUNCTUATION_RUN", "VI_ABBREVIATION_UNDEFINED"} <= every
    off = run_rules(tokenize(text), CheckOptions.make(disabled_rules="VI_PUNCTUATION_RUN"), lex)
    assert "VI_PUNCTUATION_RUN" not in {i.rule_id for i in off}
    only = run_rules(tokenize(text), CheckOptions.make(enabled_only=True, enabled_categories="style"), lex)
    assert {i.rule_id for i in only} == {"VI_ABBREVIATION_UNDEFINED"}


def test_tone_style_enforced_reports_every_occurrence():
    text = "Văn hóa, thể thao và du lịch; hòa bình, ủy ban."
    issues = _check(text, "VI_TONE_STYLE_MIXED", {"tone_style": "old"})
    assert [i.text for i in issues] == ["hóa", "hòa", "ủy"]
    assert [i.replacements[0] for i in issues] == ["hoá", "hoà", "uỷ"]
    assert _check(text, "VI_TONE_STYLE_MIXED", {"tone_style": "new"}) == []


def test_majority_form_is_not_reported_per_occurrence():
    text = " ".join(["Ngày 02-3-2022 họp."] * 8 + ["Ngày 01/6/2021 họp.", "Ngày 05/6/2021 họp."])
    issues = _check(text, "VI_DATE_FORMAT_MIXED")
    assert [i.text for i in issues] == ["01/6/2021", "05/6/2021"]


def test_capped_rules_point_out_a_few_at_default_level():
    text = " ".join(["Câu này sai ," for _ in range(10)])
    assert len(_check(text, "VI_SPACE_BEFORE_PUNCTUATION")) == 3
    assert len(_check(text, "VI_SPACE_BEFORE_PUNCTUATION", {"level": "picky"})) == 10


def test_guess_pub_date():
    from datetime import date

    from vnproof.rules.dates import guess_pub_date

    head = "banner\nThứ 4, ngày 18 tháng 5 năm 2022\nTiêu đề bài viết\n20-4-2022\nNội dung ngày 03-6-2022."
    assert guess_pub_date(head) == date(2022, 4, 20)
    assert guess_pub_date("Thứ 4, ngày 18 tháng 5 năm 2022\nNội dung") == date(2022, 5, 18)
    assert guess_pub_date("Không có ngày nào ở đây.") is None


def test_naughty_inputs_do_not_crash():
    lex = default_lexicon()
    for text in ["", " ", "\n\n", "....", "(((", "”“", '"', "ABC", "31-4-2022", "ngày 0 tháng 0 năm 2022",
                 "kết giữa", "nói riêng", "Covid -", "a ,", ". a", "\r\nA , b.c\r\n", "ĐẢNG ỦY (ĐU"]:
        for level in ("default", "picky"):
            for i in run_rules(tokenize(text), CheckOptions(level=level, tone_style="old"), lex):
                assert i.text == text[i.offset:i.end] and i.length > 0


def test_random_text_offsets_hold():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    lex = default_lexicon()
    alphabet = st.sampled_from(list("aăâeêioôơuưyđAĐ hoá hóa uỷ ủy ,.;:!?()[]“”\"-/0123456789\n\u0301\u0300"))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join))
    def run(text):
        for i in run_rules(tokenize(text), CheckOptions(level="picky"), lex):
            assert 0 <= i.offset < i.end <= len(text)
            assert i.text == text[i.offset:i.end]

    run()


def test_news_abbreviations_credits_and_bylines_are_not_flagged():
    for text in ("Đội ĐKVĐ gặp khó trước sự cổ vũ của hàng nghìn CĐV.",
                 "VKSND tỉnh đã truy tố giám đốc Công ty TNHH MTV Bình Minh.",
                 "Thủ tướng phát biểu tại hội nghị.\nẢnh: VPCP",
                 "Giá nhà tăng mạnh (Ảnh minh họa: SMH).",
                 "Người dân xếp hàng chờ làm thủ tục.\nMinh Anh - TTATXH",
                 "Chiếc xe mang BKS 43B-048.78 bị tạm giữ."):
        assert _check(text, "VI_ABBREVIATION_UNDEFINED") == [], text
    # The same unknown abbreviation outside a credit is still reported.
    assert _check("Tình hình TTATXH trên địa bàn ổn định.", "VI_ABBREVIATION_UNDEFINED")


def test_expansions_are_cased_and_ranked_by_context():
    (issue,) = _check("Liên đoàn BĐVN thông báo lịch thi đấu của đội bóng.", "VI_ABBREVIATION_UNDEFINED")
    assert issue.replacements[0] == "bóng đá Việt Nam (BĐVN)"
    (issue,) = _check("Ông là cán bộ BĐVN, phụ trách bưu điện huyện.", "VI_ABBREVIATION_UNDEFINED")
    assert issue.replacements[0] == "bưu điện Việt Nam (BĐVN)"


def test_reduplication_is_not_repetition_and_oto_is_house_style():
    assert _check("Lá cờ bay bay trong gió chiều.", "VI_REPEATED_WORD") == []
    import vnproof
    text = "Chiếc ôtô đỗ trước cổng trụ sở."
    assert not [i for i in vnproof.check(text) if i.text == "ôtô"]            # off by default
    assert [i.replacements[0] for i in vnproof.check(text, enabled_rules=["VI_HOUSE_OTO"])
            if i.text == "ôtô"] == ["ô tô"]


def test_a_doubled_content_word_is_a_slip_when_the_models_never_saw_it_doubled(checker):
    def doubled(text):
        return [(i.text, i.replacements[0]) for i in checker.check(text) if i.rule_id == "VI_REPEATED_WORD"]

    # one copy makes a frequent word with its neighbour, and nobody writes the syllable twice
    assert doubled("Cầu thủ Samson dùng bạo bạo lực nhưng vẫn được che chắn.") == [("bạo bạo", "bạo")]
    assert doubled("Tôi không hiểu anh ấy còn cảm thấy thấy đau khổ ra sao.") == [("thấy thấy", "thấy")]
    # reduplications people write, and two words meeting, stay silent
    assert doubled("Món gỏi chua chua, cay cay ăn rất ngon miệng.") == []
    assert doubled("Đây là một cơ sở tâm linh linh thiêng của vùng.") == []
    # without the models (the rules alone) only function words count
    assert _check("Cầu thủ Samson dùng bạo bạo lực nhưng vẫn được che chắn.", "VI_REPEATED_WORD") == []


@pytest.mark.parametrize("rule_id", ["VI_SPELLING_NONWORD", "VI_SPELLING_GLUED"])
def test_spelling_examples_on_the_rule_pages_hold(checker, rule_id):
    from vnproof.rules import rule_examples

    (wrong,), (right,) = rule_examples(rule_id)
    m = MARKER.search(wrong)
    text = MARKER.sub(r"\1", wrong)
    assert [(i.offset, i.length) for i in checker.check(text) if i.rule_id == rule_id] == [(m.start(), len(m.group(1)))]
    assert not [i for i in checker.check(right) if i.category == "spelling"]


def test_abbreviation_slips_are_swaps_or_marks_only():
    from vnproof.rules.abbreviations import slip_of

    assert slip_of("THTP", "THPT") == "swap" and slip_of("NHSCXH", "NHCSXH") == "swap"
    assert slip_of("HĐNĐ", "HĐND") == "marks" and slip_of("ƯBND", "UBND") == "marks"
    assert slip_of("OPEC", "APEC") is None      # another letter is another organisation
    assert slip_of("THPT", "THPT") is None and slip_of("THP", "THPT") is None


def test_an_abbreviation_slip_needs_its_twin_in_the_text_or_a_common_one():
    twin_absent = "Trường THTP Lê Lợi có 300 em."          # a swap of a word the text never uses
    assert not _check(twin_absent, "VI_ABBREVIATION_TYPO")
    (issue,) = _check("Trường THPT Nguyễn Du và trường THTP Lê Lợi.", "VI_ABBREVIATION_TYPO")
    assert issue.text == "THTP" and issue.replacements[0] == "THPT" and issue.message_en
    assert issue.category == "spelling" and 0 < issue.confidence <= 1
