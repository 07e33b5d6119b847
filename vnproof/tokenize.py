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
# Every non-space character starts a token, so the matches tile the text: `tokenize` reads them
# with `findall` (a tuple of strings each, group `ws` first) and counts offsets from the
# lengths, instead of making a match object and calling its methods per token.
_TOKEN = rf"""
    (?P<ws>(?:[^\S\n]*+(?P<nl>\n))?+\s*+)
    (?:{{url}}
    (?P<date>(?<![\d/-])\d{{{{1,2}}}}[-/.]\d{{{{1,2}}}}[-/.](?:19|20)\d{{{{2}}}}(?![\d/])
        |(?<![\d/-])(?:0?[1-9]|1[0-2])/(?:19|20)\d{{{{2}}}}(?![\d/]))
   |(?P<chunk>[{_L}\d]+(?:[-/][{_L}\d]+)*(?:[.,][\d]+)*%?)
   |(?P<cjk>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+)
   |(?P<punct>\.\.\.|…|[^\s{_L}\d])
   |\Z)
    """


@lru_cache(maxsize=4)
def _pattern(web: bool, email: bool) -> tuple[re.Pattern, tuple[str, ...]]:
    """The token pattern, without the URL alternatives a text cannot match (no "://" or "www.",
    no "@": dropping an alternative that never matches changes no match, and the e-mail one
    backtracked over every word), and its group names in the order of `findall`'s tuples."""
    url = "|".join(alt for alt, on in ((_WEB, web), (_EMAIL, email)) if on)
    pattern = re.compile(_TOKEN.format(url=f"(?P<url>{url})|" if url else ""), re.VERBOSE)
    names = [""] * pattern.groups
    for name, i in pattern.groupindex.items():
        names[i - 1] = name
    return pattern, tuple(names)


def token_pattern(text: str) -> tuple[re.Pattern, tuple[str, ...]]:
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


# The pieces of a chunk of words joined by "-" or "/" ("đợt/tháng", "bla-bla").
_SUBWORD = re.compile(rf"[{_L}]+|[-/]")


@lru_cache(maxsize=100_000)
def _chunk(s: str) -> tuple[Kind, Kind, bool, tuple[str, ...], bool]:
    """All `tokenize` needs of a letter/digit chunk, computed once per distinct chunk: its
    token's kind at a sentence start and inside a sentence, whether it is a valid syllable,
    its Shift-slip fixes, and whether it is words joined by "-" or "/" (split into tokens)."""
    kind = _classify_chunk(s)
    if kind is not SYLLABLE:
        fixes = shift_slip(s) if s[1:] != s[1:].lower() else ()
        if not fixes:
            # "đợt/tháng", "bla-bla": words joined by a slash or hyphen, not a code.
            return kind, kind, False, (), kind is CODE and s.islower() and not any(c.isdigit() for c in s)
        # a Shift slip: checked, never a name or acronym
        valid = False
    else:
        fixes = ()
        valid = parse(s.lower()) is not None
    start = FOREIGN if not valid and s.lower().isascii() else SYLLABLE
    return start, NAME if s[0].isupper() else start, valid, fixes, False


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
    # Positions in findall's tuples: 0 is the whitespace, 1 its line break.
    chunk, punct = names.index("chunk"), names.index("punct")
    others = [(i, _GROUP_KIND[name]) for i, name in enumerate(names) if name in _GROUP_KIND]
    end = 0   # where the last match ended: the matches tile `t`
    for g in pattern.findall(t):
        ws = g[0]
        if ws:
            if g[1]:   # the whitespace before the token held a line break
                if not at_start:
                    sentence += 1
                at_start = True
            end += len(ws)
        start = end
        s = g[chunk]
        if s:
            end += len(s)
            raw = s
            if lookalike:
                s = s.translate(LOOKALIKES)
            kind, inside, valid, fixes, split = _chunk(s)
            if split:
                for sub in _SUBWORD.finditer(s):
                    a, b = norm.span(start + sub.start(), start + sub.end())
                    w = sub.group()
                    k = PUNCT if w in "-/" else SYLLABLE
                    tok = Token(a, b, text[a:b], w, k, sentence, False)
                    if k is SYLLABLE:
                        tok.valid = parse(w) is not None
                        if not tok.valid and w.isascii():
                            tok.kind = FOREIGN
                    tokens.append(tok)
            elif identity:
                tokens.append(Token(start, end, raw, s, kind if at_start else inside, sentence, at_start,
                                    valid, fixes))
            else:
                a, b = norm.span(start, end)
                tokens.append(Token(a, b, text[a:b], s, kind if at_start else inside, sentence, at_start,
                                    valid, fixes))
            at_start = False
            continue
        s = g[punct]
        if s:
            kind = PUNCT if s in "\"'“”‘’()[]{}«»,.;:!?…-–—/%&*+=<>|~^#@$\\_`" or s == "..." else OTHER
        else:
            for i, kind in others:   # url, date, cjk
                s = g[i]
                if s:
                    break
            else:
                continue   # whitespace at the end of the text
        end += len(s)
        if identity:
            tok = Token(start, end, s, s, kind, sentence, at_start and kind is not PUNCT)
        else:
            a, b = norm.span(start, end)
            tok = Token(a, b, text[a:b], s, kind, sentence, at_start and kind is not PUNCT)
        tokens.append(tok)
        if kind is PUNCT:
            if s in _SENTENCE_END:
                sentence += 1
                at_start = True
        elif kind is not OTHER:
            at_start = False  # opening quotes and brackets keep the sentence start
    return doc
