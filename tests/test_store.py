"""The store API, the same on both backends (SQLite, the embedded default, and PostgreSQL).

The SQLite cases of methods that service/dictionary.py does not have yet skip (another branch adds
them); the PostgreSQL cases need a server (tests/conftest_pg.py says how one is found or started).
"""
from __future__ import annotations

import sqlite3

import pytest

from conftest_pg import pg_server, pg_url  # noqa: F401  (fixtures)
from service.auth import KeyRing, hash_key
from service.feedback import Feedback
from service.store import SqliteStore

INTEGRITY = (ValueError, sqlite3.IntegrityError)
try:
    import psycopg
    INTEGRITY += (psycopg.errors.IntegrityError,)
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request, tmp_path):
    """A function opening the store; each call is another connection to the same data (another node)."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        opened = []

        def open_sqlite():
            opened.append(SqliteStore(path))
            return opened[-1]
        yield open_sqlite
        for s in opened:
            s.close()
        return
    url = request.getfixturevalue("pg_url")
    from service.store_pg import PgStore
    opened = []

    def open_pg():
        opened.append(PgStore(url))
        return opened[-1]
    yield open_pg
    for s in opened:
        s.close()


@pytest.fixture
def store(opener):
    return opener()


def need(store, *methods: str) -> None:
    missing = [m for m in methods if not hasattr(store, m)]
    if missing:
        pytest.skip(f"{type(store).__name__} has no {', '.join(missing)} yet (added on the newsroom branch)")


def test_words(store):
    assert store.ping()
    assert store.words("a") == []
    assert store.add("a", ["vảo", "Đăk  Tô", "VẢO", "vảo"]) == 2   # NFC, single spaces, one per case-folded key
    assert store.add("a", ["Vảo"]) == 0                             # already there, first form kept
    assert store.add("b", ["zeta", "alpha", "Beta"]) == 3
    assert store.words("a") == sorted(["vảo", "Đăk Tô"], key=str.casefold)
    assert store.words("b") == ["alpha", "Beta", "zeta"]            # by case-folded key, code-point order
    decomposed = "va\u0309o"                                        # the same word, NFD
    assert store.remove("a", [decomposed.upper(), "nothing"]) == 1
    assert store.words("a") == ["Đăk Tô"]
    assert store.words("b") == ["alpha", "Beta", "zeta"]            # other tenant untouched
    with pytest.raises(ValueError):
        store.add("a", ["   "])
    with pytest.raises(ValueError):
        store.add("a", ["x" * 101])
    assert store.add("a", []) == 0 and store.remove("a", []) == 0


def test_feedback(store):
    need(store, "record_feedback", "feedback")
    events = [Feedback("VI_SPELLING_CONTEXT", "vảo", "vào", "applied", 0.91, 1000.0),
              Feedback("VI_SPELLING_CONTEXT", "Đăk", None, "added", 0.4, 1002.0),
              Feedback("VI_TONE_STYLE", "hoá", "hóa", "ignored", 0.55, 1001.0)]
    assert store.record_feedback("a", events) == 3
    assert store.record_feedback("b", events[:1]) == 1
    assert store.feedback("a") == sorted(events, key=lambda e: e.at)       # oldest first, fields intact
    assert store.feedback("a", since=1000.5) == [events[2], events[1]]
    assert store.feedback("a", since=5000.0) == []
    assert store.feedback("b") == events[:1] and store.feedback("c") == []
    bad = [Feedback("R", "x", None, "applied", 0.5, 2000.0), Feedback("R", "y", None, "liked", 0.5, 2001.0)]
    with pytest.raises(INTEGRITY):
        store.record_feedback("a", bad)
    assert len(store.feedback("a")) == 3                                   # all or nothing


def test_settings(store):
    need(store, "settings", "set_setting")
    assert store.settings("a") == {}
    store.set_setting("a", "threshold", "0.62")
    store.set_setting("a", "level", "picky")
    store.set_setting("a", "threshold", "0.7")
    store.set_setting("b", "threshold", "0.3")
    assert store.settings("a") == {"threshold": "0.7", "level": "picky"}
    assert store.settings("b") == {"threshold": "0.3"}


def test_usage(store):
    need(store, "add_usage", "usage")
    assert store.usage("a") == []
    store.add_usage("a", "2026-12-02", 1, 120)
    store.add_usage("a", "2026-12-01", 4, 1000)
    store.add_usage("a", "2026-12-02", 2, 80)
    store.add_usage("b", "2026-12-02", 7, 7)
    assert [tuple(r) for r in store.usage("a")] == [("2026-12-01", 4, 1000), ("2026-12-02", 3, 200)]
    assert [tuple(r) for r in store.usage("b")] == [("2026-12-02", 7, 7)]


def test_tenants(store):
    need(store, "tenants", "record_feedback", "set_setting", "add_usage")
    assert store.tenants() == []
    store.add("w", ["từ"])
    store.record_feedback("f", [Feedback("R", "x", None, "ignored", 0.5, 1.0)])
    store.set_setting("s", "threshold", "0.5")
    store.add_usage("u", "2026-12-01", 1, 1)
    assert sorted(store.tenants()) == ["f", "s", "u", "w"]


def test_keys(store):
    assert store.key_digests() == []
    store.add_key("alpha", hash_key("key-a"))
    store.add_key("beta", hash_key("key-b").upper(), read_only=True)   # digests are stored lower-case
    assert store.key_digests() == [("alpha", hash_key("key-a"), False), ("beta", hash_key("key-b"), True)]
    with pytest.raises(ValueError, match="stored already"):
        store.add_key("gamma", hash_key("key-a"))
    with pytest.raises(ValueError, match="digest"):
        store.add_key("gamma", "key-c")                                 # a key, not its digest
    assert len(store.key_digests()) == 2
    assert store.remove_key(hash_key("key-a")) == 1 and store.remove_key(hash_key("key-a")) == 0
    assert store.key_digests() == [("beta", hash_key("key-b"), True)]


def test_another_connection_sees_every_write_at_once(opener):
    """What a second node relies on: no backend caches reads."""
    one, two = opener(), opener()
    assert two.words("a") == []
    one.add("a", ["Pơ Kô"])
    assert two.words("a") == ["Pơ Kô"]
    one.add_key("a", hash_key("k"))
    assert two.key_digests() == [("a", hash_key("k"), False)]
    if hasattr(one, "set_setting"):
        one.set_setting("a", "threshold", "0.8")
        assert two.settings("a") == {"threshold": "0.8"}
    two.remove("a", ["pơ kô"])
    assert one.words("a") == []


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeKeys:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, bool]] = []
        self.reads = 0
        self.down = False

    def key_digests(self):
        self.reads += 1
        if self.down:
            raise OSError("database unreachable")
        return list(self.rows)


def test_keyring_rereads_stored_keys_at_most_every_second():
    store, clock = FakeKeys(), FakeClock()
    ring = KeyRing({"cfg": hash_key("config-key")}, store, clock=clock)
    assert ring.tenant("config-key") == "cfg" and ring.tenant("new-key") is None
    store.rows.append(("desk", hash_key("new-key"), True))
    clock.now += 0.99
    assert ring.tenant("new-key") is None and store.reads == 1        # cached for under a second
    clock.now += 0.01
    holder = ring.holder("new-key")
    assert holder is not None and (holder.tenant, holder.read_only) == ("desk", True) and store.reads == 2
    store.rows.clear()                                                # revoked
    clock.now += 1.0
    assert ring.tenant("new-key") is None
    store.rows.append(("desk", hash_key("new-key"), False))
    store.down = True                                                 # the database goes away
    clock.now += 1.0
    assert ring.tenant("config-key") == "cfg" and ring.tenant("new-key") is None   # keeps what it had
    store.down = False
    clock.now += 1.0
    assert ring.tenant("new-key") == "desk"


def test_words_with_nul_are_refused_by_both(store):
    with pytest.raises(ValueError, match="NUL"):
        store.add("a", ["a\x00b"])
    assert store.words("a") == []
