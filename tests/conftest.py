"""Shared fixtures for the core library tests (text, syllable, tokenizer, checker, CLI, LM)."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"


@pytest.fixture(scope="session")
def checker():
    """The process-wide default checker (loaded once per test session)."""
    import vnproof

    return vnproof.default_checker()


@pytest.fixture(scope="session")
def dakto_article() -> str:
    """The seed article from ../shared/examples; the test is skipped when ../shared is absent."""
    path = SHARED_EXAMPLES / "dakto-2022-article.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8")
