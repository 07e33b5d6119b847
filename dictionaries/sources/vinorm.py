"""Abbreviation lists of two text normalisers: soe-vinorm and vinormx (both MIT)."""
from __future__ import annotations

from pathlib import Path

from .fetch import pypi, pypi_archive

SOE_VINORM = pypi("soe-vinorm", "0.3.2", "MIT")
VINORMX = pypi("vinormx", "1.0.8", "MIT")


def soe_vinorm_pairs(cache: Path) -> list[tuple[str, str]]:
    """(ABBR, expansion) pairs from soe-vinorm's ``data/dictionaries/abbreviations.txt``.

    Lines are ``ABBR:exp1,exp2``; the file repeats every entry in lower case,
    those copies are dropped when the cased entry exists.
    """
    lines = pypi_archive(cache, SOE_VINORM).text("soe_vinorm/data/dictionaries/abbreviations.txt").splitlines()
    keys = {abbr.strip() for abbr, sep, _ in (line.partition(":") for line in lines) if sep}
    pairs: list[tuple[str, str]] = []
    for line in lines:
        abbr, sep, exps = line.partition(":")
        abbr = abbr.strip()
        if not sep or not abbr or (abbr.islower() and abbr.upper() in keys):
            continue
        pairs.extend((abbr, exp.strip()) for exp in exps.split(",") if exp.strip())
    return pairs


def vinormx_pairs(cache: Path) -> list[tuple[str, str]]:
    """(ABBR, expansion) pairs from vinormx's ``acronyms_dict.txt`` and ``abbreviation_dict.txt``.

    ``acronyms_dict.txt`` keys are lower case; Vietnamese acronyms are written
    in capitals, so they are upper-cased.  ``abbreviation_dict.txt`` keeps its case.
    """
    arch = pypi_archive(cache, VINORMX)
    pairs: list[tuple[str, str]] = []
    for member, upper in (("vinormx/dictionaries/acronyms_dict.txt", True),
                          ("vinormx/dictionaries/abbreviation_dict.txt", False)):
        for line in arch.text(member).splitlines():
            abbr, sep, exp = line.partition("#")
            abbr, exp = abbr.strip(), exp.strip()
            if sep and abbr and exp:
                pairs.append((abbr.upper() if upper else abbr, exp))
    return pairs
