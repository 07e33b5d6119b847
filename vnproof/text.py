"""Text layer: NFC normalisation with a map back to original offsets, and tone-style keys.

The user's text never changes. `normalize()` returns an NFC copy plus, for each code point of
the copy, the offset in the original it came from, so issues found on the normal form are
reported at original offsets.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from dataclasses import dataclass

# Vietnamese tone marks as combining characters, in the order: huyền, sắc, hỏi, ngã, nặng.
TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
TONE_BY_NUMBER = {v: k for k, v in TONE_MARKS.items()}
# 0 = ngang (no mark). Names used in messages.
TONE_NAMES = ["ngang", "huyền", "sắc", "hỏi", "ngã", "nặng"]

_BASE_CACHE: dict[str, tuple[str, int]] = {}


class _Identity(Sequence):
    """The offset map of a text that normalisation left unchanged: i -> i + shift."""

    __slots__ = ("n", "shift")

    def __init__(self, n: int, shift: int):
        self.n, self.shift = n, shift

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [j + self.shift for j in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return (i % self.n) + self.shift

    def __iter__(self):
        return iter(range(self.shift, self.n + self.shift))


@dataclass(frozen=True, slots=True)
class Normalized:
    """An NFC view of a text: `text[i]` came from `original[starts[i]:ends[i]]`."""

    original: str
    text: str
    starts: list[int] | _Identity
    ends: list[int] | _Identity

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normal form back to the original text."""
        if self.text is self.original:         # normalisation changed nothing: offsets coincide
            start = min(start, len(self.original))
            return start, max(start, min(end, len(self.original)))
        if start >= end:
            pos = self.starts[start] if start < len(self.text) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize(original: str) -> Normalized:
    """NFC-normalise `original`, keeping the offset map. CRLF and lone CR become LF.

    Combining sequences are composed cluster by cluster, so every output character maps to a
    contiguous original span.
    """
    if "\r" not in original and (original.isascii() or unicodedata.is_normalized("NFC", original)):
        n = len(original)
        return Normalized(original, original, _Identity(n, 0), _Identity(n, 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(original)
    while i < n:
        ch = original[i]
        if ch == "\r":
            j = i + 2 if i + 1 < n and original[i + 1] == "\n" else i + 1
            out.append("\n")
            starts.append(i)
            ends.append(j)
            i = j
            continue
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        cluster = original[i:j]
        norm = unicodedata.normalize("NFC", cluster) if (j - i > 1 or not ch.isascii()) else cluster
        for c in norm:
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    return Normalized(original, "".join(out), starts, ends)


def split_tone(syllable: str) -> tuple[str, int]:
    """Return (syllable without its tone mark, tone number 0-5). Other diacritics stay."""
    hit = _BASE_CACHE.get(syllable)
    if hit is not None:
        return hit
    tone = 0
    chars = []
    for ch in unicodedata.normalize("NFD", syllable):
        t = TONE_MARKS.get(ch)
        if t is not None:
            tone = t
        else:
            chars.append(ch)
    res = (unicodedata.normalize("NFC", "".join(chars)), tone)
    if len(_BASE_CACHE) < 200_000:
        _BASE_CACHE[syllable] = res
    return res


def strip_diacritics(s: str) -> str:
    """Remove every diacritic and map đ to d: 'Nguyễn Đức' -> 'Nguyen Duc'."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("đ", "d").replace("Đ", "D")


_MARKED = frozenset(
    c for c in (chr(i) for i in range(0xC0, 0x1FFF))
    if unicodedata.normalize("NFD", c)[0].lower() in "aeiouyd" and c.isalpha()
    and unicodedata.normalize("NFD", c) != c
) | {"đ", "Đ"}


_VOWEL_FORMS = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = frozenset(
    "bcdđghklmnpqrstvxfjwz"
    + "".join(unicodedata.normalize("NFC", v + t) for v in _VOWEL_FORMS for t in ("", *TONE_MARKS))
)
VIETNAMESE_LETTERS = VIETNAMESE_LETTERS | frozenset(c.upper() for c in VIETNAMESE_LETTERS)
# Look-alike letters folded for checking (never changed in the user's text): Icelandic eth for Đ.
LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})


def is_vietnamese_letters(s: str) -> bool:
    """True when every letter of `s` belongs to the Vietnamese (Latin) alphabet."""
    return s.isascii() or all(c in VIETNAMESE_LETTERS for c in s)


@lru_cache(maxsize=200_000)
def has_vietnamese_marks(s: str) -> bool:
    """True when `s` carries a Vietnamese diacritic (tone, â ă ê ô ơ ư or đ)."""
    return not s.isascii() and any(c in _MARKED for c in s)


@lru_cache(maxsize=300_000)
def tone_key(syllable: str) -> str:
    """A key shared by the old ('hoá', 'thuỷ') and new ('hóa', 'thủy') tone placements.

    It is the lower-case toneless syllable followed by the tone digit: 'hóa', 'hoá' -> 'hoa2'.
    """
    base, tone = split_tone(syllable.lower())
    return f"{base}{tone}"


def match_case(new: str, like: str) -> str:
    """Give `new` the capitalisation pattern of `like` (lower, Title or UPPER)."""
    if like.isupper() and len(like) > 1:
        return new.upper()
    if like[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
