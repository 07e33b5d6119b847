"""`vnproof train CORPUS... -o MODEL`: build a house model from a newsroom's archive."""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
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
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".txt"):
        return "txt"
    return None


def _files(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file() and _kind(p))
        else:
            out.append(path)
    return out


def _count_file(job: tuple[Path, str]):
    """Count one file in a worker process; returns what `Counts.merge` takes."""
    from .lmbuild import Counts

    path, text_field = job
    counts = Counts()
    for text in iter_texts(path, text_field):
        counts.add_text(text)
    return counts.export()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="vnproof train", description="Build a house model from an archive.")
    ap.add_argument("corpus", nargs="+", help="txt, jsonl(.gz) or html files, or folders of them")
    ap.add_argument("-o", "--output", required=True, help="model folder to write")
    ap.add_argument("--text-field", default="text", help="JSONL field holding the text")
    ap.add_argument("--min-trigram", type=int, default=2, help="drop trigrams seen fewer times (size)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes counting files")
    args = ap.parse_args(argv)

    from .lmbuild import Counts, build

    t0 = time.perf_counter()
    for name in args.corpus:
        if not Path(name).exists():
            print(f"vnproof train: {name}: no such file or folder", file=sys.stderr)
            return 2
    files = _files([Path(n) for n in args.corpus])
    if not files:
        print("vnproof train: no .txt, .jsonl(.gz) or .html files found", file=sys.stderr)
        return 2
    counts = Counts()
    jobs = [(f, args.text_field) for f in files]
    try:
        from tqdm import tqdm
    except ImportError:  # progress is optional
        def tqdm(it, **_):
            return it
    bar = dict(total=len(jobs), unit=" files", disable=not sys.stderr.isatty())
    if args.workers > 1 and len(jobs) > 1:
        with multiprocessing.get_context("spawn").Pool(min(args.workers, len(jobs))) as pool:
            for vocab, stream, syllables in tqdm(pool.imap_unordered(_count_file, jobs), **bar):
                counts.merge(vocab, stream, syllables)
    else:
        for job in tqdm(jobs, **bar):
            counts.merge(*_count_file(job))
    counts.sources.extend({"path": str(f)} for f in files)
    out = build(counts, args.output, min_trigram=args.min_trigram, meta={"kind": "house"})
    size = sum(f.stat().st_size for f in out.iterdir())
    secs = time.perf_counter() - t0
    print(f"{counts.syllables:,} syllables -> {out} ({size / 1e6:.1f} MB, "
          f"{size / 1e6 / max(counts.syllables / 1e6, 1e-9):.1f} MB per million syllables) in {secs:.0f} s")
    return 0
