"""Tokenizer: kinds, original offsets (NFD and CRLF included) and sentence boundaries."""
from __future__ import annotations

import unicodedata

import pytest

from vnproof.tokenize import Kind, tokenize


def kinds(text: str) -> dict[str, Kind]:
    return {t.text: t.kind for t in tokenize(text).tokens}


def one(text: str, needle: str):
    hits = [t for t in tokenize(text).tokens if t.text == needle]
    assert len(hits) == 1, [(t.text, t.kind) for t in tokenize(text).tokens]
    return hits[0]


@pytest.mark.parametrize("code", ["09/CT-TW", "574/KH-CAH-MTTQ", "30/2020/NĐ-CP", "04/CT-UBND",
                                  "01-ĐA/ĐUCA", "Covid-19", "F0"])
def test_document_codes_are_one_code_token(code):
    text = f"Theo văn bản {code} của tỉnh."
    t = one(text, code)
    assert t.kind is Kind.CODE
    assert text[t.start:t.end] == code


@pytest.mark.parametrize("acr", ["UBND", "HĐND", "ANTQ", "MTTQ", "ĐBQH"])
def test_acronyms(acr):
    assert one(f"Báo cáo của {acr} huyện.", acr).kind is Kind.ACRONYM


@pytest.mark.parametrize("num", ["12.500", "63,6", "1.234.567", "20%", "2022"])
def test_numbers(num):
    assert one(f"Có {num} người.", num).kind is Kind.NUMBER


@pytest.mark.parametrize("date", ["02-3-2022", "01/6/2021", "26-6-2020", "31.12.1999"])
def test_dates(date):
    t = one(f"Ngày {date} họp.", date)
    assert t.kind is Kind.DATE


@pytest.mark.parametrize("url", ["https://vnexpress.net/a-b-123.html", "www.chinhphu.vn",
                                 "ubnddakto-kontum@chinhphu.vn", "a.b+c@gov.vn"])
def test_urls_and_emails(url):
    text = f"Xem {url} nhé."
    t = one(text, url)
    assert t.kind is Kind.URL


def test_url_does_not_swallow_sentence_final_dot():
    text = "Email: ubnddakto-kontum@chinhphu.vn."
    toks = tokenize(text).tokens
    assert toks[-1].text == "." and toks[-1].kind is Kind.PUNCT


def test_names_inside_sentence_and_first_word():
    toks = tokenize("Hôm nay Nguyễn Văn An đến Đăk Tô.").tokens
    by = {t.text: t for t in toks}
    assert by["Hôm"].kind is Kind.SYLLABLE and by["Hôm"].sentence_start
    for name in ("Nguyễn", "Văn", "An", "Đăk", "Tô"):
        assert by[name].kind is Kind.NAME, name


def test_cjk_emoji_and_foreign():
    k = kinds("Chữ 中文 và 😀 với từ the football.")
    assert k["中文"] is Kind.CJK
    assert k["😀"] is Kind.OTHER
    assert k["football"] is Kind.FOREIGN


def test_syllables_flagged_valid_or_not():
    by = {t.text: t for t in tokenize("các cac nhât nhất").tokens}
    assert by["các"].valid and by["nhất"].valid
    assert not by["nhât"].valid and by["nhât"].kind is Kind.SYLLABLE


SAMPLE = ("Ủy ban nhân dân (UBND) tỉnh Kon Tum; 12.500 người, 63,6% ngày 02-3-2022 và 01/6/2021 "
          "theo 09/CT-TW, 574/KH-CAH-MTTQ, 30/2020/NĐ-CP... Xem https://a.vn/x hoặc a@b.vn 中文 😀 "
          "Covid-19!\r\nDòng hai: “trích dẫn” — kết thúc? Có.")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_offsets_slice_the_original(form):
    text = unicodedata.normalize(form, SAMPLE)
    doc = tokenize(text)
    assert doc.text == text
    last = 0
    for t in doc.tokens:
        assert text[t.start:t.end] == t.text
        assert unicodedata.normalize("NFC", t.text).replace("\r\n", "\n") == t.norm
        assert t.start >= last
        last = t.end
    # nothing but whitespace is lost between tokens
    covered = set()
    for t in doc.tokens:
        covered.update(range(t.start, t.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_nfd_gives_same_kinds_as_nfc():
    a = [(t.norm, t.kind, t.sentence) for t in tokenize(SAMPLE).tokens]
    b = [(t.norm, t.kind, t.sentence) for t in tokenize(unicodedata.normalize("NFD", SAMPLE)).tokens]
    assert a == b


def test_sentence_boundaries():
    doc = tokenize("Câu một. Câu hai! Câu ba?\nDòng mới không dấu chấm\nDòng cuối")
    sents = [" ".join(t.text for t in s if t.kind is not Kind.PUNCT) for s in doc.sentences()]
    assert sents == ["Câu một", "Câu hai", "Câu ba", "Dòng mới không dấu chấm", "Dòng cuối"]
    firsts = [t.text for t in doc.tokens if t.sentence_start]
    assert firsts == ["Câu", "Câu", "Câu", "Dòng", "Dòng"]


def test_decimal_and_code_dots_do_not_end_sentences():
    doc = tokenize("Có 12.500 người theo 30/2020/NĐ-CP ngày 31.12.1999 nhé.")
    assert len(doc.sentences()) == 1


@pytest.mark.parametrize("opener", ["“", "(", "\""])
def test_word_after_opening_quote_is_sentence_start(opener):
    doc = tokenize(f"Bác nói. {opener}Không có gì quý hơn độc lập.")
    t = next(t for t in doc.tokens if t.text == "Không")
    assert t.sentence_start and t.kind is Kind.SYLLABLE


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😀😀", "\ud800", "a\x00b", "\u0301", "..."])
def test_odd_inputs(text):
    doc = tokenize(text)
    for t in doc.tokens:
        assert text[t.start:t.end] == t.text


def _full_pattern_tokens(text: str, monkeypatch) -> list:
    """The tokens with every URL and e-mail alternative in the pattern, whatever the text holds."""
    import vnproof.tokenize as tk

    full = tk._pattern(True, True)
    with monkeypatch.context() as m:
        m.setattr(tk, "token_pattern", lambda _text: full)
        return tk.tokenize(text).tokens


@pytest.mark.parametrize("text", [
    "Liên hệ: ban.doc@vnexpress.net hoặc https://vnexpress.net/lien-he.",
    "Xem www.baochinhphu.vn, mục Văn bản.\nSố 09/CT-TW ngày 02-3-2022.",
    "Gõ “nGười” và  chíUnh \t ở đầu dòng\r\n\n  Hãng mới   ",
    "Không có địa chỉ nào ở đây: 12.500 đồng, 20%, Covid-19, đợt/tháng ...",
    "", "   ", "\n", "a", "a@", "@b.vn", "x://", "ðại Ðoàn Kết — 漢字 😀 …",
])
def test_the_pattern_left_for_a_text_finds_the_full_patterns_tokens(text, monkeypatch):
    """A text without "://", "www." or "@" is tokenized without the URL and e-mail alternatives
    (they cannot match): the tokens, offsets and sentences are those of the full pattern."""
    assert tokenize(text).tokens == _full_pattern_tokens(text, monkeypatch)


def test_tokens_compare_by_value_and_print_their_fields():
    a, b = tokenize("Hà Nội mưa."), tokenize("Hà Nội mưa.")
    assert a.tokens == b.tokens and a.tokens[0] is not b.tokens[0]
    b.tokens[2].valid = not b.tokens[2].valid
    assert a.tokens != b.tokens
    assert repr(a.tokens[0]).startswith("Token(start=0, end=2, text='Hà', norm='Hà', kind=")
    with pytest.raises(TypeError):
        hash(a.tokens[0])
