"""False alarms on unseen news, default model alone and with a house model trained on the rest of the archive.

    python benchmarks/news_house.py [--paragraphs 300] [--seed 20261211] [--heldout-percent 5]
                                    [--work /tmp/vnproof-bench/news-house] [--reuse] [--json OUT]

Splits `../shared/corpus/` (copyrighted news standing in for a newsroom's archive) by article:
an article is held out when `zlib.crc32(id) % 100 < --heldout-percent`, a split that does not
move when the corpus is reread or reordered. The other articles are copied, every field as in
the source and one file per corpus file, to WORK/train/, and `vnproof train WORK/train/*.jsonl.gz
-o WORK/model` builds the house model from them alone (wall time and peak RSS recorded; `--reuse`
keeps a model already at WORK/model, with its meta.json, when WORK/split.json says it was built
with the same held-out percent). Then `--paragraphs` paragraphs (20 to 150 syllables, one per
article, fixed seed: news_flags.sample) are drawn from the HELD-OUT articles only, so the house
model has seen neither them nor their articles; each is checked alone at the default level, as
a LanguageTool client sends them, with `vnproof.Checker()` and with
`vnproof.Checker(models=[WORK/model])`. It prints, for each, the spelling flags (and doubled
words) per 1,000 syllables and the list of every flag with its context, then the flags that
only one of the two raises, to be read and judged: most flags on published news are false
alarms. It also counts the sampled paragraphs that occur verbatim in a training article (the
aggregator carries the same story from several outlets), which the house model has seen.

The model and the training files stay under WORK in /tmp: the corpus is third-party text and
nothing derived from it may be committed. Nothing this script prints may be committed either,
except the figures and the judged lists. About 2 minutes of training on the 2-core machine
(22.5M syllables, 2.9 GB peak), then a minute of checking per 300 paragraphs.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, ROOT  # noqa: E402
from house_model import run_train  # noqa: E402
from news_flags import SYL, articles, context, flag_table, sample, slip_flags  # noqa: E402

import vnproof  # noqa: E402

DEFAULT_WORK = Path("/tmp/vnproof-bench/news-house")


def held_out(article_id: str, percent: int) -> bool:
    """Whether the article is held out from the house model: a stable hash of its id."""
    return zlib.crc32(article_id.encode("utf-8")) % 100 < percent


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl.gz"))  # not the folder: it also holds manifest.json


def split(work: Path, percent: int) -> dict:
    """Write the training articles to WORK/train/ (one file per corpus file, each line exactly as
    in the source, so `vnproof train` reads their `text` and `title` as it reads the corpus) and
    WORK/split.json; returns the split's figures."""
    train_dir = work / "train"
    if train_dir.exists():
        shutil.rmtree(train_dir)
    train_dir.mkdir(parents=True)
    figures = {"heldout_percent": percent, "files": [], "train_articles": 0, "heldout_articles": 0}
    heldout_ids = []
    for f in corpus_files():
        kept = 0
        with gzip.open(f, "rt", encoding="utf-8") as src, \
                gzip.open(train_dir / f.name, "wt", encoding="utf-8", compresslevel=6) as dst:
            for line in src:
                if not line.strip():
                    continue
                aid = json.loads(line)["id"]
                if held_out(aid, percent):
                    heldout_ids.append(aid)
                else:
                    dst.write(line if line.endswith("\n") else line + "\n")
                    kept += 1
        figures["files"].append(f.name)
        figures["train_articles"] += kept
    figures["heldout_articles"] = len(heldout_ids)
    (work / "split.json").write_text(json.dumps({**figures, "heldout_ids": heldout_ids}, indent=1),
                                     encoding="utf-8")
    return figures


def model_sources_ok(model: Path, train_dir: Path) -> bool:
    """Whether every source the model's meta.json lists lies in the training folder."""
    try:
        sources = json.loads((model / "meta.json").read_text(encoding="utf-8")).get("sources") or []
    except (OSError, ValueError):
        return False
    paths = [Path(s.get("path", "")).resolve() for s in sources if isinstance(s, dict)]
    return bool(paths) and all(p.parent == train_dir.resolve() for p in paths)


def check(checker: vnproof.Checker, paras: list[tuple[str, str]]) -> tuple[list[dict], float]:
    """Every slip flag on each paragraph checked alone, and the seconds it took."""
    t = time.perf_counter()
    flags = slip_flags(checker, paras)
    return flags, time.perf_counter() - t


def key(f: dict) -> tuple:
    return f["article"], f["offset"], f["length"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261211)
    ap.add_argument("--heldout-percent", type=int, default=5)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK,
                    help="folder for the training files (WORK/train) and the model (WORK/model)")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the model at WORK/model if it has a meta.json and the same split")
    ap.add_argument("--json", type=Path, help="write both lists of flags here")
    args = ap.parse_args()
    if not corpus_files():
        print(f"no corpus in {CORPUS}", file=sys.stderr)
        return 2
    if not 0 < args.heldout_percent < 100:
        ap.error("--heldout-percent must be between 1 and 99")
    work = args.work.resolve()
    model, train_dir = work / "model", work / "train"
    if work == ROOT or ROOT in work.parents:
        ap.error("--work must lie outside the repository: nothing derived from the corpus goes in it")

    # 1-2. Split and train (or reuse).
    split_file = work / "split.json"
    old = json.loads(split_file.read_text(encoding="utf-8")) if split_file.exists() else {}
    reuse = (args.reuse and (model / "meta.json").exists()
             and old.get("heldout_percent") == args.heldout_percent
             and old.get("files") == [f.name for f in corpus_files()]
             and model_sources_ok(model, train_dir))
    if reuse:
        figures = {k: old[k] for k in ("heldout_percent", "train_articles", "heldout_articles")}
        stats = {"train_seconds": None, "syllables": 0, "summary": "reused"}
        print(f"# reusing {model}", file=sys.stderr)
    else:
        if args.reuse:
            print(f"# no reusable model with this split at {model}: training", file=sys.stderr)
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        figures = split(work, args.heldout_percent)
        figures["split_seconds"] = time.perf_counter() - t
        print(f"# split: {figures['train_articles']:,} training, {figures['heldout_articles']:,} held-out "
              f"articles in {figures['split_seconds']:.0f} s; training -> {model}", file=sys.stderr)
        stats = run_train(sorted(train_dir.glob("*.jsonl.gz")), model)
        print(f"# {stats['summary']}", file=sys.stderr)
    heldout_ids = set(json.loads(split_file.read_text(encoding="utf-8"))["heldout_ids"])
    model_mb = sum(f.stat().st_size for f in model.iterdir() if f.is_file() and f.name != "counts.npz") / 1e6

    # 3. Paragraphs of held-out articles only.
    arts = articles()
    heldout = [a for a in arts if a[0] in heldout_ids]
    assert all(held_out(aid, args.heldout_percent) for aid, _ in heldout)
    paras = sample(args.paragraphs, args.seed, arts=heldout)
    seen = {p for aid, ps in arts if aid not in heldout_ids for p in ps}
    verbatim = sum(text in seen for _, text in paras)
    del arts, seen
    syllables = sum(len(SYL.findall(text)) for _, text in paras)

    # 4. Check with each checker.
    results = {}
    for name, models in (("default", None), ("default + house", [str(model)])):
        t = time.perf_counter()
        checker = vnproof.Checker(models=models)
        load = time.perf_counter() - t
        flags, secs = check(checker, paras)
        results[name] = {"flags": flags, "load_seconds": load, "check_seconds": secs}
        del checker
        print(f"# {name}: {len(flags)} flags, loaded in {load:.1f} s, checked in {secs:.1f} s", file=sys.stderr)

    print(f"### Held-out news ({args.heldout_percent}% of articles by crc32 of the id): "
          f"default vs default + house model\n")
    print(f"Split: {figures['train_articles']:,} training articles, {figures['heldout_articles']:,} held out "
          f"({len(heldout):,} of them with paragraphs of 20 to 150 syllables). House model: "
          + (f"trained on {stats['syllables']:,} syllables in {stats['train_seconds']:.0f} s "
             f"(peak RSS {stats['train_peak_rss_mb']:.0f} MB)" if stats["train_seconds"] else "reused")
          + f", {model_mb:.1f} MB without its counts.\n")
    print(f"{len(paras)} paragraphs (seed {args.seed}), {syllables:,} syllables; "
          f"{verbatim} of the paragraphs also occur verbatim in a training article.\n")
    print("| model | spelling flags (and doubled words) | per 1,000 syllables | check s |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        n = len(r["flags"])
        print(f"| {name} | {n} | {1000 * n / max(syllables, 1):.2f} | {r['check_seconds']:.1f} |")
    for name, r in results.items():
        print(f"\n### Every flag: {name}\n")
        print(flag_table(r["flags"]))

    a = {key(f): f for f in results["default"]["flags"]}
    b = {key(f): f for f in results["default + house"]["flags"]}
    only = [("default only", f) for k, f in a.items() if k not in b] + \
           [("house only", f) for k, f in b.items() if k not in a]
    changed = sum(1 for k in a.keys() & b.keys() if a[k]["fix"][:1] != b[k]["fix"][:1])
    print(f"\n### Flags raised by only one of the two ({sum(w == 'default only' for w, _ in only)} "
          f"default only, {sum(w == 'house only' for w, _ in only)} house only; "
          f"{len(a.keys() & b.keys())} in both, {changed} of them with a different first fix)\n")
    print("| # | raised by | flag → fix | conf | context |")
    print("|---:|---|---|---:|---|")
    only.sort(key=lambda wf: (wf[0], -wf[1]["confidence"]))
    for i, (who, f) in enumerate(only, 1):
        print(f"| {i} | {who} | {f['text']} → {', '.join(f['fix'])} | {f['confidence']:.2f} | {context(f)} |")

    if args.json:
        args.json.write_text(json.dumps({
            "heldout_percent": args.heldout_percent, "seed": args.seed, "paragraphs": len(paras),
            "syllables": syllables, "verbatim_in_training": verbatim, "split": figures, "training": stats,
            **{name: r for name, r in results.items()}}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
