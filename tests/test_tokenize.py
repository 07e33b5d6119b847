"""Tokenizer: kinds, original offsets (NFD and CRLF included) and sentence boundaries."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

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


# --- pieces: the text is tokenized piece by piece (cut at " " and "\n"), with cached runs ---------

def _whole_text_tokens(text: str) -> list:
    """The tokenizer as it was before pieces: one `findall` over the whole normalized text (the
    oracle the piece-by-piece tokenizer must match token for token)."""
    import vnproof.tokenize as tk
    from vnproof.syllable import parse
    from vnproof.text import LOOKALIKES, normalize

    norm = normalize(text)
    tokens = []
    sentence, at_start = 0, True
    t = norm.text
    lookalike = "Ð" in t or "ð" in t
    pattern, names = tk.token_pattern(t)
    chunk, punct = names.index("chunk"), names.index("punct")
    others = [(i, tk._GROUP_KIND[name]) for i, name in enumerate(names) if name in tk._GROUP_KIND]
    end = 0
    for g in pattern.findall(t):
        ws = g[0]
        if ws:
            if g[1]:
                if not at_start:
                    sentence += 1
                at_start = True
            end += len(ws)
        start = end
        s = g[chunk]
        if s:
            end += len(s)
            if lookalike:
                s = s.translate(LOOKALIKES)
            kind, inside, valid, fixes, split = tk._chunk(s)
            if split:
                for sub in tk._SUBWORD.finditer(s):
                    a, b = norm.span(start + sub.start(), start + sub.end())
                    w = sub.group()
                    k = Kind.PUNCT if w in "-/" else Kind.SYLLABLE
                    tok = tk.Token(a, b, text[a:b], w, k, sentence, False)
                    if k is Kind.SYLLABLE:
                        tok.valid = parse(w) is not None
                        if not tok.valid and w.isascii():
                            tok.kind = Kind.FOREIGN
                    tokens.append(tok)
            else:
                a, b = norm.span(start, end)
                tokens.append(tk.Token(a, b, text[a:b], s, kind if at_start else inside, sentence, at_start,
                                       valid, fixes))
            at_start = False
            continue
        s = g[punct]
        if s:
            kind = Kind.PUNCT if s in "\"'“”‘’()[]{}«»,.;:!?…-–—/%&*+=<>|~^#@$\\_`" or s == "..." else Kind.OTHER
        else:
            for i, kind in others:
                s = g[i]
                if s:
                    break
            else:
                continue
        end += len(s)
        a, b = norm.span(start, end)
        tokens.append(tk.Token(a, b, text[a:b], s, kind, sentence, at_start and kind is not Kind.PUNCT))
        if kind is Kind.PUNCT:
            if s in tk._SENTENCE_END:
                sentence += 1
                at_start = True
        elif kind is not Kind.OTHER:
            at_start = False
    return tokens


_PIECE_TEXTS = [
    "Liên hệ: ban.doc@vnexpress.net hoặc https://vnexpress.net/lien-he.\nXem www.baochinhphu.vn, mục Văn bản.",
    "Số 09/CT-TW ngày 02-3-2022.\n\n  Ngày 01/6/2021 và 6/2017, 12.500 đồng, 20%, Covid-19, đợt/tháng ...",
    "Gõ “nGười” và  chíUnh \t ở đầu dòng\r\n\n  Hãng mới \u00a0 Ðại ðoàn Kết — 漢字 😀 … \u2028Mới\u3000cũ",
    unicodedata.normalize("NFD", "Hà Nội mưa.\r\nNgười dân  đợt/tháng\tÐà Nẵng! (Tiếp) «Hết»"),
    "a.b.c.d@x.vn-đi a@b@c.vn 1/2/2020/3 x://y www.z \n\n\n. . ... ..\t\n đó\x0bđây\x1cnữa\x85rồi",
    "", " ", "\n", "\n \n", "a", " a ", "\na\n", ". A", "\t", "\u00a0a\u00a0", "a\n\nb. c\n. d",
]


@pytest.mark.parametrize("text", _PIECE_TEXTS)
def test_pieces_give_the_whole_texts_tokens(text):
    assert tokenize(text).tokens == _whole_text_tokens(text)
    assert tokenize(text).tokens == _whole_text_tokens(text)   # again, from the cached runs


def test_cached_runs_are_bounded_and_give_fresh_tokens(monkeypatch):
    import vnproof.tokenize as tk

    text = " ".join(_PIECE_TEXTS)
    a, b = tokenize(text), tokenize(text)
    assert a.tokens == b.tokens and all(x is not y for x, y in zip(a.tokens, b.tokens))
    monkeypatch.setattr(tk, "_RUNS", ({}, {}))
    monkeypatch.setattr(tk, "_RUNS_MAX", 3)   # emptied every few pieces: the same tokens
    assert tokenize(text).tokens == a.tokens == _whole_text_tokens(text)
    assert all(len(cache) <= 3 for cache in tk._RUNS)
    long = "x" * (tk._PIECE_MAX + 1)
    tokenize(long + " " + ",".join("abcdef"))   # too long, too many tokens: not kept
    assert all(long not in cache and ",".join("abcdef") not in cache for cache in tk._RUNS)


_TEXT_PARTS = st.sampled_from([
    " ", " ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "\u3000", "\x0b", "\x85", "\u200b",
    "a", "Hà", "nội", "Người", "ĐI", "Ðại", "ð", "nGười", "chíUnh", "x", "1", "12", "2022", "0",
    ".", ",", "...", "…", "-", "/", "@", ":", "//", "www.", "https://", "(", "“", "!", "?", "%", "😀", "漢",
    "\u0301", "\u0323", "&\u0331", "\ud800", "vn", "b.vn", "e",
])


@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_TEXT_PARTS, max_size=30).map("".join))
def test_pieces_give_the_whole_texts_tokens_on_any_mix(text):
    assert tokenize(text).tokens == _whole_text_tokens(text)
    nfd = unicodedata.normalize("NFD", text)
    assert tokenize(nfd).tokens == _whole_text_tokens(nfd)
