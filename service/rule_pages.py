"""`/rules/{id}`: a page per rule (what LanguageTool clients open from `rule.urls`)."""
from __future__ import annotations

import html
import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from vnproof.rules import RULES, rule_examples

router = APIRouter(tags=["rules"], include_in_schema=False)   # HTML pages, like the page at /

_MARKER = re.compile(r"&lt;marker&gt;(.*?)&lt;/marker&gt;")
_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/style.css"></head><body class="rule-page"><main>{body}</main></body></html>"""


def _example(text: str) -> str:
    return _MARKER.sub(r"<mark>\1</mark>", html.escape(text))


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(rule_id: str) -> HTMLResponse:
    """The rule's description (Vietnamese and English), category, and its wrong and right examples."""
    rule = RULES.get(rule_id)
    if rule is None:
        raise HTTPException(404, f"no rule {rule_id!r}; the list is at /rules")
    wrong, right = rule_examples(rule_id)
    parts = [f"<h1>{html.escape(rule.description)}</h1>",
             f"<p lang=\"en\">{html.escape(rule.description_en)}</p>",
             f"<p><code>{rule.id}</code> · {rule.category}"
             + (" · chỉ ở mức kỹ tính (picky)" if rule.picky else "") + "</p>"]
    if wrong:
        parts.append("<h2>Sai</h2><ul class=\"wrong\">" + "".join(f"<li>{_example(w)}</li>" for w in wrong) + "</ul>")
    if right:
        parts.append("<h2>Đúng</h2><ul class=\"right\">" + "".join(f"<li>{_example(r)}</li>" for r in right) + "</ul>")
    parts.append('<p><a href="/rules">Tất cả quy tắc</a></p>')
    return HTMLResponse(_PAGE.format(title=html.escape(rule.id), body="".join(parts)))


@router.get("/rules", response_class=HTMLResponse)
def rule_index() -> HTMLResponse:
    """Every rule, linked to its page."""
    items = "".join(f'<li><a href="/rules/{r.id}"><code>{r.id}</code></a> {html.escape(r.description)}</li>'
                    for r in RULES.values())
    return HTMLResponse(_PAGE.format(title="Quy tắc", body=f"<h1>Quy tắc kiểm tra</h1><ul>{items}</ul>"))
