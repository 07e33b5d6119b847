"""Running text for the default model: which files, which group, which documents are held out.

The default model is a mixture of one model per *group* of sources (legal, Wikipedia, literature,
news sentences, software text), weighted by held-out likelihood (`vnproof.lmmix`). A document is
held out when the CRC-32 of its id falls in the first `HELDOUT_PERCENT` of 100 buckets: those
documents never reach the counts, so they measure the model on text it has not seen (and stay
available to later benchmarks as unseen open text).
"""
from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

HELDOUT_PERCENT = 2

# open-corpus file stem -> group
OPEN_CORPUS_GROUPS = {
    "phapdien": "legal", "congbao": "legal",
    "viwiki-2019-partial": "wiki", "xquad-vi": "wiki",
    "pd-literature-vi": "literature",
    "alt-vi": "news", "ud-vtb": "news", "ntrex-vi": "news", "flores-sib200-vi": "news",
    "xcopa-vi": "news", "tatoeba-vi-2k": "news",
}
# registry text (dictionaries/build.py's CACHE/text/MANIFEST.tsv): domain -> group
REGISTRY_GROUPS = {"legal": "legal"}
REGISTRY_DEFAULT_GROUP = "software"


@dataclass(frozen=True)
class TextFile:
    """One source file: its name, group, format and path."""

    name: str
    group: str
    path: Path
    kind: str  # "jsonl" (open corpus: one document a line) or "txt" (registry: one paragraph a line)


def is_heldout(doc_id: str) -> bool:
    return zlib.crc32(doc_id.encode("utf-8")) % 100 < HELDOUT_PERCENT


def open_corpus_files(folder: Path) -> list[TextFile]:
    """The open-corpus files present in `folder`; an unknown file is an error (give it a group)."""
    out = []
    for p in sorted(Path(folder).glob("*.jsonl.gz")):
        stem = p.name.removesuffix(".jsonl.gz")
        if stem not in OPEN_CORPUS_GROUPS:
            raise ValueError(f"{p}: no group for this open-corpus file; add it to OPEN_CORPUS_GROUPS")
        out.append(TextFile(stem, OPEN_CORPUS_GROUPS[stem], p, "jsonl"))
    if not out:
        raise ValueError(f"{folder}: no open-corpus *.jsonl.gz files")
    return out


def registry_files(manifest: Path) -> list[TextFile]:
    """Registry text files listed in MANIFEST.tsv (file, syllables, domain, weight)."""
    out = []
    for line in Path(manifest).read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line or line.startswith("#") or cols[0] == "file":
            continue
        domain = cols[2] if len(cols) > 2 else ""
        group = REGISTRY_GROUPS.get(domain, REGISTRY_DEFAULT_GROUP)
        out.append(TextFile(cols[0].removesuffix(".txt"), group, Path(manifest).parent / cols[0], "txt"))
    return out


def documents(f: TextFile, chunk: int = 0, chunks: int = 1) -> Iterator[tuple[str, str]]:
    """(document id, text) of every `chunks`-th document of a file, starting at `chunk`."""
    opener = gzip.open if f.path.suffix == ".gz" else open
    with opener(f.path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % chunks != chunk or not line.strip():
                continue
            if f.kind == "jsonl":
                row = json.loads(line)
                text = row["text"] if not row.get("title") else row["title"] + "\n" + row["text"]
                yield str(row["id"]), text
            else:
                line = line.rstrip("\n")
                yield line, line


# Syllables of held-out text taken per group by `heldout_documents` (legal text would otherwise
# be 80% of it).
GROUP_CAPS = {"legal": 250_000, "wiki": 200_000, "literature": 120_000, "news": 120_000}


def is_test_document(doc_id: str) -> bool:
    """Half of the held-out documents, kept for benchmarks (`benchmarks/synthetic.py`); the other
    half may train (`benchmarks/decision_synthetic.py`)."""
    return zlib.crc32(("test:" + doc_id).encode("utf-8")) % 2 == 0


def heldout_documents(folder: Path, part: str) -> list[tuple[str, str, str]]:
    """(group, id, text) of held-out open-corpus documents of `part` ("train" or "test")."""
    out, used = [], {g: 0 for g in GROUP_CAPS}
    for f in open_corpus_files(folder):
        for doc_id, text in documents(f):
            if not is_heldout(doc_id) or is_test_document(doc_id) != (part == "test"):
                continue
            if used.get(f.group, 0) >= GROUP_CAPS.get(f.group, 0):
                continue
            out.append((f.group, doc_id, text))
            used[f.group] += len(text.split())
    return out
