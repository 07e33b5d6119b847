"""Throughput of `vnproof audit` on a synthetic archive of saved HTML pages.

    python benchmarks/audit_bench.py [-n 10000] [--modes 1,2,dask2] [--keep DIR]

Articles from ../shared/corpus/*.jsonl.gz are wrapped in page furniture (menu, banner, view
counter, related links, footer) and get typos injected with a fixed seed; the archive is
written to a temporary folder (never into the repository) and audited with 1 worker, 2
workers and a 2-worker Dask LocalCluster, each run a fresh `vnproof audit` process. Prints a
markdown table: articles/s (wall clock for the whole command: start-up, extraction, checking,
reports), peak RSS of the whole process tree, and the extrapolated hours per million articles.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from vnproof.audit.synth import inject_typos, page

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_articles():
    files = sorted(CORPUS.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no corpus in {CORPUS}")
    handles = [gzip.open(f, "rt", encoding="utf-8") for f in files]
    for lines in itertools.zip_longest(*handles):      # interleave sources
        for line in lines:
            if line:
                rec = json.loads(line)
                if len(rec.get("text") or "") > 300:
                    yield rec


def make_archive(dst: Path, n: int, seed: int = 20260401) -> dict:
    rng = random.Random(seed)
    injected = words = 0
    for k, rec in enumerate(itertools.islice(corpus_articles(), n)):
        text, typos = inject_typos(rec["text"], rng)
        injected += typos
        words += len(text.split())
        date = rec.get("date") or rec.get("added")
        folder = dst / rec.get("source", "misc") / f"{k // 500:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        html = page(rec.get("title") or "", text, date=date[:10] if date else None, views=rng.randrange(10, 9999),
                    site=rec.get("source", "").upper())
        (folder / f"{k:06d}.html").write_text(html, encoding="utf-8")
    return {"pages": n, "typos_injected": injected, "words": words}


class PeakRSS(threading.Thread):
    """Peak summed RSS of a process and all its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_main = 0
        self.samples: list[int] = []
        self.cpu: dict[int, float] = {}   # last CPU seconds seen per process of the tree
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                        t = p.cpu_times()
                        self.cpu[p.pid] = t.user + t.system
                    except psutil.Error:
                        pass
                main = self.proc.memory_info().rss
                self.peak = max(self.peak, total)
                self.peak_main = max(self.peak_main, main)
                self.samples.append(main)
            except psutil.Error:
                pass
            self.stop.wait(0.1)


def run_mode(mode: str, archive: Path, out: Path) -> dict:
    args = [sys.executable, "-m", "vnproof.cli", "audit", str(archive), "-o", str(out), "--no-progress"]
    if mode.startswith("dask"):
        args += ["--dask", f"local:{mode[4:] or 2}"]
    else:
        args += ["--workers", mode]
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    mon = PeakRSS(p.pid)
    mon.start()
    _, err = p.communicate()
    dt = time.perf_counter() - t0
    mon.stop.set()
    mon.join()
    cpu = sum(mon.cpu.values())
    if p.returncode:
        raise SystemExit(f"{mode} failed:\n{err.decode()[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    s = mon.samples
    mid = s[len(s) // 2] if s else 0
    late = max(s[-max(1, len(s) // 10):]) if s else 0
    return {"mode": mode, "seconds": dt, "cpu": cpu, "load": os.getloadavg()[0], "articles": summary["articles"], "issues": summary["issues"],
            "peak_rss": mon.peak, "peak_main": mon.peak_main, "main_mid": mid, "main_end": late}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="pages (default 10,000)")
    ap.add_argument("--modes", default="1,2,dask2", help="comma list: worker counts and daskN")
    ap.add_argument("--keep", metavar="DIR", help="build the archive here and keep it")
    a = ap.parse_args(argv)
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="vnproof-audit-bench-"))
    archive = tmp / "archive"
    try:
        t0 = time.perf_counter()
        if not archive.exists():
            info = make_archive(archive, a.n)
            print(f"archive: {info['pages']} pages, {info['words']:,} words, {info['typos_injected']:,} typos "
                  f"injected ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        rows = []
        for mode in a.modes.split(","):
            r = run_mode(mode, archive, tmp / f"out-{mode}")
            print(f"{mode}: {r}", file=sys.stderr)
            rows.append(r)
        cpu = f"{psutil.cpu_count(logical=True)} cores"
        print(f"\n`vnproof audit` on {a.n:,} synthetic HTML pages ({cpu}, {psutil.virtual_memory().total / 2**30:.0f} GB):\n")
        print("| mode | articles | wall s | articles/s | CPU s / article | peak RSS (all processes) "
              "| main process RSS mid → end | h per 1M articles | load avg at end |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        names = {"1": "1 worker (plain loop)", "2": "2 worker processes"}
        for r in rows:
            rate = r["articles"] / r["seconds"]
            name = names.get(r["mode"], f"Dask LocalCluster, {r['mode'][4:] or 2} workers" if r["mode"].startswith("dask")
                             else f"{r['mode']} worker processes")
            print(f"| {name} | {r['articles']:,} | {r['seconds']:.1f} | {rate:.1f} | {r['cpu'] / r['articles']:.3f} | {r['peak_rss'] / 2**20:,.0f} MB | "
                  f"{r['main_mid'] / 2**20:,.0f} → {r['main_end'] / 2**20:,.0f} MB | {1e6 / rate / 3600:.1f} | "
                  f"{r['load']:.1f} |")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
