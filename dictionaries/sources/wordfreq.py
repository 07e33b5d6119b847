"""wordfreq: Vietnamese word frequencies and frequent words of seven European languages.

Code Apache-2.0, data CC-BY-SA 4.0.  Lists are msgpack "cBpack" files: a header,
then bucket *i* holding the words of frequency 10^(-i/100).
"""
from __future__ import annotations

import gzip
from pathlib import Path

import msgpack

from .common import nfc
from .fetch import Archive, pypi, pypi_archive

PACKAGE = pypi("wordfreq", "3.1.1", "Apache-2.0 (data: CC-BY-SA 4.0)")
FOREIGN_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl")
FOREIGN_MIN_FREQ_BUCKET = 500   # bucket 500 holds words of frequency 1e-5
_LATIN_EXTRA = set("àâäçéèêëîïôöùûüÿñáíóúãõœæß")


def _buckets(arch: Archive, lang: str) -> list[list[str]]:
    """The frequency buckets of ``lang``'s large list (small if there is no large one)."""
    name = next(n for n in (f"data/large_{lang}.msgpack.gz", f"data/small_{lang}.msgpack.gz")
                if any(m.endswith(n) for m in arch.names))
    packed = msgpack.unpackb(gzip.decompress(arch.read(name)), raw=False)
    assert isinstance(packed, list) and isinstance(packed[0], dict)
    return packed[1:]


def syllable_freqs(cache: Path) -> dict[str, float]:
    """Vietnamese word frequencies (0..1), lower-case NFC."""
    freqs: dict[str, float] = {}
    for index, bucket in enumerate(_buckets(pypi_archive(cache, PACKAGE), "vi")):
        for word in bucket:
            freqs.setdefault(nfc(word).lower(), 10 ** (-index / 100))
    return freqs


def foreign_words(cache: Path) -> set[str]:
    """Frequent (>= 1e-5) Latin-script words of :data:`FOREIGN_LANGS`, to tell foreign words from typos."""
    arch = pypi_archive(cache, PACKAGE)
    out: set[str] = set()
    for lang in FOREIGN_LANGS:
        for bucket in _buckets(arch, lang)[:FOREIGN_MIN_FREQ_BUCKET]:
            for word in bucket:
                w = nfc(word).lower()
                if len(w) >= 2 and w.isalpha() and all(c.isascii() or c in _LATIN_EXTRA for c in w):
                    out.add(w)
    return out
