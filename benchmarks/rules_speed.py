"""CPU time of the rules (`run_rules`) and of `language.without_foreign_spelling` alone.

    nice -n 5 python benchmarks/rules_speed.py [--ref /work/main] [--rounds 7] [--paragraphs 300]

Texts: viwiki-dev (with errors) and `--paragraphs` news paragraphs (read from ../shared/corpus
at run time, never written anywhere), tokenized once. Each tree runs in a persistent child
process of its own (`DIR/.venv/bin/python`, else this interpreter) that loads a checker, then
on each round times, with `time.process_time`, one pass of `run_rules` over every document at
the default and picky levels, and one pass of `without_foreign_spelling` over each text with
that text's checker issues. With `--ref`, the rounds alternate between the two trees; the
medians are printed (and the ratio ref/this).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, ROOT, VIWIKI  # noqa: E402

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
import vnproof
from vnproof.language import without_foreign_spelling
from vnproof.options import CheckOptions
from vnproof.rules import run_rules
from vnproof.tokenize import tokenize
texts = json.load(open(sys.argv[1], encoding="utf-8"))
checker = vnproof.Checker()
levels = [CheckOptions.make(level=l) for l in ("default", "picky")]
docs = [tokenize(t) for t in texts]
issues = [checker.check(t) for t in texts]
def rules_pass():
    for opts in levels:
        for d in docs:
            run_rules(d, opts, checker.lexicon, None, checker._pairs_seen)
def language_pass():
    for t, i in zip(texts, issues):
        without_foreign_spelling(t, i)
rules_pass(); language_pass()   # warm-up (caches)
print(json.dumps({"impl": vnproof.implementation()}), flush=True)
for line in sys.stdin:
    out = {}
    for name, f in (("rules", rules_pass), ("language", language_pass)):
        s = time.process_time(); f(); out[name] = time.process_time() - s
    print(json.dumps(out), flush=True)
"""


def texts(paragraphs: int, seed: int) -> list[str]:
    out = [json.loads(l)["text_with_errors"] for l in VIWIKI.read_text(encoding="utf-8").splitlines() if l.strip()]
    if paragraphs and CORPUS.exists():
        from news_flags import sample

        out += [p for _, p in sample(paragraphs, seed)]
    return out


def _child(tree: Path, data: Path) -> subprocess.Popen:
    py = tree / ".venv" / "bin" / "python"
    p = subprocess.Popen([str(py if py.exists() else sys.executable), "-c", _CHILD, str(data), str(tree)],
                         cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    print(f"{tree}: {json.loads(p.stdout.readline())['impl']}", file=sys.stderr)
    return p


def _round(p: subprocess.Popen) -> dict[str, float]:
    p.stdin.write("go\n")
    p.stdin.flush()
    return json.loads(p.stdout.readline())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, help="a reference checkout to compare with")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--paragraphs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as f:
        json.dump(texts(args.paragraphs, args.seed), f, ensure_ascii=False)
        f.flush()
        trees = {"this": ROOT} | ({"ref": args.ref.resolve()} if args.ref else {})
        procs = {name: _child(tree, Path(f.name)) for name, tree in trees.items()}
        times: dict[str, dict[str, list[float]]] = {n: {"rules": [], "language": []} for n in trees}
        for _ in range(args.rounds):
            for name in sorted(trees, reverse=_ % 2 == 1):   # alternate the order too
                for k, v in _round(procs[name]).items():
                    times[name][k].append(v)
        for p in procs.values():
            p.stdin.close()
            p.wait()
    for name in trees:
        med = {k: statistics.median(v) for k, v in times[name].items()}
        print(f"{name:5} rules {med['rules'] * 1000:8.1f} ms   language {med['language'] * 1000:8.1f} ms   (medians of {args.rounds})")
    if args.ref:
        for k in ("rules", "language"):
            r = statistics.median(times["ref"][k]) / statistics.median(times["this"][k])
            print(f"{k}: ref / this = {r:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
