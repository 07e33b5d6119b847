"""Same output: this checkout and a reference checkout give byte-identical issue JSON.

    git worktree add /tmp/speed-ref 15aeffd
    python benchmarks/same_issues.py --ref /tmp/speed-ref [--paragraphs 300] [--levels default picky]
    [--model HOUSE] [--ref-output /tmp/ref-issues.jsonl]

Texts: every viwiki-dev document, with its errors and corrected, and `--paragraphs` news
paragraphs drawn as `news_flags.py` draws them (read from ../shared/corpus at run time, never
written anywhere). Each tree checks every text in a fresh process of its own code (the two run
side by side) at each level; the issues of each text are dumped as sorted-key JSON and compared
byte for byte. Prints the first differences and exits 1 when any text differs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, ROOT, VIWIKI  # noqa: E402

_CHILD = r"""
import json, sys
import vnproof
texts = json.load(open(sys.argv[1], encoding="utf-8"))
checker = vnproof.Checker(models=[sys.argv[3]] if sys.argv[3] else None)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for level in sys.argv[4].split(","):
        for name, text in texts:
            issues = [i.to_dict() for i in checker.check(text, level=level)]
            out.write(json.dumps([level, name, issues], ensure_ascii=False, sort_keys=True) + "\n")
"""


def texts(paragraphs: int, seed: int) -> list[tuple[str, str]]:
    """(name, text) pairs: viwiki-dev with errors and corrected, then news paragraphs."""
    out = []
    for line in VIWIKI.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((f"{row['id']}/errors", row["text_with_errors"]))
            if row.get("corrected_text"):
                out.append((f"{row['id']}/clean", row["corrected_text"]))
    if paragraphs and CORPUS.exists():
        from news_flags import sample

        out += [(f"news/{aid}", p) for aid, p in sample(paragraphs, seed)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, required=True, help="the reference checkout")
    ap.add_argument("--tree", type=Path, default=ROOT, help="the checkout under test (this one)")
    ap.add_argument("--paragraphs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--levels", nargs="+", default=["default", "picky"])
    ap.add_argument("--model", default="", help="a house model both trees add")
    ap.add_argument("--ref-output", type=Path,
                    help="the reference's issue lines: read from this file if it exists (the reference "
                         "is not run again), else written to it; only for an unchanged reference and options")
    args = ap.parse_args()
    items = texts(args.paragraphs, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "texts.json"
        src.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        outs = {name: Path(tmp) / f"{name}.jsonl" for name in ("ref", "tree")}
        reuse = args.ref_output is not None and args.ref_output.exists()
        if reuse:
            outs["ref"] = args.ref_output
        runs = (("tree", args.tree),) if reuse else (("ref", args.ref), ("tree", args.tree))
        procs = {name: subprocess.Popen([sys.executable, "-c", _CHILD, str(src), str(outs[name]), args.model,
                                         ",".join(args.levels)], cwd=tree)
                 for name, tree in runs}
        if any(p.wait() != 0 for p in procs.values()):
            print("a checker process failed", file=sys.stderr)
            return 2
        ref = outs["ref"].read_bytes().splitlines()
        if args.ref_output is not None and not reuse:
            args.ref_output.write_bytes(outs["ref"].read_bytes())
        new = outs["tree"].read_bytes().splitlines()
    diffs = [(a, b) for a, b in zip(ref, new) if a != b]
    n_issues = sum(len(json.loads(a)[2]) for a in ref)
    print(f"{len(items)} texts x {len(args.levels)} levels, {n_issues} issues in the reference; "
          f"sha256 ref {hashlib.sha256(b''.join(ref)).hexdigest()[:16]} "
          f"tree {hashlib.sha256(b''.join(new)).hexdigest()[:16]}")
    if len(ref) != len(new):
        print(f"different line counts: {len(ref)} vs {len(new)}")
        return 1
    for a, b in diffs[:5]:
        la, lb = json.loads(a), json.loads(b)
        print(f"DIFF {la[0]} {la[1]}:\n  ref  {json.dumps(la[2], ensure_ascii=False)[:600]}\n"
              f"  tree {json.dumps(lb[2], ensure_ascii=False)[:600]}")
    print(f"{len(diffs)} of {len(ref)} differ" if diffs else "identical")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
