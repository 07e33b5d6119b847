"""`vnproof audit PATH... -o OUTDIR`: audit an archive, write issues.jsonl, articles.csv, report.html."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .inputs import ReadOptions, discover, iter_items
from .runner import AuditConfig, numbered, run
from .state import ConfigMismatch, State

USAGE_EXTRA = """
Inputs: .txt, .html/.htm, .jsonl(.gz), .csv, .warc(.gz) files, directories or glob patterns.
Legacy encodings (TCVN3, VNI, VIQR, Windows-1258, UTF-8 mojibake) are converted and noted.
Re-running the same command after an interruption finishes only the remaining articles.

--dask accepts tcp://scheduler:8786, a scheduler file (.json), or local[:N] for a LocalCluster.
"""


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="vnproof audit", description=__doc__, epilog=USAGE_EXTRA,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-o", "--out", required=True, metavar="OUTDIR")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--dask", metavar="ADDR", help="run on a Dask cluster (tcp://host:8786, file.json, local:N)")
    p.add_argument("--learn", action="store_true", help="learn the archive's own n-grams and spellings first")
    p.add_argument("--text-field", default="text", help="JSONL/CSV text field (default: text)")
    p.add_argument("--id-field", default="id", help="JSONL/CSV id field (default: id)")
    p.add_argument("--date-field", default="date", help="JSONL/CSV publication date field (default: date)")
    p.add_argument("--level", default="default", choices=["default", "picky"])
    p.add_argument("--pub-date-from-page", action="store_true",
                   help="use the date found in HTML pages as the publication date for date rules")
    p.add_argument("--keep-boilerplate", action="store_true", help="do not strip page furniture from text files")
    p.add_argument("--restart", action="store_true", help="discard earlier results in OUTDIR")
    p.add_argument("--no-progress", action="store_true")
    return p.parse_args(argv)


def _total(paths: list[str]) -> int | None:
    """Articles to expect, counted cheaply (lines of JSONL/CSV); None when unknown (WARC)."""
    n = 0
    for f in discover(paths):
        name = f.name.lower()
        if name.endswith((".warc", ".warc.gz")):
            return None
        if name.endswith((".jsonl", ".ndjson", ".csv")):
            with open(f, "rb") as fh:
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
            n += max(lines - (1 if name.endswith(".csv") else 0), 0)
        elif name.endswith(".jsonl.gz"):
            return None
        else:
            n += 1
    return n


def main(argv: list[str]) -> int:
    a = parse(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    read = ReadOptions(text_field=a.text_field, id_field=a.id_field, date_field=a.date_field,
                       strip_boilerplate=not a.keep_boilerplate)
    paths = [str(p) for p in a.paths]
    if not discover(paths):
        print("vnproof audit: no input files found", file=sys.stderr)
        return 2
    state = State(out / "state.sqlite")
    config = {"paths": [str(Path(p).resolve()) if not any(c in p for c in "*?[") else p for p in paths],
              "read": vars(read), "level": a.level, "pub_date_from_page": a.pub_date_from_page, "learn": a.learn}
    try:
        state.check_config(config, restart=a.restart)
    except ConfigMismatch as e:
        print(f"vnproof audit: {e}", file=sys.stderr)
        return 2
    progress = not a.no_progress
    cfg = AuditConfig(level=a.level, pub_date_from_page=a.pub_date_from_page, read=read)
    if a.learn:
        from .learn import learn

        model, accept = out / "archive-model", out / "archive-words.txt"
        if state.get("learned") != "1" or not (model / "meta.json").exists():
            learn(numbered(iter_items(paths, read)), read, out, workers=max(1, a.workers), progress=progress)
            state.put("learned", "1")
        cfg = AuditConfig(level=a.level, pub_date_from_page=a.pub_date_from_page, read=read,
                          models=(str(model.resolve()),), accept=str(accept.resolve()))

    from tqdm import tqdm

    already = state.count()
    total = _total(paths)
    bar = tqdm(total=total, initial=already, unit="art", desc="audit", disable=not progress,
               mininterval=0.5, smoothing=0.1, file=sys.stderr, dynamic_ncols=True)
    n_issues = 0
    t0 = time.perf_counter()

    def on_result(res: dict) -> None:
        nonlocal n_issues
        state.add(res)
        n_issues += len(res["issues"])
        bar.update(1)
        if bar.n % 20 == 0:
            bar.set_postfix(issues=n_issues, refresh=False)

    tasks = numbered(iter_items(paths, read, done=state.is_done))
    try:
        run(tasks, cfg, on_result, workers=a.workers, dask=a.dask)
    finally:
        state.flush()
        bar.close()
    from .report import write_reports

    summary = write_reports(state.rows(), out)
    state.close()
    dt = time.perf_counter() - t0
    print(f"vnproof audit: {summary.get('articles', 0)} articles, {summary.get('issues', 0)} issues "
          f"({summary.get('per_1000', 0):.2f} per 1,000 words), {summary.get('converted', 0)} converted, "
          f"{summary.get('errors', 0)} unreadable; this run {dt:.1f} s. Reports in {out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
