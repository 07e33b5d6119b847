"""`vnproof train CORPUS... -o MODEL` (or `--update MODEL`): build or extend a house model from an archive."""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .lmbuild import Aggregate, Counts


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
    ap.add_argument("-o", "--output", help="model folder to write (with --update: default MODEL itself)")
    ap.add_argument("--update", metavar="MODEL",
                    help="add CORPUS to MODEL's saved counts and re-smooth, instead of counting everything again")
    ap.add_argument("--text-field", default="text", help="JSONL field holding the text")
    ap.add_argument("--min-trigram", type=int, default=None,
                    help="drop trigrams seen fewer times (size); default 2, or MODEL's with --update")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes counting files")
    args = ap.parse_args(argv)
    if not args.output and not args.update:
        ap.error("give -o MODEL (or --update MODEL)")

    from .lmbuild import Counts, aggregate, save_counts, smooth

    t0 = time.perf_counter()
    for name in args.corpus:
        if not Path(name).exists():
            print(f"vnproof train: {name}: no such file or folder", file=sys.stderr)
            return 2
    files = _files([Path(n) for n in args.corpus])
    if not files:
        print("vnproof train: no .txt, .jsonl(.gz) or .html files found", file=sys.stderr)
        return 2
    if args.update:
        return _update(args, files, t0)
    counts = _count(files, args, Counts())
    counts.sources.extend({"path": str(f)} for f in files)
    min_trigram = 2 if args.min_trigram is None else args.min_trigram
    agg = aggregate(counts)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "meta.json").unlink(missing_ok=True)  # incomplete until the model is written
    save_counts(agg, out)
    smooth(agg, out, min_trigram=min_trigram, meta={"kind": "house", "min_trigram": min_trigram})
    _report(agg.syllables, out, t0)
    return 0


def _count(files: list[Path], args: argparse.Namespace, counts: Counts) -> Counts:
    """Count `files` (in parallel with --workers) into `counts`; returns it."""
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
    return counts


def _update(args: argparse.Namespace, files: list[Path], t0: float) -> int:
    """`--update MODEL`: MODEL's saved counts plus `files`' counts, re-smoothed, swapped in whole."""
    from .lm import ModelError, NgramModel
    from .lmbuild import Counts, CountsError, aggregate, load_counts

    model = Path(args.update)
    try:
        meta = NgramModel.load(model).meta
        old = load_counts(model)
        if len(old.words) != meta.get("vocab"):
            raise CountsError(f"{model}: counts.npz does not match the model's vocabulary; retrain it")
    except (ModelError, CountsError) as e:
        print(f"vnproof train: {e}", file=sys.stderr)
        return 2
    counts = _count(files, args, Counts(vocab={w: i for i, w in enumerate(old.words)}))
    counts.sources.extend({"path": str(f)} for f in files)
    agg = old.add(aggregate(counts))
    min_trigram = meta.get("min_trigram", 2) if args.min_trigram is None else args.min_trigram
    out = Path(args.output or model)
    _write_replacing(agg, out, {"kind": "house", "min_trigram": min_trigram})
    _report(agg.syllables, out, t0, added=counts.syllables)
    return 0


def _write_replacing(agg: Aggregate, out: Path, meta: dict) -> None:
    """Write counts and model to a temporary folder beside `out`, then swap it in: until the
    swap, `out` stays the old, loadable model."""
    import shutil

    from .lmbuild import save_counts, smooth

    tmp = out.parent / f".{out.name}.update-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)  # left by a crashed update of the same process id
    tmp.mkdir(parents=True)
    if out.exists():
        shutil.copymode(out, tmp)
    try:
        save_counts(agg, tmp)
        smooth(agg, tmp, min_trigram=meta["min_trigram"], meta=meta)
        if not out.exists():
            tmp.rename(out)
        elif not _exchange(tmp, out):  # no atomic exchange: two renames, old kept until the second
            old = tmp.with_name(tmp.name + ".old")
            out.rename(old)
            tmp.rename(out)
            tmp = old
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _report(syllables: int, out: Path, t0: float, added: int | None = None) -> None:
    from .lmbuild import COUNTS_FILE

    size = sum(f.stat().st_size for f in out.iterdir() if f.name != COUNTS_FILE)
    raw = (out / COUNTS_FILE).stat().st_size
    secs = time.perf_counter() - t0
    new = f"{added:,} new, " if added is not None else ""
    print(f"{new}{syllables:,} syllables -> {out} ({size / 1e6:.1f} MB, "
          f"{size / 1e6 / max(syllables / 1e6, 1e-9):.1f} MB per million syllables; "
          f"counts {raw / 1e6:.1f} MB) in {secs:.0f} s")
