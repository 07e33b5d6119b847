"""`GET /report`: the tenant's precision as editors judged it, in one small HTML page."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from .auth import TenantDep
from .feedback import by_rule, proposals, weekly
from .tenancy import TenantConfig

router = APIRouter(tags=["report"])


def _table(head: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return "<p>Chưa có dữ liệu (no data yet).</p>"
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def render(tenant: str, events: list, words: list[str], threshold: float, feedback_on: bool,
           model: dict | None) -> str:
    """The page: totals, by rule, by week, words proposed for the dictionary."""
    applied = sum(e.action == "applied" for e in events)
    total = len(events)
    precision = f"{applied / total:.1%}" if total else "–"
    weeks = [[w["week"], w["decisions"], w["applied"], w["ignored"], w["added"], f"{w['precision']:.1%}"]
             for w in weekly(events)]
    rules = [[r["rule_id"], r["decisions"], r["applied"], r["ignored"], r["added"]] for r in by_rule(events)]
    props = [[p["word"], p["times"]] for p in proposals(events, set(words))]
    model_line = f"house model {escape(model['version'])}" if model else "default model only"
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>vnproof: báo cáo {escape(tenant)}</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}td,th{{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}}
td:first-child,th:first-child{{text-align:left}}</style></head><body>
<h1>Báo cáo chất lượng: {escape(tenant)}</h1>
<p>{model_line}; threshold {threshold:.3f}; feedback {"on" if feedback_on else "off"};
{len(words)} words in the dictionary.</p>
<p>Editors decided on <b>{total}</b> flagged issues and applied <b>{applied}</b>: precision <b>{precision}</b>
(applied = real; ignored or added to the dictionary = false alarm).</p>
<h2>Precision by week</h2>
{_table(["week", "decisions", "applied", "ignored", "added", "precision"], weeks)}
<h2>What was flagged, by rule</h2>
{_table(["rule", "decisions", "applied", "ignored", "added"], rules)}
<h2>Words editors keep adding (proposed for the dictionary)</h2>
{_table(["word", "times added"], props)}
</body></html>"""


@router.get("/report", response_class=HTMLResponse)
async def report(request: Request, tenant: TenantDep) -> HTMLResponse:
    """The report of the caller's tenant (key as header, or `?apiKey=` for a browser)."""
    state = request.app.state
    store = state.store

    def gather():
        return (store.feedback(tenant), store.words(tenant), TenantConfig.of(store.settings(tenant)),
                state.house.info(tenant))
    events, words, cfg, model = await run_in_threadpool(gather)
    return HTMLResponse(render(tenant, events, words, cfg.effective_threshold(), cfg.feedback, model))
