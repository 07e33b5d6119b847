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


class Token:
    """One token. `start`/`end` index the original text; `norm` is its NFC form.

    A plain class with `__slots__` and a positional `__init__`, compared and printed as the
    dataclass it was: one is made per token, and a dataclass's generated `__init__` is Python
    code the compiled core cannot compile (a quarter of `tokenize`'s time)."""

    __slots__ = ("start", "end", "text", "norm", "kind", "sentence", "sentence_start", "valid", "shift")
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, text: str, norm: str, kind: Kind, sentence: int = 0,
                 sentence_start: bool = False, valid: bool = False, shift: tuple[str, ...] = ()):
        self.start = start
        self.end = end
        self.text = text
        self.norm = norm
        self.kind = kind
        self.sentence = sentence
        self.sentence_start = sentence_start   # first word of its sentence
        self.valid = valid                     # a well-formed Vietnamese syllable (lower-cased)
        self.shift = shift                     # a Shift slip ("chíUnh", "nGười"): the syllables it may be

    def _fields(self) -> tuple:
        return (self.start, self.end, self.text, self.norm, self.kind, self.sentence,
                self.sentence_start, self.valid, self.shift)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None   # mutable, as the dataclass was

    def __repr__(self) -> str:
        return "Token(" + ", ".join(f"{k}={v!r}" for k, v in zip(self.__slots__, self._fields())) + ")"

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
        """The tokens in runs of one sentence number."""
        out: list[list[Token]] = []
        run: list[Token] = []
        current = None   # the sentence number of `run`: one attribute read per token
        for t in self.tokens:
            n = t.sentence
            if n != current:
                current = n
                run = []
                out.append(run)
            run.append(t)
        return out


_L = r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_WEB = r"""(?:https?://|www\.)[^\s<>"'“”]+[^\s<>"'“”.,;:!?)\]]"""
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Each match is one token with the whitespace before it: a run of whitespace is consumed in
# front of the next token (group `nl` says whether it held a line break) instead of being a
# match of its own, which cost a loop turn for every space. The quantifiers are possessive and
# `\Z` ends the text, so no run is ever scanned twice from two start positions (linear time).
_TOKEN = rf"""
    (?:[^\S\n]*+(?P<nl>\n))?+\s*+
    (?:{{url}}
    (?P<date>(?<![\d/-])\d{{{{1,2}}}}[-/.]\d{{{{1,2}}}}[-/.](?:19|20)\d{{{{2}}}}(?![\d/])
        |(?<![\d/-])(?:0?[1-9]|1[0-2])/(?:19|20)\d{{{{2}}}}(?![\d/]))
   |(?P<chunk>[{_L}\d]+(?:[-/][{_L}\d]+)*(?:[.,][\d]+)*%?)
   |(?P<cjk>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+)
   |(?P<punct>\.\.\.|…|[^\s{_L}\d])
   |\Z)
    """


@lru_cache(maxsize=4)
def _pattern(web: bool, email: bool) -> tuple[re.Pattern, tuple[str | None, ...]]:
    """The token pattern, without the URL alternatives a text cannot match (no "://" or "www.",
    no "@": dropping an alternative that never matches changes no match, and the e-mail one
    backtracked over every word), and its group names by index."""
    url = "|".join(alt for alt, on in ((_WEB, web), (_EMAIL, email)) if on)
    pattern = re.compile(_TOKEN.format(url=f"(?P<url>{url})|" if url else ""), re.VERBOSE)
    names: list[str | None] = [None] * (pattern.groups + 1)
    for name, i in pattern.groupindex.items():
        names[i] = name
    return pattern, tuple(names)


def token_pattern(text: str) -> tuple[re.Pattern, tuple[str | None, ...]]:
    """The pattern `tokenize` runs on the (normalized) `text`."""
    return _pattern("://" in text or "www." in text, "@" in text)


_SENTENCE_END = {".", "!", "?", "…", "..."}
_GROUP_KIND = {"url": URL, "date": DATE, "cjk": CJK}


def _classify_chunk(s: str) -> Kind:
    """A letter/digit chunk's kind (cached through `_chunk`)."""
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


@lru_cache(maxsize=100_000)
def _chunk(s: str) -> tuple[Kind, bool]:
    """A letter/digit chunk's kind, and for a syllable whether its lower case parses."""
    kind = _classify_chunk(s)
    return kind, kind is SYLLABLE and parse(s.lower()) is not None


def tokenize(text: str) -> Doc:
    """Split `text` into tokens with original offsets and sentence numbers."""
    norm = normalize(text)
    doc = Doc(text, norm)
    tokens = doc.tokens
    sentence, at_start = 0, True
    t = norm.text
    identity = t is text
    lookalike = "Ð" in t or "ð" in t
    pattern, names = token_pattern(t)
    for m in pattern.finditer(t):
        if m.start(1) >= 0:   # the whitespace before the token held a line break
            if not at_start:
                sentence += 1
            at_start = True
        i = m.lastindex
        group = names[i] if i is not None else None
        if group is None or group == "nl":
            continue   # whitespace at the end of the text
        s = m.group(i)
        valid = False
        if group == "chunk":
            if lookalike:
                s = s.translate(LOOKALIKES)
            kind, valid = _chunk(s)
        else:
            kind = _GROUP_KIND.get(group, PUNCT)
            if kind is PUNCT and not (s in "\"'“”‘’()[]{}«»,.;:!?…-–—/%&*+=<>|~^#@$\\_`" or s == "..."):
                kind = OTHER
        if kind is CODE and s.islower() and not any(c.isdigit() for c in s):
            # "đợt/tháng", "bla-bla": words joined by a slash or hyphen, not a code.
            at = m.start(i)
            for sub in re.finditer(rf"[{_L}]+|[-/]", s):
                a, b = norm.span(at + sub.start(), at + sub.end())
                w = sub.group()
                k = PUNCT if w in "-/" else SYLLABLE
                tok = Token(a, b, text[a:b], w, k, sentence, False)
                if k is SYLLABLE:
                    tok.valid = parse(w) is not None
                    if not tok.valid and w.isascii():
                        tok.kind = FOREIGN
                tokens.append(tok)
            at_start = False
            continue
        start, end = m.span(i)
        if identity:
            tok = Token(start, end, s if not lookalike else t[start:end], s, kind, sentence,
                        at_start and kind is not PUNCT)
        else:
            start, end = norm.span(start, end)
            tok = Token(start, end, text[start:end], s, kind, sentence, at_start and kind is not PUNCT)
        if kind is not SYLLABLE and s[1:] != s[1:].lower() and (fixes := shift_slip(s)):
            kind = tok.kind = SYLLABLE   # a Shift slip: checked, never a name or acronym
            tok.shift = fixes
            valid = False
        elif kind is SYLLABLE:
            tok.valid = valid
        if kind is SYLLABLE:
            if s[0].isupper() and not at_start:
                tok.kind = NAME
            elif not valid and s.lower().isascii():
                tok.kind = FOREIGN
        tokens.append(tok)
        if kind is not PUNCT and kind is not OTHER:
            at_start = False  # opening quotes and brackets keep the sentence start
        if kind is PUNCT and s in _SENTENCE_END:
            sentence += 1
            at_start = True
    return doc
