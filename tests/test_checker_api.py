"""Public API: vnproof.check / vnproof.Checker, the Issue contract, options, odd inputs."""
from __future__ import annotations

import dataclasses
import json
import threading
import unicodedata

import pytest

import vnproof
from vnproof import Checker, Issue
from vnproof.issues import Category

TYPO = "Tôi thích ăn cơm vảo buổi tối."           # "vảo" is not a Vietnamese word
NONWORD = "VI_SPELLING_NONWORD"
CATEGORIES = {c.value for c in Category}


def _spelling(issues):
    return [i for i in issues if i.category == "spelling"]


def _key(issues):
    return [(i.offset, i.length, i.text, tuple(i.replacements), i.rule_id, i.category, i.confidence)
            for i in issues]


def test_issue_has_every_field(checker):
    issues = checker.check(TYPO)
    [i] = [i for i in issues if i.text == "vảo"]
    assert isinstance(i, Issue)
    assert TYPO[i.offset:i.offset + i.length] == i.text == "vảo"
    assert i.end == i.offset + i.length
    assert isinstance(i.replacements, list) and i.replacements and all(isinstance(r, str) for r in i.replacements)
    assert "vào" in i.replacements
    assert i.rule_id == NONWORD
    assert i.category == "spelling"
    assert isinstance(i.message, str) and i.message and isinstance(i.message_en, str) and i.message_en
    assert i.message != i.message_en
    assert 0.0 < i.confidence <= 1.0
    d = i.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert {f.name for f in dataclasses.fields(Issue)} <= set(d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        i.offset = 3


def test_module_check_uses_the_default_checker():
    assert vnproof.default_checker() is vnproof.default_checker()
    assert _key(vnproof.check(TYPO)) == _key(vnproof.default_checker().check(TYPO))


def test_issue_categories_are_from_the_closed_list(checker, dakto_article):
    for i in checker.check(dakto_article):
        assert i.category in CATEGORIES
        assert dakto_article[i.offset:i.offset + i.length] == i.text
        assert 0.0 <= i.confidence <= 1.0


def test_issues_sorted_by_offset(checker, dakto_article):
    offs = [i.offset for i in checker.check(dakto_article)]
    assert offs == sorted(offs)


def test_checker_is_reusable_and_thread_safe(checker, dakto_article):
    texts = [dakto_article, TYPO, "Nó nghij ngơi.", unicodedata.normalize("NFD", dakto_article[:3000])]
    expected = [_key(checker.check(t)) for t in texts]
    results: dict[int, list] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(n):
        try:
            barrier.wait()
            out = []
            for _ in range(3):
                for t in texts[n:] + texts[:n]:
                    out.append((t, _key(checker.check(t))))
            results[n] = out
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for out in results.values():
        for text, got in out:
            assert got == expected[texts.index(text)]


# --- options ----------------------------------------------------------------------------------
def test_disabled_rule_suppresses_it(checker):
    assert any(i.rule_id == NONWORD for i in checker.check(TYPO))
    assert not any(i.rule_id == NONWORD for i in checker.check(TYPO, disabled_rules=[NONWORD]))
    assert not any(i.rule_id == NONWORD for i in checker.check(TYPO, disabled_rules=NONWORD))  # comma string


def test_disabled_category(checker):
    assert _spelling(checker.check(TYPO, disabled_categories=["spelling"])) == []


@pytest.mark.parametrize("word", ["vảo", "VẢO", "Vảo"])
def test_dictionary_word_is_not_flagged(checker, word):
    assert not any(i.text == "vảo" for i in checker.check(TYPO, dictionary=[word]))


def test_dictionary_word_with_eth_is_not_flagged(checker):
    assert not _spelling(checker.check("Ðlà", dictionary=["Ðlà"]))


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_flagged_text_with_a_stray_mark_can_be_added_to_the_dictionary(checker, form):
    """An issue's text may carry a mark no letter takes ("củá" + U+0301); added to the
    dictionary as the user copied it, it silences the word."""
    text = "Đây là cuốn sách củá\u0301 tôi."
    (issue,) = [i for i in _spelling(checker.check(text)) if i.text.startswith("củá")]
    assert not _spelling(checker.check(text, dictionary=[unicodedata.normalize(form, issue.text)]))


def test_dictionary_does_not_hide_other_typos(checker):
    text = "Tôi thích ăn cơm vảo buổi tối và nhât là cơm rang."
    flagged = {i.text for i in checker.check(text, dictionary=["vảo"])}
    assert "vảo" not in flagged and "nhât" in flagged


def test_enabled_only(checker, dakto_article):
    only = checker.check(dakto_article, enabled_only=True, enabled_rules=[NONWORD])
    assert only and all(i.rule_id == NONWORD for i in only)
    assert checker.check(dakto_article, enabled_only=True) == []
    cats = checker.check(dakto_article, enabled_only=True, enabled_categories=["spelling"])
    assert cats and all(i.category == "spelling" for i in cats)


def test_levels(checker, dakto_article):
    default = {(i.offset, i.rule_id) for i in _spelling(checker.check(dakto_article))}
    picky = {(i.offset, i.rule_id) for i in _spelling(checker.check(dakto_article, level="picky"))}
    assert default <= picky  # picky has a lower threshold: it never reports less


@pytest.mark.parametrize("bad,exc", [({"level": "strict"}, ValueError), ({"tone_style": "mid"}, ValueError),
                                     ({"pub_date": "2022-13-40"}, ValueError), ({"no_such_option": 1}, TypeError),
                                     ({"level": None, "colour": "red"}, TypeError)])
def test_bad_options_raise(checker, bad, exc):
    with pytest.raises(exc):
        checker.check(TYPO, **bad)


@pytest.mark.parametrize("bad", [b"bytes", None, 42, ["list"]])
def test_non_str_text_raises_type_error(checker, bad):
    with pytest.raises(TypeError):
        checker.check(bad)


@pytest.mark.parametrize("text", ["", " ", "\n\r\n\t", "😀🇻🇳👍🏽", "\ud800", "nhât\ud800nhât", "\udfff a",
                                  "a\x00\x01\x02\x7fb", "\ufffd" * 10, "\u0301\u0300\u0323", "..." * 50,
                                  "ÿþ\x00V\x00i\x00", "中文テキスト한국어", "\u200b\u200c\u200d\ufeff",
                                  "x" * 5000, "á" * 300])
def test_odd_inputs_do_not_raise(checker, text):
    for i in checker.check(text):
        assert text[i.offset:i.offset + i.length] == i.text


def test_crlf_offsets_are_original(checker):
    text = "Dòng một.\r\nTôi thích ăn cơm vảo buổi tối.\r\n"
    [i] = [i for i in checker.check(text) if i.text == "vảo"]
    assert text[i.offset:i.offset + i.length] == "vảo"


def test_nfd_offsets_are_original(checker):
    text = unicodedata.normalize("NFD", TYPO)
    [i] = [i for i in checker.check(text) if i.rule_id == NONWORD]
    assert text[i.offset:i.offset + i.length] == i.text
    assert unicodedata.normalize("NFC", i.text) == "vảo"


def test_telex_leftover_reported(checker):
    text = "Chúng tôi dduwowcj khen và được thưởng."
    [i] = [i for i in checker.check(text) if i.text == "dduwowcj"]
    assert i.replacements[0] == "được"


def test_vni_leftover_reported(checker):
    text = "Tôi đang học tiếng vie65t ở trường."
    hits = [i for i in checker.check(text) if i.text == "vie65t"]
    assert hits and "việt" in hits[0].replacements


def test_a_number_with_a_unit_letter_is_no_vni_leftover(checker):
    """VNI's tone keys follow their vowel: "41o C" is a temperature, not "ó"."""
    assert not _spelling(checker.check("Nhiệt độ có nơi trên 41o C, thấp nhất 2o C."))


def test_names_and_codes_are_not_corrected(checker):
    text = ("Ngày 02-3-2022, UBND huyện Đăk Tô và HĐND tỉnh Kon Tum ban hành 09/CT-TW, "
            "574/KH-CAH-MTTQ và 30/2020/NĐ-CP về phòng chống Covid-19 tại https://dakto.kontum.gov.vn.")
    flagged = {i.text for i in _spelling(checker.check(text))}
    assert not flagged & {"Đăk", "Tô", "UBND", "HĐND", "Kon", "Tum", "09/CT-TW", "574/KH-CAH-MTTQ",
                          "30/2020/NĐ-CP", "Covid-19", "02-3-2022"}


def test_old_and_new_tone_styles_are_not_spelling_errors(checker):
    for text in ("Hoá chất và thuỷ sản của Uỷ ban.", "Hóa chất và thủy sản của Ủy ban."):
        assert _spelling(checker.check(text)) == []


def test_check_detailed_reports_time_and_completeness(checker):
    res = checker.check_detailed(TYPO)
    assert res.incomplete is False and res.seconds >= 0
    assert _key(res.issues) == _key(checker.check(TYPO))


# --- the seed article ---------------------------------------------------------------------------
def _find(issues, text, word):
    return [i for i in issues if text[i.offset:i.offset + i.length] == word]


def test_article_reports_vao_and_nhat(checker, dakto_article):
    issues = _spelling(checker.check(dakto_article))
    vao = _find(issues, dakto_article, "vảo")
    nhat = _find(issues, dakto_article, "nhât")
    assert vao and "bảo" in vao[0].replacements
    assert nhat and "nhân" in nhat[0].replacements


@pytest.mark.shared_data
@pytest.mark.parametrize("phrase", ["Đăk Tô", "ANTQ", "09/CT-TW", "Covid-19", "574/KH-CAH-MTTQ",
                                    "Kon Tum", "UBND", "02-3-2022", "01/6/2021"])
def test_article_names_and_codes_unflagged(checker, seed_article, phrase):
    assert phrase in seed_article
    spans = []
    start = seed_article.find(phrase)
    while start >= 0:
        spans.append((start, start + len(phrase)))
        start = seed_article.find(phrase, start + 1)
    for i in _spelling(checker.check(seed_article)):
        for a, b in spans:
            assert i.end <= a or i.offset >= b, (phrase, i)


def test_article_nfd_same_spelling_issues(checker, dakto_article):
    nfd = unicodedata.normalize("NFD", dakto_article)
    a = [(unicodedata.normalize("NFC", i.text), i.rule_id, tuple(i.replacements))
         for i in _spelling(checker.check(dakto_article))]
    got = _spelling(checker.check(nfd))
    b = [(unicodedata.normalize("NFC", i.text), i.rule_id, tuple(i.replacements)) for i in got]
    assert a == b
    for i in got:
        assert nfd[i.offset:i.offset + i.length] == i.text
