"""Reports from the run state: issues.jsonl, articles.csv and a self-contained report.html.

Everything is read from the state in input order and written without timestamps, so the same
archive always gives byte-identical issues.jsonl and articles.csv (a resumed run included).
report.html needs no network: inline CSS, inline SVG chart, inline JS; all text is escaped.
"""
from __future__ import annotations

import csv
import heapq
import html
import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from ..issues import Category

CATEGORIES = [c.value for c in Category]
TABLE_ROWS = 5000      # rows of the interactive table (worst articles first beyond that)
WORST = 25
TOP_TYPOS = 40


def per_1000(issues: int, words: int) -> float:
    return round(1000.0 * issues / words, 2) if words else 0.0


def write_reports(rows: Iterable[dict], out_dir: str | Path, title: str = "Vietnamese proofreading audit") -> dict:
    """Write the three reports; returns the totals."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    totals = Counter()
    by_cat = Counter()
    typos: dict[tuple[str, str], dict] = {}
    buckets: dict[str, list[int]] = defaultdict(lambda: [0, 0])   # month or source -> [issues, words]
    sources: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    worst: list = []
    table: list = []
    conversions: list[tuple[str, str, list]] = []
    errors: list[tuple[str, str, str]] = []
    dated = 0
    with open(out / "issues.jsonl.part", "w", encoding="utf-8", newline="\n") as fi, \
            open(out / "articles.csv.part", "w", encoding="utf-8", newline="") as fa:
        w = csv.writer(fa, lineterminator="\n")
        w.writerow(["id", "source", "title", "date", "url", "status", "words", "issues", *CATEGORIES,
                    "issues_per_1000_words", "conversions", "error"])
        for r in rows:
            meta = r["meta"]
            issues = r["issues"]
            totals["articles"] += 1
            if r["status"] != "ok":
                totals["errors"] += 1
                errors.append((r["id"], r["source"], r["error"] or ""))
            if r["conversions"]:
                totals["converted"] += 1
                conversions.append((r["id"], r["source"], r["conversions"]))
            words = r["words"]
            totals["words"] += words
            totals["issues"] += len(issues)
            if issues:
                totals["with_issues"] += 1
            cats = Counter(i["category"] for i in issues)
            by_cat.update(cats)
            for i in issues:
                fi.write(json.dumps({"article_id": r["id"], "source": r["source"], "title": meta.get("title"),
                                     "date": meta.get("date"), "url": meta.get("url"), **i,
                                     "fix": i["replacements"][0] if i["replacements"] else None},
                                    ensure_ascii=False, sort_keys=True) + "\n")
                if i["category"] in ("spelling", "consistency") or i["rule_id"].startswith("VI_SPELLING"):
                    k = (i["text"], i["replacements"][0] if i["replacements"] else "")
                    t = typos.get(k)
                    if t is None:
                        t = typos[k] = {"count": 0, "articles": 0, "last": None, "examples": []}
                    t["count"] += 1
                    if t["last"] != r["key"]:          # rows come article by article
                        t["articles"] += 1
                        t["last"] = r["key"]
                    if len(t["examples"]) < 3:
                        t["examples"].append((r["id"], i["context"]))
            rate = per_1000(len(issues), words)
            w.writerow([r["id"], r["source"], meta.get("title", ""), meta.get("date", ""), meta.get("url", ""),
                        r["status"], words, len(issues), *[cats.get(c, 0) for c in CATEGORIES],
                        f"{rate:.2f}", ";".join(r["conversions"]), r["error"] or ""])
            month = (meta.get("date") or "")[:7]
            if month:
                dated += 1
            buckets[month or "?"][0] += len(issues)
            buckets[month or "?"][1] += words
            src = meta.get("source") or meta.get("sitename") or Path(r["source"]).parent.name or r["source"]
            sources[src][0] += len(issues)
            sources[src][1] += words
            row = (len(issues), rate, r["seq"], r["id"], meta.get("title", ""), meta.get("date", ""),
                   dict(cats), words, r["source"], ";".join(r["conversions"]), r["status"])
            if words >= 50 or issues:
                entry = (rate, len(issues), -r["seq"], row)
                if len(worst) < WORST:
                    heapq.heappush(worst, entry)
                else:
                    heapq.heappushpop(worst, entry)
            entry = (len(issues), rate, -r["seq"], row)
            if len(table) < TABLE_ROWS:
                heapq.heappush(table, entry)
            else:
                heapq.heappushpop(table, entry)
    os.replace(out / "issues.jsonl.part", out / "issues.jsonl")
    os.replace(out / "articles.csv.part", out / "articles.csv")
    totals["per_1000"] = per_1000(totals["issues"], totals["words"])
    use_months = dated >= max(1, totals["articles"] // 2) and len([m for m in buckets if m != "?"]) >= 2
    chart = ({k: v for k, v in buckets.items() if k != "?"}, "month") if use_months else (sources, "source")
    top = sorted(typos.items(), key=lambda kv: (-kv[1]["count"], kv[0]))[:TOP_TYPOS]
    page = _html(title, totals, by_cat, top, chart, sorted(worst, reverse=True),
                 [e[3] for e in sorted(table, key=lambda e: e[3][2])], conversions, errors)
    (out / "report.html.part").write_text(page, encoding="utf-8")
    os.replace(out / "report.html.part", out / "report.html")
    summary = {**dict(totals), "by_category": dict(by_cat)}
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                      encoding="utf-8")
    return summary


# -- HTML -------------------------------------------------------------------------------------------
e = html.escape


def _svg_bars(data: dict[str, list[int]], by: str) -> str:
    keys = sorted(data) if by == "month" else sorted(data, key=lambda k: -per_1000(*data[k]))[:30]
    if not keys:
        return "<p>Không có dữ liệu.</p>"
    vals = [per_1000(*data[k]) for k in keys]
    top = max(vals) or 1.0
    bw, gap, h, left, bottom = 28, 8, 220, 48, 90
    width = left + len(keys) * (bw + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{h + bottom + 20}" '
             f'aria-label="issues per 1000 words by {e(by)}" class="chart">']
    for t in range(5):
        y = 10 + h - h * t / 4
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{top * t / 4:.1f}</text>')
    for n, (k, v) in enumerate(zip(keys, vals)):
        x = left + n * (bw + gap)
        bh = h * v / top
        iss, words = data[k]
        parts.append(f'<rect x="{x}" y="{10 + h - bh:.1f}" width="{bw}" height="{bh:.1f}" fill="#c0392b">'
                     f'<title>{e(k)}: {v:.2f} lỗi / 1.000 từ ({iss} lỗi, {words} từ)</title></rect>')
        parts.append(f'<text x="{x + bw / 2}" y="{h + 24}" font-size="11" text-anchor="end" '
                     f'transform="rotate(-45 {x + bw / 2} {h + 24})">{e(k[:24])}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:4px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#f6f6f6;border-radius:8px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:1.5em}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafafa;cursor:pointer;user-select:none}th.sorted-asc:after{content:" ▲"}th.sorted-desc:after{content:" ▼"}
td.num,th.num{text-align:right}.ctx{font-family:ui-monospace,monospace;font-size:.85em;color:#555}
.ctx mark{background:#ffd5cc}.controls{margin:8px 0;display:flex;gap:8px}input,select{padding:4px 6px}
.muted{color:#777}
"""

_JS = """
(function(){
  var t=document.getElementById('articles'); if(!t) return;
  var body=t.tBodies[0], rows=Array.prototype.slice.call(body.rows);
  var q=document.getElementById('filter'), cat=document.getElementById('cat'), cnt=document.getElementById('shown');
  function apply(){
    var s=(q.value||'').toLowerCase(), c=cat.value, n=0;
    rows.forEach(function(r){
      var ok=(!s||r.textContent.toLowerCase().indexOf(s)>=0)&&(!c||Number(r.getAttribute('data-'+c)||0)>0);
      r.style.display=ok?'':'none'; if(ok) n++;
    });
    cnt.textContent=n;
  }
  q.addEventListener('input',apply); cat.addEventListener('change',apply);
  Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){
      var asc=!th.classList.contains('sorted-asc');
      Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){h.classList.remove('sorted-asc','sorted-desc');});
      th.classList.add(asc?'sorted-asc':'sorted-desc');
      var num=th.classList.contains('num');
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent, y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent;
        var r=num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,'vi');
        return asc?r:-r;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  apply();
})();
"""


def _ctx(context: str) -> str:
    """'before[typo]after' -> escaped HTML with the typo marked."""
    a, _, rest = context.partition("[")
    typo, _, b = rest.rpartition("]")
    return f"…{e(a)}<mark>{e(typo)}</mark>{e(b)}…"


def _html(title, totals, by_cat, top, chart, worst, table, conversions, errors) -> str:
    n = totals
    cards = [("Bài viết", n["articles"]), ("Bài có lỗi", n["with_issues"]), ("Tổng số lỗi", n["issues"]),
             ("Số từ", n["words"]), ("Lỗi / 1.000 từ", f'{n["per_1000"]:.2f}'),
             ("Chuyển mã", n["converted"]), ("Không đọc được", n["errors"])]
    out = [f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>'
           f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head><body>',
           f"<h1>{e(title)}</h1>", '<section id="totals"><div class="cards">']
    out += [f'<div class="card"><b>{e(str(v))}</b>{e(k)}</div>' for k, v in cards]
    out.append("</div><p>" + ", ".join(f"{e(c)}: {by_cat.get(c, 0)}" for c in CATEGORIES) + "</p></section>")

    out.append('<section id="typos"><h2>Lỗi chính tả thường gặp</h2><table><thead><tr><th>Lỗi</th><th>Sửa thành</th>'
               '<th class="num">Số lần</th><th class="num">Số bài</th><th>Ví dụ</th></tr></thead><tbody>')
    for (typo, fix), t in top:
        ex = "<br>".join(f'<span class="ctx">{_ctx(c)}</span> <span class="muted">({e(aid)})</span>'
                         for aid, c in t["examples"])
        out.append(f"<tr><td><b>{e(typo)}</b></td><td>{e(fix)}</td><td class=num>{t['count']}</td>"
                   f"<td class=num>{t['articles']}</td><td>{ex}</td></tr>")
    out.append("</tbody></table></section>")

    data, by = chart
    label = "tháng" if by == "month" else "nguồn"
    out.append(f'<section id="chart"><h2>Số lỗi trên 1.000 từ theo {label}</h2>{_svg_bars(data, by)}</section>')

    out.append('<section id="worst"><h2>Bài viết nhiều lỗi nhất</h2><table><thead><tr><th>Bài</th><th>Ngày</th>'
               '<th class="num">Lỗi</th><th class="num">Lỗi / 1.000 từ</th><th>Nguồn</th></tr></thead><tbody>')
    for rate, cnt, _, row in worst:
        sub = f"<br><span class=muted>{e(row[3])}</span>" if row[4] else ""
        out.append(f"<tr><td>{e(row[4] or row[3])}{sub}</td><td>{e(row[5])}</td>"
                   f"<td class=num>{cnt}</td><td class=num>{rate:.2f}</td><td>{e(Path(row[8]).name)}</td></tr>")
    out.append("</tbody></table></section>")

    opts = "".join(f'<option value="{e(c)}">{e(c)}</option>' for c in CATEGORIES)
    out.append(f'<section id="table"><h2>Tất cả bài viết</h2><div class="controls">'
               f'<input id="filter" type="search" placeholder="Lọc theo tên, nguồn…">'
               f'<select id="cat"><option value="">mọi loại lỗi</option>{opts}</select>'
               f'<span class="muted"><span id="shown">{len(table)}</span> / {len(table)} bài'
               f'{" (những bài nhiều lỗi nhất)" if n["articles"] > len(table) else ""}</span></div>'
               '<table id="articles"><thead><tr><th>Bài</th><th>Ngày</th><th class="num">Số từ</th>'
               '<th class="num">Lỗi</th><th class="num">Lỗi / 1.000 từ</th>'
               + "".join(f'<th class="num">{e(c)}</th>' for c in CATEGORIES)
               + "<th>Chuyển mã</th><th>Nguồn</th></tr></thead><tbody>")
    for cnt, rate, seq, aid, ttl, date, cats, words, src, conv, status in table:
        attrs = " ".join(f'data-{e(c)}="{int(cats.get(c, 0))}"' for c in CATEGORIES)
        sub = f"<br><span class=muted>{e(aid)}</span>" if ttl else ""
        out.append(f"<tr {attrs}><td>{e(ttl or aid)}{sub}</td><td>{e(date)}</td>"
                   f"<td class=num>{words}</td><td class=num>{cnt}</td><td class=num data-v=\"{rate}\">{rate:.2f}</td>"
                   + "".join(f"<td class=num>{int(cats.get(c, 0))}</td>" for c in CATEGORIES)
                   + f"<td>{e(conv)}{' ⚠ ' + e(status) if status != 'ok' else ''}</td>"
                   f"<td title=\"{e(src)}\">{e(Path(src).name)}</td></tr>")
    out.append("</tbody></table></section>")

    if conversions or errors:
        out.append('<section id="files"><h2>Chuyển mã và tệp không đọc được</h2><ul>')
        for aid, src, conv in conversions[:500]:
            out.append(f"<li>{e(aid)} ({e(src)}): đã chuyển từ {e(', '.join(conv))} sang Unicode NFC</li>")
        for aid, src, err in errors[:500]:
            out.append(f"<li><b>Không đọc được</b> {e(aid)} ({e(src)}): {e(err)}</li>")
        out.append("</ul></section>")
    out.append(f"<script>{_JS}</script></body></html>\n")
    return "\n".join(out)
