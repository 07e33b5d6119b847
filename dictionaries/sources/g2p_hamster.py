"""g2p-hamster: a syllable frequency table (Apache-2.0)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .fetch import pypi, pypi_archive

PACKAGE = pypi("g2p-hamster", "0.2.8", "Apache-2.0")


def syllable_counts(cache: Path) -> Counter:
    """Syllable counts from ``02_data/fold/tan_suat_am_tiet.tsv``."""
    text = pypi_archive(cache, PACKAGE).text("02_data/fold/tan_suat_am_tiet.tsv")
    counts: Counter = Counter()
    for line in text.splitlines()[1:]:  # header: syllable<TAB>freq
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0].strip().lower()] += int(parts[1])
    return counts
