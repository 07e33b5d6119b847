"""Edit-distance search over syllable skeletons: a SymSpell-style delete index.

A skeleton is a syllable without any diacritic ("trường" -> "truong"). `SkeletonIndex` finds
every known skeleton within two letter operations of a typed one (deletes of both sides meet in
the index, as in SymSpell), then an optimal-string-alignment distance names the operations:
a neighbouring key, another letter, a dropped or extra letter (a doubled one apart) and two
swapped letters. `op_weight` gives each operation its share of single-letter slips.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import OSA

# Share of each operation among single-letter slips of typed text. Damerau (1964) found that
# over 80% of misspelt words hold one error of four kinds (insertion, omission, substitution,
# transposition); the split below follows the usual order of typing studies (omission the most
# frequent, then insertion and substitution, transposition last), with most substitutions on a
# neighbouring key. A second operation on the same syllable costs SECOND_OP (about 20% of
# misspellings have more than one error, against 80% with one).
OP_SHARE: dict[str, float] = {
    "drop": 0.30,       # a letter left out: "truog" for truong
    "extra": 0.14,      # a letter typed once too many
    "double": 0.10,     # a letter typed twice: "nhaa"
    "keyboard": 0.20,   # a neighbouring key: "vảo" for bảo
    "letter": 0.12,     # any other letter
    "swap": 0.14,       # two neighbouring letters swapped: "cảu" for của
}
SECOND_OP = 0.25


@dataclass(frozen=True, slots=True)
class Match:
    skeleton: str              # the known skeleton found
    ops: tuple[str, ...]       # its operations, keys of OP_SHARE (empty when equal)


def deletes(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters removed (itself included)."""
    out = {word}
    n = len(word)
    if depth <= 2:   # the index's depth, by slicing: no combinations, no join per delete
        if depth >= 1 and n:
            ones = [word[:i] + word[i + 1:] for i in range(n)]
            out.update(ones)
            if depth == 2:
                for i in range(n - 1):
                    one = ones[i]   # word without letter i; letter j > i sits at j - 1 in it
                    for j in range(i, n - 1):
                        out.add(one[:j] + one[j + 1:])
        return out
    for d in range(1, min(depth, n) + 1):
        for idx in combinations(range(len(word)), d):
            out.add("".join(c for i, c in enumerate(word) if i not in idx))
    return out


_RANK = {"keyboard": 0, "double": 0, "swap": 0, "drop": 1, "extra": 1, "letter": 2}
_INF = (99, 99, ())


def alignment_ops(typed: str, meant: str, near: dict[str, str]) -> tuple[str, ...] | None:
    """The cheapest operations (at most two) that turn `meant` into `typed`; None beyond two.

    Costs are counts of operations; among equal counts the likelier kinds win (a neighbouring
    key over another letter, a doubled letter over any extra one). Only cells within two of
    the diagonal are filled: any other costs more than two operations, and costs never fall
    along a path, so no alignment of two or fewer passes through one."""
    n, m = len(typed), len(meant)
    if abs(n - m) > 2:
        return None
    # The table as three flat lists (cell (i, j) at i * w + j): number of ops, sum of ranks,
    # ops; 99 ops is no path. Cells off the band stay at 99.
    w = m + 1
    size = (n + 1) * w
    cost = [99] * size
    rank = [99] * size
    seq = [()] * size
    cost[0] = rank[0] = 0
    for i in range(n + 1):
        row, up = i * w, (i - 1) * w
        t1 = typed[i - 1] if i else ""
        t0 = typed[i - 2] if i >= 2 else ""
        double = i >= 2 and t0 == t1
        for j in range(max(0, i - 2), min(m, i + 2) + 1):
            if i == 0 and j == 0:
                continue
            bc = br = 99
            bo = ()
            m1 = meant[j - 1] if j else ""
            if i and j:
                p = up + j - 1
                if t1 == m1:
                    bc, br, bo = cost[p], rank[p], seq[p]
                elif cost[p] < 99:
                    kind = "keyboard" if t1 in near.get(m1, "") else "letter"
                    bc, br, bo = cost[p] + 1, rank[p] + (0 if kind == "keyboard" else 2), seq[p] + (kind,)
            if i:   # typed has an extra letter
                p = up + j
                c = cost[p]
                if c < 99:
                    kind = "double" if double or (j < m and meant[j] == t1) else "extra"
                    c += 1
                    r = rank[p] + (0 if kind == "double" else 1)
                    if c < bc or (c == bc and r < br):
                        bc, br, bo = c, r, seq[p] + (kind,)
            if j:   # typed lacks meant's letter
                p = row + j - 1
                c = cost[p]
                if c < 99:
                    c += 1
                    r = rank[p] + 1
                    if c < bc or (c == bc and r < br):
                        bc, br, bo = c, r, seq[p] + ("drop",)
            if i > 1 and j > 1 and t1 == meant[j - 2] and t0 == m1 and t1 != t0:
                p = up - w + j - 2
                c = cost[p]
                if c < 99:
                    c += 1
                    r = rank[p]
                    if c < bc or (c == bc and r < br):
                        bc, br, bo = c, r, seq[p] + ("swap",)
            k = row + j
            cost[k], rank[k], seq[k] = bc, br, bo
    k = n * w + m
    return seq[k] if cost[k] <= 2 else None


class SkeletonIndex:
    """Known skeletons by their deletes; `search` finds those within `max_ops` operations."""

    def __init__(self, skeletons: list[str], near: dict[str, str], max_ops: int = 2):
        self.max_ops = max_ops
        self.near = near
        self.skeletons = frozenset(skeletons)
        index: dict[str, list[str]] = defaultdict(list)
        for s in sorted(self.skeletons):   # sorted: results must not depend on the hash seed
            for d in deletes(s, max_ops):
                index[d].append(s)
        # Tuples: untracked by the garbage collector, unlike lists (see candidates' tables).
        self.index: dict[str, tuple[str, ...]] = {d: tuple(v) for d, v in index.items()}

    def search(self, typed: str) -> list[Match]:
        """Known skeletons within `max_ops` operations of `typed` (itself excluded), sorted."""
        out = []
        near, max_ops = self.near, self.max_ops
        for s, _ in self.within(typed):
            ops = alignment_ops(typed, s, near)
            if ops is not None and 0 < len(ops) <= max_ops:
                out.append(Match(s, ops))
        return out

    def within(self, typed: str) -> list[tuple[str, int]]:
        """(skeleton, OSA distance) of the known skeletons within `max_ops` of `typed` (itself
        excluded), sorted: `search` before naming the operations. The distance is a lower
        bound of the operations `alignment_ops` names (they are one OSA alignment), so a
        caller that needs few operations can skip a skeleton without aligning it."""
        seen: set[str] = set()
        index, max_ops = self.index, self.max_ops
        for d in deletes(typed, max_ops):   # a set union: the order of the deletes is moot
            hit = index.get(d)
            if hit is not None:
                seen.update(hit)
        seen.discard(typed)
        out = []
        distance = OSA.distance
        for s in sorted(seen):
            dist = distance(typed, s, score_cutoff=max_ops)
            if dist <= max_ops:   # deletes meet up to 2 x max_ops apart
                out.append((s, dist))
        return out


def op_weight(ops: tuple[str, ...]) -> float:
    """P(these operations | a letter slip), relative: the product of shares, SECOND_OP per extra op."""
    w = 1.0
    for k, op in enumerate(ops):
        w *= OP_SHARE[op] * (SECOND_OP if k else 1.0)
    return w
