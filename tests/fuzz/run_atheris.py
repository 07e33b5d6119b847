"""Coverage-guided fuzzing with atheris (libFuzzer) of one target from `targets.py`.

    python tests/fuzz/run_atheris.py TARGET [CORPUS_DIR ...] [libFuzzer flags]

TARGET is tokenize, syllable or encodings. Crashes are written as crash-<sha1> files in the
current directory (or -artifact_prefix=DIR/); see README.md for the long-run command.

The compiled core runs when it is built (`VNPROOF_PURE_PYTHON=1`: the pure-Python twin); the
first line printed names it. atheris instruments only Python bytecode, so on compiled modules
the run is not coverage-guided inside them: it still feeds them libFuzzer's inputs, mutated
from the coverage of the Python code around them and the seed corpus.
"""
from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["vnproof"]):
    import vnproof.audit.encodings  # noqa: F401
    import vnproof.syllable  # noqa: F401
    import vnproof.tokenize  # noqa: F401

import targets  # noqa: E402

import vnproof  # noqa: E402

print(f"vnproof implementation: {vnproof.implementation()}; tokenize from "
      f"{Path(vnproof.tokenize.__file__).name}, syllable from {Path(vnproof.syllable.__file__).name}", flush=True)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in targets.FUZZERS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(targets.FUZZERS)}}} [corpus dirs] [libFuzzer flags]")
    target = targets.FUZZERS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
