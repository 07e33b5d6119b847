"""The proofreading page in a real headless Chromium (Debian's package, driven by Playwright)."""
from __future__ import annotations

import os

import pytest

from conftest_service import article, checker  # noqa: F401  (fixtures)

CHROMIUM = os.environ.get("VNPROOF_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def live_server(checker, tmp_path_factory):
    """The page's "add to dictionary" writes the server's dictionary, which anonymous callers
    may not do by default: this server allows it (VNPROOF_ANONYMOUS_WRITES)."""
    from conftest_service import LiveServer
    from service.app import create_app
    from service.config import Settings

    db = tmp_path_factory.mktemp("browser") / "dict.sqlite3"
    with LiveServer(create_app(Settings(db_path=db, anonymous_writes=True), checker=checker)) as srv:
        yield srv


@pytest.fixture(scope="module")
def page(live_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.set_default_timeout(15_000)
            pg.goto(live_server.url + "/")
            yield pg
        finally:
            browser.close()


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


def test_ignore_and_add_to_dictionary(page):
    text = "Ông ấy vảo tôi đi họp."
    page.locator("#text").fill(text)
    at = text.index("vảo")
    _mark(page, at).wait_for()
    box = _mark(page, at).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#ignore").click()
    assert _mark(page, at).count() == 0
    page.locator("#text").fill(text + " Quân chúng nhât dân.")
    at2 = (text + " Quân chúng nhât dân.").index("nhât")
    _mark(page, at2).wait_for()
    assert _mark(page, at).count() == 0          # still ignored this session
    box = _mark(page, at2).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#add-word").click()
    _mark(page, at2).wait_for(state="detached")   # re-checked with the tenant's new word
    words = page.evaluate("async () => (await (await fetch('/v1/dictionary')).json()).words")
    assert "nhât" in words
    page.evaluate("() => fetch('/v1/dictionary?word=nh%C3%A2t', {method: 'DELETE'})")
