"""Command line: `vnproof check|train|serve|audit`."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: vnproof {check,train,serve,audit} ...\n"
              "  check FILE...|-   check texts, print issues (exit 1 when issues are found)\n"
              "  train CORPUS... -o MODEL   build a house model from an archive\n"
              "  serve [--host H] [--port P] [--workers N]   start the HTTP service\n"
              "  audit PATH... -o DIR   audit an archive, write reports")
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "check":
        from .cli_check import main as run
    elif cmd == "train":
        from .cli_train import main as run
    elif cmd == "serve":
        from service.cli import main as run
    elif cmd == "audit":
        from .audit.cli import main as run
    else:
        print(f"vnproof: unknown command {cmd!r} (try vnproof --help)", file=sys.stderr)
        return 2
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
