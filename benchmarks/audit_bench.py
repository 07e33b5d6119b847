"""Throughput and CPU cost of `vnproof audit` on a synthetic archive of saved HTML pages.

    python benchmarks/audit_bench.py [-n 10000] [--modes 1,2,dask2] [--keep DIR]
    python benchmarks/audit_bench.py -n 2000 --modes 1,2,dask2 --rounds 2 --fixed 20 \
        --side before=/work/wt-before --side after=. --side after-py=.:pure

Articles from ../shared/corpus/*.jsonl.gz are wrapped in page furniture (menu, banner, view
counter, related links, footer) and get typos injected with a fixed seed; the archive is
written to a temporary folder (never into the repository) and audited with 1 worker, 2
workers and a 2-worker Dask LocalCluster, each run a fresh `vnproof audit` process. Prints a
markdown table: articles/s (wall clock for the whole command: start-up, extraction, checking,
reports), CPU seconds of the whole process tree, peak RSS of the whole process tree, and the
extrapolated hours per million articles.

`--side LABEL=DIR[:pure]` (repeatable) audits with another checkout: DIR/.venv/bin/python run
in DIR (its own vnproof); `:pure` sets VNPROOF_PURE_PYTHON=1 (the pure-Python twin). Without
it the running interpreter's vnproof is the only side. `--rounds R` repeats everything R
times, sides interleaved within each mode (the order reversed every other round), so sides
are compared within one round. CPU seconds: the larger of two lower bounds, the rusage of the
reaped process tree (`os.wait4`) and the sum over every process seen in the tree of its last
sampled user+system time (every 0.1 s). `--fixed K` also audits the archive's first K pages
the same way, so that the marginal CPU per article, (CPU(n) - CPU(K)) / (n - K), leaves out
start-up (imports, the checker's load in every worker, a Dask cluster's start and close).
The main process's own CPU (reading, scheduling, reports: the serial part) is shown apart.
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
        self.cpu_main = 0.0
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
                t = self.proc.cpu_times()
                self.cpu_main = t.user + t.system
                self.peak = max(self.peak, total)
                self.peak_main = max(self.peak_main, main)
                self.samples.append(main)
            except psutil.Error:
                pass
            self.stop.wait(0.1)


def run_mode(mode: str, archive: Path, out: Path, side: tuple[str, Path | None, bool] = ("", None, False)) -> dict:
    label, tree, pure = side
    python = str(tree / ".venv" / "bin" / "python") if tree else sys.executable
    args = [python, "-m", "vnproof.cli", "audit", str(archive), "-o", str(out), "--no-progress"]
    if mode.startswith("dask"):
        args += ["--dask", f"local:{mode[4:] or 2}"]
    else:
        args += ["--workers", mode]
    env = {k: v for k, v in os.environ.items() if k not in ("VNPROOF_PURE_PYTHON", "PYTHONPATH")}
    if pure:
        env["VNPROOF_PURE_PYTHON"] = "1"
    shutil.rmtree(out, ignore_errors=True)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as errf:
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errf, cwd=str(tree) if tree else None, env=env)
        mon = PeakRSS(p.pid)
        mon.start()
        _, status, usage = os.wait4(p.pid, 0)     # rusage of the child and every descendant it reaped
        p.returncode = os.waitstatus_to_exitcode(status)
        dt = time.perf_counter() - t0
        mon.stop.set()
        mon.join()
        errf.seek(0)
        err = errf.read()
    cpu_rusage = usage.ru_utime + usage.ru_stime
    cpu_sampled = sum(mon.cpu.values())
    if p.returncode:
        raise SystemExit(f"{label} {mode} failed:\n{err.decode()[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    s = mon.samples
    mid = s[len(s) // 2] if s else 0
    late = max(s[-max(1, len(s) // 10):]) if s else 0
    return {"side": label, "mode": mode, "seconds": dt, "cpu": max(cpu_rusage, cpu_sampled), "cpu_rusage": cpu_rusage,
            "cpu_sampled": cpu_sampled, "cpu_main": mon.cpu_main, "load0": load0, "load": os.getloadavg(),
            "articles": summary["articles"], "issues": summary["issues"],
            "peak_rss": mon.peak, "peak_main": mon.peak_main, "main_mid": mid, "main_end": late}


def parse_side(spec: str) -> tuple[str, Path, bool]:
    label, _, rest = spec.partition("=")
    if not rest:
        raise argparse.ArgumentTypeError(f"--side LABEL=DIR[:pure], not {spec!r}")
    pure = rest.endswith(":pure")
    tree = Path(rest[:-5] if pure else rest).resolve()
    if not (tree / ".venv" / "bin" / "python").exists():
        raise argparse.ArgumentTypeError(f"{tree}/.venv/bin/python does not exist")
    return label, tree, pure


MODE_NAMES = {"1": "1 worker (plain loop)", "2": "2 worker processes"}


def mode_name(mode: str) -> str:
    if mode.startswith("dask"):
        return f"Dask LocalCluster, {mode[4:] or 2} workers"
    return MODE_NAMES.get(mode, f"{mode} worker processes")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="pages (default 10,000)")
    ap.add_argument("--modes", default="1,2,dask2", help="comma list: worker counts and daskN")
    ap.add_argument("--keep", metavar="DIR", help="build the archive here and keep it")
    ap.add_argument("--side", type=parse_side, action="append", metavar="LABEL=DIR[:pure]",
                    help="audit with DIR's .venv and vnproof (repeatable; :pure = VNPROOF_PURE_PYTHON=1)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat every run this many times, interleaved")
    ap.add_argument("--fixed", type=int, default=0, metavar="K",
                    help="also audit the first K pages, to subtract start-up from the CPU per article")
    ap.add_argument("--json", metavar="FILE", help="also write every run as JSON lines here")
    a = ap.parse_args(argv)
    sides = a.side or [("", None, False)]
    modes = a.modes.split(",")
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="vnproof-audit-bench-"))
    archive = tmp / "archive"
    small = tmp / f"archive-{a.fixed}"
    try:
        t0 = time.perf_counter()
        if not archive.exists():
            info = make_archive(archive, a.n)
            print(f"archive: {info['pages']} pages, {info['words']:,} words, {info['typos_injected']:,} typos "
                  f"injected ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        if a.fixed and not small.exists():
            make_archive(small, a.fixed)
        rows, fixed = [], {}
        for rnd in range(1, a.rounds + 1):
            for mode in modes:
                order = sides if rnd % 2 else sides[::-1]
                for side in order:
                    if a.fixed:
                        f = run_mode(mode, small, tmp / "out-fixed", side)
                        f["round"], f["pages"] = rnd, a.fixed
                        fixed[(rnd, side[0], mode)] = f
                        print(f"round {rnd} {side[0]} {mode} ({a.fixed} pages): {f}", file=sys.stderr)
                    r = run_mode(mode, archive, tmp / f"out-{mode}", side)
                    r["round"], r["pages"] = rnd, a.n
                    print(f"round {rnd} {side[0]} {mode}: {r}", file=sys.stderr)
                    rows.append(r)
                    if a.json:
                        with open(a.json, "a", encoding="utf-8") as fh:
                            for x in ([fixed[(rnd, side[0], mode)]] if a.fixed else []) + [r]:
                                fh.write(json.dumps({**x, "tree": str(side[1] or ""), "pure": side[2]}) + "\n")
        cpu = f"{psutil.cpu_count(logical=True)} cores"
        print(f"\n`vnproof audit` on {a.n:,} synthetic HTML pages ({cpu}, {psutil.virtual_memory().total / 2**30:.0f} GB):\n")
        marg = " marginal CPU s / article |" if a.fixed else ""
        print(f"| round | side | mode | articles | issues | wall s | articles/s | CPU s (tree) | CPU s / article |{marg} "
              "main process CPU s / article | peak RSS (all processes) | main process RSS mid → end | h per 1M articles "
              "| load avg start → end |")
        print("|---:|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if a.fixed else "") + "---:|---:|---:|---:|---|")
        for r in rows:
            rate = r["articles"] / r["seconds"]
            m = ""
            if a.fixed:
                f = fixed[(r["round"], r["side"], r["mode"])]
                m = f" {(r['cpu'] - f['cpu']) / (r['articles'] - f['articles']):.4f} |"
            print(f"| {r['round']} | {r['side']} | {mode_name(r['mode'])} | {r['articles']:,} | {r['issues']:,} | "
                  f"{r['seconds']:.1f} | {rate:.1f} | {r['cpu']:.1f} | {r['cpu'] / r['articles']:.4f} |{m} "
                  f"{r['cpu_main'] / r['articles']:.4f} | {r['peak_rss'] / 2**20:,.0f} MB | "
                  f"{r['main_mid'] / 2**20:,.0f} → {r['main_end'] / 2**20:,.0f} MB | {1e6 / rate / 3600:.1f} | "
                  f"{r['load0'][0]:.2f} → {r['load'][0]:.2f} |")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
