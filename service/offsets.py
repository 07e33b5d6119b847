"""Offsets for the outside world: the library counts code points, JavaScript and LanguageTool count
UTF-16 code units. Conversions live here and only here."""
from __future__ import annotations

import re
from bisect import bisect_left

# A character outside the BMP (two UTF-16 units), found by the regex engine: a per-character
# Python loop over the text was most of the LanguageTool answer's time once checks came from the
# result cache (BENCHMARKS.md §16).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Map:
    """Code-point index -> UTF-16 index for one text (O(log n) per lookup, O(1) for BMP-only text)."""

    __slots__ = ("_astral",)

    def __init__(self, text: str):
        # Positions of characters outside the BMP: each takes two UTF-16 units.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []

    def __call__(self, cp: int) -> int:
        return cp + bisect_left(self._astral, cp) if self._astral else cp

    def span(self, offset: int, length: int) -> tuple[int, int]:
        """(offset, length) in code points -> the same span in UTF-16 units."""
        start = self(offset)
        return start, self(offset + length) - start


def utf16_len(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text)) if not text.isascii() else len(text)
