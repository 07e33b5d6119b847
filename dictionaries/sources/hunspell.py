"""Debian's Vietnamese hunspell dictionary: benchmark use only, nothing of it ships."""
from __future__ import annotations

import sys
from pathlib import Path

from .fetch import deb, fetch_deb

PACKAGE = deb("hunspell-vi")


def fetch_dic(cache: Path) -> Path | None:
    """Fetch ``vi_VN.dic`` into the cache; None (with a message) if that fails."""
    try:
        tree = fetch_deb(cache, PACKAGE)
    except Exception as exc:
        print(f"  hunspell-vi: FAILED ({exc})", file=sys.stderr)
        return None
    dic = next(iter(sorted(tree.rglob("vi_VN.dic"))), None)
    print(f"  hunspell-vi: {dic}")
    return dic
