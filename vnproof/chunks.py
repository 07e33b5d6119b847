"""Long texts are checked part by part, so memory stays bounded whatever the input size.

`parts()` cuts a text at paragraph breaks into pieces of at most `CHUNK_CHARS` characters (a
longer paragraph at a sentence end, else at a space); `shift()` moves a part's issues back to
offsets in the whole text. Texts up to `CHUNK_CHARS` are one part, so their results are exactly
those of a single pass; in longer ones, document-level evidence (repeated pairs, consistency of
tone style, i/y and dates, abbreviations spelled out earlier) is gathered per part.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from .issues import Issue

CHUNK_CHARS = 200_000
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+")


def parts(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, part) pairs whose parts, joined, are `text`; each at most `size` characters
    (default `CHUNK_CHARS`)."""
    size = size or CHUNK_CHARS
    n, start = len(text), 0
    while n - start > size:
        end = _cut(text, start, start + size)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def _cut(text: str, lo: int, hi: int) -> int:
    """The best place to end a part that starts at `lo` and may not pass `hi`: after a line
    break, else after a sentence end, else after a space; never between a letter and its
    combining marks, nor inside a CRLF."""
    floor = lo + (hi - lo) // 2           # never a part shorter than half the size
    k = text.rfind("\n", floor, hi)
    end = k + 1 if k >= 0 else None
    if end is None:
        for m in _SENTENCE_END.finditer(text, floor, hi):
            end = m.end()
    if end is None:
        k = max(text.rfind(" ", floor, hi), text.rfind("\t", floor, hi))
        end = k + 1 if k >= 0 else hi
    while end > lo + 1 and (unicodedata.combining(text[end]) or text[end - 1] == "\r" and text[end] == "\n"):
        end -= 1
    return end


def shift(issues: list[Issue], offset: int) -> list[Issue]:
    """Issues of a part that starts at `offset`, with offsets into the whole text."""
    if not offset:
        return issues
    return [replace(i, offset=i.offset + offset) for i in issues]
