"""Command line: `vnproof check|rules|train|calibrate|serve|keys|audit`."""
from __future__ import annotations

import sys

USAGE = """usage: vnproof [--version] {check,rules,train,calibrate,serve,keys,audit} ...
  check FILE...|-   check texts (.txt, .docx), print issues (exit 1 when issues are found)
  rules             list the rules, with their ids (for --enable / --disable)
  train CORPUS... -o MODEL   build a house model from an archive
  train --update MODEL CORPUS...   add new articles to a house model
  calibrate --tenant T   set a service tenant's threshold from its editors' decisions
  serve [--host H] [--port P] [--workers N]   start the HTTP service   (extra: vnproof[service])
  keys add TENANT | keys list   API keys kept in the service's store     (extra: vnproof[service])
  audit PATH... -o DIR   audit an archive, write reports             (extra: vnproof[audit])
`vnproof COMMAND --help` describes each command's options."""

# The optional extra each command needs, and its modules, for a clear message when one is missing.
EXTRAS = {"serve": "service", "calibrate": "service", "keys": "service", "audit": "audit"}
EXTRA_MODULES = {"service": {"fastapi", "uvicorn", "pydantic_settings", "pydantic", "starlette", "multipart"},
                 "audit": {"tqdm", "trafilatura", "ftfy", "warcio", "dask", "distributed"}}


def rules_main(argv: list[str]) -> int:
    """`vnproof rules [--english]`: id, category, level and description of every rule."""
    from .rules import RULES

    english = "--english" in argv
    for r in RULES.values():
        level = "picky" if r.picky else "default"
        print(f"{r.id:<36} {r.category:<12} {level:<8} {r.description_en if english else r.description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv[0] in ("-V", "--version"):
        from . import __version__, _impl
        print(f"vnproof {__version__} ({_impl.describe()})")
        return 0
    cmd, rest = argv[0], argv[1:]
    try:
        return _dispatch(cmd, rest)
    except ModuleNotFoundError as e:
        extra = EXTRAS.get(cmd)
        if extra is None or (e.name or "").split(".")[0] not in EXTRA_MODULES[extra]:
            raise
        print(f"vnproof {cmd}: the Python module {e.name!r} is missing: install the extra with "
              f"pip install 'vnproof[{extra}]'", file=sys.stderr)
        return 2


def _dispatch(cmd: str, rest: list[str]) -> int:
    if cmd == "check":
        from .cli_check import main as run
    elif cmd == "rules":
        run = rules_main
    elif cmd == "train":
        from .cli_train import main as run
    elif cmd == "calibrate":
        from .cli_calibrate import main as run
    elif cmd == "serve":
        from service.cli import main as run
    elif cmd == "keys":
        from service.keys import main as run
    elif cmd == "audit":
        from .audit.cli import main as run
    else:
        print(f"vnproof: unknown command {cmd!r} (try vnproof --help)", file=sys.stderr)
        return 2
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
