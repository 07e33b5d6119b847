"""`vnproof check FILE... | -`: print issues like a linter; exit 1 when any are found."""
from __future__ import annotations

import argparse
import json
import sys

from .documents import DocumentError, docx_text, is_docx
from .issues import Issue

CONTEXT = 40   # characters of context each side, widened to whole words


def _read(path: str) -> str:
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    if is_docx(path, data):
        return docx_text(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not valid UTF-8 at byte {e.start} (legacy encodings: use `vnproof audit`)") from None


def line_col(text: str, offset: int) -> tuple[int, int, str]:
    """1-based line and column of `offset`, and that line's content."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    return text.count("\n", 0, offset) + 1, offset - line_start + 1, text[line_start:line_end]


def _word_bounds(content: str, lo: int, hi: int) -> tuple[int, int]:
    """Move `lo` back and `hi` forward to the nearest space, so no word is cut."""
    while lo > 0 and not content[lo - 1].isspace():
        lo -= 1
    while hi < len(content) and not content[hi].isspace():
        hi += 1
    return lo, hi


def format_issue(name: str, text: str, issue: Issue, english: bool = False, color: bool = False) -> str:
    line, col, content = line_col(text, issue.offset)
    fix = f" → {issue.replacements[0]}" if issue.replacements else ""
    msg = issue.message_en if english else issue.message
    head = f"{name}:{line}:{col}: {msg} [{issue.rule_id}]{fix}"
    lo, hi = _word_bounds(content, max(0, col - 1 - CONTEXT), min(len(content), col - 1 + issue.length + CONTEXT))
    snippet = content[lo:hi]
    caret = " " * (col - 1 - lo) + "^" * max(1, min(issue.length, len(content) - col + 1))
    if color:
        head = f"\x1b[1m{head}\x1b[0m"
    return f"{head}\n    {snippet}\n    {caret}"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="vnproof check", description="Check Vietnamese text files (UTF-8 .txt, or .docx).")
    ap.add_argument("files", nargs="+", help="text or .docx files, or - for standard input")
    ap.add_argument("--format", choices=("text", "json"), default="text",
                    help="text: one issue per block with context (default); json: one JSON object per line, "
                         "with offset, length, line and column")
    ap.add_argument("--level", choices=("default", "picky"), default="default",
                    help="default: confident issues only; picky: also less certain ones and pedantic rules")
    ap.add_argument("--model", action="append", default=[], help="house model built by `vnproof train` (repeatable)")
    ap.add_argument("--disable", default="", help="comma-separated rule ids to turn off (see `vnproof rules`)")
    ap.add_argument("--enable", default="", help="comma-separated rule ids to turn on (picky-only rules too)")
    ap.add_argument("--pub-date", help="publication date (YYYY-MM-DD) for the date rules")
    ap.add_argument("--english", action="store_true", help="messages in English")
    args = ap.parse_args(argv)

    from . import Checker
    from .lm import ModelError

    try:
        checker = Checker(models=args.model)
    except (ModelError, OSError) as e:
        print(f"vnproof check: {e}", file=sys.stderr)
        return 2
    found, failed, printed = 0, False, False
    for name in args.files:
        try:
            text = _read(name)
        except (OSError, ValueError, DocumentError) as e:
            print(f"{name}: error: {e}", file=sys.stderr)
            failed = True
            continue
        issues = checker.check(text, level=args.level, disabled_rules=args.disable,
                               enabled_rules=args.enable, pub_date=args.pub_date)
        found += len(issues)
        if args.format == "json":
            for i in issues:
                line, col, _ = line_col(text, i.offset)
                print(json.dumps({"file": name, "line": line, "column": col, **i.to_dict()}, ensure_ascii=False))
        else:
            color = sys.stdout.isatty()
            for i in issues:
                print(format_issue(name, text, i, args.english, color))
                printed = True
    if args.format == "text" and not (failed and not found):
        sys.stdout.flush()
        print(("\n" if printed else "") + f"{found} issue(s)", file=sys.stderr)
    return 2 if failed else (1 if found else 0)
