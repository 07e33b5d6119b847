"""Latency of the HTTP service under a bounded loopback load (not part of pytest).

Starts `vnproof serve --workers N` in a subprocess, then sends a fixed number of `/v2/check`
requests, each a ~1,000-word article, at concurrency 1, 8 and 32 (asyncio), and prints a
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
the time is the checking itself (`--no-library` leaves it out).

`--client raw|httpx` says how the requests are sent. `raw` (default) is a lean stdlib client
(`RawConnection`): keep-alive HTTP/1.1 connections from `asyncio.open_connection` (a shared pool
of `concurrency` connections in distinct/same mode, one connection per editor in typing mode),
each text's request bytes (the headers and form body httpx sends: `POST /v2/check`,
`application/x-www-form-urlencoded`, `language=vi&text=...`) built once where texts repeat, the
answer read by its Content-Length (or chunked, or to the end where the server closes). `httpx`
is `httpx.AsyncClient`, as the script used before. Why the lean default: on the 2-core machine
the client shares the CPUs with the server, and the httpx client took more CPU per request
(2.7 ms) than the 2-worker server itself (2.1 ms) in `same` mode, its own event-loop delays
(waiting for the CPU, its parsing) being counted as the server's latency. Latency is from just
before the request is written to having the full body; the answer is checked afterwards.

`--duration SECONDS` bounds each load by time instead of by `--requests`: the clients send
until the time is up (a request in flight then is finished and counted). Every request that
fails (an HTTP error status, a transport error, an answer without `matches`) is counted as an
error, not raised, and its latency is not in the percentiles. "server CPU ms / request" is the
user+system CPU of the server's processes during the load over the requests answered (less
sensitive than latency to what else runs on the machine); "client CPU ms / request" the same
for this process (`time.process_time()` over the load: the client's share of the CPUs). `--tree DIR` serves another
checkout (DIR/.venv/bin/python run in DIR); `--pure` sets VNPROOF_PURE_PYTHON=1 for the server.
`--profile OUT` runs `py-spy record` on one server worker during the first measured load.

    python benchmarks/service_latency.py [--requests 128] [--workers 1 2] [--concurrency 1 8 32]
                                         [--words 1000] [--mode distinct|same|typing]
                                         [--duration 60] [--client raw|httpx] [--tree DIR]
                                         [--pure] [--no-library]
                                         [--profile OUT.txt [--native]]
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
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


class RawConnection:
    """One keep-alive HTTP/1.1 connection to the service (stdlib only), opened on first use and
    again after the server closes it or an error."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def request(self, text: str) -> bytes:
        """The bytes httpx sends for `post("/v2/check", data={"language": "vi", "text": text})`."""
        body = urllib.parse.urlencode({"language": "vi", "text": text}).encode()
        return (f"POST /v2/check HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n"
                f"Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
                f"User-Agent: service_latency-raw\r\nContent-Length: {len(body)}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n\r\n").encode() + body

    async def post(self, request: bytes) -> tuple[int, bytes]:
        """Send `request`; the answer's status and (decoded) body."""
        if self.reader is None or self.reader.at_eof():   # never opened, or closed by the server
            self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader = self.reader
        try:
            self.writer.write(request)
            await self.writer.drain()
            status = int((await reader.readuntil(b"\r\n")).split(b" ", 2)[1])
            headers = {}
            for line in (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if value:
                    headers[name.strip().lower()] = value.strip().lower()
            if "chunked" in headers.get("transfer-encoding", ""):
                body = b""
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    body += (await reader.readexactly(size + 2))[:-2]
                while await reader.readuntil(b"\r\n") != b"\r\n":   # trailers
                    pass
            elif "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            else:   # the server closes the connection after the body
                body = await reader.read()
                headers["connection"] = "close"
            if headers.get("connection") == "close":
                self.close()
        except BaseException:
            self.close()   # the connection's state is unknown: the next request opens a new one
            raise
        encoding = headers.get("content-encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Stats(list):
    """Latencies (s) of the requests that succeeded; `errors` counts those that failed."""
    errors = 0
    first_error = ""


async def load(url: str, texts: list[str], concurrency: int, requests: int,
               mode: str = "distinct", seed: int = 0, duration: float | None = None,
               client: str = "raw") -> tuple[Stats, float]:
    """Send `requests` checks (or checks for `duration` seconds) with `concurrency` in flight;
    latencies (s) and wall time.

    In typing mode each client is an editor with a connection of its own (a browser's), who
    first checks the article as opened (not timed), then re-checks after every edit."""
    latencies = Stats()
    todo = iter(range(requests)) if duration is None else itertools.count()
    stop_at = [float("inf")]
    opened = asyncio.Barrier(concurrency + 1)
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    prepared: dict[str, bytes] = {}   # request bytes of the texts that repeat (not typing mode's)

    def failed(e: BaseException) -> None:
        latencies.errors += 1
        latencies.first_error = latencies.first_error or f"{type(e).__name__}: {e}"[:300]

    def answered(status: int, body: bytes | str) -> bool:
        try:
            if status != 200:
                raise ValueError(f"HTTP status {status}: {body[:200]!r}")
            if "matches" not in json.loads(body):
                raise ValueError("an answer without 'matches'")
            return True
        except ValueError as e:   # not JSON (json.JSONDecodeError), not UTF-8
            failed(e)
            return False

    async def check_raw(conn: RawConnection, text: str) -> float | None:
        """The latency (s) of one check, None when it failed."""
        request = prepared.get(text) or conn.request(text)
        if mode != "typing":
            prepared[text] = request
        try:
            async with asyncio.timeout(120):
                t0 = time.perf_counter()
                status, body = await conn.post(request)
                t = time.perf_counter() - t0
        except Exception as e:   # a transport error, a timeout, an answer that is not HTTP
            failed(e)
            return None
        return t if answered(status, body) else None

    async def check_httpx(http: httpx.AsyncClient, text: str) -> float | None:
        try:
            t0 = time.perf_counter()
            r = await http.post("/v2/check", data={"language": "vi", "text": text})
            t = time.perf_counter() - t0
        except Exception as e:   # httpx.HTTPError mostly
            failed(e)
            return None
        return t if answered(r.status_code, r.content) else None

    if client == "raw":
        check = check_raw
        pool: asyncio.Queue = asyncio.Queue()
        for _ in range(concurrency):
            pool.put_nowait(RawConnection(host, port))
    else:
        check = check_httpx
        shared = httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(
            max_connections=concurrency, max_keepalive_connections=concurrency))

    async def worker(n: int) -> None:
        rnd = random.Random(seed * 1000 + n)
        text = texts[n % len(texts)]
        own = None
        if mode == "typing":
            own = RawConnection(host, port) if client == "raw" else \
                httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1))
        try:
            if mode == "typing":
                await check(own, text)
            await opened.wait()
            for k in todo:
                if time.perf_counter() >= stop_at[0]:
                    break
                if mode == "typing":
                    text = edit(text, rnd)
                elif mode == "distinct":
                    text = texts[k % len(texts)]
                if own is not None:
                    t = await check(own, text)
                elif client == "raw":
                    conn = await pool.get()
                    try:
                        t = await check(conn, text)
                    finally:
                        pool.put_nowait(conn)
                else:
                    t = await check(shared, text)
                if t is not None:
                    latencies.append(t)
        finally:
            if isinstance(own, RawConnection):
                own.close()
            elif own is not None:
                await own.aclose()

    async def timer() -> float:
        await opened.wait()
        t = time.perf_counter()
        if duration is not None:
            stop_at[0] = t + duration
        return t

    try:
        *_, t0 = await asyncio.gather(*(worker(n) for n in range(concurrency)), timer())
        return latencies, time.perf_counter() - t0
    finally:
        if client == "raw":
            while not pool.empty():
                pool.get_nowait().close()
        else:
            await shared.aclose()


def serve(workers: int, port: int, db: str, tree: Path | None = None, pure: bool = False) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("VNPROOF_PURE_PYTHON", "PYTHONPATH")}
    env["VNPROOF_DB_PATH"] = db
    if pure:
        env["VNPROOF_PURE_PYTHON"] = "1"
    python = str(tree / ".venv" / "bin" / "python") if tree else sys.executable
    return subprocess.Popen([python, "-m", "vnproof.cli", "serve", "--port", str(port),
                             "--workers", str(workers), "--log-level", "warning"], env=env, cwd=tree or ROOT)


def server_workers(proc: subprocess.Popen) -> list[int]:
    """The pids of the processes serving (the supervisor's children, or the server itself)."""
    import psutil

    kids = psutil.Process(proc.pid).children(recursive=True)
    return [k.pid for k in kids if "resource_tracker" not in " ".join(k.cmdline())] or [proc.pid]


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


def tree_cpu(pid: int) -> float:
    """User+system CPU seconds of a process and its live descendants (the server's workers)."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for p in [root] + root.children(recursive=True):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def row(label: str, lat: list[float], wall: float, cpu: float | None = None,
        client_cpu: float | None = None) -> str:
    ms = [x * 1000 for x in lat] or [float("nan")]
    errors = getattr(lat, "errors", 0)
    per = [f"{1000 * c / len(lat):.2f}" if c is not None and lat else "–" for c in (cpu, client_cpu)]
    return (f"| {label} | {len(lat)} | {errors} | {wall:.1f} | {percentile(ms, 50):.0f} | {percentile(ms, 95):.0f} | "
            f"{percentile(ms, 99):.0f} | {len(lat) / wall:.1f} | {per[0]} | {per[1]} | {os.getloadavg()[0]:.2f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=128, help="requests per concurrency level")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--mode", choices=("distinct", "same", "typing"), default="distinct",
                    help="what each request sends (see the docstring)")
    ap.add_argument("--duration", type=float, metavar="SECONDS",
                    help="send for this long at each concurrency level instead of --requests")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="the load client: lean stdlib HTTP/1.1 (default) or httpx.AsyncClient")
    ap.add_argument("--tree", type=Path, metavar="DIR", help="serve this checkout (DIR/.venv/bin/python, in DIR)")
    ap.add_argument("--pure", action="store_true", help="serve with VNPROOF_PURE_PYTHON=1 (the pure-Python twin)")
    ap.add_argument("--no-library", action="store_true", help="leave out the library-only row")
    ap.add_argument("--profile", metavar="OUT", help="py-spy record one server worker during the first load")
    ap.add_argument("--native", action="store_true", help="with --profile: py-spy --native")
    args = ap.parse_args()
    tree = args.tree.resolve() if args.tree else None
    # Distinct mode: a text is never sent twice (warm-up included), so no cache ever hits.
    warmup = 2 * max(args.concurrency)
    if args.mode != "distinct":
        wanted = 64
    elif args.duration:   # enough for the fastest plausible rate (1,000 req/s would repeat)
        wanted = 100_000
    else:
        wanted = args.requests * len(args.concurrency) + warmup
    texts = articles(args.words, wanted)
    if args.mode == "same":
        texts = texts[:1]
    load_before = os.getloadavg()[0]
    rows = ["| setup | requests | errors | s | p50 ms | p95 ms | p99 ms | req/s | server CPU ms / request "
            "| client CPU ms / request | load avg at end |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    if not args.no_library:
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
            proc = serve(workers, port, str(Path(tmp) / "dict.sqlite3"), tree, args.pure)
            try:
                wait_ready(url, workers)
                # Warm-up on other texts than the measured ones (the typing clients start from theirs).
                asyncio.run(load(url, texts[::-1], max(args.concurrency), warmup,
                                 "same" if args.mode == "same" else "distinct", client=args.client))
                spy = None
                if args.profile:
                    pid = server_workers(proc)[0]
                    spy = subprocess.Popen([shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "-r", "100", "-f", "raw",
                                            "-o", args.profile, "--nonblocking"] + (["--native"] if args.native else []),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for n, c in enumerate(args.concurrency):
                    if args.mode != "distinct":
                        sent = texts
                    elif args.duration:   # texts not sent in the warm-up, each level its own share
                        share = (len(texts) - warmup) // len(args.concurrency)
                        sent = texts[n * share:(n + 1) * share]
                    else:
                        sent = texts[n * args.requests:]
                    cpu0, mine0 = tree_cpu(proc.pid), time.process_time()
                    lat, wall = asyncio.run(load(url, sent, c, args.requests, args.mode, seed=n + 1,
                                                 duration=args.duration, client=args.client))
                    # both with the typing clients' untimed first checks
                    mine, cpu = time.process_time() - mine0, tree_cpu(proc.pid) - cpu0
                    rows.append(row(f"{workers} worker{'s' if workers > 1 else ''}, concurrency {c}, {args.client} client",
                                    lat, wall, cpu, mine))
                    print(rows[-1], file=sys.stderr)
                    if lat.errors:
                        print(f"  errors: {lat.errors}, first: {lat.first_error}", file=sys.stderr)
                    if args.mode == "distinct" and args.duration and len(lat) + lat.errors > len(sent):
                        print("  (some distinct texts were sent twice: more requests than texts)", file=sys.stderr)
                    if spy is not None:
                        spy.send_signal(signal.SIGINT)
                        spy.wait(60)
                        spy = None
            finally:
                proc.terminate()
                proc.wait(10)
    words = sum(len(t.split()) for t in texts) / len(texts)
    chars = sum(map(len, texts)) / len(texts)
    print(f"\nmode {args.mode}: {len(texts)} distinct articles of {words:.0f} words ({chars:,.0f} chars) on average, `/v2/check` "
          f"over loopback ({args.client} client), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, served from {tree or ROOT}"
          f"{' (VNPROOF_PURE_PYTHON=1)' if args.pure else ''}; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other processes share the CPUs)\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
