"""Lexicon: syllable inventory, multi-syllable words and abbreviations, loaded once, read-only.

Syllables are keyed by `tone_key`, so both tone placements ("hoá", "hóa") share one entry.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .text import tone_key


def data_dir() -> Path:
    """The installed dictionaries folder (falls back to the checkout when not installed)."""
    try:
        p = Path(str(resources.files("vnproof.dictionaries")))
        if (p / "syllables.tsv").exists():
            return p
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "dictionaries"


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a TSV file, skipping blank and '# ' comment lines. Bad rows name file and line."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if not cols[0]:
                raise ValueError(f"{path}:{n}: empty first column")
            rows.append(cols)
    return rows


@dataclass
class Lexicon:
    """Counts of syllables (by tone key) and words, plus known abbreviations."""

    syllables: dict[str, int] = field(default_factory=dict)      # tone_key -> count
    forms: dict[str, str] = field(default_factory=dict)          # tone_key -> most frequent surface form
    words: dict[str, int] = field(default_factory=dict)          # "hiện đại" -> count
    abbreviations: dict[str, tuple[str, bool]] = field(default_factory=dict)  # ABBR -> (expansion, common)
    foreign: frozenset[str] = frozenset()                        # frequent European words
    total: int = 1

    @classmethod
    def load(cls, folder: Path | None = None) -> "Lexicon":
        folder = folder or data_dir()
        lex = cls()
        best: dict[str, int] = {}
        for cols in read_tsv(folder / "syllables.tsv"):
            s, c = cols[0], int(float(cols[1])) if len(cols) > 1 else 1
            k = tone_key(s)
            lex.syllables[k] = lex.syllables.get(k, 0) + c
            if c > best.get(k, -1):
                best[k], lex.forms[k] = c, s
        wpath = folder / "words.tsv"
        if wpath.exists():
            for cols in read_tsv(wpath):
                key = " ".join(tone_key(s) for s in cols[0].split())
                lex.words[key] = lex.words.get(key, 0) + (int(float(cols[1])) if len(cols) > 1 else 1)
        # The generated list, then the hand-curated news list on top (known marks, casing, order).
        for apath in (folder / "abbreviations.tsv", folder / "abbreviations-news.tsv"):
            if apath.exists():
                for cols in read_tsv(apath):
                    lex.abbreviations[cols[0]] = (cols[1] if len(cols) > 1 else "",
                                                  len(cols) > 2 and cols[2].strip() == "1")
        fpath = folder / "foreign.tsv"
        if fpath.exists():
            lex.foreign = frozenset(cols[0] for cols in read_tsv(fpath))
        lex.total = max(1, sum(lex.syllables.values()))
        return lex

    def count(self, syllable: str) -> int:
        """Corpus count of a syllable in either tone style (0 when unattested)."""
        return self.syllables.get(tone_key(syllable), 0)

    def logfreq(self, syllable: str) -> float:
        return math.log((self.count(syllable) + 0.5) / self.total)

    def word_count(self, syllables: list[str] | tuple[str, ...]) -> int:
        return self.words.get(" ".join(tone_key(s) for s in syllables), 0)


@lru_cache(maxsize=4)
def default_lexicon(folder: str | None = None) -> Lexicon:
    return Lexicon.load(Path(folder) if folder else None)
