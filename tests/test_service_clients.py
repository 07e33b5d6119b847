"""Third-party LanguageTool clients against a live server: language_tool_python and pyLanguagetool,
the rule pages their matches link to, `/v2/words` and `language=auto` (shipped data only)."""
from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from conftest_service import ARTICLE_PATH, LiveServer, article, checker, live_server  # noqa: F401

ENGLISH = "The committee said the new budget was approved on Monday and will take effect in July."


def test_language_tool_python_with_mother_tongue(live_server, article):
    language_tool_python = pytest.importorskip("language_tool_python")
    tool = language_tool_python.LanguageTool("vi", remote_server=live_server.url, mother_tongue="en-US")
    try:
        matches = tool.check(article)
        found = {article[m.offset:m.offset + m.error_length]: m for m in matches}
        assert {"vảo", "nhât"} <= set(found)
        assert "bảo" in found["vảo"].replacements
        assert tool.correct("Toàn dân vảo vệ an ninh.") == "Toàn dân bảo vệ an ninh."
        tool.preferred_variants = {"vi-VN"}
        assert tool.check("Toàn dân vảo vệ an ninh.")
    finally:
        tool.close()


def test_pylanguagetool_explains_rules(live_server):
    pytest.importorskip("pylanguagetool")
    run = subprocess.run([sys.executable, "-c", "from pylanguagetool.cli import main; main()",
                          "-a", live_server.url + "/v2/", "-l", "vi", "-m", "en-US", "-u", "-r", "--no-color",
                          str(ARTICLE_PATH)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr          # 1: issues found
    assert "vảo" in run.stdout and "Traceback" not in run.stderr
    urls = [w for w in run.stdout.split() if w.startswith(live_server.url + "/rules/")]
    assert urls
    page = httpx.get(urls[0])
    assert page.status_code == 200 and "<mark>" in page.text   # a wrong example with its span marked


def test_every_rule_url_serves_a_page(live_server):
    with httpx.Client(base_url=live_server.url) as http:
        for r in http.get("/v1/rules").json()["rules"]:
            page = http.get(f"/rules/{r['id']}")
            assert page.status_code == 200 and r["description"] in page.text
        assert http.get("/rules/NO_SUCH_RULE").status_code == 404


def test_auto_detects_english_and_flags_no_spelling_in_it(live_server):
    with httpx.Client(base_url=live_server.url) as http:
        body = http.post("/v2/check", data={"language": "auto", "text": ENGLISH}).json()
        assert body["language"]["detectedLanguage"]["code"] == "en-US" and body["matches"] == []
        mixed = "Ông ấy vảo tôi đi họp.\n" + ENGLISH + " Researchers teh results."
        body = http.post("/v2/check", data={"language": "auto", "text": mixed}).json()
        spelled = [m for m in body["matches"] if m["rule"]["category"]["id"] == "TYPOS"]
        assert [mixed[m["offset"]:m["offset"] + m["length"]] for m in spelled] == ["vảo"]
        body = http.post("/v2/check", data={"language": "auto", "text": "Ông ấy vảo tôi đi họp."}).json()
        assert body["language"]["detectedLanguage"]["code"] == "vi-VN"


def test_v2_words_needs_a_key_to_write(live_server, checker, tmp_path):
    """Keys off: the one shared dictionary is read-only. Keys on: each key writes its tenant's."""
    from service.app import create_app
    from service.auth import hash_key
    from service.config import Settings

    with httpx.Client(base_url=live_server.url) as http:
        r = http.post("/v2/words/add", data={"word": "sử"})
        assert r.status_code == 403 and r.text.startswith("Error:") and "key" in r.text
        assert "sử" not in http.get("/v2/words").json()["words"]
    settings = Settings(db_path=tmp_path / "d.sqlite3", auth=True,
                        api_keys={"a": hash_key("key-a"), "b": hash_key("key-b")})
    with LiveServer(create_app(settings, checker=checker)) as srv, httpx.Client(base_url=srv.url) as http:
        text = "Toàn dân vảo vệ an ninh."
        flagged = lambda key: [m for m in http.post("/v2/check", data={  # noqa: E731
            "language": "vi", "text": text, "apiKey": key}).json()["matches"] if m["offset"] == 9]
        assert flagged("key-a") and flagged("key-b")
        assert http.post("/v2/words/add", data={"word": "vảo", "username": "a", "apiKey": "key-a"}).json() == \
            {"added": True}
        assert http.get("/v2/words", params={"apiKey": "key-a"}).json()["words"] == ["vảo"]
        assert http.get("/v2/words", params={"apiKey": "key-b"}).json()["words"] == []
        assert not flagged("key-a") and flagged("key-b")
        assert http.post("/v2/words/delete", data={"word": "vảo", "apiKey": "key-a"}).json() == {"deleted": True}
        assert flagged("key-a")
        assert http.post("/v2/words/add", data={"word": "x", "apiKey": "wrong"}).status_code == 401
