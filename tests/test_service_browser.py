"""The proofreading page in a real headless Chromium (Debian's package, driven by Playwright)."""
from __future__ import annotations

import os

import httpx
import pytest

from conftest_service import LiveServer, article, checker, live_server  # noqa: F401  (fixtures)

CHROMIUM = os.environ.get("VNPROOF_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(browser, live_server):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.set_default_timeout(15_000)
    pg.goto(live_server.url + "/")
    yield pg
    pg.close()


def _settle(page) -> None:
    """Wait until no check is debouncing or in flight."""
    page.locator("body[data-state=idle]").wait_for(state="attached")


def _mark(page, offset: int):
    return page.locator(f'mark.issue[data-offset="{offset}"]')


def _apply(page, offset: int, fix: str) -> None:
    """Click the underlined word as a user would (on the text, over its underline), then the fix."""
    mark = _mark(page, offset)
    mark.scroll_into_view_if_needed()
    page.evaluate("([o]) => { const t = document.getElementById('text');"
                  " const m = document.querySelector(`mark[data-offset='${o}']`);"
                  " t.scrollTop = m.offsetTop - 100; t.dispatchEvent(new Event('scroll')); }", [offset])
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#popup").wait_for(state="visible")
    page.locator(f'#popup-fixes button.fix[data-value="{fix}"]').click()
    page.locator("#popup").wait_for(state="hidden")


def test_paste_underline_and_fix(page, article):
    # The seed article has no characters outside the BMP, so code points == UTF-16 units here.
    assert all(ord(c) <= 0xFFFF for c in article)
    vao = article.index("vảo")
    page.locator("#text").fill(article)          # what a paste does to the textarea
    _settle(page)
    _mark(page, vao).wait_for()
    assert page.locator("mark.issue").count() >= 2
    assert _mark(page, vao).inner_text() == "vảo"
    assert page.locator("#counts li[data-category=spelling]").inner_text().startswith("Chính tả")
    assert "vảo" in page.locator("#issue-list").inner_text()

    _apply(page, vao, "bảo")
    fixed = article[:vao] + "bảo" + article[vao + 3:]
    assert page.locator("#text").input_value() == fixed

    # "huyện đại" (→ "hiện đại"): check its fix too once the checker flags it.
    _settle(page)
    assert page.locator("#text").input_value() == fixed and _mark(page, vao).count() == 0
    huyen = fixed.index("huyện đại")
    if _mark(page, huyen).count():
        _apply(page, huyen, "hiện")
        assert page.locator("#text").input_value() == fixed[:huyen] + "hiện" + fixed[huyen + 5:]


def _click_mark(page, offset: int) -> None:
    box = _mark(page, offset).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#popup").wait_for(state="visible")


def _other_client_flags(url: str, text: str, word: str, key: str | None = None) -> bool:
    data = {"language": "vi", "text": text, **({"apiKey": key} if key else {})}
    matches = httpx.post(url + "/v2/check", data=data).json()["matches"]
    return any(text[m["offset"]:m["offset"] + m["length"]] == word for m in matches)


def test_ignore_lasts_and_anonymous_words_stay_in_the_browser(page, live_server):
    text = "Ông ấy vảo tôi đi họp."
    page.locator("#text").fill(text)
    at = text.index("vảo")
    _mark(page, at).wait_for()
    _click_mark(page, at)
    page.locator("#ignore").click()
    assert _mark(page, at).count() == 0
    page.reload()                                  # ignore lasts beyond the session
    assert "vảo" in page.locator("#my-ignored").inner_text()
    full = text + " Quân chúng nhât dân."
    at2 = full.index("nhât")
    page.locator("#text").fill(full)
    _mark(page, at2).wait_for()
    assert _mark(page, at).count() == 0
    _click_mark(page, at2)
    page.locator("#add-word").click()
    _mark(page, at2).wait_for(state="detached")   # re-checked with the browser's own list
    assert "trình duyệt" in page.locator("#note").inner_text()
    assert "nhât" in page.locator("#my-words").inner_text()
    # Nothing changed on the server: another client still gets the word flagged.
    assert httpx.get(live_server.url + "/v1/dictionary").json()["words"] == []
    assert _other_client_flags(live_server.url, full, "nhât")
    page.locator('#my-words button[data-value="nhât"]').click()   # remove it again
    _mark(page, at2).wait_for()
    page.locator('#my-ignored button.unignore').click()
    _mark(page, at).wait_for()


def test_apply_all_copy_and_docx_upload(page, tmp_path):
    docx = pytest.importorskip("docx")
    paras = ["Toàn dân vảo vệ an ninh Tổ quốc.", "Đây là trách nhiệm của của lực lượng Công an."]
    doc = docx.Document()
    for p in paras:
        doc.add_paragraph(p)
    doc.save(tmp_path / "bai.docx")
    text = "\n".join(paras)
    page.locator("#text").fill("")
    page.locator("#file").set_input_files(str(tmp_path / "bai.docx"))
    page.wait_for_function("(t) => document.getElementById('text').value === t", arg=text)
    _settle(page)
    _mark(page, text.index("vảo")).wait_for()
    shown = sorted(int(o) for o in page.eval_on_selector_all("mark.issue", "ms => ms.map(m => m.dataset.offset)"))
    same = httpx.post(page.url.rstrip("/") + "/v1/check", json={"text": text}).json()["issues"]
    assert shown == sorted(i["utf16_offset"] for i in same)     # the same underlines as the text itself
    sure = [i for i in same if i["confidence"] >= 0.9 and i["replacements"]]
    assert sure                                      # "của của" at least (a rule, confidence 0.9)
    page.locator("#apply-all").click()
    expected = text
    for i in sorted(sure, key=lambda i: -i["offset"]):
        expected = expected[:i["offset"]] + i["replacements"][0] + expected[i["offset"] + i["length"]:]
    assert page.locator("#text").input_value() == expected
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == expected


def test_keyed_user_writes_their_tenant_dictionary(browser, checker, tmp_path):
    from service.app import create_app
    from service.auth import hash_key
    from service.config import Settings

    settings = Settings(db_path=tmp_path / "d.sqlite3", auth=True,
                        api_keys={"toa-soan": hash_key("key-a"), "khac": hash_key("key-b")})
    with LiveServer(create_app(settings, checker=checker)) as srv:
        pg = browser.new_page()
        pg.set_default_timeout(15_000)
        pg.goto(srv.url + "/")
        text = "Quân chúng nhât dân."
        at = text.index("nhât")
        pg.locator("#text").fill(text)
        pg.locator("#key-box").wait_for(state="visible")      # 401: the page asks for a key
        pg.locator("#api-key").fill("key-a")
        pg.locator("#api-key").dispatch_event("change")
        _mark(pg, at).wait_for()
        _click_mark(pg, at)
        pg.locator("#add-word").click()
        _mark(pg, at).wait_for(state="detached")
        assert "tổ chức" in pg.locator("#note").inner_text()
        assert httpx.get(srv.url + "/v1/dictionary", headers={"X-API-Key": "key-a"}).json()["words"] == ["nhât"]
        assert not _other_client_flags(srv.url, text, "nhât", "key-a")
        assert _other_client_flags(srv.url, text, "nhât", "key-b")   # another tenant: unchanged
        pg.close()


def test_editors_decisions_are_sent_only_when_the_tenant_records_them(browser, checker, tmp_path):
    from service.app import create_app
    from service.auth import hash_key
    from service.config import Settings

    settings = Settings(db_path=tmp_path / "d.sqlite3", auth=True,
                        api_keys={"on": hash_key("key-on"), "off": hash_key("key-off")})
    app = create_app(settings, checker=checker)
    app.state.store.set_setting("on", "feedback", "on")
    text = "Quân chúng nhât dân. Ông ấy vảo tôi đi họp."
    sent: dict[str, int] = {}
    with LiveServer(app) as srv:
        for key in ("key-off", "key-on"):
            pg = browser.new_page()
            pg.set_default_timeout(15_000)
            pg.on("request", lambda r, k=key: sent.__setitem__(k, sent.get(k, 0) + ("/v1/feedback" in r.url)))
            pg.goto(srv.url + "/")
            pg.evaluate("([k]) => localStorage.setItem('vnproof-key', k)", [key])
            pg.reload()
            pg.locator("#text").fill(text)
            _mark(pg, text.index("nhât")).wait_for()
            _apply(pg, text.index("nhât"), "nhân")
            _settle(pg)
            _click_mark(pg, text.index("vảo"))
            pg.locator("#ignore").click()
            pg.wait_for_timeout(300)   # the decisions are sent without waiting for an answer
            pg.close()
        store = app.state.store
        assert sent == {"key-off": 0, "key-on": 2}    # the page asks /v1/tenants/me first
        assert store.feedback("off") == []
        got = sorted((e.action, e.text, e.replacement) for e in store.feedback("on"))
        assert got == [("applied", "nhât", "nhân"), ("ignored", "vảo", None)]
        assert all(0 < e.confidence <= 1 for e in store.feedback("on"))
