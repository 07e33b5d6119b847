"""API keys (sha256 digests only) in the embedded SQLite store, as a mixin over its connection."""
from __future__ import annotations

import sqlite3
import time

from .keys import check_digest

KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    tenant    TEXT NOT NULL,
    digest    TEXT NOT NULL PRIMARY KEY,   -- sha256 hex of the key; the key itself is never stored
    read_only INTEGER NOT NULL DEFAULT 0,
    added     REAL NOT NULL
);
"""


class SqliteKeys:
    """`key_digests` / `add_key` for a class with `_conn()` and `_write()` (DictionaryStore)."""

    def _create_keys_table(self) -> None:
        self._conn().executescript(KEYS_SCHEMA)

    def key_digests(self) -> list[tuple[str, str, bool]]:
        rows = self._conn().execute("SELECT tenant, digest, read_only FROM api_keys ORDER BY tenant, digest")
        return [(t, d, bool(ro)) for t, d, ro in rows]

    def add_key(self, tenant: str, digest: str, read_only: bool = False) -> None:
        """Store a key's digest for `tenant`; ValueError if that digest is stored already."""
        digest = check_digest(digest)
        try:
            self._write("INSERT INTO api_keys (tenant, digest, read_only, added) VALUES (?, ?, ?, ?)",
                        [(tenant, digest, int(read_only), time.time())])
        except sqlite3.IntegrityError:
            raise ValueError("this key is stored already") from None

    def remove_key(self, digest: str) -> int:
        """Forget a key (its full digest); 1 if it was stored, else 0."""
        return self._write("DELETE FROM api_keys WHERE digest = ?", [(check_digest(digest),)])
