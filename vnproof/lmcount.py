"""Count the default model's sources in parallel: training and held-out counts per group.

Every group's `Counts` shares one vocabulary, so the group models built from them have the same
token ids and can be mixed n-gram by n-gram (`vnproof.lmmix`).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from pathlib import Path

import numpy as np

from .lmbuild import Counts
from .lmsources import TextFile, documents, is_heldout

CHUNK_SYLLABLES = 2_000_000  # files are split into jobs of about this many syllables
TOKENS = "model tokens v2 (names marked)"  # part of the cache key: change it with model_token


def _count_job(job: tuple[TextFile, int, int]):
    f, chunk, chunks = job
    train, held = Counts(), Counts()
    for doc_id, text in documents(f, chunk, chunks):
        (held if is_heldout(f"{f.name}:{doc_id}") else train).add_text(text)
    return f.group, train.export(), held.export()


def _chunks(f: TextFile) -> int:
    # gzip text is about 4 bytes per syllable of Vietnamese (plain text about 6)
    per_syl = 4.0 if f.path.suffix == ".gz" else 6.0
    return max(1, round(f.path.stat().st_size / per_syl / CHUNK_SYLLABLES))


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def count_groups(files: list[TextFile], workers: int | None = None, cache: Path | None = None
                 ) -> tuple[dict[str, list[str]], dict[str, Counts], dict[str, Counts]]:
    """(vocab list, training counts by group, held-out counts by group), all sharing one vocab.

    With `cache`, the result is kept in that file, keyed by the files' names, groups and SHA-256
    digests (not their times: a re-synced copy of the same corpus keeps its counts).
    """
    key = [TOKENS] + [(f.name, f.group, _digest(f.path)) for f in files]
    if cache and Path(cache).exists():
        with open(cache, "rb") as fh:
            saved = pickle.load(fh)
        if saved["key"] == key:
            return saved["vocab"], saved["train"], saved["held"]
    vocab: dict[str, int] = {}
    train: dict[str, Counts] = {}
    held: dict[str, Counts] = {}
    for f in files:
        for d in (train, held):
            if f.group not in d:
                d[f.group] = Counts(vocab=vocab) if vocab else Counts()
                vocab = d[f.group].vocab
    jobs = [(f, i, n) for f in files for n in [_chunks(f)] for i in range(n)]
    jobs.sort(key=lambda j: -j[0].path.stat().st_size / j[2])  # big jobs first
    workers = workers or os.cpu_count() or 1
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            results = pool.map(_count_job, jobs, chunksize=1)
    else:
        results = [_count_job(j) for j in jobs]
    for (f, _, _), (group, tr, he) in zip(jobs, results):  # merge in job order: deterministic ids
        train[group].merge(*tr)
        held[group].merge(*he)
    words = [""] * len(vocab)
    for t, i in vocab.items():
        words[i] = t
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump({"key": key, "vocab": words, "train": train, "held": held}, fh, protocol=5)
    return words, train, held


def stream(counts: Counts) -> np.ndarray:
    """A Counts' padded id stream as an int64 array (BOS = 0, EOS = 1)."""
    return np.frombuffer(counts.stream, dtype=np.dtype(counts.stream.typecode)).astype(np.int64)
