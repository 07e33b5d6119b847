"""Offsets for the outside world: the library counts code points, JavaScript and LanguageTool count
UTF-16 code units. Conversions live here and only here."""
from __future__ import annotations

from bisect import bisect_left


class Utf16Map:
    """Code-point index -> UTF-16 index for one text (O(log n) per lookup, O(1) for BMP-only text)."""

    __slots__ = ("_astral",)

    def __init__(self, text: str):
        # Positions of characters outside the BMP: each takes two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []

    def __call__(self, cp: int) -> int:
        return cp + bisect_left(self._astral, cp) if self._astral else cp

    def span(self, offset: int, length: int) -> tuple[int, int]:
        """(offset, length) in code points -> the same span in UTF-16 units."""
        start = self(offset)
        return start, self(offset + length) - start


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)
