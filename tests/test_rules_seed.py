"""The seed article through the whole checker: each style finding an editor listed is reported,
with its rule id, once or a few times (never once per occurrence of the majority form)."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

import vnproof
from vnproof.rules.dates import guess_pub_date
from vnproof.text import tone_key

SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "dakto-2022-article.jsonl"
pytestmark = pytest.mark.shared_data   # the editor's findings on the seed article itself


@pytest.fixture(scope="module")
def seed():
    row = json.loads(SEED.read_text("utf-8").splitlines()[0])
    text = row["text_with_errors"]
    issues = [i for i in vnproof.default_checker().check(text, pub_date="2022-04-20") if i.category != "spelling"]
    by_rule = defaultdict(list)
    for i in issues:
        assert i.text == text[i.offset:i.end]
        by_rule[i.rule_id].append(i)
    return text, row, by_rule


def test_mixed_tone_placement(seed):
    _, _, by_rule = seed
    found = by_rule["VI_TONE_STYLE_MIXED"]
    assert 2 <= len(found) <= 4
    assert {tone_key(i.text) for i in found} >= {"hoa2", "uy3"}   # văn hoá/văn hóa, uỷ/ủy


def test_mixed_date_formats(seed):
    _, _, by_rule = seed
    found = by_rule["VI_DATE_FORMAT_MIXED"]
    assert 1 <= len(found) <= 3 and "01/6/2021" in [i.text for i in found]


def test_stray_space_and_four_dots(seed):
    _, _, by_rule = seed
    assert [i.text for i in by_rule["VI_SPACE_IN_CODE"]] == ["Covid -19"]
    assert by_rule["VI_SPACE_IN_CODE"][0].replacements[0] == "Covid-19"
    assert [i.text for i in by_rule["VI_PUNCTUATION_RUN"]] == ["...."]


def test_abbreviations_never_spelled_out(seed):
    _, _, by_rule = seed
    found = [i.text for i in by_rule["VI_ABBREVIATION_UNDEFINED"]]
    assert sorted(found) == ["ANCT", "ANTT", "TTATXH"]   # ANTQ is spelled out; UBND is common


def test_cited_plan_dated_after_the_article(seed):
    _, _, by_rule = seed
    found = by_rule["VI_DATE_AFTER_PUBLICATION"]
    assert 1 <= len(found) <= 2 and {i.text for i in found} == {"03-6-2022"}
    assert [i.text for i in by_rule["VI_DATE_ORDER"]] == ["03-6-2022"]   # a 2020 programme implementing it


def test_broken_collocation(seed):
    text, _, by_rule = seed
    found = by_rule["VI_BROKEN_COLLOCATION"]
    assert len(found) == 1 and found[0].replacements[0] == "kết hợp"
    assert text[found[0].offset:].startswith("kết giữa phương thức")


def test_nothing_else_and_few_in_all(seed):
    _, _, by_rule = seed
    expected = {"VI_TONE_STYLE_MIXED", "VI_DATE_FORMAT_MIXED", "VI_SPACE_IN_CODE", "VI_PUNCTUATION_RUN",
                "VI_ABBREVIATION_UNDEFINED", "VI_DATE_AFTER_PUBLICATION", "VI_DATE_ORDER",
                "VI_BROKEN_COLLOCATION"}
    assert set(by_rule) == expected
    assert sum(len(v) for v in by_rule.values()) <= 15


def test_without_pub_date_no_after_publication_issue(seed):
    text, _, _ = seed
    rules = {i.rule_id for i in vnproof.default_checker().check(text)}
    assert "VI_DATE_AFTER_PUBLICATION" not in rules


def test_pub_date_guessed_from_the_date_line(seed):
    text, _, _ = seed
    assert guess_pub_date(text) == date(2022, 4, 20)
