"""`vnproof train CORPUS... -o MODEL`: build a house model from a newsroom's archive."""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Iterator


def iter_texts(path: Path, text_field: str = "text") -> Iterator[str]:
    """Texts of a .txt, .jsonl(.gz) or .html file, or of every such file under a folder."""
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and _kind(p):
                yield from iter_texts(p, text_field)
        return
    kind = _kind(path)
    opener = gzip.open if path.suffix == ".gz" else open
    if kind == "jsonl":
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    text = row.get(text_field) or ""
                    if row.get("title"):
                        text = row["title"] + "\n" + text
                    yield text
    elif kind == "html":
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            import trafilatura

            yield trafilatura.extract(raw) or ""
        except ImportError:
            import re

            yield re.sub(r"<[^>]+>", " ", raw)
    else:
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:
            yield from f


def _kind(p: Path) -> str | None:
    name = p.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".json")):
        return "jsonl"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".txt"):
        return "txt"
    return None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="vnproof train", description="Build a house model from an archive.")
    ap.add_argument("corpus", nargs="+", help="txt, jsonl(.gz) or html files, or folders of them")
    ap.add_argument("-o", "--output", required=True, help="model folder to write")
    ap.add_argument("--text-field", default="text", help="JSONL field holding the text")
    ap.add_argument("--min-trigram", type=int, default=2, help="drop trigrams seen fewer times (size)")
    args = ap.parse_args(argv)

    from .lmbuild import Counts, build

    t0 = time.perf_counter()
    counts = Counts()
    try:
        from tqdm import tqdm
    except ImportError:  # progress is optional
        tqdm = None
    for name in args.corpus:
        path = Path(name)
        if not path.exists():
            print(f"vnproof train: {name}: no such file or folder", file=sys.stderr)
            return 2
        texts = iter_texts(path, args.text_field)
        if tqdm is not None:
            texts = tqdm(texts, desc=path.name, unit=" texts", disable=not sys.stderr.isatty())
        for text in texts:
            counts.add_text(text)
        counts.sources.append({"path": str(path)})
    out = build(counts, args.output, min_trigram=args.min_trigram, meta={"kind": "house"})
    size = sum(f.stat().st_size for f in out.iterdir())
    secs = time.perf_counter() - t0
    print(f"{counts.syllables:,} syllables -> {out} ({size / 1e6:.1f} MB, "
          f"{size / 1e6 / max(counts.syllables / 1e6, 1e-9):.1f} MB per million syllables) in {secs:.0f} s")
    return 0
