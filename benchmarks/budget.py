"""How far past its time budget a request ends, through the real service (uvicorn on loopback).

    python benchmarks/budget.py [--budget 1.0] [--chars 100000]

Sends 100,000-character texts of the slowest generators the rule tests use (and ordinary prose
from the shipped example) to `/v2/check` with the server's budget set to `--budget`, and prints
the wall time of each request, its overrun past the budget and `incompleteResults`.
"""
from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "prose (examples/)": (ROOT / "examples" / "bai-viet-mau.txt").read_text(encoding="utf-8"),
    "punctuation-glued": "xin,chào xin;chào Tô.Quân vảo,tôi ",
    "no-spaces": "ÔngấyvảotôiđihọpởĐăkTô.Quânchúngnhâtdân(theoUBNDtỉnh,ngày02-3-2022)",
    "brackets-quotes": "((([[{«“ vảo ”»}]]))) “ ",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=1.0)
    ap.add_argument("--chars", type=int, default=100_000)
    args = ap.parse_args()
    import tempfile
    import uvicorn
    from service.app import create_app
    from service.config import Settings
    from vnproof import Checker

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Path(tempfile.mkdtemp()) / "d.sqlite3"
    app = create_app(Settings(db_path=db, time_budget=args.budget), checker=Checker())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    print(f"| text ({args.chars:,} chars) | budget | wall s | overrun s | incompleteResults |")
    print("|---|---:|---:|---:|---|")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        http.post("/v2/check", data={"language": "vi", "text": "Khởi động."})
        for name, unit in TEXTS.items():
            text = (unit * (args.chars // len(unit) + 1))[:args.chars]
            t0 = time.perf_counter()
            r = http.post("/v2/check", data={"language": "vi", "text": text})
            wall = time.perf_counter() - t0
            cut = r.json()["warnings"]["incompleteResults"]
            print(f"| {name} | {args.budget:g} | {wall:.2f} | {max(0.0, wall - args.budget):.2f} | {cut} |")
    server.should_exit = True


if __name__ == "__main__":
    main()
