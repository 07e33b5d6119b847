"""The per-paragraph result cache (`VNPROOF_RESULT_CACHE_MB`): answers equal to a service without it."""
from __future__ import annotations

import random
import threading
import time
from dataclasses import fields, replace

import pytest
from fastapi.testclient import TestClient

from conftest_service import article, checker  # noqa: F401  (fixtures)
from vnproof import Issue
from newsroom_corpus import LOCAL_NAME, LOCAL_SENTENCE, build_model, tar_of
from service import checking
from service.app import create_app
from service.auth import hash_key
from service.config import Settings
from service.result_cache import ResultCache, shifted

EMOJI = "👩‍💻🎉 "   # astral characters: UTF-16 offsets differ from code points
A = {"X-API-Key": "key-a"}
KEYS = {"a": hash_key("key-a"), "b": hash_key("key-b")}


@pytest.fixture
def pair(checker, tmp_path):  # noqa: F811
    """(cached, uncached) clients of two apps over one store and one house-model folder."""
    def make(mb: float) -> TestClient:
        c = TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite3", models_dir=tmp_path / "models",
                                           result_cache_mb=mb, auth=True, api_keys=KEYS,
                                           admin_key_sha256=hash_key("admin-key")), checker=checker))
        c.__enter__()
        return c
    cached, plain = make(64), make(0)
    yield cached, plain
    for c in (cached, plain):
        c.__exit__(None, None, None)


def v2(client: TestClient, text: str, **form) -> dict:
    r = client.post("/v2/check", data={"language": "vi", "text": text, **form}, headers=A)
    assert r.status_code == 200, r.text
    return r.json()


def v1(client: TestClient, **body) -> dict:
    r = client.post("/v1/check", json=body, headers=A)
    assert r.status_code == 200, r.text
    out = r.json()
    out.pop("seconds")
    return out


def same(pair, text: str, **form) -> dict:
    """Both surfaces, cached and not, answer alike; the cached /v2 answer."""
    cached, plain = pair
    got = v2(cached, text, **form)
    assert got == v2(plain, text, **form)
    assert v1(cached, text=text) == v1(plain, text=text)
    return got


def utf16_slice(text: str, offset: int, length: int) -> str:
    u = text.encode("utf-16-le")
    return u[2 * offset:2 * (offset + length)].decode("utf-16-le")


def edits(text: str) -> list[str]:
    """An editor's session: a slip typed in one paragraph, paragraphs inserted, moved and deleted,
    the line breaks turned into CRLF, astral characters before a paragraph."""
    lines = text.splitlines()
    out = [text]
    lines[1] += " Người dân vảo vệ nhât."
    out.append("\n".join(lines))
    lines.insert(2, "Đoạn mới: các cơ quan đã tập trung cải tại quy trình.")
    out.append("\n".join(lines))
    lines.insert(0, lines.pop(3))                       # a paragraph moved to the top
    out.append("\n".join(lines))
    del lines[1]
    out.append("\n".join(lines))
    out.append("\r\n".join(lines))
    out.append("\r\n".join(lines[:2] + [EMOJI + lines[2]] + lines[3:]))
    out.append("\n".join(lines[:2] + ["", EMOJI * 3, EMOJI + lines[2]] + lines[3:]) + "\n")
    return out


def test_an_editing_session_gets_the_answers_of_an_uncached_service(pair, article):  # noqa: F811
    cached, _ = pair
    for text in edits(article):
        body = same(pair, text)
        assert body["matches"]
        for m in body["matches"]:   # offsets point into the text as sent (UTF-16 units)
            assert utf16_slice(text, m["offset"], m["length"]) == m["context"]["text"][
                m["context"]["offset"]:m["context"]["offset"] + m["context"]["length"]]
    stats = cached.app.state.result_cache.stats()
    assert stats["hits"] > stats["misses"] > 0             # most paragraphs came from the cache
    emoji = edits(article)[-1]
    for i in v1(cached, text=emoji)["issues"]:
        assert emoji[i["offset"]:i["offset"] + i["length"]] == i["text"]
        assert utf16_slice(emoji, i["utf16_offset"], i["utf16_length"]) == i["text"]


def test_the_two_passes_find_what_one_pass_finds(checker, article):  # noqa: F811
    def key(i):
        return (i.offset, i.length, i.rule_id, i.replacements, i.message, i.confidence)
    for text in edits(article):
        for level in ("default", "picky"):
            got, cut = checking.check_text(checker, text, {"level": level}, None, time.perf_counter() + 60)
            assert not cut and list(map(key, got)) == list(map(key, checker.check(text, level=level)))


def test_options_are_part_of_the_key(pair, article):  # noqa: F811
    base = same(pair, article)
    picky = same(pair, article, level="picky")
    assert picky != base
    rule = base["matches"][0]["rule"]["id"]
    fewer = same(pair, article, disabledRules=rule)
    assert rule not in {m["rule"]["id"] for m in fewer["matches"]}
    only = same(pair, article, enabledRules=rule, enabledOnly="true")
    assert {m["rule"]["id"] for m in only["matches"]} == {rule}
    assert same(pair, article) == base
    cached, plain = pair
    body = {"text": article, "dictionary": ["vảo", "nhât"]}
    got = v1(cached, **body)
    assert got == v1(plain, **body) and not {"vảo", "nhât"} & {i["text"] for i in got["issues"]}


def test_a_tenant_dictionary_or_threshold_change_is_never_answered_from_the_cache(pair, article):  # noqa: F811
    cached, plain = pair
    assert "vảo" in {utf16_slice(article, m["offset"], m["length"]) for m in same(pair, article)["matches"]}
    assert cached.post("/v1/dictionary", json={"words": ["vảo"]}, headers=A).status_code == 200
    after = same(pair, article)
    assert "vảo" not in {utf16_slice(article, m["offset"], m["length"]) for m in after["matches"]}
    cached.delete("/v1/dictionary", params={"word": "vảo"}, headers=A)
    assert "vảo" in {utf16_slice(article, m["offset"], m["length"]) for m in same(pair, article)["matches"]}
    # The tenant's calibrated threshold: 1.0 silences the context model's doubts.
    before = {i["text"] for i in v1(cached, text=article)["issues"] if i["rule_id"] == "VI_SPELLING_CONTEXT"}
    assert before
    r = cached.put("/v1/admin/tenants/a", json={"threshold": 1.0}, headers={"Authorization": "Bearer admin-key"})
    assert r.status_code == 200, r.text
    now = v1(cached, text=article)
    assert now == v1(plain, text=article)
    assert {i["text"] for i in now["issues"] if i["rule_id"] == "VI_SPELLING_CONTEXT"} < before


def test_a_new_house_model_is_never_answered_from_the_cache(pair, tmp_path):
    cached, plain = pair
    text = LOCAL_SENTENCE + "\n" + "Người dân vảo vệ an ninh."
    first = v1(cached, text=text)
    assert LOCAL_NAME in {i["text"] for i in first["issues"]}
    r = cached.put("/v1/models/house", content=tar_of(build_model(tmp_path / "house")), headers=A)
    assert r.status_code == 201, r.text
    now = v1(cached, text=text)
    assert now == v1(plain, text=text) and LOCAL_NAME not in {i["text"] for i in now["issues"]}
    assert "vảo" in {i["text"] for i in now["issues"]}


def test_the_cache_stays_within_its_bound():
    cache = ResultCache(20_000)
    issues = [Issue(0, 3, "vảo", ["vào"], "VI_SPELLING_CONTEXT", "spelling", "Có phải «vào»?",
                                    "Did you mean “vào”?")]
    for n in range(500):
        cache.put((1, "o", f"Đoạn {n}: người dân vảo vệ."), f"Đoạn {n}: người dân vảo vệ.", issues)
        assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache) < 500
    assert cache.get((1, "o", "Đoạn 0: người dân vảo vệ.")) is None                  # evicted first
    assert cache.get((1, "o", "Đoạn 499: người dân vảo vệ.")) == issues
    cache.put((1, "o", "x" * 30_000), "x" * 30_000, [])                             # larger than the bound
    assert cache.get((1, "o", "x" * 30_000)) is None and cache.bytes <= cache.max_bytes


def test_a_small_cache_through_the_service_stays_bounded_and_right(checker, tmp_path, article):  # noqa: F811
    settings = Settings(db_path=tmp_path / "db.sqlite3", result_cache_mb=0.01)       # ~10 kB
    with TestClient(create_app(settings, checker=checker)) as c, \
            TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite3", result_cache_mb=0), checker=checker)) as p:
        for text in edits(article) * 2:
            a = c.post("/v2/check", data={"language": "vi", "text": text}).json()
            assert a == p.post("/v2/check", data={"language": "vi", "text": text}).json()
            cache = c.app.state.result_cache
            assert 0 < cache.bytes <= cache.max_bytes
        assert len(p.app.state.result_cache) == 0 and not p.app.state.result_cache.enabled


def test_results_cut_by_the_time_budget_are_not_kept(checker, tmp_path, article):  # noqa: F811
    with TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite3", time_budget=1e-6), checker=checker)) as c:
        body = c.post("/v2/check", data={"language": "vi", "text": article}).json()
        assert body["warnings"]["incompleteResults"] is True
        assert len(c.app.state.result_cache) == 0


def test_cached_issues_are_not_shared_with_callers(checker, article):  # noqa: F811
    cache = ResultCache(1 << 20)
    deadline = time.perf_counter() + 60
    first, _ = checking.check_text(checker, article, {"level": "default"}, cache, deadline)
    for i in first:
        i.extra["more"] = 99
        i.replacements.append("?")
    again, _ = checking.check_text(checker, article, {"level": "default"}, cache, deadline)
    assert again == checker.check(article) and all("more" not in i.extra for i in again)


def test_threads_share_the_cache_safely(checker, article):  # noqa: F811
    cache = ResultCache(256 * 1024)   # small enough to evict while the threads run
    texts = edits(article)
    want = {t: checker.check(t) for t in texts}
    errors: list[str] = []

    def work(seed: int) -> None:
        rnd = random.Random(seed)
        for _ in range(12):
            t = rnd.choice(texts)
            got, _ = checking.check_text(checker, t, {"level": "default"}, cache, time.perf_counter() + 60)
            if got != want[t]:
                errors.append(t)
    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and cache.stats()["hits"] > 0 and cache.bytes <= cache.max_bytes


def test_shifted_copies_keep_every_field():
    """`shifted` builds its copies field by field: a field added to Issue must be added there too."""
    assert [f.name for f in fields(Issue)] == ["offset", "length", "text", "replacements", "rule_id", "category",
                                               "message", "message_en", "confidence", "short_message", "picky",
                                               "extra"]
    i = Issue(4, 3, "hoc", ["học"], "VI_SPELLING_NONWORD", "spelling", "m", "m en", 0.7, "short", True, {"more": 2})
    (j,) = shifted([i], 10)
    assert j == replace(i, offset=14) and j.extra == i.extra
    assert j.replacements is not i.replacements and j.extra is not i.extra
