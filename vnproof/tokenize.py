"""Tokenizer: tokens with a kind and offsets into the user's original text, plus sentences.

Only `SYLLABLE` tokens are spell-checked. Names, acronyms, numbers, dates, document codes,
URLs, foreign words and CJK are kept as context and never "corrected" into common words.
"""
from __future__ import annotations

import re
import types
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
    code the compiled core cannot compile (a quarter of `tokenize`'s time). Compiled, it is an
    extension type with the same fields (tokenize.pxd)."""

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



def require_token_type(module: str, compiled: bool) -> None:
    """For a module compiled against the extension type `Token` (tokenize.pxd), whose fields it
    reads as C fields: ImportError when tokenize's .py is in use instead (edited, not built), so
    that the module runs from its own .py too (`vnproof._impl` falls back on it)."""
    if compiled and isinstance(Token.__init__, types.FunctionType):
        raise ImportError(f"{module} is compiled against the compiled vnproof.tokenize, which is not in use")

@dataclass(slots=True)
class Doc:
    """A tokenized text. `text` is the original input, unchanged."""

    text: str
    normalized: Normalized
    tokens: list[Token] = field(default_factory=list)

    def sentences(self) -> list[list[Token]]:
        """The tokens in runs of one sentence number."""
        return _sentence_runs(self.tokens)


def _sentence_runs(tokens: list[Token]) -> list[list[Token]]:
    """`Doc.sentences`: a module function, so that the compiled core reads the tokens' C
    fields (tokenize.pxd); a dataclass's method cannot be declared there."""
    out: list[list[Token]] = []
    run: list[Token] = []
    current = None   # the sentence number of `run`: one attribute read per token
    for t in tokens:
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


# The text is cut at " " and "\n" into pieces and each piece is tokenized alone. No token
# spans whitespace (url, e-mail, date, chunk, cjk and punct match none, and `ws` only eats the
# whitespace in front of a token), and the lookbehinds and lookaheads at a piece's ends see
# whitespace in the text where they see its end in the piece, which passes them all: a piece's
# tokens are those `_TOKEN` finds in the text there. Other whitespace (\t, \xa0, \u2028, ...)
# stays inside a piece, where `ws` eats it as before; "\n" is the only line break (`nl`), and
# `normalize` made \r one. Most pieces recur (a word, a word and its comma), so a piece's tokens
# are computed once for each state it can start in (`at_start` or not) and replayed from
# `_RUNS`: the regex engine, tested char class by char class, was half of `tokenize`'s time.
# Bounded: a piece over `_PIECE_MAX` chars (0.02% of news pieces) or `_RUN_TOKENS` tokens is not
# kept, and a dict that reaches `_RUNS_MAX` entries is emptied: about 400 bytes an entry on news,
# 1 kB at worst (four tokens, Ð letters), so some 7 MB for both dicts, 32 MB at most. Linear:
# a piece costs what its characters did before, once per piece, and hits cost one dict lookup.
_PIECE_MAX = 16
_RUN_TOKENS = 4
_RUNS_MAX = 16_384
_RUNS: tuple[dict, dict] = ({}, {})   # [at_start]: piece -> (tokens, at_start after, sentences)
_GROUPS: dict[tuple[str, ...], tuple] = {}   # a pattern's group names -> chunk, punct, the others
_WORD = re.compile(rf"[{_L}\d]+").fullmatch   # `chunk`'s characters only


def _run(piece: str, at_start: bool) -> tuple[tuple[tuple, ...], bool, int]:
    """The tokens of a piece of text with no " " or "\n", when it starts in state `at_start`:
    (start, end, text, norm, kind, sentence, sentence_start, valid, shift) tuples with offsets
    and sentence numbers relative to the piece, the state after it, and its sentence ends."""
    lookalike = "Ð" in piece or "ð" in piece
    if _WORD(piece) is not None:
        # One letter/digit chunk (most pieces): no other alternative can match it, and `chunk`
        # takes it whole.
        s = piece.translate(LOOKALIKES) if lookalike else piece
        kind, inside, valid, fixes, split = _chunk(s)
        if not split:
            return ((0, len(piece), piece, s, kind if at_start else inside, 0, at_start, valid, fixes),), False, 0
    out = []
    sentence = 0
    pattern, names = token_pattern(piece)
    groups = _GROUPS.get(names)
    if groups is None:
        # Positions in findall's tuples: 0 is the whitespace, 1 its line break (never, here).
        groups = _GROUPS[names] = (names.index("chunk"), names.index("punct"), tuple(
            (i, _GROUP_KIND[name]) for i, name in enumerate(names) if name in _GROUP_KIND))
    chunk, punct, others = groups
    end = 0   # where the last match ended: the matches tile `piece`
    for g in pattern.findall(piece):
        end += len(g[0])
        start = end
        s = g[chunk]
        if s:
            end += len(s)
            raw = s if end - start < len(piece) else piece   # the piece itself: one string kept
            s = s.translate(LOOKALIKES) if lookalike else raw
            kind, inside, valid, fixes, split = _chunk(s)
            if split:
                for sub in _SUBWORD.finditer(s):
                    a, b = start + sub.start(), start + sub.end()
                    w = sub.group()
                    k = PUNCT if w in "-/" else SYLLABLE
                    ok = False
                    if k is SYLLABLE:
                        ok = parse(w) is not None
                        if not ok and w.isascii():
                            k = FOREIGN
                    out.append((a, b, raw[a - start:b - start], w, k, sentence, False, ok, ()))
            else:
                out.append((start, end, raw, s, kind if at_start else inside, sentence, at_start, valid, fixes))
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
                continue   # whitespace at the end of the piece
        end += len(s)
        out.append((start, end, s, s, kind, sentence, at_start and kind is not PUNCT, False, ()))
        if kind is PUNCT:
            if s in _SENTENCE_END:
                sentence += 1
                at_start = True
        elif kind is not OTHER:
            at_start = False  # opening quotes and brackets keep the sentence start
    return tuple(out), at_start, sentence


def tokenize(text: str) -> Doc:
    """Split `text` into tokens with original offsets and sentence numbers."""
    norm = normalize(text)
    doc = Doc(text, norm)
    tokens = doc.tokens
    sentence, at_start = 0, True
    t = norm.text
    identity = t is text
    inside, starting = _RUNS   # runs[at_start], read as two locals
    new = Token.__new__   # object.__new__ refuses an extension type (compiled: tokenize.pxd)
    pos = 0          # where the current piece starts in `t`
    first = True
    for line in t.split("\n"):
        if first:
            first = False
        elif not at_start:   # a line break starts a sentence
            sentence += 1
            at_start = True
        for piece in line.split(" "):
            n = len(piece)
            if n:
                cache = starting if at_start else inside
                run = cache.get(piece)
                if run is None:
                    run = _run(piece, at_start)
                    if n <= _PIECE_MAX and len(run[0]) <= _RUN_TOKENS:
                        if len(cache) >= _RUNS_MAX:
                            cache.clear()
                        cache[piece] = run
                found, at_start, ends = run
                if identity:
                    # Token's fields stored here, not through Token(...): the call to __init__
                    # was a fifth of the time left per token (the stores themselves are the rest).
                    for a, b, s, w, kind, k, first_word, valid, fixes in found:
                        tok = new(Token)
                        tok.start = pos + a
                        tok.end = pos + b
                        tok.text = s
                        tok.norm = w
                        tok.kind = kind
                        tok.sentence = sentence + k
                        tok.sentence_start = first_word
                        tok.valid = valid
                        tok.shift = fixes
                        tokens.append(tok)
                else:
                    for a, b, s, w, kind, k, first_word, valid, fixes in found:
                        a, b = norm.span(pos + a, pos + b)
                        tokens.append(Token(a, b, text[a:b], w, kind, sentence + k, first_word, valid, fixes))
                sentence += ends
            pos += n + 1
    return doc
