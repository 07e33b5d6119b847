"""API keys kept in the store (`vnproof keys add`), on the embedded SQLite store."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest_service import checker  # noqa: F401  (fixture)
from service.auth import hash_key
from service.config import Settings, StartupError
from service.store import SqliteStore


@pytest.fixture
def env(monkeypatch, tmp_path):
    db = tmp_path / "s.sqlite3"
    monkeypatch.delenv("VNPROOF_DATABASE_URL", raising=False)
    monkeypatch.setenv("VNPROOF_DB_PATH", str(db))
    monkeypatch.setenv("VNPROOF_AUTH", "true")   # as on a server: `keys add` must work before any key exists
    return db


def add_key(capsys, *args: str) -> str:
    from vnproof.cli import main
    assert main(["keys", "add", *args]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    assert key and "\n" not in key and key not in out.err and "shown once" in out.err
    return key


def test_keys_add_stores_only_the_digest_and_the_service_accepts_it(env, capsys, checker):
    from service.app import create_app
    from vnproof.cli import main
    key, ro_key = add_key(capsys, "desk"), add_key(capsys, "reader", "--read-only")
    assert key != ro_key
    store = SqliteStore(env)
    assert store.key_digests() == [("desk", hash_key(key), False), ("reader", hash_key(ro_key), True)]
    assert key.encode() not in env.read_bytes()
    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    assert "desk\t" in listed and "read-only" in listed and key not in listed and hash_key(key) not in listed

    with TestClient(create_app(Settings(db_path=env, auth=True), checker=checker)) as client:
        w, r = {"X-API-Key": key}, {"X-API-Key": ro_key}
        assert client.get("/v1/dictionary", headers={"X-API-Key": "nope"}).status_code == 401
        assert client.post("/v1/dictionary", json={"words": ["vảo"]}, headers=w).json() == {"tenant": "desk", "added": 1}
        assert client.get("/v1/dictionary", headers=r).json()["tenant"] == "reader"
        assert client.post("/v1/dictionary", json={"words": ["vảo"]}, headers=r).status_code == 403
        assert client.post("/v2/words/add", data={"word": "vảo", "apiKey": ro_key}).status_code == 403

    assert main(["keys", "revoke", hash_key(key)[:6]]) == 1            # too short to be sure which
    assert main(["keys", "revoke", hash_key(key)[:12] + "…"]) == 0     # as `keys list` shows it
    capsys.readouterr()
    assert [t for t, _, _ in store.key_digests()] == ["reader"]
    with TestClient(create_app(Settings(db_path=env, auth=True), checker=checker)) as client:
        assert client.get("/v1/dictionary", headers={"X-API-Key": key}).status_code == 401


def test_keys_add_refuses_an_empty_tenant(env, capsys):
    from vnproof.cli import main
    assert main(["keys", "add", " "]) == 2
    assert "tenant" in capsys.readouterr().err


def test_auth_without_any_key_does_not_start(tmp_path, checker):
    from service.app import create_app
    with pytest.raises(StartupError, match="no API key"):
        create_app(Settings(db_path=tmp_path / "s.sqlite3", auth=True), checker=checker)
