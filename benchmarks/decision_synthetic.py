"""Does a decision trained on synthetic slips beat one fitted on real typos? Measured on half B.

    python benchmarks/decision_synthetic.py [--passes 3] [--seed 1]

Training rows for the synthetic decision: slips from `vnproof.slips` (4 per 100 syllables) in
the *train* part of the open-corpus documents that the default model held out (so the model
never saw their clean sentences), every decision the decoder asks about, labelled by overlap
with a slip. The regression (same features and fitting as `vnproof.decisionfit`) is then
Platt-scaled on half A, as issue #13 proposes. It is compared with the shipped way (the
regression fitted on half A directly) and with the decoder's posterior alone, each at its
precision-0.9-on-A threshold and at its best-F0.5-on-A threshold, on the rows of half B (the
syllables the decision is asked about; context-free issues are left out, so recall is lower
than score.py's).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import VIWIKI, md_table, viwiki_sets  # noqa: E402

import vnproof  # noqa: E402
from vnproof.decision import FEATURES, Decision, features, knows_nothing  # noqa: E402
from vnproof.decisionfit import FEATURE_SETS, _standardise, fit, logistic, threshold_for, viwiki_rows  # noqa: E402
from vnproof.lmsources import heldout_documents  # noqa: E402
from vnproof.slips import corrupt  # noqa: E402

OPEN_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "open-corpus"


def slip_rows(checker, docs, passes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = [], []
    for p in range(passes):
        rng = random.Random(seed * 1000 + p)
        for _, _, text in docs:
            for para in text.split("\n"):
                if len(para) < 20:
                    continue
                bad, slips = corrupt(para, rng, 0.04)
                for tok, _, view in checker.slot_rows(bad):
                    if not knows_nothing(view):
                        X.append(features(view))
                        y.append(float(any(tok.start < s.end and s.start < tok.end for s in slips)))
    return np.asarray(X), np.asarray(y)


def regression(X, y, cols, ridge=1.0) -> Decision:
    idx = [FEATURES.index(c) for c in cols]
    mean, scale = _standardise(X[:, idx])
    beta = logistic((X[:, idx] - mean) / scale, y, ridge)
    return Decision(tuple(cols), beta[:-1], float(beta[-1]), mean, scale, {}, {})


def figures(conf_a, a, conf_b, b) -> list:
    Xa, ya, ca, _, _ = a
    Xb, yb, cb, _, typos_b = b
    out = []
    for t in (threshold_for(conf_a, ya, ca, 0.9), best_f05(conf_a, a)):
        f = (conf_b >= t) & ~cb
        p = yb[f].mean() if f.any() else 0.0
        r = yb[f].sum() / typos_b
        out += [t, p, r, 2 * p * r / max(p + r, 1e-9)]
    return out


def best_f05(conf, a) -> float:
    _, y, clean, _, typos = a
    def f05(t):
        f = (conf >= t) & ~clean
        p = y[f].mean() if f.any() else 0.0
        r = y[f].sum() / typos
        return 1.25 * p * r / max(0.25 * p + r, 1e-9)
    return max(np.round(np.arange(0.05, 0.96, 0.01), 2), key=f05)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    checker = vnproof.Checker()
    A = viwiki_rows(checker, VIWIKI)
    B = viwiki_rows(checker, viwiki_sets()["viwiki-B"], first=10**6)
    Xs, ys = slip_rows(checker, heldout_documents(OPEN_CORPUS, "train"), a.passes, a.seed)
    print(f"synthetic rows: {len(ys)}, {int(ys.sum())} on slips; half A rows {len(A[1])}, half B rows {len(B[1])}")
    rows = []
    post = regression(A[0], A[1], ("posterior_logit",))
    rows.append(["decoder posterior alone (scaled on A)", *figures(post.confidence(A[0]), A, post.confidence(B[0]), B)])
    for name in ("base", "+lm+prior+repeat+seen"):
        syn = regression(Xs, ys, FEATURE_SETS[name])
        score_a = np.log(syn.confidence(A[0])) - np.log1p(-syn.confidence(A[0]))
        score_b = np.log(syn.confidence(B[0])) - np.log1p(-syn.confidence(B[0]))
        platt = logistic(score_a[:, None], A[1], 0.0)
        ca = 1 / (1 + np.exp(-(platt[0] * score_a + platt[1])))
        cb = 1 / (1 + np.exp(-(platt[0] * score_b + platt[1])))
        rows.append([f"synthetic-trained ({name}), Platt on A", *figures(ca, A, cb, B)])
    shipped, _ = fit(A[0], A[1], A[2], A[3])
    rows.append([f"fitted on A ({shipped.meta['feature_set']}), as shipped",
                 *figures(shipped.confidence(A[0]), A, shipped.confidence(B[0]), B)])
    print(md_table(["decision", "t (P≥.9 on A)", "B P", "B R", "B F1", "t (best F0.5 on A)", "B P", "B R", "B F1"], rows))


if __name__ == "__main__":
    main()
