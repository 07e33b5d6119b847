"""vnproof: Vietnamese proofreading.

    >>> import vnproof
    >>> issues = vnproof.check("Chỉ thị về xây dựng phong trào toàn dân vảo vệ an ninh Tổ quốc.")
    >>> issues[0].text, issues[0].replacements[0]
    ('vảo', 'bảo')

`check()` uses a shared default `Checker`; build your own `Checker(models=[...])` to add a
house model trained with `vnproof train`.

The hot modules run compiled (Cython) when built, else as plain Python; `VNPROOF_PURE_PYTHON=1`
selects the pure-Python twin. `vnproof.implementation()` says which runs (see `vnproof/_impl.py`).
"""
from __future__ import annotations

import threading

from . import _impl

_impl.install()   # before any compiled module is imported

from .checker import Checker, CheckResult
from .issues import Category, Issue

__all__ = ["Checker", "CheckResult", "Category", "Issue", "check", "default_checker", "implementation"]
__version__ = "0.1.0"

_default: Checker | None = None
_lock = threading.Lock()


def default_checker() -> Checker:
    """The process-wide checker on the shipped data, loaded on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Checker()
    return _default


def check(text: str, **options) -> list[Issue]:
    """Check `text` with the default checker. Options: see `vnproof.options.CheckOptions`."""
    return default_checker().check(text, **options)


def implementation() -> str:
    """"compiled" (the Cython-built core), "python" (the pure-Python twin) or "mixed"."""
    return _impl.implementation()
