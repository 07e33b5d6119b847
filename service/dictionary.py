"""Per-tenant state in SQLite: accepted words ("Đăk Tô", people's names, house terms), editors'
feedback, tenant settings (threshold, feedback on/off) and daily usage.

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

from .feedback import Feedback

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
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    text        TEXT NOT NULL,
    replacement TEXT NULL,
    action      TEXT NOT NULL CHECK (action IN ('applied', 'ignored', 'added')),
    confidence  REAL NOT NULL,
    at          REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_tenant_at ON feedback (tenant, at);
CREATE TABLE IF NOT EXISTS tenant_settings (
    tenant TEXT NOT NULL,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE TABLE IF NOT EXISTS usage (
    tenant   TEXT NOT NULL,
    day      TEXT NOT NULL,    -- 'YYYY-MM-DD', UTC
    requests INTEGER NOT NULL,
    chars    INTEGER NOT NULL,
    PRIMARY KEY (tenant, day)
);
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
    """Per-tenant words, feedback, settings and usage; safe to share between threads (one
    connection per thread). Every write is committed before the method returns."""

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

    # -- feedback, settings, usage (the same plain SQL runs on PostgreSQL) ----------------------
    def record_feedback(self, tenant: str, events: list[Feedback]) -> int:
        """Store editor decisions; the number stored."""
        rows = [(tenant, e.rule_id, e.text, e.replacement, e.action, e.confidence, e.at) for e in events]
        return self._write("INSERT INTO feedback (tenant, rule_id, text, replacement, action, confidence, at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def feedback(self, tenant: str, since: float = 0.0) -> list[Feedback]:
        rows = self._conn().execute("SELECT rule_id, text, replacement, action, confidence, at FROM feedback "
                                    "WHERE tenant=? AND at>=? ORDER BY at, id", (tenant, since))
        return [Feedback(*r) for r in rows]

    def settings(self, tenant: str) -> dict[str, str]:
        rows = self._conn().execute("SELECT key, value FROM tenant_settings WHERE tenant=?", (tenant,))
        return dict(rows.fetchall())

    def set_setting(self, tenant: str, key: str, value: str) -> None:
        self._write("INSERT INTO tenant_settings (tenant, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (tenant, key) DO UPDATE SET value=excluded.value", [(tenant, key, value)])

    def add_usage(self, tenant: str, day: str, requests: int, chars: int) -> None:
        self._write("INSERT INTO usage (tenant, day, requests, chars) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (tenant, day) DO UPDATE SET requests=usage.requests+excluded.requests, "
                    "chars=usage.chars+excluded.chars", [(tenant, day, requests, chars)])

    def usage(self, tenant: str) -> list[tuple[str, int, int]]:
        """(day, requests, chars) per day, oldest first."""
        rows = self._conn().execute("SELECT day, requests, chars FROM usage WHERE tenant=? ORDER BY day",
                                    (tenant,))
        return [tuple(r) for r in rows]

    def tenants(self) -> list[str]:
        """Every tenant with stored state of any kind."""
        rows = self._conn().execute(
            "SELECT tenant FROM words UNION SELECT tenant FROM feedback UNION SELECT tenant FROM tenant_settings "
            "UNION SELECT tenant FROM usage ORDER BY tenant")
        return [r[0] for r in rows]

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
