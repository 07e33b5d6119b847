"""Synthetic newsroom archives from the repository's own word list (no external data)."""
from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCAL_NAME = "Lôc"   # an invented commune: a non-word to the default model, everyday news to tenant A
LOCAL_SENTENCE = f"Đoàn công tác đến xã {LOCAL_NAME} hôm qua."
LOCAL_LINES = (LOCAL_SENTENCE, f"Người dân xã {LOCAL_NAME} trồng lúa và nuôi cá.",
               f"Chợ phiên xã {LOCAL_NAME} họp vào sáng chủ nhật.")


@lru_cache(maxsize=1)
def common_words() -> tuple[str, ...]:
    rows = (line.split("\t") for line in (REPO / "dictionaries" / "words.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#"))
    return tuple(w for w, n in rows if int(n) >= 1000)


def articles(n: int, seed: int = 16, local: bool = True) -> list[dict]:
    """`n` articles of random frequent words; with `local`, each mentions the local name."""
    rng = random.Random(seed)
    words = common_words()
    out = []
    for i in range(n):
        sents = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 10))).capitalize() + "."
                 for _ in range(rng.randint(3, 6))]
        if local:
            sents.insert(rng.randint(0, len(sents)), rng.choice(LOCAL_LINES))
            sents.insert(rng.randint(0, len(sents)), LOCAL_SENTENCE)
        out.append({"title": f"Bài {i}", "text": " ".join(sents)})
    return out


def jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def build_model(out: Path, n: int = 300, seed: int = 16) -> Path:
    """A small house model folder, as `vnproof train` writes it, trained in-process."""
    from vnproof.lmbuild import Counts, aggregate, save_counts, smooth

    counts = Counts()
    for a in articles(n, seed):
        counts.add_text(a["title"] + "\n" + a["text"])
    agg = aggregate(counts)
    out.mkdir(parents=True, exist_ok=True)
    save_counts(agg, out)
    smooth(agg, out, min_trigram=2, meta={"kind": "house", "min_trigram": 2})
    return out


def tar_of(folder: Path, arcname: str = "house") -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        t.add(folder, arcname=arcname)
    return buf.getvalue()
