"""Shared fixtures for the core library tests (text, syllable, tokenizer, checker, CLI, LM).

Tests run on data the repository ships (`examples/`). Where `../shared/examples` is present, the
article tests also run on the seed article, and the tests marked `shared_data` (the seed's own
editor findings) run too; in a clone without it they are deselected, and the header says so.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"
SEED = SHARED_EXAMPLES / "dakto-2022-article.txt"
EXAMPLE = REPO / "examples" / "bai-viet-mau.txt"
ARTICLES = [EXAMPLE] + ([SEED] if SEED.exists() else [])


def pytest_configure(config):
    config.addinivalue_line("markers", "shared_data: needs ../shared/examples (deselected without it)")


NO_SHARED = (f"{SHARED_EXAMPLES} not found: the tests marked shared_data (the seed article's own findings) "
             "were deselected; every other test ran on the repository's examples/")


def pytest_terminal_summary(terminalreporter):
    if not SEED.exists():
        terminalreporter.write_line(NO_SHARED)


def pytest_collection_modifyitems(config, items):
    if SEED.exists():
        return
    drop = [it for it in items if it.get_closest_marker("shared_data")]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = [it for it in items if not it.get_closest_marker("shared_data")]


@pytest.fixture(scope="session")
def checker():
    """The process-wide default checker (loaded once per test session)."""
    import vnproof

    return vnproof.default_checker()


@pytest.fixture(scope="session", params=ARTICLES, ids=[p.stem for p in ARTICLES])
def dakto_article(request) -> str:
    """An article with the seed's kinds of slip (vảo, nhât): the shipped sample, and the seed
    article from ../shared/examples where it is present."""
    return request.param.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_article() -> str:
    """The seed article itself (tests using it are marked shared_data)."""
    return SEED.read_text(encoding="utf-8")
