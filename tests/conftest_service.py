"""Shared fixtures for the service tests (imported by name from tests/test_service*.py)."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

# The repository's own sample article (it has the seed article's kinds of slip: vảo, nhât,
# huyện đại), so the service tests run in any clone.
ARTICLE_PATH = Path(__file__).resolve().parents[1] / "examples" / "bai-viet-mau.txt"


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def checker():
    """One real checker for every service test (loading takes ~0.3 s)."""
    from vnproof import Checker
    return Checker()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app on a loopback port, in a background thread."""

    def __init__(self, app):
        import uvicorn
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def live_server(checker, tmp_path_factory):
    from service.app import create_app
    from service.config import Settings

    db = tmp_path_factory.mktemp("live") / "dict.sqlite3"
    with LiveServer(create_app(Settings(db_path=db), checker=checker)) as srv:
        yield srv
