"""Tokenizer: tokens with a kind and offsets into the user's original text, plus sentences.

Only `SYLLABLE` tokens are spell-checked. Names, acronyms, numbers, dates, document codes,
URLs, foreign words and CJK are kept as context and never "corrected" into common words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from enum import Enum

from .syllable import parse
from .text import LOOKALIKES, Normalized, has_vietnamese_marks, is_vietnamese_letters, normalize


class Kind(str, Enum):
    SYLLABLE = "syllable"   # lower-case (or sentence-initial) Vietnamese-looking word
    NAME = "name"           # capitalised word inside a sentence
    ACRONYM = "acronym"     # UBND, HĐND, ANTQ
    NUMBER = "number"       # 12.500, 63,6, 20%
    DATE = "date"           # 02-3-2022, 01/6/2021
    CODE = "code"           # 09/CT-TW, 30/2020/NĐ-CP, Covid-19, F0
    URL = "url"             # URLs and e-mail addresses
    FOREIGN = "foreign"     # a Latin word that is not a Vietnamese syllable
    CJK = "cjk"
    PUNCT = "punct"
    OTHER = "other"         # emoji, symbols


# Reading a member through the Enum class (`Kind.PUNCT`) goes through EnumType's Python-level
# attribute hook: about 0.3 µs on Python 3.11, several times per token. Hot loops use these.
(SYLLABLE, NAME, ACRONYM, NUMBER, DATE, CODE, URL, FOREIGN, CJK, PUNCT,
 OTHER) = (Kind.SYLLABLE, Kind.NAME, Kind.ACRONYM, Kind.NUMBER, Kind.DATE, Kind.CODE, Kind.URL,
           Kind.FOREIGN, Kind.CJK, Kind.PUNCT, Kind.OTHER)


@dataclass(slots=True)
class Token:
    """One token. `start`/`end` index the original text; `norm` is its NFC form."""

    start: int
    end: int
    text: str
    norm: str
    kind: Kind
    sentence: int = 0
    sentence_start: bool = False   # first word of its sentence
    valid: bool = False            # a well-formed Vietnamese syllable (lower-cased)
    shift: tuple[str, ...] = ()    # a Shift slip ("chíUnh", "nGười"): the syllables it may be

    @property
    def lower(self) -> str:
        return self.norm.lower()


@dataclass(slots=True)
class Doc:
    """A tokenized text. `text` is the original input, unchanged."""

    text: str
    normalized: Normalized
    tokens: list[Token] = field(default_factory=list)

    def sentences(self) -> list[list[Token]]:
        out: list[list[Token]] = []
        for t in self.tokens:
            if not out or t.sentence != out[-1][0].sentence:
                out.append([])
            out[-1].append(t)
        return out


_L = r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_PATTERN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"'“”]+[^\s<>"'“”.,;:!?)\]]
        |(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
   |(?P<date>(?<![\d/-])\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}(?![\d/])
        |(?<![\d/-])(?:0?[1-9]|1[0-2])/(?:19|20)\d{{2}}(?![\d/]))
   |(?P<chunk>[{_L}\d]+(?:[-/][{_L}\d]+)*(?:[.,][\d]+)*%?)
   |(?P<cjk>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+)
   |(?P<space>\s+)
   |(?P<punct>\.\.\.|…|[^\s{_L}\d])
    """,
    re.VERBOSE,
)
_SENTENCE_END = {".", "!", "?", "…", "..."}
_GROUP_KIND = {"url": URL, "date": DATE, "cjk": CJK}


@lru_cache(maxsize=100_000)
def _classify_chunk(s: str) -> Kind:
    if not is_vietnamese_letters(s) and not any(c.isdigit() for c in s):
        return FOREIGN  # Māui, Köztársaság, José is still Latin-Vietnamese-compatible
    if s[0].isdigit():
        if all(c.isdigit() or c in ".,%" for c in s):
            return NUMBER
        return CODE
    if not s.isalpha():
        return CODE
    if s.isupper() and len(s) > 1:
        return ACRONYM
    rest = s[1:]
    if rest and not rest.islower():
        return FOREIGN if not has_vietnamese_marks(s) else ACRONYM
    return SYLLABLE


@lru_cache(maxsize=20_000)
def shift_slip(s: str) -> tuple[str, ...]:
    """The syllables a word with one stray capital inside may be, lower-case: () for the rest.

    "nGười" -> ("người",) (the capital lower-cased); "chíUnh" -> ("chính",) (an inserted capital
    removed). Brands, units, formulas and names keep their capitals: "iPhone", "McDonald",
    "YouTube", "kWh", "LaGi", "MiG", "CaO" give (): only one capital after the first letter is a
    slip, and a word without Vietnamese marks counts only with that capital second ("tHanh")
    and a lower-cased form that is a syllable. The checker then asks the lexicon.
    """
    inner = [i for i, c in enumerate(s) if i and c.isupper()]
    if len(inner) != 1 or not s.isalpha() or s.isupper():
        return ()   # "MU", "UI": acronyms
    i = inner[0]
    marked = has_vietnamese_marks(s)
    if not marked and i != 1:
        return ()   # "CaO", "BaO", "GiA": formulas and names; ascii slips are "tHanh", "THanh"
    out = []
    low = s.lower()
    if parse(low) is not None:
        out.append(low)
    if marked:
        cut = (s[:i] + s[i + 1:]).lower()
        if parse(cut) is not None and cut not in out:
            out.append(cut)
    return tuple(out)


def tokenize(text: str) -> Doc:
    """Split `text` into tokens with original offsets and sentence numbers."""
    norm = normalize(text)
    doc = Doc(text, norm)
    sentence, at_start = 0, True
    identity = norm.text is text
    for m in _PATTERN.finditer(norm.text):
        group = m.lastgroup
        if group == "space":
            if "\n" in m.group():
                if not at_start:
                    sentence += 1
                at_start = True
            continue
        s = m.group()
        if group == "chunk":
            s = s.translate(LOOKALIKES)
            kind = _classify_chunk(s)
        else:
            kind = _GROUP_KIND.get(group, PUNCT)
            if kind is PUNCT and not (s in "\"'“”‘’()[]{}«»,.;:!?…-–—/%&*+=<>|~^#@$\\_`" or s == "..."):
                kind = OTHER
        if kind is CODE and s.islower() and not any(c.isdigit() for c in s):
            # "đợt/tháng", "bla-bla": words joined by a slash or hyphen, not a code.
            for sub in re.finditer(rf"[{_L}]+|[-/]", s):
                a, b = norm.span(m.start() + sub.start(), m.start() + sub.end())
                w = sub.group()
                k = PUNCT if w in "-/" else SYLLABLE
                t = Token(a, b, text[a:b], w, k, sentence, False)
                if k is SYLLABLE:
                    t.valid = parse(w) is not None
                    if not t.valid and w.isascii():
                        t.kind = FOREIGN
                doc.tokens.append(t)
            at_start = False
            continue
        if identity:
            start, end = m.span()
            tok = Token(start, end, m.group(), s, kind, sentence, at_start and kind is not PUNCT)
        else:
            start, end = norm.span(m.start(), m.end())
            tok = Token(start, end, text[start:end], s, kind, sentence, at_start and kind is not PUNCT)
        if kind is not SYLLABLE and s[1:] != s[1:].lower() and (fixes := shift_slip(s)):
            kind = tok.kind = SYLLABLE   # a Shift slip: checked, never a name or acronym
            tok.shift = fixes
        if kind is SYLLABLE:
            low = s.lower()
            tok.valid = parse(low) is not None and not tok.shift
            if s[0].isupper() and not at_start:
                tok.kind = NAME
            elif not tok.valid and low.isascii():
                tok.kind = FOREIGN
        doc.tokens.append(tok)
        if kind is not PUNCT and kind is not OTHER:
            at_start = False  # opening quotes and brackets keep the sentence start
        if kind is PUNCT and s in _SENTENCE_END:
            sentence += 1
            at_start = True
    return doc
