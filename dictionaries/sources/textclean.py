"""Running text for the language model: line cleaning, the prose filter, and the text writer.

Each text source yields raw lines; :func:`write_text` cleans, filters and
de-duplicates them into ``CACHE/text/<name>.txt`` and records ``MANIFEST.tsv``
(file, syllables, domain, weight) and ``LICENSES.tsv`` (file, package, licence).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .common import WORD_RE, has_vi_diacritic, nfc
from .fetch import Package, licence_record

CODEISH = re.compile(r"[{}<>\\]|=>|::|\$\(|\(\)|https?:|www\.|@\w|\.(?:py|c|h|so|conf|txt)\b")
LEADING_MARKER = re.compile(r"^(?:(?:-\w,\s*)?--?\w[\w-]*(?:=\S+)?\s+|(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+|[-*•:;,.]+\s*)")
EMPTY_QUOTES = re.compile(r"[\"“'‘«(\[]\s*[\"”'’»)\]]")
FORMAT_SPEC = re.compile(r"%\d+|%[A-Z]\b|%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdiuxXofFeEgGcpn%]"
                         r"|%\([a-z_]+\)[sd]|\$\{?\w+\}?|\{[^{}]*\}")


@dataclass(frozen=True)
class TextSource:
    """A running-text source: ``lines(cache)`` yields raw lines of ``packages``."""

    name: str
    lines: Callable[[Path], Iterable[str]]
    domain: str
    weight: float  # suggested LM weight
    packages: tuple[Package, ...]

    @property
    def min_tokens(self) -> int:
        """Shortest line kept: UI strings are short, so three tokens there, four elsewhere."""
        return 3 if self.domain == "software-ui" else 4


def clean_line(line: str) -> str:
    """NFC, drop format specifiers and mnemonics, collapse spaces."""
    line = nfc(line)
    line = FORMAT_SPEC.sub(" ", line)
    line = EMPTY_QUOTES.sub(" ", line)
    line = LEADING_MARKER.sub("", line.strip())  # "b) ", "1. ", "-c, --config=X "
    line = re.sub(r"(?<![\w&])[_&](?=\w)", "", line)  # _Mở / &Lưu accelerators
    line = re.sub(r"\^?\[\d+\]", "", line)  # footnote markers [24]
    line = line.replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(line.split())


def is_vietnamese_prose(line: str, syllables: set[str], min_tokens: int = 4) -> bool:
    """Keep lines that are mostly Vietnamese syllables and contain no code."""
    if CODEISH.search(line):
        return False
    tokens = WORD_RE.findall(line.lower())
    if len(tokens) < min_tokens:
        return False
    vi = sum(1 for t in tokens if t in syllables)
    marked = sum(1 for t in tokens if has_vi_diacritic(t))
    return vi >= 0.85 * len(tokens) and marked >= 0.25 * len(tokens)


def count_syllables(line: str) -> int:
    """Number of letter tokens (syllables, for Vietnamese) in ``line``."""
    return len(WORD_RE.findall(line))


def write_text_source(cache: Path, source: TextSource, syllables: set[str]) -> tuple[int, int]:
    """Clean, filter and de-duplicate one text source; return (lines, syllables)."""
    seen: set[str] = set()
    n_syl = 0
    with open(cache / "text" / f"{source.name}.txt", "w", encoding="utf-8", newline="\n") as fh:
        for raw in source.lines(cache):
            line = clean_line(raw)
            if line in seen or not is_vietnamese_prose(line, syllables, source.min_tokens):
                continue
            seen.add(line)
            n_syl += count_syllables(line)
            fh.write(line + "\n")
    return len(seen), n_syl


def _write_rows(path: Path, rows: Iterable[tuple]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")


def write_text(cache: Path, sources: Iterable[TextSource], syllables: set[str]) -> None:
    """Write every text source plus MANIFEST.tsv and LICENSES.tsv into ``CACHE/text``."""
    (cache / "text").mkdir(parents=True, exist_ok=True)
    manifest, licences = [], []
    for source in sources:
        try:
            lines, syl = write_text_source(cache, source, syllables)
        except Exception as exc:  # a missing package must not stop the build
            print(f"  text {source.name}: FAILED ({exc})", file=sys.stderr)
            continue
        print(f"  text {source.name}: {lines} lines, {syl} syllables")
        manifest.append((f"{source.name}.txt", syl, source.domain, source.weight))
        licences.extend((f"{source.name}.txt", *licence_record(cache, p)) for p in source.packages)
    _write_rows(cache / "text" / "MANIFEST.tsv", manifest)
    _write_rows(cache / "text" / "LICENSES.tsv", licences)
