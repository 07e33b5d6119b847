"""Security: API keys (hashed, compared in constant time), tenant isolation, rate limits under
concurrency, no path traversal, the page never runs pasted HTML, loopback by default."""
from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest_service import LiveServer, checker  # noqa: F401  (fixture)
from service.app import create_app
from service.auth import KeyRing, hash_key
from service.config import Settings

KEY_A, KEY_B = "alpha-secret-key-0123456789", "beta-secret-key-9876543210"
KEYS = {"alpha": hash_key(KEY_A), "beta": hash_key(KEY_B)}
TEXT = "Ông ấy vảo tôi đi họp."


@pytest.fixture
def auth_client(checker, tmp_path):  # noqa: F811
    app = create_app(Settings(db_path=tmp_path / "d.sqlite3", auth=True, api_keys=KEYS), checker=checker)
    with TestClient(app) as c:
        yield c, app, tmp_path


# --- API keys ------------------------------------------------------------------------------------

def test_settings_refuse_plaintext_keys():
    for bad in (KEY_A, "x" * 64, hash_key(KEY_A)[:-1], ""):
        with pytest.raises(ValueError):
            Settings(auth=True, api_keys={"alpha": bad})


def test_keys_compared_in_constant_time(monkeypatch):
    """Every lookup hashes the presented key and runs hmac.compare_digest against every tenant's
    digest, with no early exit: the work does not depend on whether or where the key matches."""
    import hmac

    import service.auth as auth
    ring = KeyRing({f"t{n}": hash_key(f"key-{n}") for n in range(5)})
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def counting(a, b):
        calls.append((a, b))
        return real(a, b)
    monkeypatch.setattr(auth.hmac, "compare_digest", counting)
    for key, tenant in (("key-0", "t0"), ("key-4", "t4"), ("wrong", None), ("", None), ("key-0" * 1000, None)):
        calls.clear()
        assert ring.tenant(key) == tenant
        assert len(calls) == 5                                   # all digests, whatever the outcome
        assert all(len(a) == len(b) == 64 for a, b in calls)     # fixed-length digests, never the key
        assert all(key not in (a, b) for a, b in calls if key)


def test_no_plaintext_key_is_stored(auth_client):
    client, app, tmp_path = auth_client
    for key in (KEY_A, KEY_B):
        h = {"Authorization": f"Bearer {key}"}
        assert client.post("/v1/dictionary", json={"words": ["Đăk Tô"]}, headers=h).status_code == 200
        assert client.post("/v1/check", json={"text": TEXT}, headers=h).status_code == 200
        assert client.post("/v2/check", data={"language": "vi", "text": TEXT, "apiKey": key}).status_code == 200
    # In memory: the key ring, the settings and the rate limiter hold digests and tenant names only.
    state_text = repr(vars(app.state.keyring)) + repr(app.state.settings.model_dump()) + repr(vars(app.state.limiter))
    assert KEY_A not in state_text and KEY_B not in state_text
    assert hash_key(KEY_A) in state_text
    # On disk: the dictionary database (and its WAL) never sees a key.
    files = [p for p in tmp_path.iterdir() if p.name.startswith("d.sqlite3")]
    assert files
    for p in files:
        data = p.read_bytes()
        for key in (KEY_A, KEY_B):
            assert key.encode() not in data and hashlib.sha256(key.encode()).hexdigest().encode() not in data


def test_missing_or_wrong_key_is_401_everywhere(auth_client):
    client, _, _ = auth_client
    for h in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer "}, {"Authorization": "Basic " + KEY_A},
              {"X-API-Key": KEY_A.upper()}, {"X-API-Key": KEY_A + " "}):
        assert client.get("/v1/dictionary", headers=h).status_code == 401, h
        assert client.post("/v1/check", json={"text": TEXT}, headers=h).status_code == 401, h
        assert client.post("/v1/dictionary", json={"words": ["x"]}, headers=h).status_code == 401, h
        assert client.delete("/v1/dictionary", params={"word": "x"}, headers=h).status_code == 401, h
    assert client.post("/v2/check", data={"language": "vi", "text": TEXT, "apiKey": "wrong"}).status_code == 401


# --- tenants ---------------------------------------------------------------------------------------

def test_tenants_cannot_read_or_change_each_others_dictionaries(auth_client):
    client, _, _ = auth_client
    a, b = {"X-API-Key": KEY_A}, {"Authorization": f"Bearer {KEY_B}"}
    assert client.post("/v1/dictionary", json={"words": ["vảo", "Đăk Tô"]}, headers=a).json()["added"] == 2
    assert client.post("/v1/dictionary", json={"words": ["nhât"]}, headers=b).json()["added"] == 1
    # Reading: each sees only its own words, whatever it claims to be.
    assert sorted(client.get("/v1/dictionary", headers=a).json()["words"]) == ["vảo", "Đăk Tô"]
    assert client.get("/v1/dictionary", headers=b).json() == {"tenant": "beta", "words": ["nhât"], "count": 1}
    for trick in ({"tenant": "alpha"}, {"apiKey": KEY_A}):       # a query parameter does not switch tenant
        r = client.get("/v1/dictionary", params=trick, headers=b)
        assert r.json()["tenant"] == "beta" and r.json()["words"] == ["nhât"]
    # Writing: a body naming another tenant is refused; deleting another tenant's word removes nothing.
    assert client.post("/v1/dictionary", json={"words": ["x"], "tenant": "alpha"}, headers=b).status_code == 422
    assert client.delete("/v1/dictionary", params={"word": "vảo"}, headers=b).json()["removed"] == 0
    assert client.request("DELETE", "/v1/dictionary", json={"words": ["Đăk Tô"]}, headers=b).json()["removed"] == 0
    assert sorted(client.get("/v1/dictionary", headers=a).json()["words"]) == ["vảo", "Đăk Tô"]
    # Checking: one tenant's words do not silence another tenant's typos.
    flagged = lambda h: {i["text"] for i in client.post("/v1/check", json={"text": TEXT + " Quân chúng nhât dân."},  # noqa: E731
                                                         headers=h).json()["issues"]}
    assert "vảo" not in flagged(a) and "nhât" in flagged(a)
    assert "vảo" in flagged(b) and "nhât" not in flagged(b)
    r = client.post("/v2/check", data={"language": "vi", "text": TEXT, "apiKey": KEY_B})
    assert any(m["context"]["text"][m["context"]["offset"]:][:3] == "vảo" for m in r.json()["matches"])


# --- rate limits under concurrency ---------------------------------------------------------------

@pytest.mark.parametrize("auth", [False, True])
def test_rate_limit_holds_under_concurrency(checker, tmp_path, auth):  # noqa: F811
    per_minute, burst, n = 30.0, 5, 48          # refill: one token every 2 s
    kw = dict(auth=True, api_keys=KEYS) if auth else {}
    app = create_app(Settings(db_path=tmp_path / "d.sqlite3", rate_limit_per_minute=per_minute,
                              rate_limit_burst=burst, **kw), checker=checker)
    headers = {"X-API-Key": KEY_A} if auth else {}
    with LiveServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30,
                                              limits=httpx.Limits(max_connections=n)) as http:
        start = threading.Barrier(n)

        def hit(k: int) -> int:
            start.wait()
            if k % 2:
                return http.post("/v1/check", json={"text": "a"}, headers=headers).status_code
            return http.post("/v2/check", data={"language": "vi", "text": "a"}, headers=headers).status_code
        t0 = time.monotonic()
        with ThreadPoolExecutor(n) as pool:
            codes = list(pool.map(hit, range(n)))
        elapsed = time.monotonic() - t0
        allowed = burst + elapsed * per_minute / 60.0
        assert set(codes) <= {200, 429}, codes
        assert codes.count(200) <= allowed, (codes.count(200), allowed)
        assert codes.count(200) >= burst - 1                  # the bucket is actually used
        if auth:                                             # another key has its own bucket
            assert http.get("/v1/dictionary", headers={"X-API-Key": KEY_B}).status_code == 200
        r = http.get("/v1/dictionary", headers=headers)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


# --- path traversal ----------------------------------------------------------------------------------

TRAVERSALS = [
    "/static/../../etc/passwd", "/../../../../etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd", "/..%2fapp.py",
    "/..%2f__init__.py", "/%2e%2e/app.py", "/..\\app.py", "/..%5capp.py", "/....//....//etc/passwd",
    "/app.js/../../app.py", "/static/..%252f..%252fetc/passwd", "//etc/passwd", "/%2fetc%2fpasswd",
    "/index.html%00.txt", "/..%c0%af..%c0%afetc/passwd", "/.%2e/.%2e/.%2e/etc/passwd", "/../config.py",
    "/static/%2e%2e/auth.py", "/v2/../../app.py",
]


def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte (HTTP clients normalise '..' away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture(scope="module")
def live(checker, tmp_path_factory):  # noqa: F811
    app = create_app(Settings(db_path=tmp_path_factory.mktemp("sec") / "d.sqlite3"), checker=checker)
    with LiveServer(app) as srv:
        yield srv


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_path_traversal(live, target):
    status, body = _raw_get(live.port, target)
    assert b"root:x:0:0" not in body and b"def create_app" not in body and b"import " not in body, (status, body[:200])
    assert status in (400, 404, 405, 422) or (status == 200 and body.startswith(b"<!doctype html>")), status


def test_static_files_still_served(live):
    assert _raw_get(live.port, "/")[0] == 200
    assert _raw_get(live.port, "/app.js")[0] == 200
    assert b"escapeHtml" in _raw_get(live.port, "/app.js")[1]


def test_no_cors_by_default(live):
    r = httpx.get(live.url + "/v1/rules", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


# --- the page escapes pasted HTML (real browser) ---------------------------------------------------

CHROMIUM = os.environ.get("VNPROOF_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PAYLOADS = ['<img src=x onerror="window.__xss=1">', '"><svg onload="window.__xss=2">',
            "<script>window.__xss=3</script>", "</textarea><img src=x onerror=window.__xss=4>",
            "<iframe srcdoc=\"<script>parent.__xss=5</script>\"></iframe>", "&lt;img src=x onerror=window.__xss=6&gt;"]


def test_page_never_runs_pasted_html(live):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    text = f"{PAYLOADS[0]} Ông ấy vảo tôi đi họp. " + " ".join(PAYLOADS[1:]) + " Quân chúng nhât dân."
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(live.url + "/")
            page.locator("#text").fill(text)
            at = text.index("vảo")
            page.locator(f'mark.issue[data-offset="{at}"]').wait_for()
            page.locator("body[data-state=idle]").wait_for(state="attached")
            # Open the popup of the flagged word too (message, fixes) and the issue list.
            page.locator("#issue-list button").first.click()
            page.locator("#popup").wait_for(state="visible")
            page.wait_for_timeout(300)
            assert page.evaluate("() => typeof window.__xss") == "undefined"
            assert dialogs == []
            # The pasted markup is shown as text, never parsed into elements.
            assert page.evaluate("() => document.querySelectorAll('#highlights img, #highlights svg, "
                                 "#highlights script, #highlights iframe, aside img').length") == 0
            assert PAYLOADS[0] in page.locator("#highlights").inner_text()
            assert page.locator("#text").input_value() == text
        finally:
            browser.close()


# --- loopback by default --------------------------------------------------------------------------

def test_serve_binds_loopback_by_default(monkeypatch, tmp_path):
    import uvicorn

    from service import cli
    from service.config import get_settings
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("VNPROOF_DB_PATH", str(tmp_path / "d.sqlite3"))
    get_settings.cache_clear()
    try:
        assert cli.main([]) == 0
    finally:
        get_settings.cache_clear()
    assert seen["host"] == "127.0.0.1"
    assert seen["timeout_keep_alive"] > 0 and seen["h11_max_incomplete_event_size"] > 0
    assert issubclass(seen["http"], cli.GuardedH11Protocol)
    # Only an explicit --host opens it up.
    assert cli.main(["--host", "0.0.0.0"]) == 0 and seen["host"] == "0.0.0.0"
