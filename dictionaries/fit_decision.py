"""Refit the decision, dictionaries/decision.json (see vnproof/decisionfit.py).

    python dictionaries/fit_decision.py [--viwiki ../shared/eval/viwiki-dev.jsonl]

Run it after every change to the default model or to the candidates: the decision is fitted
on the model it decides with. Reads only the tuning half of viwiki-dev (its first 30
documents). Prints the cross-validated log loss of each feature set and ridge, the weights and
the thresholds, and writes decision.json next to this script.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from vnproof import Checker  # noqa: E402
from vnproof.decisionfit import fit, viwiki_rows  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--viwiki", type=Path, default=HERE.parent.parent / "shared" / "eval" / "viwiki-dev.jsonl")
    ap.add_argument("--out", type=Path, default=HERE / "decision.json")
    a = ap.parse_args(argv)
    X, y, clean, doc, typos = viwiki_rows(Checker(), a.viwiki)
    decision, losses = fit(X, y, clean, doc)
    for k, v in losses.items():
        print(f"  cv log loss {v:.5f}  {k}")
    for name, w in zip(decision.names, decision.weights):
        print(f"  {name:24s} {w:+.3f}")
    print(f"intercept {decision.bias:+.3f}; thresholds {decision.thresholds}; {decision.meta}; {typos} typos")
    decision.save(a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
