"""pyvi: a word list (MIT)."""
from __future__ import annotations

from pathlib import Path

from .common import normalise_word
from .fetch import pypi, pypi_archive

PACKAGE = pypi("pyvi", "0.1.1", "MIT")


def entries(cache: Path) -> list[str]:
    """All entries (one per line) of ``models/words.txt``."""
    return pypi_archive(cache, PACKAGE).text("pyvi/models/words.txt").splitlines()


def words(entries: list[str]) -> set[str]:
    """The multi-syllable words among ``entries``."""
    return {w for w in map(normalise_word, entries) if w}
