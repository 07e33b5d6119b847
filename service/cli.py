"""`vnproof serve [--host H] [--port P] [--workers N]`: run the service under uvicorn."""
from __future__ import annotations

import argparse
import os
import socket
import sys

from uvicorn.protocols.http.h11_impl import H11Protocol

from .auth import hash_key

# uvicorn closes idle keep-alive connections (timeout_keep_alive) but sets no deadline for a request's
# headers: a client that connects and sends nothing, or half a request line, holds its socket forever.
HEADER_TIMEOUT = 10.0
MAX_HEADER_BYTES = 64 * 1024   # h11's limit on an incomplete request head (request line + headers)


class _OneSendTransport:
    """A transport whose writes within one turn of the event loop go out together: uvicorn
    writes a response's head and body separately, two sends (two segments, two wake-ups of
    the client) where one does. A write is held until the next write or the loop's next turn."""

    def __init__(self, transport, loop) -> None:
        self._transport, self._loop = transport, loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is None:
            if data:
                self._held = bytes(data)
                self._loop.call_soon(self._flush)
            return
        held, self._held = self._held, None
        self._transport.write(held + data)

    def writelines(self, lines) -> None:
        self.write(b"".join(lines))

    def _flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str):   # everything else is the transport's
        return getattr(self._transport, name)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head: armed when the connection opens
    and after each response; if no new request has started by then and none is running, the
    connection is closed. Slow or half-open clients cost a socket for HEADER_TIMEOUT seconds at most."""

    header_timeout = float(os.environ.get("VNPROOF_HEADER_TIMEOUT", HEADER_TIMEOUT))

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # asyncio turns Nagle off only for sockets it knows are TCP; the sockets uvicorn hands to
        # --workers processes are not recognised, and Nagle + delayed ACKs cost ~40 ms a response.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self.transport = _OneSendTransport(transport, self.loop)
        self._header_timer = None
        self._arm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_timer()

    def connection_lost(self, exc) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        armed_for = self.cycle
        self._header_timer = self.loop.call_later(self.header_timeout, self._header_deadline, armed_for)

    def _header_deadline(self, armed_for) -> None:
        self._header_timer = None
        idle = self.cycle is armed_for and (self.cycle is None or self.cycle.response_complete)
        if idle and not self.transport.is_closing():
            self.transport.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="vnproof serve", description="Start the vnproof HTTP service. "
                                 "Other settings come from VNPROOF_* environment variables (see service/config.py).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int, default=1, help="processes; each loads the checker once")
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--timeout-keep-alive", type=int, default=5, metavar="S",
                    help="close idle keep-alive connections after S seconds (default 5)")
    ap.add_argument("--header-timeout", type=float, default=HEADER_TIMEOUT, metavar="S",
                    help=f"close connections whose request head is not in after S seconds (default {HEADER_TIMEOUT:g})")
    ap.add_argument("--hash-key", metavar="KEY", help="print the sha256 digest to store for KEY and exit")
    args = ap.parse_args(argv)
    if args.hash_key:
        print(hash_key(args.hash_key))
        return 0
    import uvicorn
    from pydantic import ValidationError

    from .config import StartupError, get_settings
    from .store import open_store

    try:
        settings = get_settings()   # fail fast, before forking workers
    except ValidationError as e:
        print(f"vnproof serve: invalid settings:\n{e}", file=sys.stderr)
        return 2
    try:   # the store answers, its schema exists, and auth has keys
        store = open_store(settings)
        try:
            if settings.auth and not settings.api_keys and not store.key_digests():
                raise StartupError("auth is on but there is no API key: set VNPROOF_API_KEYS or store one with "
                                   "`vnproof keys add TENANT`")
        finally:
            store.close()
    except StartupError as e:
        print(f"vnproof serve: {e}", file=sys.stderr)
        return 2
    # Worker processes re-import this module: the environment carries --header-timeout to them.
    os.environ["VNPROOF_HEADER_TIMEOUT"] = str(args.header_timeout)
    GuardedH11Protocol.header_timeout = args.header_timeout
    opts = dict(log_level=args.log_level, timeout_keep_alive=args.timeout_keep_alive)
    if args.workers <= 1:
        uvicorn.run("service.app:create_app", factory=True, host=args.host, port=args.port,
                    http=GuardedH11Protocol, h11_max_incomplete_event_size=MAX_HEADER_BYTES, **opts)
        return 0
    return _supervise(args.workers, args.host, args.port, opts)


def _serve_worker(host: str, port: int, opts: dict) -> None:  # pragma: no cover (child process)
    """One worker: its own listening socket on the shared port (SO_REUSEPORT), so the kernel
    spreads new connections over the workers instead of one worker accepting them all."""
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    config = uvicorn.Config("service.app:create_app", factory=True, http=GuardedH11Protocol,
                            h11_max_incomplete_event_size=MAX_HEADER_BYTES, **opts)
    uvicorn.Server(config).run(sockets=[sock])


def _supervise(n: int, host: str, port: int, opts: dict) -> int:
    """Run `n` workers; replace any that dies (kill -9 included) until told to stop."""
    import multiprocessing
    import signal
    import threading

    ctx = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start():
        p = ctx.Process(target=_serve_worker, args=(host, port, opts), daemon=False)
        p.start()
        return p

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    procs = [start() for _ in range(n)]
    print(f"vnproof serve: {n} workers on http://{host}:{port} (SO_REUSEPORT)", file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        for i, p in enumerate(procs):
            if not p.is_alive():
                p.join()
                print(f"vnproof serve: worker {p.pid} died ({p.exitcode}); starting another",
                      file=sys.stderr, flush=True)
                procs[i] = start()
    for p in procs:
        p.terminate()
    for p in procs:
        p.join(15)
        if p.is_alive():
            p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
