"""Per-tenant accepted words ("Đăk Tô", people's names, house terms) in SQLite.

Every write is one short IMMEDIATE transaction on a WAL database, so concurrent writers from
any number of threads or worker processes queue up instead of losing updates. Reads are not
cached: a word added now applies to the very next request, in every worker.
"""
from __future__ import annotations

import sqlite3
import threading
import time
import unicodedata
from pathlib import Path

MAX_WORD_CHARS = 100
MAX_WORDS_PER_CALL = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS words (
    tenant TEXT NOT NULL,
    key    TEXT NOT NULL,      -- NFC, case-folded: one entry per word whatever its case
    word   TEXT NOT NULL,      -- as first added
    added  REAL NOT NULL,
    PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
"""


def normalize(word: str) -> str:
    """Validated, NFC, single-spaced form of a word; ValueError explains what is wrong."""
    if not isinstance(word, str):
        raise ValueError("words must be strings")
    w = " ".join(unicodedata.normalize("NFC", word).split())
    if not w:
        raise ValueError("empty word")
    if "\x00" in w:   # PostgreSQL text cannot hold it; refused by both stores alike
        raise ValueError("words cannot contain NUL characters")
    if len(w) > MAX_WORD_CHARS:
        raise ValueError(f"word longer than {MAX_WORD_CHARS} characters: {w[:20]!r}…")
    return w


class DictionaryStore:
    """Word lists keyed by tenant; safe to share between threads (one connection per thread)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            c.execute("PRAGMA busy_timeout=30000")
            c.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = c
        return c

    def words(self, tenant: str) -> list[str]:
        rows = self._conn().execute("SELECT word FROM words WHERE tenant=? ORDER BY key", (tenant,))
        return [r[0] for r in rows]

    def add(self, tenant: str, words: list[str]) -> int:
        """Add words (duplicates and existing ones are ignored); the number actually added."""
        rows = [(tenant, w.casefold(), w, time.time()) for w in map(normalize, words)]
        return self._write("INSERT OR IGNORE INTO words (tenant, key, word, added) VALUES (?, ?, ?, ?)", rows)

    def remove(self, tenant: str, words: list[str]) -> int:
        rows = [(tenant, normalize(w).casefold()) for w in words]
        return self._write("DELETE FROM words WHERE tenant=? AND key=?", rows)

    def ping(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def _write(self, sql: str, rows: list[tuple]) -> int:
        c = self._conn()
        c.execute("BEGIN IMMEDIATE")
        try:
            before = c.total_changes
            c.executemany(sql, rows)
            changed = c.total_changes - before
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return changed


def as_option(words: list[str]) -> set[str]:
    """Stored words -> the checker's `dictionary` option. The checker matches single syllables, so a
    multi-word entry ("Đăk Tô") also accepts each of its syllables."""
    out = set()
    for w in words:
        out.add(w)
        out.update(w.split())
    return out
