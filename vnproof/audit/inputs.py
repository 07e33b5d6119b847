"""Archive inputs: find files, read them into plain `Article` records.

Reading is split in two so that the expensive part runs in the workers:

* `iter_items(paths)` walks the files in a fixed order and yields cheap `Item`s (raw bytes of a
  page, or one JSONL/CSV record), each with a stable `key` that the resume state uses;
* `Item.load()` decodes legacy encodings, extracts the article body from HTML with
  trafilatura (title, date and URL kept as metadata), strips page furniture from text copies,
  and returns an `Article`.

`read_articles(paths)` does both, for library use.
"""
from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .boilerplate import strip_lines
from .encodings import UndecodableError, decode_bytes, fix_text

__all__ = ["Article", "Item", "ReadOptions", "discover", "iter_items", "read_articles",
           "count_words", "UndecodableError", "SUFFIXES"]

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".warc", ".warc.gz")
_WORD = re.compile(r"[^\W\d_]+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class Article:
    id: str
    text: str
    source: str
    meta: dict = field(default_factory=dict)      # title, date (ISO), url, ...
    conversions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    date_field: str = "date"
    title_field: str = "title"
    url_field: str = "url"
    strip_boilerplate: bool = True


@dataclass
class Item:
    """One article before decoding. `payload` is None when the caller said to skip it."""

    key: str
    source: str
    kind: str                    # "txt" | "html" | "record" | "error"
    payload: bytes | dict | str | None
    meta: dict = field(default_factory=dict)

    def load(self, opts: ReadOptions = ReadOptions()) -> Article:
        """Decode and extract. Raises UndecodableError (or ValueError) for unusable input."""
        meta = dict(self.meta)
        aid = meta.pop("id", None) or self.key
        if self.kind == "error":
            raise UndecodableError(str(self.payload))
        if self.kind == "txt":
            text, conv = decode_bytes(self.payload, declared=meta.pop("charset", None))
            text = _strip(text, meta, opts)
        elif self.kind == "html":
            html, conv = decode_bytes(self.payload, declared=meta.pop("charset", None))
            text, page = extract_html(html, meta.get("url"))
            if page.get("date") and not meta.get("date"):
                meta["date_from"] = "page"
            for k, v in page.items():
                meta.setdefault(k, v)
            text = _strip(text, meta, opts)
        elif self.kind == "record":
            rec = self.payload
            raw = rec.get(opts.text_field)
            if not isinstance(raw, str):
                raise UndecodableError(f"no text field {opts.text_field!r} in the record")
            text, conv = fix_text(raw)
            if re.search(r"<(p|div|br|span|article)\b", text[:5000], re.I):
                text, page = extract_html(text, meta.get("url"))
                conv = conv + ["html"]
                for k, v in page.items():
                    meta.setdefault(k, v)
            text = _strip(text, meta, opts)
        else:  # pragma: no cover
            raise ValueError(f"unknown item kind {self.kind}")
        if meta.get("date"):
            meta["date"] = iso_date(str(meta["date"])) or None
        return Article(str(aid), text, self.source, {k: v for k, v in meta.items() if v not in (None, "")},
                       conv)


def _strip(text: str, meta: dict, opts: ReadOptions) -> str:
    if not opts.strip_boilerplate:
        return text
    text, removed = strip_lines(text)
    if removed:
        meta["boilerplate_lines"] = removed
    return text


_DATE_RES = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), (3, 2, 1)),
]


def iso_date(s: str) -> str | None:
    """'2022-04-20T..', '20-4-2022', '20/04/2022' -> '2022-04-20'; None if no date."""
    from datetime import date

    for rx, (y, m, d) in _DATE_RES:
        mt = rx.search(s)
        if mt:
            try:
                return date(int(mt.group(y)), int(mt.group(m)), int(mt.group(d))).isoformat()
            except ValueError:
                continue
    return None


def extract_html(html: str, url: str | None = None) -> tuple[str, dict]:
    """Article body and metadata (title, date, url, sitename) of an HTML page, via trafilatura."""
    import trafilatura

    out = trafilatura.extract(html, url=url, output_format="json", with_metadata=True,
                              include_comments=False, include_tables=False, include_images=False,
                              deduplicate=False, favor_precision=True)
    if not out:
        # No main content found; fall back to recall mode, then to nothing.
        out = trafilatura.extract(html, url=url, output_format="json", with_metadata=True,
                                  include_comments=False, include_tables=False, favor_recall=True)
    if not out:
        return "", {}
    d = json.loads(out)
    meta = {k: d.get(k) for k in ("title", "date", "url", "sitename") if d.get(k)}
    if "url" not in meta and str(d.get("source") or "").startswith("http"):
        meta["url"] = d["source"]
    return d.get("text") or "", meta


# -- discovery ---------------------------------------------------------------------------------

def _suffix(p: Path) -> str:
    name = p.name.lower()
    for s in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(s):
            return s
    return ""


def discover(paths: list[str | Path]) -> list[Path]:
    """Files (sorted, unique) under the given files, directories and glob patterns."""
    seen: dict[str, Path] = {}
    for p in paths:
        p = str(p)
        matches = sorted(glob.glob(p, recursive=True)) if any(c in p for c in "*?[") else [p]
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                for root, dirs, files in os.walk(mp):
                    dirs.sort()
                    for f in sorted(files):
                        fp = Path(root) / f
                        if _suffix(fp):
                            seen.setdefault(str(fp), fp)
            elif mp.exists():
                seen.setdefault(str(mp), mp)
            else:
                print(f"vnproof audit: no such file: {m}", file=sys.stderr)
    return [seen[k] for k in sorted(seen)]


def _open_text(path: Path):
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _record_meta(rec: dict, opts: ReadOptions) -> dict:
    meta = {}
    for name, f in (("title", opts.title_field), ("date", opts.date_field), ("url", opts.url_field)):
        v = rec.get(f)
        if v not in (None, ""):
            meta[name] = str(v)
    if meta.get("date"):
        meta["date_from"] = "field"
    for k in ("source", "category", "section", "author"):
        if isinstance(rec.get(k), str) and rec[k]:
            meta[k] = rec[k]
    rid = rec.get(opts.id_field)
    if rid not in (None, ""):
        meta["id"] = str(rid)
    return meta


def iter_items(paths: list[str | Path], opts: ReadOptions = ReadOptions(),
               done: Callable[[str], bool] | None = None) -> Iterator[Item]:
    """Items of all files in a fixed order. When `done(key)` is true the item's payload is not
    read (resume skips finished articles without decoding or extracting them again)."""
    done = done or (lambda k: False)
    files = discover(paths)
    root = os.path.commonpath([str(p.parent.resolve()) for p in files]) if files else ""
    for path in files:
        src = str(path)
        rel = os.path.relpath(path.resolve(), root) if root else src
        kind = _suffix(path)
        try:
            if kind in (".txt", ".html", ".htm"):
                k = "txt" if kind == ".txt" else "html"
                if done(src):
                    yield Item(src, src, k, None)
                else:
                    yield Item(src, src, k, path.read_bytes(), {"id": rel})
            elif kind in (".jsonl", ".jsonl.gz", ".ndjson"):
                with _open_text(path) as fh:
                    for n, line in enumerate(fh, 1):
                        if not line.strip():
                            continue
                        key = f"{src}:{n}"
                        if done(key):
                            yield Item(key, src, "record", None)
                            continue
                        try:
                            rec = json.loads(line)
                            if not isinstance(rec, dict):
                                raise ValueError("not a JSON object")
                        except ValueError as e:
                            yield Item(key, src, "error", f"line {n}: bad JSON ({e})", {"id": key})
                            continue
                        meta = _record_meta(rec, opts)
                        meta.setdefault("id", key)
                        yield Item(key, src, "record", {opts.text_field: rec.get(opts.text_field)}, meta)
            elif kind == ".csv":
                csv.field_size_limit(1 << 30)
                with _open_text(path) as fh:
                    for n, rec in enumerate(csv.DictReader(fh), 2):
                        key = f"{src}:{n}"
                        if done(key):
                            yield Item(key, src, "record", None)
                            continue
                        meta = _record_meta(rec, opts)
                        meta.setdefault("id", key)
                        yield Item(key, src, "record", {opts.text_field: rec.get(opts.text_field)}, meta)
            elif kind in (".warc", ".warc.gz"):
                yield from _warc_items(path, done)
        except (OSError, UnicodeError, csv.Error) as e:
            yield Item(f"{src}:error", src, "error", f"cannot read: {e}", {"id": rel})


def _warc_items(path: Path, done: Callable[[str], bool]) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    src = str(path)
    with open(path, "rb") as fh:
        for n, rec in enumerate(ArchiveIterator(fh)):
            if rec.rec_type not in ("response", "resource"):
                continue
            ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers
                     else rec.rec_headers.get_header("Content-Type")) or ""
            if not any(t in ctype.lower() for t in ("html", "text/plain")):
                continue
            if rec.http_headers and rec.http_headers.get_statuscode() not in (None, "200"):
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI") or ""
            rid = rec.rec_headers.get_header("WARC-Record-ID") or str(n)
            key = f"{src}#{rid}"
            if done(key):
                yield Item(key, src, "html", None)
                continue
            body = rec.content_stream().read()
            m = re.search(r"charset=([\w\-]+)", ctype, re.I)
            meta = {"id": url or key, "url": url, "crawl_date": rec.rec_headers.get_header("WARC-Date"),
                    "charset": m.group(1).lower() if m else None}
            yield Item(key, src, "txt" if "text/plain" in ctype.lower() else "html", body, meta)


def read_articles(paths: list[str | Path], opts: ReadOptions = ReadOptions(),
                  on_error: Callable[[Item, Exception], None] | None = None) -> Iterator[Article]:
    """Articles of all files; unreadable ones go to `on_error` (default: a warning on stderr)."""
    for item in iter_items(paths, opts):
        try:
            yield item.load(opts)
        except (UndecodableError, ValueError) as e:
            if on_error:
                on_error(item, e)
            else:
                print(f"vnproof audit: {item.key}: {e}", file=sys.stderr)
