"""Helpers shared by the sources: NFC, word tokens, the syllable test (the checker's grammar), TSV output."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable

from vnproof.syllable import parse
from vnproof.text import has_vietnamese_marks

WORD_RE = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def has_vi_diacritic(token: str) -> bool:
    """True if ``token`` carries a Vietnamese diacritic (tone, ă â ê ô ơ ư or đ)."""
    return has_vietnamese_marks(token.lower())


def is_syllable(token: str) -> bool:
    """True if lower-case ``token`` is a valid Vietnamese syllable by :func:`vnproof.syllable.parse`."""
    return parse(token) is not None


def normalise_word(raw: str) -> str | None:
    """Lower-case NFC ``raw`` with ``_`` -> space; None unless 2-4 well-formed syllables."""
    word = nfc(raw).strip().replace("_", " ").lower()
    parts = word.split()
    if not 2 <= len(parts) <= 4 or not all(is_syllable(p) for p in parts):
        return None
    return " ".join(parts)


def write_tsv(path: Path, rows: Iterable[tuple], comment: str) -> int:
    """Write ``rows`` as tab-separated UTF-8 lines after a ``# `` comment."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# {comment}\n")
        for row in rows:
            fh.write("\t".join(str(x) for x in row) + "\n")
            n += 1
    return n
