"""LanguageTool's annotated text (`data` parameter): text parts are checked, markup parts are
skipped (or read as their `interpretAs`), and every offset still points into the original."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .bodies import parse_json


class AnnotationError(ValueError):
    """The `data` parameter is not valid annotated text."""


@dataclass(frozen=True)
class Annotated:
    """Plain text to check, the original document, and the map between them."""

    plain: str
    original: str
    _plain_starts: tuple[int, ...]
    _orig_starts: tuple[int, ...]
    _is_text: tuple[bool, ...]
    _orig_lens: tuple[int, ...]

    @classmethod
    def parse(cls, data: str) -> "Annotated":
        try:
            doc = parse_json(data)
        except ValueError as e:
            raise AnnotationError(f"'data' is not valid JSON: {e}") from None
        parts = doc.get("annotation") if isinstance(doc, dict) else None
        if not isinstance(parts, list):
            raise AnnotationError("'data' must be a JSON object with an 'annotation' list")
        plain, orig = [], []
        ps, os_, kinds, olens = [], [], [], []
        p = o = 0
        for n, part in enumerate(parts):
            if not isinstance(part, dict):
                raise AnnotationError(f"annotation[{n}] must be an object")
            if "text" in part and "markup" not in part:
                t = part["text"]
                if not isinstance(t, str):
                    raise AnnotationError(f"annotation[{n}].text must be a string")
                checked, source, is_text = t, t, True
            elif "markup" in part and "text" not in part:
                m, interp = part["markup"], part.get("interpretAs", "")
                if not isinstance(m, str) or not isinstance(interp, str):
                    raise AnnotationError(f"annotation[{n}].markup and interpretAs must be strings")
                checked, source, is_text = interp, m, False
            else:
                raise AnnotationError(f"annotation[{n}] needs exactly one of 'text' or 'markup'")
            ps.append(p); os_.append(o); kinds.append(is_text); olens.append(len(source))
            plain.append(checked); orig.append(source)
            p += len(checked); o += len(source)
        return cls("".join(plain), "".join(orig), tuple(ps), tuple(os_), tuple(kinds), tuple(olens))

    def to_original(self, offset: int, length: int) -> tuple[int, int]:
        """A span of `plain` -> the span of `original` it came from (code points)."""
        start = self._map(offset, end=False)
        stop = self._map(offset + length, end=True)
        return start, max(0, stop - start)

    def _map(self, pos: int, *, end: bool) -> int:
        if not self._plain_starts:
            return 0
        # The last part starting at or before pos (for an end, strictly before, so a span
        # ending exactly at a part boundary stays in its own part).
        i = bisect_right(self._plain_starts, pos - 1 if end and pos > 0 else pos) - 1
        i = max(i, 0)
        if self._is_text[i]:
            return self._orig_starts[i] + min(pos - self._plain_starts[i], self._orig_lens[i])
        # Inside an interpreted markup: the span covers the whole markup.
        return self._orig_starts[i] + (self._orig_lens[i] if end else 0)
