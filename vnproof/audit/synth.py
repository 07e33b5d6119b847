"""Synthetic archive pages for tests and the benchmark: an article inside realistic page
furniture (menu, banner, view counter, related links, footer), and seeded typo injection."""
from __future__ import annotations

import html
import random
import re

_NAV = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Chính trị", "Kinh tế", "Văn hóa - Xã hội",
        "Quốc phòng - An ninh", "Thủ tục hành chính", "Liên hệ"]
_RELATED = ["Hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm mới",
            "Tuyên truyền phòng, chống dịch bệnh trên địa bàn huyện",
            "Ra quân thực hiện Tháng thanh niên năm nay"]


def page(title: str, body: str, date: str | None = None, views: int = 29, site: str = "HUYỆN ĐĂK TÔ",
         url: str | None = None) -> str:
    """An HTML page with the article `body` (paragraphs split on newlines) and furniture around."""
    e = html.escape
    paras = "\n".join(f"<p>{e(p)}</p>" for p in body.split("\n") if p.strip())
    nav = "".join(f'<li><a href="/c/{i}">{e(n)}</a></li>' for i, n in enumerate(_NAV))
    rel = "".join(f'<li><a href="/r/{i}">{e(r)}</a></li>' for i, r in enumerate(_RELATED))
    meta_date = f'<meta property="article:published_time" content="{e(date)}">' if date else ""
    canon = f'<link rel="canonical" href="{e(url)}">' if url else ""
    shown = ""
    if date:
        y, m, d = date[:10].split("-")
        shown = f'<div class="date">{int(d)}-{int(m)}-{y}</div>'
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(title)} - {e(site)}</title>
{meta_date}{canon}<meta property="og:title" content="{e(title)}"></head>
<body>
<header><div class="banner"><img src="/banner.jpg" alt="banner">banner</div>
<div class="topdate">Thứ 4, ngày 18 tháng 5 năm 2022</div>
<nav class="menu"><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="Tìm kiếm..."><button>Tìm kiếm</button></form></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/c/3">Tin tức - Sự kiện</a></div>
<main><article class="post">
<h1 class="title">{e(title)}</h1>
{shown}
<div class="content">
{paras}
</div>
<div class="views">Số lượt xem:{views}</div>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">In bài viết</a></div>
</article>
<aside class="related"><h3><span class="icon">line_weight</span> BÀI VIẾT LIÊN QUAN:</h3><ul>{rel}</ul></aside>
</main>
<footer><p>TRANG THÔNG TIN ĐIỆN TỬ {e(site)} - TỈNH KON TUM</p>
<p>Người chịu trách nhiệm chính: Ông Sa Phương - Phó Chủ tịch Ủy ban nhân dân huyện</p>
<p>Địa chỉ: số 217 Lê Duẩn, thị trấn Đăk Tô, huyện Đăk Tô, tỉnh Kon Tum.</p>
<p>Điện thoại: 0260.3831.209, Fax: 0260.3831.209; Email: ubnd@example.vn.</p>
<div class="counter">155826 Tổng số người truy cập: 198 Số người online:</div>
<p>TNC Phát triển</p></footer>
</body></html>
"""


# Typos a newsroom makes: a wrong tone, a dropped mark, a neighbouring key, a doubled letter.
_TONES = {"á": "à", "à": "á", "ả": "ã", "ã": "ả", "ạ": "á", "ế": "ệ", "ệ": "ế", "ố": "ồ", "ồ": "ố",
          "ộ": "ố", "ớ": "ờ", "ờ": "ớ", "ứ": "ừ", "ừ": "ứ", "ự": "ứ", "ấ": "ầ", "ầ": "ấ", "ậ": "ấ",
          "ề": "ế", "ể": "ễ", "ị": "í", "í": "ị", "ọ": "ó", "ó": "ọ", "ụ": "ú", "ú": "ụ"}
_STRIP = {"ư": "u", "ơ": "o", "â": "a", "ê": "e", "ô": "o", "đ": "d", "ă": "a"}
_SYL = re.compile(r"\b[^\W\d_]{2,7}\b")


def inject_typos(text: str, rng: random.Random, rate: float = 0.004) -> tuple[str, int]:
    """Replace about `rate` of the syllables with a typo. Returns (text, typos injected)."""
    n = 0

    def sub(m: re.Match) -> str:
        nonlocal n
        w = m.group(0)
        if not w.islower() or rng.random() >= rate:
            return w
        chars = list(w)
        idx = [i for i, c in enumerate(chars) if c in _TONES or c in _STRIP]
        if idx:
            i = rng.choice(idx)
            chars[i] = _TONES.get(chars[i]) or _STRIP[chars[i]]
        else:
            i = rng.randrange(len(chars))
            chars.insert(i, chars[i])
        n += 1
        return "".join(chars)
    return _SYL.sub(sub, text), n
