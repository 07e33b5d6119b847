"""Latency of the HTTP service under a bounded loopback load (not part of pytest).

Starts `vnproof serve --workers N` in a subprocess, then sends a fixed number of `/v2/check`
requests, each a ~1,000-word article, at concurrency 1, 8 and 32 (asyncio + httpx), and prints a
markdown table of p50/p95/p99 latency and requests per second. `--mode` says what is sent:

- `distinct` (default): 64 distinct ~1,000-word texts from ../shared/corpus in turn (the seed
  article when the corpus is absent), so no cache sees the same text twice in a row;
- `same`: one article, resent by every request;
- `typing`: each of the `concurrency` clients is an editor with an article and a connection
  of its own (so its requests stay with one worker, whose cache they use), who checks the
  article once as opened (not timed) and then re-checks after every edit: each timed request
  is that client's previous text with one paragraph changed (a word typed at its end, a word
  deleted, or a letter dropped; seeded).

A library-only row (the same texts through `Checker.check` in this process) shows how much of
the time is the checking itself.

    python benchmarks/service_latency.py [--requests 128] [--workers 1 2] [--concurrency 1 8 32]
                                         [--words 1000] [--mode distinct|same|typing]
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT.parent / "shared" / "examples" / "dakto-2022-article.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "news-dantri-01.jsonl.gz"


def articles(words: int, count: int = 64) -> list[str]:
    """`count` distinct texts of about `words` words (news articles joined in file order)."""
    if not CORPUS.exists():
        return [article(words)]
    out, cur, n = [], [], 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            for para in text.splitlines():
                if para.strip():
                    cur.append(para)
                    n += len(para.split())
                if n >= words:
                    out.append("\n".join(cur))
                    cur, n = [], 0
                    if len(out) == count:
                        return out
    return out or [article(words)]


def article(words: int) -> str:
    """The first paragraphs of the seed article adding up to about `words` words."""
    out, n = [], 0
    for line in ARTICLE.read_text(encoding="utf-8").splitlines():
        if n >= words:
            break
        out.append(line)
        n += len(line.split())
    return "\n".join(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * len(xs) + 0.5) - 1))]


def edit(text: str, rnd: random.Random) -> str:
    """`text` with one paragraph changed as a typist changes it: a word typed at its end, a
    word deleted, or a letter dropped."""
    lines = text.split("\n")
    k = rnd.randrange(len(lines))
    words = lines[k].split(" ")
    how = rnd.randrange(3)
    if how == 0 or len(words) < 4:
        words.append(rnd.choice(("và", "của", "những", "người", "cho", "vảo", "nhât", "được")))
    elif how == 1:
        del words[rnd.randrange(len(words))]
    else:
        j = rnd.randrange(len(words))
        w = words[j]
        if len(w) > 1:
            i = rnd.randrange(len(w))
            words[j] = w[:i] + w[i + 1:]
    lines[k] = " ".join(words)
    return "\n".join(lines)


async def load(url: str, texts: list[str], concurrency: int, requests: int,
               mode: str = "distinct", seed: int = 0) -> tuple[list[float], float]:
    """Send `requests` checks with `concurrency` in flight; latencies (s) and wall time.

    In typing mode each client is an editor with a connection of its own (a browser's), who
    first checks the article as opened (not timed), then re-checks after every edit."""
    latencies: list[float] = []
    todo = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    opened = asyncio.Barrier(concurrency + 1)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as shared:
        async def check(http: httpx.AsyncClient, text: str) -> None:
            r = await http.post("/v2/check", data={"language": "vi", "text": text})
            r.raise_for_status()
            assert "matches" in r.json()

        async def worker(n: int) -> None:
            rnd = random.Random(seed * 1000 + n)
            text = texts[n % len(texts)]
            own = httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1)) \
                if mode == "typing" else None
            http = own or shared
            try:
                if mode == "typing":
                    await check(http, text)
                await opened.wait()
                for k in todo:
                    if mode == "typing":
                        text = edit(text, rnd)
                    elif mode == "distinct":
                        text = texts[k % len(texts)]
                    t0 = time.perf_counter()
                    await check(http, text)
                    latencies.append(time.perf_counter() - t0)
            finally:
                if own is not None:
                    await own.aclose()

        async def timer() -> float:
            await opened.wait()
            return time.perf_counter()
        *_, t0 = await asyncio.gather(*(worker(n) for n in range(concurrency)), timer())
        return latencies, time.perf_counter() - t0


def serve(workers: int, port: int, db: str) -> subprocess.Popen:
    env = dict(os.environ, VNPROOF_DB_PATH=db)
    return subprocess.Popen([sys.executable, "-m", "vnproof.cli", "serve", "--port", str(port),
                             "--workers", str(workers), "--log-level", "warning"], env=env, cwd=ROOT)


def wait_ready(url: str, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                time.sleep(0.5 * workers)  # let every worker finish loading
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def row(label: str, lat: list[float], wall: float) -> str:
    ms = [x * 1000 for x in lat]
    return (f"| {label} | {len(ms)} | {percentile(ms, 50):.0f} | {percentile(ms, 95):.0f} | "
            f"{percentile(ms, 99):.0f} | {len(ms) / wall:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=128, help="requests per concurrency level")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--mode", choices=("distinct", "same", "typing"), default="distinct",
                    help="what each request sends (see the docstring)")
    args = ap.parse_args()
    # Distinct mode: a text is never sent twice (warm-up included), so no cache ever hits.
    warmup = 2 * max(args.concurrency)
    texts = articles(args.words, 64 if args.mode != "distinct" else args.requests * len(args.concurrency) + warmup)
    if args.mode == "same":
        texts = texts[:1]
    load_before = os.getloadavg()[0]
    rows = ["| setup | requests | p50 ms | p95 ms | p99 ms | req/s |", "|---|---:|---:|---:|---:|---:|"]

    from vnproof import Checker
    checker = Checker()
    for text in texts[:8]:
        checker.check(text)   # warm-up, as the server's warm-up below
    lat = []
    t0 = time.perf_counter()
    for k in range(args.requests // 2):
        t = time.perf_counter()
        checker.check(texts[k % len(texts)])
        lat.append(time.perf_counter() - t)
    rows.append(row("library only, 1 thread", lat, time.perf_counter() - t0))

    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            proc = serve(workers, port, str(Path(tmp) / "dict.sqlite3"))
            try:
                wait_ready(url, workers)
                # Warm-up on other texts than the measured ones (the typing clients start from theirs).
                asyncio.run(load(url, texts[::-1], max(args.concurrency), warmup,
                                 "same" if args.mode == "same" else "distinct"))
                for n, c in enumerate(args.concurrency):
                    sent = texts[n * args.requests:] if args.mode == "distinct" else texts
                    lat, wall = asyncio.run(load(url, sent, c, args.requests, args.mode, seed=n + 1))
                    rows.append(row(f"{workers} worker{'s' if workers > 1 else ''}, concurrency {c}", lat, wall))
                    print(rows[-1], file=sys.stderr)
            finally:
                proc.terminate()
                proc.wait(10)
    words = sum(len(t.split()) for t in texts) / len(texts)
    chars = sum(map(len, texts)) / len(texts)
    print(f"\nmode {args.mode}: {len(texts)} distinct articles of {words:.0f} words ({chars:,.0f} chars) on average, `/v2/check` "
          f"over loopback, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other processes share the CPUs)\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
