"""HTTP service: native and LanguageTool-compatible APIs, limits, auth, dictionaries (in-process)."""
from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given, strategies as st
from fastapi.testclient import TestClient

from conftest_service import article, checker  # noqa: F401  (fixtures)
from service.app import create_app
from service.auth import hash_key
from service.config import Settings
from service.dictionary import DictionaryStore

EMOJI = "👩‍💻🎉 "   # astral characters (and a ZWJ): UTF-16 offsets differ from code points


@pytest.fixture
def make_client(checker, tmp_path):
    clients = []

    def make(**kw) -> TestClient:
        kw.setdefault("db_path", tmp_path / "dict.sqlite3")
        c = TestClient(create_app(Settings(**kw), checker=checker))
        c.__enter__()
        clients.append(c)
        return c
    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def utf16_slice(text: str, offset: int, length: int) -> str:
    return text.encode("utf-16-le")[2 * offset:2 * (offset + length)].decode("utf-16-le")


def test_health_ready_openapi(client):
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/ready").json() == {"status": "ready", "checker": True, "dictionary": True}
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/check", "/v2/check", "/v2/languages", "/v1/dictionary"} <= set(paths)
    assert "vảo" not in client.get("/").text and client.get("/").status_code == 200


def test_v1_check_article(client, article):
    r = client.post("/v1/check", json={"text": article})
    assert r.status_code == 200, r.text
    body = r.json()
    found = {i["text"]: i for i in body["issues"]}
    assert "vảo" in found and "nhât" in found
    vao = found["vảo"]
    assert "bảo" in vao["replacements"] and vao["category"] == "spelling"
    assert article[vao["offset"]:vao["offset"] + vao["length"]] == "vảo"
    assert body["counts"]["spelling"] >= 2 and body["incomplete"] is False


def test_v1_paragraphs_and_utf16(client):
    paras = ["Không có lỗi gì ở đây.", EMOJI + "Ông ấy vảo tôi đi họp."]
    body = client.post("/v1/check", json={"paragraphs": paras}).json()
    vao = next(i for i in body["issues"] if i["text"] == "vảo")
    assert vao["paragraph"] == 1
    p = paras[1]
    assert p[vao["offset"]:vao["offset"] + vao["length"]] == "vảo"
    assert vao["utf16_offset"] == vao["offset"] + 3   # two astral emoji before it
    assert utf16_slice(p, vao["utf16_offset"], vao["utf16_length"]) == "vảo"


def test_v2_shape_and_utf16_offsets(client, article):
    text = EMOJI + article
    r = client.post("/v2/check", data={"language": "vi", "text": text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["warnings"] == {"incompleteResults": False}
    assert body["language"]["code"] == "vi-VN" and body["language"]["detectedLanguage"]["code"] == "vi-VN"
    assert set(body["software"]) >= {"name", "version", "apiVersion"}
    by_text = {utf16_slice(text, m["offset"], m["length"]): m for m in body["matches"]}
    assert {"vảo", "nhât"} <= set(by_text)
    m = by_text["vảo"]
    assert {"value": "bảo"} in m["replacements"]
    assert set(m) >= {"message", "shortMessage", "replacements", "offset", "length", "context", "sentence",
                      "type", "rule"}
    ctx = m["context"]
    assert utf16_slice(ctx["text"], ctx["offset"], ctx["length"]) == "vảo"
    assert "vảo" in m["sentence"] and len(m["sentence"]) < 1500 and "\n" not in m["sentence"]
    assert m["type"] == {"typeName": "UnknownWord"}
    assert m["rule"]["category"] == {"id": "TYPOS", "name": m["rule"]["category"]["name"]}
    assert m["rule"]["issueType"] == "misspelling" and m["rule"]["id"] and m["rule"]["description"]
    for match in body["matches"]:
        assert match["rule"]["category"]["id"].isupper()


@pytest.mark.parametrize("lang", ["vi", "vi-VN", "auto"])
def test_v2_languages(client, lang):
    assert client.get("/v2/languages").json()[0] == {"name": "Vietnamese", "code": "vi", "longCode": "vi-VN"}
    assert client.post("/v2/check", data={"language": lang, "text": "Ông ấy vảo tôi."}).json()["matches"]


def test_v2_options(client):
    text = "Ông ấy vảo tôi đi họp."
    post = lambda **p: client.post("/v2/check", data={"language": "vi", "text": text, **p})  # noqa: E731
    rule = post().json()["matches"][0]["rule"]["id"]
    assert post(disabledCategories="TYPOS").json()["matches"] == []
    assert post(disabledRules=rule).json()["matches"] == []
    assert post(enabledOnly="true", enabledCategories="TYPOS").json()["matches"]
    assert post(enabledOnly="true", enabledRules="NO_SUCH_RULE").json()["matches"] == []
    assert post(level="picky").json()["matches"]
    assert post(enabledOnly="true").status_code == 400
    assert post(level="loud").status_code == 400
    r = client.post("/v2/check", data={"language": "en-US", "text": text})
    assert r.status_code == 400 and r.text.startswith("Error:")
    assert client.post("/v2/check", data={"text": text}).status_code == 400
    assert client.get("/v2/check", params={"language": "vi", "text": text}).json()["matches"]


def test_v2_annotated_data(client):
    data = {"annotation": [
        {"markup": "<p class=\"lead\">"}, {"text": EMOJI + "Ông ấy "}, {"markup": "<b>"},
        {"text": "vảo"}, {"markup": "</b>"}, {"text": " tôi đi họp."},
        {"markup": "</p><p>", "interpretAs": "\n\n"}, {"text": "Quân chúng nhât dân."}, {"markup": "</p>"}]}
    original = "".join(p.get("text", p.get("markup")) for p in data["annotation"])
    r = client.post("/v2/check", data={"language": "vi", "data": json.dumps(data)})
    assert r.status_code == 200, r.text
    got = [utf16_slice(original, m["offset"], m["length"]) for m in r.json()["matches"]]
    assert "vảo" in got and "nhât" in got
    assert not any("<" in g for g in got)
    bad = client.post("/v2/check", data={"language": "vi", "data": "{\"annotation\": [{\"oops\": 1}]}"})
    assert bad.status_code == 400 and "annotation" in bad.text


def test_size_limit_then_still_serving(make_client):
    client = make_client(max_text_chars=1000)
    r = client.post("/v2/check", data={"language": "vi", "text": "x" * 1001})
    assert r.status_code == 413 and "Split" in r.text
    r = client.post("/v1/check", json={"paragraphs": ["a" * 600, "b" * 600]})
    assert r.status_code == 413 and "Split" in r.json()["detail"]
    big = make_client()   # default limit, 2 MB body
    r = big.post("/v2/check", content=b"language=vi&text=" + b"a" * 2_000_000,
                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "100,000 characters" in r.text
    assert big.post("/v1/check", json={"text": "Ông ấy vảo tôi."}).json()["issues"]


def test_bad_bodies_are_4xx(client):
    cases = [
        client.post("/v1/check", content=b'{"text": "\xff\xfe"}', headers={"content-type": "application/json"}),
        client.post("/v1/check", content=b"text=abc", headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post("/v1/check", content=b"{not json", headers={"content-type": "application/json"}),
        client.post("/v1/check", json={"text": "a", "paragraphs": ["b"]}),
        client.post("/v1/check", json={"text": "a", "level": "loud"}),
        client.post("/v2/check", content=b"language=vi&text=%C3%28", headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post("/v2/check", content=b"language=vi&text=\xc3\x28", headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post("/v2/check", json={"language": "vi", "text": "a"}),
        client.post("/v2/check", data={"language": "vi", "data": "not json"}),
        client.post("/v1/dictionary", json={"words": [""]}),
        client.post("/v1/dictionary", json={"words": []}),
        client.get("/v2/check?language=vi&text=%FF%FE"),
        client.post("/v1/check", content=b'{"text": "a \\ud800 b"}', headers={"content-type": "application/json"}),
        client.delete("/v1/dictionary"),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.status_code, r.text)
        assert r.text
    assert "UTF-8" in cases[0].json()["detail"]
    assert cases[1].status_code == 415 and cases[7].status_code == 415


def test_time_budget_gives_partial_results(make_client, article):
    client = make_client(time_budget=1e-6)
    body = client.post("/v2/check", data={"language": "vi", "text": article}).json()
    assert body["warnings"]["incompleteResults"] is True
    assert client.post("/v1/check", json={"text": article}).json()["incomplete"] is True


def test_auth_and_rate_limit(make_client):
    with pytest.raises(ValueError):
        Settings(auth=True, api_keys={"alpha": "plain-key-not-a-digest"})
    client = make_client(auth=True, api_keys={"alpha": hash_key("key-a"), "beta": hash_key("key-b")},
                         rate_limit_per_minute=1, rate_limit_burst=3)
    body = {"text": "Ông ấy vảo tôi."}
    assert client.post("/v1/check", json=body).status_code == 401
    assert client.post("/v1/check", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    r = client.post("/v2/check", data={"language": "vi", "text": "x"})
    assert r.status_code == 401 and r.text.startswith("Error:")
    assert client.get("/health").status_code == 200   # no key needed
    assert client.post("/v1/check", json=body, headers={"Authorization": "Bearer key-a"}).status_code == 200
    assert client.post("/v2/check", data={"language": "vi", "text": "x", "apiKey": "key-a"}).status_code == 200
    assert client.get("/v1/dictionary", headers={"X-API-Key": "key-a"}).json()["tenant"] == "alpha"
    r = client.get("/v1/dictionary", headers={"X-API-Key": "key-a"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert client.get("/v1/dictionary", headers={"X-API-Key": "key-b"}).status_code == 200   # own bucket


def test_dictionary_per_tenant(make_client):
    client = make_client(auth=True, api_keys={"alpha": hash_key("key-a"), "beta": hash_key("key-b")})
    a, b = {"X-API-Key": "key-a"}, {"X-API-Key": "key-b"}
    text = {"text": "Ông ấy vảo tôi đi họp ở Đăk Tô."}
    flagged = lambda h: [i["text"] for i in client.post("/v1/check", json=text, headers=h).json()["issues"]]  # noqa: E731
    assert "vảo" in flagged(a)
    r = client.post("/v1/dictionary", json={"words": ["vảo", "Đăk Tô", "VẢO"]}, headers=a)
    assert r.json()["added"] == 2
    assert client.get("/v1/dictionary", headers=a).json()["words"] == ["vảo", "Đăk Tô"] or \
        sorted(client.get("/v1/dictionary", headers=a).json()["words"]) == sorted(["vảo", "Đăk Tô"])
    assert "vảo" not in flagged(a)           # applies to the next request
    assert "vảo" in flagged(b)               # other tenant unaffected
    assert client.get("/v1/dictionary", headers=b).json()["words"] == []
    assert client.delete("/v1/dictionary", params={"word": "VẢO"}, headers=a).json()["removed"] == 1
    assert "vảo" in flagged(a)
    r = client.request("DELETE", "/v1/dictionary", json={"words": ["Đăk Tô"]}, headers=a)
    assert r.json()["removed"] == 1 and client.get("/v1/dictionary", headers=a).json()["words"] == []


def test_dictionary_concurrent_writes_lose_nothing(tmp_path):
    path = tmp_path / "d.sqlite3"
    stores = [DictionaryStore(path), DictionaryStore(path)]   # as two worker processes would
    errors = []

    def writer(n: int) -> None:
        try:
            store = stores[n % 2]
            for k in range(40):
                store.add("t", [f"từ-{n}-{k}"])
        except Exception as e:  # pragma: no cover
            errors.append(e)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(stores[0].words("t")) == 8 * 40
    assert stores[1].remove("t", [f"từ-0-{k}" for k in range(40)]) == 40
    assert len(stores[0].words("t")) == 7 * 40


def test_cli_hash_key(capsys):
    from service.cli import main
    assert main(["--hash-key", "secret"]) == 0
    assert capsys.readouterr().out.strip() == hash_key("secret")


def test_request_dependencies_run_on_the_event_loop(client):
    """The checker, store, settings and tenant dependencies are coroutines: FastAPI runs a plain
    `def` dependency in its thread pool, a hand-off to a thread and back per dependency per
    request. And the app has no dependency override: with one, FastAPI rebuilds every dependency
    of a route (an `inspect.signature` each) on every request."""
    import inspect

    from service import auth, deps
    assert all(map(inspect.iscoroutinefunction, (deps.get_checker, deps.get_store, deps.app_settings,
                                                 auth._tenant, auth._writer)))
    assert not client.app.dependency_overrides
    assert client.post("/v2/check", data={"language": "vi", "text": "Ông ấy vảo tôi."}).status_code == 200


@given(st.text(), st.data())
def test_utf16_map_matches_python_encoding(text, data):
    from service.offsets import Utf16Map, utf16_len
    cp = data.draw(st.integers(0, len(text)))
    n = data.draw(st.integers(0, len(text) - cp))
    off, length = Utf16Map(text).span(cp, n)
    assert off == utf16_len(text[:cp]) == len(text[:cp].encode("utf-16-le")) // 2
    assert length == len(text[cp:cp + n].encode("utf-16-le")) // 2
