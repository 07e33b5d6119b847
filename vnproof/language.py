"""Which passages of a text are Vietnamese: a share of valid, marked syllables per paragraph.

Vietnamese prose has diacritics on most syllables and almost every word is a well-formed
syllable; English, French or German prose has neither. That is enough to tell a Vietnamese
paragraph from a foreign one without a model. A foreign passage is named English when its
function words say so, else "Unknown" (LanguageTool's code for that is `zz`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def _words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


def detect(text: str) -> Language:
    """The language of `text` (an empty or wordless text counts as Vietnamese, confidence 0)."""
    return _detect_words(_words(text))


def _detect_words(words: list[str]) -> Language:
    """`detect` of a text whose `_words` are these."""
    if not words:
        return Language(VIETNAMESE, NAMES[VIETNAMESE], 0.0)
    n = len(words)
    marked = sum(1 for w in words if has_vietnamese_marks(w)) / n
    english = sum(1 for w in words if w in _ENGLISH) / n
    if english >= ENGLISH_SHARE and english > marked:
        return Language("en-US", NAMES["en-US"], round(min(1.0, 2 * english), 2))
    if marked >= MARKED_SHARE:
        return Language(VIETNAMESE, NAMES[VIETNAMESE], round(min(1.0, 2 * marked), 2))
    if sum(1 for w in words if parse_loose(w) is not None) >= VALID_SHARE * n:   # Vietnamese typed without marks ("Ong ay bao toi di hop")
        return Language(VIETNAMESE, NAMES[VIETNAMESE], 0.5)
    return Language("zz", NAMES["zz"], round(1.0 - marked, 2))


def foreign_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the paragraphs (lines) that are not Vietnamese.

    A paragraph of fewer than `MIN_WORDS` words is too short to judge and follows the text.
    """
    whole = None   # the whole text's language, when a paragraph is too short to judge
    out = []
    for m in PARAGRAPH.finditer(text):
        words = _words(m.group())
        if len(words) >= MIN_WORDS:
            lang = _detect_words(words)
        else:
            lang = whole = whole or detect(text)
        if not lang.vietnamese:
            out.append((m.start(), m.end()))
    return out


def without_foreign_spelling(text: str, issues: list[Issue]) -> list[Issue]:
    """`issues` less the spelling ones inside paragraphs that are not Vietnamese."""
    if not any(i.category == "spelling" for i in issues):
        return issues   # nothing to drop: spare the detection
    spans = foreign_spans(text)
    if not spans:
        return issues
    return [i for i in issues if i.category != "spelling"
            or not any(a <= i.offset and i.end <= b for a, b in spans)]
