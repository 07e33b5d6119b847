"""Speed: single-process syllables/second, load time and peak RSS, with and without a house model.

    python benchmarks/speed.py [--runs 5] [--house-model PATH | --no-house]
    python benchmarks/speed.py --data old=/tmp/data-old --data new=dictionaries --no-house
    python benchmarks/speed.py --impl compiled --impl python --no-house --runs 3

With `--data NAME=DIR` (repeatable), each data folder (a copy of `dictionaries/`, e.g. with
another model in `lm/`) is measured instead, in interleaved fresh processes, so the ratios
come from one run on the same machine state. With `--tree NAME=DIR`, DIR is another checkout
(e.g. `git worktree add /tmp/old REV`): its own code and `dictionaries/` are measured. With
`--impl compiled --impl python` (issue #14), the compiled core and its pure-Python twin
(`VNPROOF_PURE_PYTHON=1`) are measured the same way, interleaved; each child checks that
`vnproof.implementation()` is the one asked for.

- syl/s: one process checks every viwiki-dev `text_with_errors` (59 documents) after a warm-up
  pass over all of them; `--runs` timed passes; the median is reported (min and max too).
  With `--data`/`--tree`, also syllables per second of the process's CPU time (`process_time`):
  less disturbed by other work on a shared machine than wall time.
  Syllables are counted with score.py's regex.
- load: `vnproof.Checker(...)` construction time, measured in `--runs` fresh subprocesses
  (import of vnproof excluded, reported apart); median.
- peak RSS: `resource.getrusage(RUSAGE_SELF).ru_maxrss` in a fresh subprocess after the
  Checker is built, and again after checking every text once.

The house model defaults to the one benchmarks/house_model.py leaves in /tmp/vnproof-bench/house.
The machine is shared (2 cores): compare medians, and rerun on a quiet machine for final figures.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_HOUSE, ROOT, VIWIKI, md_table, median  # noqa: E402

_CHILD = r"""
import json, os, re, resource, sys, time
t0 = time.perf_counter()
import vnproof
t1 = time.perf_counter()
want = os.environ.get("VNPROOF_BENCH_IMPL")
if want and hasattr(vnproof, "implementation") and vnproof.implementation() != want:
    sys.exit(f"asked for the {want} implementation, got {vnproof.implementation()}")
house = sys.argv[2] or None
checker = vnproof.Checker(models=[house] if house else None, data=sys.argv[5] or None)
t2 = time.perf_counter()
rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {"import_s": t1 - t0, "load_s": t2 - t1, "rss_load_kb": rss_load}
if sys.argv[3] == "speed":
    texts = [json.loads(l)["text_with_errors"] for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    syl = sum(len(re.findall(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+", t)) for t in texts)
    s = time.perf_counter()
    for t in texts:
        checker.check(t)
    out["first_pass_s"] = time.perf_counter() - s
    out["rss_checked_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    runs, cpu = [], []
    for _ in range(int(sys.argv[4])):
        s, c = time.perf_counter(), time.process_time()
        for t in texts:
            checker.check(t)
        runs.append(time.perf_counter() - s)
        cpu.append(time.process_time() - c)
    out.update(syllables=syl, runs=runs, cpu_runs=cpu)
print(json.dumps(out))
"""


def child(house: Path | None, mode: str, runs: int = 0, data: Path | None = None,
          tree: Path | None = None, impl: str | None = None) -> dict:
    """One fresh process; with `tree`, the code of that checkout (python -c imports from cwd);
    with `impl` ("compiled" or "python"), that implementation of the hot modules."""
    env = dict(os.environ)
    env.pop("VNPROOF_PURE_PYTHON", None)
    if impl:
        env["VNPROOF_BENCH_IMPL"] = impl
        if impl == "python":
            env["VNPROOF_PURE_PYTHON"] = "1"
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(VIWIKI), str(house or ""), mode, str(runs),
                           str(data or "")],
                          capture_output=True, text=True, cwd=tree or ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(configs: list[tuple], runs: int) -> list[dict]:
    """Interleaved measurements of (house model, data folder[, checkout[, impl]]) configurations."""
    loads: list[list[dict]] = [[] for _ in configs]
    speeds: list[list[dict]] = [[] for _ in configs]
    for _ in range(runs):
        for i, (house, data, *rest) in enumerate(configs):
            tree, impl = (list(rest) + [None, None])[:2]
            loads[i].append(child(house, "load", data=data, tree=tree, impl=impl))
            speeds[i].append(child(house, "speed", 1, data=data, tree=tree, impl=impl))
    return [_summary(lo, sp) for lo, sp in zip(loads, speeds)]


def _summary(loads: list[dict], speeds: list[dict]) -> dict:
    sp = speeds[0]
    rates = sorted(s["syllables"] / s["runs"][0] for s in speeds)
    runs = len(speeds)
    return {
        "load_s": median([x["load_s"] for x in loads]),
        "import_s": median([x["import_s"] for x in loads]),
        "rss_load_mb": median([s["rss_load_kb"] for s in speeds]) / 1024,
        "rss_checked_mb": median([s["rss_checked_kb"] for s in speeds]) / 1024,
        "syl_s_first_pass": median([s["syllables"] / s["first_pass_s"] for s in speeds]),
        "syl_s": median(rates), "syl_s_min": rates[0], "syl_s_max": rates[-1],
        "syl_cpu_s": median([s["syllables"] / s["cpu_runs"][0] for s in speeds]),
        "syllables": sp["syllables"], "runs": runs,
    }


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--house-model", type=Path)
    ap.add_argument("--no-house", action="store_true")
    ap.add_argument("--data", action="append", default=[], metavar="NAME=DIR",
                    help="measure this data folder (repeatable; interleaved)")
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=DIR",
                    help="measure this checkout's code and dictionaries/ (repeatable; interleaved)")
    ap.add_argument("--impl", action="append", default=[], choices=("compiled", "python"),
                    help="measure this implementation of the hot modules (repeatable; interleaved)")
    args = ap.parse_args()
    if args.impl:
        house = None if args.no_house else args.house_model
        results = measure([(house, None, None, impl) for impl in args.impl], args.runs)
        rows = []
        for impl, m in zip(args.impl, results):
            print(f"# {impl}: {json.dumps(m)}", file=sys.stderr)
            rows.append([impl, f"{m['syl_s']:,.0f}", f"{m['syl_s_first_pass']:,.0f}",
                         f"{m['syl_s_min']:,.0f}–{m['syl_s_max']:,.0f}", f"{m['load_s']:.2f}",
                         f"{m['import_s']:.2f}", f"{m['rss_load_mb']:.0f}", f"{m['rss_checked_mb']:.0f}"])
        if len(results) > 1:
            rows.append([f"{args.impl[0]} / {args.impl[1]}", f"{results[0]['syl_s'] / results[1]['syl_s']:.2f}x",
                         f"{results[0]['syl_s_first_pass'] / results[1]['syl_s_first_pass']:.2f}x", "",
                         f"{results[0]['load_s'] / results[1]['load_s']:.2f}x", "", "", ""])
        print(f"viwiki-dev text_with_errors, {results[0]['syllables']:,} syllables per pass, median of "
              f"{args.runs} interleaved fresh processes (one timed pass each, after a warm-up pass).\n")
        print(md_table(["implementation", "syl/s (median)", "syl/s first pass (cold caches)", "syl/s (min–max)",
                        "load s (Checker())", "import s", "peak RSS MB after load", "peak RSS MB after checking"],
                       rows))
        return 0
    if args.data or args.tree:
        named = [d.split("=", 1) for d in args.data] + \
                [(n, str(Path(d) / "dictionaries")) for n, d in (t.split("=", 1) for t in args.tree)]
        trees = [None] * len(args.data) + [Path(t.split("=", 1)[1]) for t in args.tree]
        results = measure([(None, Path(d), t) for (_, d), t in zip(named, trees)], args.runs)
        rows = [[n, f"{m['syl_s']:,.0f}", f"{m['syl_s_min']:,.0f}–{m['syl_s_max']:,.0f}", f"{m['syl_cpu_s']:,.0f}",
                 f"{m['load_s']:.2f}", f"{m['rss_load_mb']:.0f}", f"{m['rss_checked_mb']:.0f}",
                 f"{_size(Path(d) / 'lm') / 1e6:.1f}"]
                for (n, d), m in zip(named, results)]
        print(md_table(["data", "syl/s (median)", "syl/s (min–max)", "syl/CPU-s (median)", "load s",
                        "peak RSS MB after load", "peak RSS MB after checking", "lm/ MB on disk"], rows))
        return 0
    models: list[tuple[str, Path | None]] = [("default", None)]
    house = None if args.no_house else (args.house_model or (DEFAULT_HOUSE if DEFAULT_HOUSE.exists() else None))
    if house:
        models.append(("default+house", house))
    elif not args.no_house:
        print(f"# no house model at {DEFAULT_HOUSE}: default model only", file=sys.stderr)
    rows = []
    for (name, hm), m in zip(models, measure([(hm, None) for _, hm in models], args.runs)):
        print(f"# {name}: {json.dumps(m)}", file=sys.stderr)
        rows.append([name, f"{m['syl_s']:,.0f}", f"{m['syl_s_first_pass']:,.0f}", f"{m['syl_s_min']:,.0f}–{m['syl_s_max']:,.0f}",
                     f"{m['load_s']:.2f}", f"{m['import_s']:.2f}", f"{m['rss_load_mb']:.0f}",
                     f"{m['rss_checked_mb']:.0f}"])
    print(f"viwiki-dev text_with_errors, {m['syllables']:,} syllables per pass, median of "
          f"{args.runs} passes after a warm-up pass; load = median of {args.runs} fresh processes.\n")
    print(md_table(["model", "syl/s (median)", "syl/s first pass (cold caches)", "syl/s (min–max)", "load s (Checker())",
                    "import s", "peak RSS MB after load", "peak RSS MB after checking"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
