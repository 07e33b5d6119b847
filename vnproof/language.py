"""Which passages of a text are Vietnamese: a share of valid, marked syllables per paragraph.

Vietnamese prose has diacritics on most syllables and almost every word is a well-formed
syllable; English, French or German prose has neither. That is enough to tell a Vietnamese
paragraph from a foreign one without a model. A foreign passage is named English when its
function words say so, else "Unknown" (LanguageTool's code for that is `zz`).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .issues import Issue
from .syllable import parse_loose
from .text import has_vietnamese_marks

WORD = re.compile(r"[^\W\d_]+")
PARAGRAPH = re.compile(r"[^\n]+")
MIN_WORDS = 4            # shorter paragraphs follow the whole text's language
MARKED_SHARE = 0.15      # Vietnamese prose: ~60-80 % of words carry a mark, even among names
VALID_SHARE = 0.9        # unmarked Vietnamese: nearly every word is a well-formed syllable
ENGLISH_SHARE = 0.12     # English prose: ~40 % of words are among these
_ENGLISH = frozenset("""the of and to in is that for it with as was on are be by this from at or
an not have has had were which their they you we he she his her its been will would can
there what about more when who also than into other only new said after""".split())


@dataclass(frozen=True, slots=True)
class Language:
    """A detected language, in LanguageTool's terms."""

    code: str           # "vi-VN", "en-US", "zz"
    name: str
    confidence: float

    @property
    def vietnamese(self) -> bool:
        return self.code == "vi-VN"


VIETNAMESE = "vi-VN"
NAMES = {"vi-VN": "Vietnamese", "en-US": "English (US)", "zz": "Unknown"}


# Characters that end words in running text; stripped before the fast path of `_words`.
_EDGE_PUNCT = "\"'“”‘’()[]{}«».,;:!?…-–—/%&*+=<>|~^#@$\\`"


def _words(text: str) -> list[str]:
    """`WORD.findall` of the NFC lower-case `text`, per whitespace-separated chunk.

    A chunk whose letters stand together once edge punctuation is stripped is one word; the
    regex, 50 ns a character, only sees the other chunks (words never span whitespace).
    """
    out: list[str] = []
    findall = WORD.findall
    for chunk in unicodedata.normalize("NFC", text).lower().split():
        if chunk.isalpha():
            out.append(chunk)
            continue
        core = chunk.strip(_EDGE_PUNCT)
        if core.isalpha():
            out.append(core)
        elif core:
            out.extend(findall(core))
    return out


def detect(text: str) -> Language:
    """The language of `text` (an empty or wordless text counts as Vietnamese, confidence 0)."""
    return _detect_words(_words(text))


def _detect_words(words: list[str]) -> Language:
    """`detect` of a text whose `_words` are these."""
    return _decide(_counts(words), lambda: _valid_count(words))


def word_counts(text: str) -> tuple[int, int, int]:
    """What `detect` counts in `text`: (words, marked words, English function words). The counts
    of a text are the sums of its lines' (NFC and lower() never act across a line break and no
    word spans one), so a caller can keep them per line and `detect_counted` an edited text."""
    return _counts(_words(text))


def detect_counted(text: str, counts: tuple[int, int, int]) -> Language:
    """`detect(text)` from `word_counts(text)` (or its lines' summed): `text` is read again only
    for a text with few marked words, whose well-formed syllables decide."""
    return _decide(counts, lambda: _valid_count(_words(text)))


def _counts(words: list[str]) -> tuple[int, int, int]:
    marked_n = english_n = 0
    for w in words:   # one loop, no generators: this runs over every word of every text
        if w in _ENGLISH:
            english_n += 1
        if not w.isascii() and _marked(w):
            marked_n += 1
    return len(words), marked_n, english_n


def _decide(counts: tuple[int, int, int], valid: Callable[[], int]) -> Language:
    """The language of words so counted; `valid()` counts their well-formed syllables when needed."""
    n, marked_n, english_n = counts
    if not n:
        return Language(VIETNAMESE, NAMES[VIETNAMESE], 0.0)
    marked = marked_n / n
    english = english_n / n
    if english >= ENGLISH_SHARE and english > marked:
        return Language("en-US", NAMES["en-US"], round(min(1.0, 2 * english), 2))
    if marked >= MARKED_SHARE:
        return Language(VIETNAMESE, NAMES[VIETNAMESE], round(min(1.0, 2 * marked), 2))
    if valid() >= VALID_SHARE * n:   # Vietnamese typed without marks ("Ong ay bao toi di hop")
        return Language(VIETNAMESE, NAMES[VIETNAMESE], 0.5)
    return Language("zz", NAMES["zz"], round(1.0 - marked, 2))


@lru_cache(maxsize=100_000)
def _marked(word: str) -> bool:
    return has_vietnamese_marks(word)


def _valid_count(words: list[str]) -> int:
    n = 0
    for w in words:
        if parse_loose(w) is not None:
            n += 1
    return n


def foreign_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the paragraphs (lines) that are not Vietnamese.

    A paragraph of fewer than `MIN_WORDS` words is too short to judge and follows the text.
    """
    return _foreign_spans(text, None)


def _foreign_spans(text: str, spots: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """`foreign_spans(text)`; given `spots` ((offset, end) pairs), only its spans that hold one.

    Only the paragraphs holding a spot are judged (a spelling issue lies in one paragraph at
    most: they are disjoint), and the whole text only when one of them is too short: most
    paragraphs of a check have no spelling issue, and judging them was wasted.
    """
    paragraphs = list(PARAGRAPH.finditer(text))
    judge = range(len(paragraphs))
    if spots is not None and all(o <= e for o, e in spots):
        # The paragraph that may hold [o, e): the last one starting at or before o (one ending
        # before o holds only spans with e < o, which fall back to judging every paragraph).
        starts = [m.start() for m in paragraphs]
        held = set()
        for o, e in spots:
            k = bisect_right(starts, o) - 1
            if k >= 0 and e <= paragraphs[k].end():
                held.add(k)
        judge = sorted(held)
    words: list[list[str] | None] = [None] * len(paragraphs)
    whole = None   # the whole text's language, when a paragraph is too short to judge
    out = []
    for k in judge:
        m = paragraphs[k]
        ws = words[k]
        if ws is None:
            ws = words[k] = _words(m.group())
        if len(ws) >= MIN_WORDS:
            vietnamese = _detect_words(ws).vietnamese
        else:
            if whole is None:
                # NFC and lower() never act across a newline, and no word spans one: the
                # text's words are its paragraphs' words (`detect(text)` without a second pass).
                every = []
                for j, p in enumerate(paragraphs):
                    pw = words[j]
                    if pw is None:
                        pw = words[j] = _words(p.group())
                    every.extend(pw)
                whole = _detect_words(every).vietnamese
            vietnamese = whole
        if not vietnamese:
            out.append((m.start(), m.end()))
    return out


def without_foreign_spelling(text: str, issues: list[Issue]) -> list[Issue]:
    """`issues` less the spelling ones inside paragraphs that are not Vietnamese."""
    spots = [(i.offset, i.end) for i in issues if i.category == "spelling"]
    if not spots:
        return issues   # nothing to drop: spare the detection
    spans = _foreign_spans(text, spots)   # only the paragraphs that hold a spelling issue
    if not spans:
        return issues
    return [i for i in issues if i.category != "spelling"
            or not any(a <= i.offset and i.end <= b for a, b in spans)]
