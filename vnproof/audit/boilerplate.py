"""Remove page furniture from plain-text copies of web pages.

HTML goes through trafilatura, which drops menus and footers. Text exports of saved pages
(like the project's seed article) still carry them as lines: "banner", "Số lượt xem:29",
"Tổng số người truy cập", "BÀI VIẾT LIÊN QUAN", the site's address and phone numbers. This
module drops such lines, and everything after a "related articles" or visit-counter line.
"""
from __future__ import annotations

import re
import unicodedata

# A line matching one of these is furniture.
_LINE = [
    r"banner", r"line_weight.*", r"menu", r"trang chủ", r"(đăng nhập|đăng ký)",
    r"(số lượt xem|lượt xem|số lần xem|lượt truy cập|số người online|đang online|"
    r"tổng số người truy cập|tổng lượt truy cập|người truy cập).*",
    r".*(số lượt xem|tổng số người truy cập|số người online|lượt truy cập)\s*:?\s*[\d.,]*",
    r"(bài viết|tin|tin tức|bài) (liên quan|khác|cùng chuyên mục|mới nhất|đọc nhiều).*",
    r"(địa chỉ|điện thoại|fax|email|e-mail|hotline|website)\s*:.*",
    r"(người chịu trách nhiệm|chịu trách nhiệm (chính|nội dung)|giấy phép|bản quyền|copyright|©).*",
    r"(trang thông tin điện tử|cổng thông tin điện tử).*",
    r"(chia sẻ|share|in bài|gửi bài|bình luận|tweet|like|xem thêm|đọc tiếp|quay lại|về đầu trang)"
    r"(\s*(bài viết|trang|facebook|zalo))?\s*:?",
    r".*(phát triển|thiết kế|design|powered by)\s*(bởi|by)?\s*:?\s*[\w .:-]{0,30}",
    r"(thứ (hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật),?\s*ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}",
    r"[\d\s.,:|/-]*",
]
_LINE_RE = re.compile(r"^\s*(?:" + "|".join(_LINE) + r")\s*$", re.I)
# After one of these, the rest of the page is furniture.
_TAIL_RE = re.compile(r"^\s*(số lượt xem|lượt xem|bài viết liên quan|tin liên quan|tin khác|"
                      r"các tin khác|tin cùng chuyên mục)\b", re.I)


def strip_lines(text: str) -> tuple[str, int]:
    """(text without furniture lines, number of lines removed). Article lines are kept as is."""
    lines = text.splitlines()
    kept: list[str] = []
    removed = 0
    # Only cut the tail when the marker comes after most of the text.
    total = max(len(text), 1)
    seen = 0
    for i, line in enumerate(lines):
        probe = unicodedata.normalize("NFC", line)
        if _TAIL_RE.match(probe) and seen > 0.5 * total:
            removed += len(lines) - i
            break
        seen += len(line) + 1
        if _LINE_RE.match(probe):
            if probe.strip():
                removed += 1
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n"), removed
