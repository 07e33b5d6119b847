"""The service over a real loopback socket: a real LanguageTool client, big bodies, concurrent writes."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest_service import article, checker, live_server  # noqa: F401  (fixtures)


def test_language_tool_python_client(live_server, article):
    language_tool_python = pytest.importorskip("language_tool_python")
    tool = language_tool_python.LanguageTool("vi", remote_server=live_server.url)
    try:
        matches = tool.check(article)
        found = {article[m.offset:m.offset + m.error_length]: m for m in matches}
        assert {"vảo", "nhât"} <= set(found)
        assert "bảo" in found["vảo"].replacements
        assert found["vảo"].category == "TYPOS" and found["vảo"].rule_issue_type == "misspelling"
        # Emoji before the typo: the client maps LanguageTool's UTF-16 offsets back to code points.
        text = "😀🎉 Ông ấy vảo tôi đi họp."
        m = next(m for m in tool.check(text) if "bảo" in m.replacements or "vào" in m.replacements)
        assert text[m.offset:m.offset + m.error_length] == "vảo"
        tool.disabled_categories = {"TYPOS"}
        assert tool.check(text) == []
    finally:
        tool.close()


def test_2mb_body_gets_413_and_server_keeps_serving(live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        r = http.post("/v2/check", content=b"language=vi&text=" + b"a" * (2 * 1024 * 1024),
                      headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413 and "Split" in r.text
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        assert http.get("/health").status_code == 200
        assert http.post("/v2/check", data={"language": "vi", "text": "Ông ấy vảo tôi."}).json()["matches"]


def test_anonymous_callers_cannot_change_the_shared_dictionary(live_server):
    """With API keys off (the default) the dictionary is read-only: 403, saying what is needed."""
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        for r in (http.post("/v1/dictionary", json={"words": ["vảo"]}),
                  http.delete("/v1/dictionary", params={"word": "vảo"}),
                  http.request("DELETE", "/v1/dictionary", json={"words": ["vảo"]})):
            assert r.status_code == 403, r.text
            assert "API key with write rights" in r.json()["detail"]
        assert http.get("/v1/dictionary").json()["words"] == []
        # Words for one's own use still work, per request.
        r = http.post("/v1/check", json={"text": "Ông ấy vảo tôi.", "dictionary": ["vảo"]})
        assert r.status_code == 200 and not [i for i in r.json()["issues"] if i["text"] == "vảo"]


@pytest.fixture(scope="module")
def keyed_server(checker, tmp_path_factory):
    from conftest_service import LiveServer
    from service.app import create_app
    from service.auth import hash_key
    from service.config import Settings

    db = tmp_path_factory.mktemp("keyed") / "dict.sqlite3"
    settings = Settings(db_path=db, auth=True, api_keys={"desk": hash_key("desk-key"), "reader": hash_key("read-key")},
                        read_only_tenants=["reader"])
    with LiveServer(create_app(settings, checker=checker)) as srv:
        yield srv


def test_read_only_key_cannot_write(keyed_server):
    with httpx.Client(base_url=keyed_server.url, timeout=30, headers={"X-API-Key": "read-key"}) as http:
        assert http.get("/v1/dictionary").status_code == 200
        r = http.post("/v1/dictionary", json={"words": ["x"]})
        assert r.status_code == 403 and "write rights" in r.json()["detail"]


def test_concurrent_dictionary_writes_over_http(keyed_server):
    words = [f"tên-riêng-{n}" for n in range(120)]
    with httpx.Client(base_url=keyed_server.url, timeout=30, headers={"X-API-Key": "desk-key"}) as http:
        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda w: http.post("/v1/dictionary", json={"words": [w]}).status_code, words))
        assert results == [200] * len(words)
        stored = set(http.get("/v1/dictionary").json()["words"])
        assert set(words) <= stored
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda w: http.delete("/v1/dictionary", params={"word": w}), words[:60]))
        stored = set(http.get("/v1/dictionary").json()["words"])
        assert stored >= set(words[60:]) and not stored & set(words[:60])


def test_vnproof_serve_cli(tmp_path):
    """`vnproof serve --port P` starts uvicorn; the issue's curl example works, emoji included."""
    import os
    import subprocess
    import sys
    import time

    from conftest_service import free_port

    port = free_port()
    env = dict(os.environ, VNPROOF_DB_PATH=str(tmp_path / "d.sqlite3"))
    proc = subprocess.Popen([sys.executable, "-m", "vnproof.cli", "serve", "--port", str(port),
                             "--log-level", "warning"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
            time.sleep(0.1)
        text = "😀🎉 Ông ấy vảo tôi đi họp."
        body = httpx.post(url + "/v2/check", data={"language": "vi", "text": text}).json()
        m = body["matches"][0]
        assert text.encode("utf-16-le")[2 * m["offset"]:2 * (m["offset"] + m["length"])].decode("utf-16-le") == "vảo"
    finally:
        proc.terminate()
        proc.wait(10)
