"""`vnproof serve [--host H] [--port P] [--workers N]`: run the service under uvicorn."""
from __future__ import annotations

import argparse
import sys

from .auth import hash_key


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="vnproof serve", description="Start the vnproof HTTP service. "
                                 "Other settings come from VNPROOF_* environment variables (see service/config.py).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int, default=1, help="processes; each loads the checker once")
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--hash-key", metavar="KEY", help="print the sha256 digest to store for KEY and exit")
    args = ap.parse_args(argv)
    if args.hash_key:
        print(hash_key(args.hash_key))
        return 0
    import uvicorn
    from pydantic import ValidationError

    from .config import get_settings

    try:
        get_settings()   # fail fast, before forking workers
    except ValidationError as e:
        print(f"vnproof serve: invalid settings:\n{e}", file=sys.stderr)
        return 2
    uvicorn.run("service.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
