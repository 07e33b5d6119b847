"""Text layer: NFC normalisation with an offset map back to the original, and tone-style keys."""
from __future__ import annotations

import unicodedata

import pytest

from vnproof.text import normalize, split_tone, strip_diacritics, tone_key


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _assert_map_consistent(n) -> None:
    """Every normal-form character maps to a non-empty, in-order original span whose NFC is it."""
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert len(list(n.starts)) == len(n.text)  # iterable and finite
    prev_end = 0
    for i, ch in enumerate(n.text):
        a, b = n.starts[i], n.ends[i]
        assert 0 <= a < b <= len(n.original)
        assert a >= prev_end or (a, b) == (n.starts[i - 1], n.ends[i - 1])  # monotone, shared cluster
        piece = n.original[a:b]
        if piece in ("\r\n", "\r"):
            assert ch == "\n"
        else:
            assert ch in unicodedata.normalize("NFC", piece)
        prev_end = b


@pytest.mark.parametrize("word", ["Việt", "Nguyễn", "được", "thuở", "khuya", "ĐỨC"])
def test_nfd_word_maps_back_to_whole_original(word):
    src = "x " + nfd(word) + " y"
    n = normalize(src)
    assert n.text == "x " + word + " y"
    a, b = n.span(2, 2 + len(word))
    assert src[a:b] == nfd(word)
    assert (a, b) == (2, 2 + len(nfd(word)))
    _assert_map_consistent(n)


def test_nfd_offsets_of_following_text_shift():
    src = nfd("Tiếng Việt") + " ANTQ"
    n = normalize(src)
    i = n.text.index("ANTQ")
    a, b = n.span(i, i + 4)
    assert src[a:b] == "ANTQ"
    assert b == len(src)


def test_crlf_and_lone_cr_become_lf_with_spans():
    src = "một\r\nhai\rba\n"
    n = normalize(src)
    assert n.text == "một\nhai\nba\n"
    first_nl = n.text.index("\n")
    assert n.span(first_nl, first_nl + 1) == (3, 5)   # the whole CRLF
    a, b = n.span(n.text.index("hai"), n.text.index("hai") + 3)
    assert src[a:b] == "hai"
    a, b = n.span(n.text.index("ba"), n.text.index("ba") + 2)
    assert src[a:b] == "ba"
    _assert_map_consistent(n)


def test_crlf_with_nfd_mix():
    src = nfd("Hoà") + "\r\n" + nfd("bình") + "\r\n"
    n = normalize(src)
    assert n.text == "Hoà\nbình\n"
    a, b = n.span(4, 8)
    assert src[a:b] == nfd("bình")
    _assert_map_consistent(n)


def test_stacked_and_stray_combining_marks():
    # Two marks on one base (a + dot below + acute) and marks with no base letter.
    src = "\u0301x a\u0323\u0301b \u0300"
    n = normalize(src)
    _assert_map_consistent(n)
    # spans cover the original exactly once in order
    assert n.span(0, len(n.text)) == (0, len(src))


def test_nfc_input_is_identity():
    src = "Tiếng Việt có dấu.\nDòng hai."
    n = normalize(src)
    assert n.text == src
    assert [n.span(i, i + 1) for i in range(len(src))] == [(i, i + 1) for i in range(len(src))]
    assert n.span(3, 7) == (3, 7)


def test_empty_span_and_empty_text():
    n = normalize("")
    assert n.text == "" and n.span(0, 0) == (0, 0)
    n = normalize(nfd("ố"))
    assert n.span(1, 1) == (3, 3)  # o + circumflex + acute


@pytest.mark.parametrize("old,new", [("hoá", "hóa"), ("thuỷ", "thủy"), ("uỷ", "ủy"), ("khoẻ", "khỏe"),
                                     ("Hoà", "hòa"), ("QUỶ", "quỷ"), ("tuỳ", "tùy")])
def test_tone_key_same_for_old_and_new_placement(old, new):
    assert tone_key(old) == tone_key(new)


def test_tone_key_same_for_nfd_input():
    assert tone_key(nfd("hoá")) == tone_key("hóa")


@pytest.mark.parametrize("a,b", [("hóa", "hòa"), ("hoá", "hoà"), ("thủy", "thúy"), ("uỷ", "uý"),
                                 ("hóa", "hoa"), ("ma", "mã"), ("mả", "mã"), ("mạ", "má"),
                                 ("hoa", "hoă")])
def test_tone_key_differs_for_different_tone_or_letters(a, b):
    assert tone_key(a) != tone_key(b)


def test_split_tone_keeps_other_diacritics():
    assert split_tone("việt") == ("viêt", 5)
    assert split_tone("được") == ("đươc", 5)
    assert split_tone("ơ") == ("ơ", 0)


def test_strip_diacritics():
    assert strip_diacritics("Nguyễn Đức Thắng") == "Nguyen Duc Thang"
