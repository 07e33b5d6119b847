"""Soak test at saturation, loopback only (not in CI).

Starts `vnproof serve` on 127.0.0.1 (or uses --url, which must be a loopback address), then runs an
asyncio + httpx client with --concurrency requests in flight for --seconds, mixing /v1/check and
/v2/check with texts of 0.2k-8k characters (with typos, emoji, NFD) plus dictionary reads/writes.
Every --interval seconds it prints requests, errors, p50/p99 latency and the server's RSS (all
its processes); at the end, a summary and a JSON line. Exit status 1 when any request failed
(non-2xx other than 429, or a transport error) or the server's RSS grew more than --max-growth-mb
between the first and the last quarter of the run (after warm-up).

    python benchmarks/soak.py                          # 5 minutes, 2 workers, 16 in flight
    python benchmarks/soak.py --seconds 120 --workers 2 --concurrency 16
"""
from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
SENTENCES = [
    "Ông ấy vảo tôi đi họp ở Đăk Tô.", "Quân chúng nhât dân đã tham gia “Ngày hội” lúc 7h30.",
    "Theo UBND tỉnh, ngày 02-3-2022 có 12.500 người tiêm vắc-xin Covid-19.",
    "Đối với lực lượng vũ trang nói chúng, kỷ luật là sức mạnh.", "Xem https://example.org/a hoặc 09/CT-TW.",
    "Cuộc sống huyện đại đòi hỏi thuỷ lợi và hoá học phát triển.", "😀🎉 Bà con phấn khởi (rất phấn khởi).",
]


def make_text(rnd: random.Random) -> str:
    n = rnd.choice([3, 10, 40, 120])
    text = " ".join(rnd.choice(SENTENCES) for _ in range(n))
    return unicodedata.normalize("NFD", text) if rnd.random() < 0.1 else text


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def rss_mb(pid: int) -> float:
    import psutil
    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
        return sum(x.memory_info().rss for x in procs if x.is_running()) / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


async def client(http: httpx.AsyncClient, rnd: random.Random, stop: float, stats: dict) -> None:
    while time.monotonic() < stop:
        kind = rnd.random()
        t0 = time.perf_counter()
        try:
            if kind < 0.55:
                r = await http.post("/v1/check", json={"text": make_text(rnd)})
            elif kind < 0.9:
                r = await http.post("/v2/check", data={"language": "vi", "text": make_text(rnd)})
            elif kind < 0.97:
                r = await http.get("/v1/dictionary")
            else:
                r = await http.post("/v1/dictionary", json={"words": [f"soak-{rnd.randrange(10**6)}"]})
            code = r.status_code
        except httpx.HTTPError as e:
            code = type(e).__name__
        stats["lat"].append(time.perf_counter() - t0)
        stats["requests"] += 1
        if code == 429:
            stats["limited"] += 1
        elif not (isinstance(code, int) and 200 <= code < 300):
            stats["errors"] += 1
            stats["error_kinds"][str(code)] = stats["error_kinds"].get(str(code), 0) + 1


async def soak(url: str, pid: int | None, seconds: float, concurrency: int, interval: float) -> dict:
    stats = {"requests": 0, "errors": 0, "limited": 0, "lat": [], "error_kinds": {}}
    samples = []
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        tasks = [asyncio.create_task(client(http, random.Random(n), stop, stats)) for n in range(concurrency)]
        t_start = time.monotonic()
        last_n, last_t = 0, t_start
        while any(not t.done() for t in tasks):
            await asyncio.wait(tasks, timeout=interval)      # an interval, or the end of the run
            window = stats["lat"][last_n:]
            now = time.monotonic()
            last_n, span, last_t = len(stats["lat"]), now - last_t, now
            s = {"t": round(now - t_start, 1), "requests": stats["requests"], "errors": stats["errors"],
                 "rps": round(len(window) / span, 1),
                 "p50_ms": round(percentile(window, 0.5) * 1000, 1), "p99_ms": round(percentile(window, 0.99) * 1000, 1),
                 "rss_mb": round(rss_mb(pid), 1) if pid else None}
            samples.append(s)
            print(json.dumps(s), flush=True)
        await asyncio.gather(*tasks)
    lat = stats["lat"]
    quarter = max(1, len(samples) // 4)
    rss_first = round(statistics.median([s["rss_mb"] for s in samples[:quarter]]), 1) if pid else None
    rss_last = round(statistics.median([s["rss_mb"] for s in samples[-quarter:]]), 1) if pid else None
    return {"seconds": seconds, "concurrency": concurrency, "requests": stats["requests"], "errors": stats["errors"],
            "error_kinds": stats["error_kinds"], "rate_limited": stats["limited"],
            "rps": round(stats["requests"] / seconds, 1),
            "p50_ms": round(percentile(lat, 0.5) * 1000, 1), "p90_ms": round(percentile(lat, 0.9) * 1000, 1),
            "p99_ms": round(percentile(lat, 0.99) * 1000, 1), "max_ms": round(max(lat) * 1000, 1) if lat else None,
            "rss_mb_first_quarter": rss_first, "rss_mb_last_quarter": rss_last,
            "rss_growth_mb": round(rss_last - rss_first, 1) if pid else None}


def start_server(workers: int, tmp: Path) -> tuple[subprocess.Popen, str]:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest_service import free_port
    port = free_port()
    # The soak writes the dictionary too, which anonymous callers may not do by default.
    env = dict(os.environ, VNPROOF_DB_PATH=str(tmp / "soak.sqlite3"), VNPROOF_ANONYMOUS_WRITES="true")
    proc = subprocess.Popen([sys.executable, "-m", "vnproof.cli", "serve", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning"], cwd=REPO, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit("the service did not start")
        time.sleep(0.2)
    return proc, url


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--interval", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=15, help="seconds of load before measuring")
    ap.add_argument("--max-growth-mb", type=float, default=50)
    ap.add_argument("--url", help="an already running service on a loopback address (RSS is then not measured)")
    args = ap.parse_args()
    proc = None
    if args.url:
        host = urlsplit(args.url).hostname or ""
        if not (host == "localhost" or ipaddress.ip_address(host).is_loopback):
            sys.exit("--url must be a loopback address (127.0.0.0/8, ::1, localhost)")
        url = args.url
    else:
        proc, url = start_server(args.workers, Path(tempfile.mkdtemp(prefix="vnproof-soak-")))
    try:
        if args.warmup:
            asyncio.run(soak(url, None, args.warmup, args.concurrency, args.warmup))
        result = asyncio.run(soak(url, proc.pid if proc else None, args.seconds, args.concurrency, args.interval))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
    result["workers"] = args.workers if proc else None
    print("\nsummary:", json.dumps(result))
    grew = result["rss_growth_mb"] is not None and result["rss_growth_mb"] > args.max_growth_mb
    return 1 if result["errors"] or grew else 0


if __name__ == "__main__":
    sys.exit(main())
