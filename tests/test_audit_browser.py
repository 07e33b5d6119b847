"""report.html in headless Chromium: renders offline, chart drawn, table sorts and filters; screenshot."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from vnproof.audit.cli import main

CHROMIUM = "/usr/bin/chromium"
_spec = importlib.util.spec_from_file_location("audit_fixtures", Path(__file__).parent / "fixtures" / "audit" / "build.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

pytestmark = [pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed")]


def test_report_in_chromium(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    src = fx.seed_folder(tmp_path / "in")
    fx.small_articles(src, n=12)
    out = tmp_path / "out"
    assert main([str(src), "-o", str(out), "--no-progress"]) == 0
    errors, requests = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking"])
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto((out / "report.html").as_uri())
            assert pg.locator("svg.chart rect").count() >= 2
            rows = pg.locator("#articles tbody tr")
            total = rows.count()
            assert total == 16
            # Sort by issue count (descending after two clicks) and check the order.
            head = pg.locator("#articles thead th").nth(3)
            head.click()
            head.click()
            vals = [int(v) for v in pg.locator("#articles tbody tr td:nth-child(4)").all_inner_texts()]
            assert vals == sorted(vals, reverse=True) and vals[0] > 0
            pg.fill("#filter", "tcvn3")
            assert pg.locator("#shown").inner_text() == "1"
            assert pg.locator("#articles tbody tr:visible").count() == 1
            pg.fill("#filter", "")
            pg.select_option("#cat", "spelling")
            assert 0 < int(pg.locator("#shown").inner_text()) <= total
            shot = tmp_path / "report.png"
            pg.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            if os.environ.get("VNPROOF_AUDIT_SHOT"):
                pg.screenshot(path=os.environ["VNPROOF_AUDIT_SHOT"], full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
