"""Run the audit: a plain loop, a process pool, or a Dask cluster.

Every backend runs the same `process()` on (item, seq) pairs and hands the results to a
callback in completion order; the state store puts them back in input order. The checker is
loaded once per worker (a cached global), inputs are fed through a bounded window so memory
stays flat however long the archive, and Dask is imported only when `--dask` is used.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .inputs import Item, ReadOptions, UndecodableError, count_words

CONTEXT = 40


@dataclass(frozen=True)
class AuditConfig:
    level: str = "default"
    pub_date_from_page: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)
    models: tuple[str, ...] = ()          # house model folders (the --learn archive model)
    accept: str | None = None             # file of archive words accepted as spelled

    def key(self) -> str:
        return hashlib.sha1(repr(self).encode()).hexdigest()[:16]


# -- per-worker context ---------------------------------------------------------------------------
class _Context:
    def __init__(self, cfg: AuditConfig):
        from vnproof import Checker

        self.checker = Checker(models=list(cfg.models) or None, level=cfg.level)
        words: frozenset[str] = frozenset()
        if cfg.accept and Path(cfg.accept).exists():
            words = frozenset(w.strip() for w in Path(cfg.accept).read_text(encoding="utf-8").split("\n") if w.strip())
        self.accept = words


_CONTEXTS: dict[str, _Context] = {}
_LOCK = threading.Lock()


def context(cfg: AuditConfig) -> _Context:
    """The worker's checker for `cfg`, loaded on first use and kept for the process's life."""
    k = cfg.key()
    ctx = _CONTEXTS.get(k)
    if ctx is None:
        with _LOCK:
            ctx = _CONTEXTS.get(k)
            if ctx is None:
                ctx = _CONTEXTS[k] = _Context(cfg)
    return ctx


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _issue_record(i, text: str) -> dict:
    before = text[max(0, i.offset - CONTEXT):i.offset]
    after = text[i.offset + i.length:i.offset + i.length + CONTEXT]
    return {"offset": i.offset, "length": i.length, "text": i.text,
            "context": f"{_flat(before)}[{i.text}]{_flat(after)}",
            "before": before.replace("\n", " "), "after": after.replace("\n", " "),
            "replacements": list(i.replacements[:5]), "rule_id": i.rule_id, "category": str(i.category),
            "message": i.message, "message_en": i.message_en, "confidence": round(float(i.confidence), 4)}


def process(item: Item, seq: int, cfg: AuditConfig) -> dict:
    """Load, decode and check one item; never raises for bad input (status 'error' instead)."""
    base = {"key": item.key, "seq": seq, "source": item.source, "id": item.meta.get("id", item.key)}
    try:
        art = item.load(cfg.read)
    except (UndecodableError, ValueError) as e:
        return {**base, "status": "error", "error": str(e), "meta": {}, "conversions": [], "issues": []}
    ctx = context(cfg)
    opts: dict = {"level": cfg.level}
    date = art.meta.get("date")
    if date and (art.meta.get("date_from") == "field" or cfg.pub_date_from_page):
        opts["pub_date"] = date
    if ctx.accept:
        opts["dictionary"] = ctx.accept
    try:
        issues = ctx.checker.check(art.text, **opts)
    except ValueError:  # e.g. an unparseable date: check without it
        opts.pop("pub_date", None)
        issues = ctx.checker.check(art.text, **opts)
    return {**base, "id": art.id, "status": "ok", "words": count_words(art.text), "meta": art.meta,
            "conversions": art.conversions, "error": None,
            "issues": [_issue_record(i, art.text) for i in issues]}


# -- backends -----------------------------------------------------------------------------------
Task = tuple[Item, int]


def run_loop(tasks: Iterable[Task], cfg: AuditConfig, on_result: Callable[[dict], None]) -> None:
    for item, seq in tasks:
        on_result(process(item, seq, cfg))


def _init_worker(cfg: AuditConfig) -> None:
    context(cfg)


def _mp_context():
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def bounded_map(fn: Callable, args: Iterable[tuple], workers: int, initializer=None, initargs=(),
                window: int | None = None) -> Iterator:
    """fn(*a) for a in args on a process pool, at most `window` in flight, completion order."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    window = window or 4 * workers
    with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=initializer,
                             initargs=initargs) as ex:
        inflight: set = set()
        for a in args:
            inflight.add(ex.submit(fn, *a))
            if len(inflight) >= window:
                finished, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                for f in finished:
                    yield f.result()
        while inflight:
            finished, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for f in finished:
                yield f.result()


def run_pool(tasks: Iterable[Task], cfg: AuditConfig, on_result: Callable[[dict], None], workers: int) -> None:
    for res in bounded_map(process, ((it, seq, cfg) for it, seq in tasks), workers,
                           initializer=_init_worker, initargs=(cfg,)):
        on_result(res)


# -- Dask -----------------------------------------------------------------------------------------
def _model_blobs(cfg: AuditConfig) -> dict | None:
    """Model folders and the accepted-words file as bytes, so remote workers need no shared disk."""
    if not cfg.models and not cfg.accept:
        return None
    blobs: dict = {"models": [], "accept": None}
    for m in cfg.models:
        blobs["models"].append({p.name: p.read_bytes() for p in Path(m).iterdir() if p.is_file()})
    if cfg.accept:
        blobs["accept"] = Path(cfg.accept).read_bytes()
    return blobs


def _localize(cfg: AuditConfig, blobs: dict | None) -> AuditConfig:
    """On a worker: write shipped models to a local temp folder once; config pointing at them."""
    if not blobs:
        return cfg
    root = Path(tempfile.gettempdir()) / f"vnproof-audit-{cfg.key()}-{os.getpid()}"
    models = []
    for n, files in enumerate(blobs["models"]):
        d = root / f"model{n}"
        if not (d / "meta.json").exists():
            d.mkdir(parents=True, exist_ok=True)
            for name, data in sorted(files.items(), key=lambda kv: kv[0] == "meta.json"):
                (d / name).write_bytes(data)
        models.append(str(d))
    accept = None
    if blobs.get("accept") is not None:
        accept = root / "accept.txt"
        if not accept.exists():
            root.mkdir(parents=True, exist_ok=True)
            accept.write_bytes(blobs["accept"])
        accept = str(accept)
    return AuditConfig(cfg.level, cfg.pub_date_from_page, cfg.read, tuple(models), accept)


_LOCAL_CFG: dict[str, AuditConfig] = {}


def _local_cfg(cfg: AuditConfig, blobs: dict | None) -> AuditConfig:
    """This worker process's copy of `cfg` (house model written locally), made once."""
    k = cfg.key()
    local = _LOCAL_CFG.get(k)
    if local is None:
        with _LOCK:
            local = _LOCAL_CFG.get(k) or _localize(cfg, blobs)
            _LOCAL_CFG[k] = local
    return local


# Articles per Dask task: one task an article cost the client and scheduler ~0.01 CPU-s each,
# which bounded a 16-core cluster at ~2.8 h per million articles (BENCHMARKS.md §16).
DASK_BATCH = 16


def dask_task(batch: list[Task], cfg: AuditConfig, blobs: dict | None) -> list[dict]:
    """Runs on a Dask worker: `process` on each (item, seq) of a batch. The checker is cached
    per worker process (see `context`)."""
    local = _local_cfg(cfg, blobs)
    return [process(item, seq, local) for item, seq in batch]


def _warm(cfg: AuditConfig, blobs: dict | None) -> int:
    context(_local_cfg(cfg, blobs))
    return os.getpid()


def connect(address):
    """A dask Client for `tcp://host:8786`, a scheduler file (*.json), `local[:N]`, or a Client."""
    from dask.distributed import Client, LocalCluster

    if not isinstance(address, str):
        return address, None
    if address.startswith("local"):
        n = int(address.split(":", 1)[1]) if ":" in address else 2
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    if address.endswith(".json"):
        return Client(scheduler_file=address), None
    return Client(address), None


def run_dask(tasks: Iterable[Task], cfg: AuditConfig, on_result: Callable[[dict], None], address) -> None:
    from dask.distributed import as_completed

    client, cluster = connect(address)
    try:
        blobs = _model_blobs(cfg)
        blobs_f = client.scatter(blobs, broadcast=True) if blobs else None
        client.run(_warm, cfg, blobs)            # load the checker on every worker up front
        threads = max(1, sum(client.nthreads().values()))
        window = 4 * threads                     # batches in flight
        ac = as_completed()
        run_id = uuid.uuid4().hex[:8]
        it = iter(tasks)
        inflight = 0

        def submit_next() -> bool:
            nonlocal inflight
            batch = list(itertools.islice(it, DASK_BATCH))
            if not batch:
                return False
            key = f"vnproof-audit-{run_id}-{batch[0][1]}"
            ac.add(client.submit(dask_task, batch, cfg, blobs_f, pure=False, key=key))
            inflight += 1
            return True

        while inflight < window and submit_next():
            pass
        for fut in ac:
            results = fut.result()
            fut.release()
            inflight -= 1
            for res in results:
                on_result(res)
            submit_next()
    finally:
        if client is not address:       # we made it: close it (and the LocalCluster, if any)
            client.close()
        if cluster is not None:
            cluster.close()


def run(tasks: Iterable[Task], cfg: AuditConfig, on_result: Callable[[dict], None], *,
        workers: int = 1, dask=None) -> None:
    if dask:
        run_dask(tasks, cfg, on_result, dask)
    elif workers > 1:
        run_pool(tasks, cfg, on_result, workers)
    else:
        run_loop(tasks, cfg, on_result)


def numbered(items: Iterable[Item], seq0: int = 0) -> Iterator[tuple[Item, int]]:
    """Number items in input order; skipped ones (payload None) keep their number but are dropped."""
    for seq, item in enumerate(items, seq0):
        if item.payload is not None or item.kind == "error":
            yield item, seq


__all__ = ["AuditConfig", "process", "run", "run_loop", "run_pool", "run_dask", "numbered",
           "bounded_map", "connect", "context"]
