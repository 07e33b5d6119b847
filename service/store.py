"""The service's store: one API, two backends. `open_store(settings)` picks one.

- SQLite (`VNPROOF_DB_PATH`), the embedded default: one machine, any number of worker processes.
- PostgreSQL (`VNPROOF_DATABASE_URL=postgresql://...`, `pip install "vnproof[postgres]"`):
  several nodes behind a load balancer share dictionaries, keys, settings, usage and feedback.

Neither backend caches reads, so a write through one node applies to the next request on every
node; only the key ring (service/auth.py) keeps a copy, refreshed at most a second old.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from .config import Settings, StartupError
from .dictionary import DictionaryStore
from .feedback import Feedback
from .keys_sqlite import SqliteKeys


class StoreError(StartupError):
    """The store cannot be opened (bad URL, server unreachable, missing driver); the message says why."""


class Store(Protocol):
    """What both backends implement."""

    def words(self, tenant: str) -> list[str]: ...
    def add(self, tenant: str, words: list[str]) -> int: ...
    def remove(self, tenant: str, words: list[str]) -> int: ...
    def ping(self) -> bool: ...
    def record_feedback(self, tenant: str, events: list[Feedback]) -> int: ...
    def feedback(self, tenant: str, since: float = 0.0) -> list[Feedback]: ...
    def settings(self, tenant: str) -> dict[str, str]: ...
    def set_setting(self, tenant: str, key: str, value: str) -> None: ...
    def add_usage(self, tenant: str, day: str, requests: int, chars: int) -> None: ...
    def usage(self, tenant: str) -> list[tuple[str, int, int]]: ...
    def tenants(self) -> list[str]: ...
    def key_digests(self) -> list[tuple[str, str, bool]]: ...
    def add_key(self, tenant: str, digest: str, read_only: bool = False) -> None: ...
    def remove_key(self, digest: str) -> int: ...
    def close(self) -> None: ...


class SqliteStore(SqliteKeys, DictionaryStore):
    """The SQLite store with its API-key table."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self._create_keys_table()

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None


def open_store(settings: Settings) -> Store:
    """PostgreSQL when `database_url` is set, else SQLite at `db_path`; StoreError when it cannot open."""
    url = settings.database_url.strip()
    if url:
        scheme = url.partition("://")[0].lower() if "://" in url else ""
        if scheme not in ("postgresql", "postgres"):
            raise StoreError("VNPROOF_DATABASE_URL must be a PostgreSQL URL, postgresql://USER:PASSWORD@HOST:PORT/DB "
                             f"(its scheme here is {scheme or 'missing'!r}); leave it unset for the "
                             "embedded SQLite store at VNPROOF_DB_PATH")
        try:
            from .store_pg import PgStore
        except ModuleNotFoundError as e:
            raise StoreError(f"VNPROOF_DATABASE_URL is set but the PostgreSQL driver is missing ({e.name}): "
                             "pip install 'vnproof[postgres]'") from None
        return PgStore(url)
    try:
        return SqliteStore(settings.db_path)
    except (OSError, sqlite3.Error) as e:   # unwritable folder, not a database, locked
        raise StoreError(f"cannot open the SQLite store at {settings.db_path}: {e}") from None


def open_store_for_cli(prog: str, **overrides) -> Store | None:
    """The store of the VNPROOF_* settings (with `overrides`) for a command-line tool, or None
    after printing why it cannot open (the caller exits with status 2)."""
    import sys

    from pydantic import ValidationError

    try:
        return open_store(Settings(**overrides))
    except ValidationError as e:
        print(f"{prog}: invalid VNPROOF_* settings:\n{e}", file=sys.stderr)
    except StoreError as e:
        print(f"{prog}: {e}", file=sys.stderr)
    return None
