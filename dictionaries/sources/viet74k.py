"""Viet74K, the word list bundled in underthesea (Apache-2.0; GPL-3.0 in older releases)."""
from __future__ import annotations

from pathlib import Path

from .common import normalise_word
from .fetch import pypi, pypi_archive

PACKAGE = pypi("underthesea", "9.5.0", "Apache-2.0 (GPL-3.0 older releases)")


def entries(cache: Path) -> list[str]:
    """All entries of ``corpus/data/Viet74K.txt``."""
    return pypi_archive(cache, PACKAGE).text("underthesea/corpus/data/Viet74K.txt").splitlines()


def words(entries: list[str]) -> set[str]:
    """The multi-syllable words among ``entries``; hyphenated transliterations (``a-ba-giua``) left out."""
    return {w for w in map(normalise_word, (e for e in entries if "-" not in e)) if w}
