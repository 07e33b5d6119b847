"""--learn: a first pass that learns the archive's own language.

1. n-gram statistics of the whole archive -> a house model (`vnproof.lmbuild.Counts` and
   `build`), mixed with the default model in the second pass;
2. the archive's consistent spellings: a word written the same way at least `min_count` times in
   at least `min_docs` articles is accepted (local names: "Đăk", "Plông"), unless it is a rare
   variant of a much more frequent spelling with the same letters ("nhât" next to "nhất"),
   which stays checkable.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..lmbuild import strip_marks
from .inputs import Item, ReadOptions, UndecodableError

_WORD = re.compile(r"[^\W\d_]+")
MAX_SYLLABLES = 200_000_000   # ~2.4 GB of counts; beyond that the model is built from a prefix


def _load_text(item: Item, read: ReadOptions) -> str | None:
    try:
        return item.load(read).text
    except (UndecodableError, ValueError):
        return None


def _forget_rare_variants(counts, ratio: float) -> int:
    """Map rare spellings of a much more frequent word ("nhât" beside "nhất") to UNK, so that a
    typo repeated a few times in the archive does not teach the archive model to expect it."""
    import numpy as np

    from ..lmbuild import rare_variants

    if not counts.stream:
        return 0
    words, ids, _ = counts.export()
    return counts.forget(rare_variants(words, np.bincount(ids, minlength=len(words)), ratio))


def learn(tasks: Iterable[tuple[Item, int]], read: ReadOptions, out_dir: str | Path, *, workers: int = 1,
          min_count: int = 5, min_docs: int = 3, variant_ratio: float = 0.2,
          progress: bool = True) -> tuple[Path, Path]:
    """Build the archive model in `out_dir/archive-model` and the accepted words file."""
    from tqdm import tqdm

    from ..lmbuild import Counts, build

    out = Path(out_dir)
    counts = Counts()
    freq: Counter = Counter()
    docs: Counter = Counter()
    if workers > 1:
        from .runner import bounded_map
        texts = bounded_map(_load_text, ((it, read) for it, _ in tasks), workers)
    else:
        texts = (_load_text(it, read) for it, _ in tasks)
    n = 0
    for text in tqdm(texts, desc="learn", unit="art", disable=not progress, mininterval=0.5, file=sys.stderr):
        if not text:
            continue
        n += 1
        if counts.syllables < MAX_SYLLABLES:
            counts.add_text(text)
        words = [w.lower() for w in _WORD.findall(text)]
        freq.update(words)
        docs.update(set(words))
    best: dict[str, int] = {}
    for w, c in freq.items():
        k = strip_marks(w)
        best[k] = max(best.get(k, 0), c)
    rare = _forget_rare_variants(counts, variant_ratio)
    model = build(counts, out / "archive-model", meta={"source": "vnproof audit --learn", "articles": n,
                                                       "rare_variants_dropped": rare})
    accepted = sorted(w for w, c in freq.items()
                      if c >= min_count and docs[w] >= min_docs and c >= variant_ratio * best[strip_marks(w)])
    acc = out / "archive-words.txt"
    acc.write_text("\n".join(accepted) + "\n", encoding="utf-8")
    (out / "archive-learn.json").write_text(json.dumps({"articles": n, "syllables": counts.syllables,
                                                        "accepted_words": len(accepted)}) + "\n")
    return Path(model), acc
