"""Peer baseline: hunspell with Debian's Vietnamese dictionary, scored exactly like score.py.

    apt-get install -y hunspell hunspell-vi        # once
    python benchmarks/hunspell_baseline.py [--hunspell-only] [--dict vi_VN]

Every letter run of a text that hunspell (`-d vi_VN`) rejects becomes a "spelling" issue at
its code point offset, with hunspell's first suggestion as the replacement (see `Hunspell` for
how the slow suggestion step is kept tractable: suggestions for tokens of at most 7 letters).

The scoring is not reimplemented: ../shared/eval/score.py is imported with importlib and its
own `main()` is run with a stand-in `vnproof` module whose `check()` is hunspell, so detection,
correction, clean false alarms and syl/s are computed by the yardstick's code. The sets are
viwiki-dev whole, half A (first 30 docs), half B (last 29) and the seed article. Unless
`--hunspell-only` is given, vnproof's default model is scored on the same files in the same
run (score.py subprocesses) and printed in the same table. A second hunspell row reports only
its all-lower-case flags (names, acronyms and capitalised foreign words left alone); its syl/s
reuses the first row's cached verdicts and is not a speed figure.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (ACCURACY_HEADERS, accuracy_row, category_table, eval_sets,  # noqa: E402
                     load_score_module, md_table, run_score, work_dir, write_results)


@dataclass
class HunspellIssue:
    offset: int
    length: int
    text: str
    replacements: list[str] = field(default_factory=list)
    category: str = "spelling"
    rule_id: str = "HUNSPELL"


class Hunspell:
    """hunspell's verdicts on the letter runs of a text, with code point offsets.

    Pipe mode (`-a`) computes suggestions for every misspelling, and with this dictionary
    (18 MAP classes of accented vowels) that takes up to 2 s for a long foreign name: the 59
    viwiki documents would take hours. So the work is split, per text:
      1. the text's letter runs ([^\W\d_]+) not yet seen are checked in one `hunspell -l` call
         (one word per line: hunspell's own verdict on each word);
      2. the new misspellings of at most MAX_SUGGEST letters (the longest Vietnamese syllable,
         "nghiêng", has 7) get hunspell's suggestions from one `hunspell -a` call; longer
         tokens, which cannot be a Vietnamese syllable, are reported without a suggestion.
    Verdicts are cached per word; `reset()` clears the cache so every set pays full price.
    """

    MAX_SUGGEST = 7
    WORD = re.compile(r"[^\W\d_]+")

    def __init__(self, dictionary: str = "vi_VN"):
        self.exe = shutil.which("hunspell")
        if self.exe is None:
            sys.exit("hunspell is not installed: apt-get install -y hunspell hunspell-vi")
        self.dictionary = dictionary
        self.version = subprocess.run([self.exe, "-v"], capture_output=True, text=True
                                      ).stdout.splitlines()[0].strip()
        self.reset()

    def reset(self) -> None:
        self.bad: dict[str, list[str]] = {}   # misspelled word -> suggestions
        self.seen: set[str] = set()

    def _run(self, flag: str, words: list[str]) -> str:
        proc = subprocess.run([self.exe, flag, "-d", self.dictionary], capture_output=True,
                              text=True, encoding="utf-8",
                              input="".join(("^" if flag == "-a" else "") + w + "\n" for w in words))
        if proc.returncode != 0:
            raise RuntimeError(f"hunspell {flag} failed: {proc.stderr[-500:]}")
        return proc.stdout

    def _learn(self, words: list[str]) -> None:
        bad = set(self._run("-l", words).split("\n")) & set(words)
        self.seen.update(words)
        short = sorted(w for w in bad if len(w) <= self.MAX_SUGGEST)
        for w in bad:
            self.bad[w] = []
        if short:
            blocks = self._run("-a", short).split("\n\n")
            # blocks[0] starts with the banner line; one block per input word follows.
            blocks[0] = blocks[0].split("\n", 1)[1] if "\n" in blocks[0] else ""
            for w, block in zip(short, blocks):
                line = block.strip()
                if line.startswith("&"):
                    self.bad[w] = [s.strip() for s in line.partition(": ")[2].split(", ") if s.strip()]

    def check(self, text: str) -> list[HunspellIssue]:
        toks = [(m.start(), m.group()) for m in self.WORD.finditer(text)]
        new = sorted({w for _, w in toks} - self.seen)
        if new:
            self._learn(new)
        return [HunspellIssue(o, len(w), w, list(self.bad[w])) for o, w in toks if w in self.bad]

    def close(self) -> None:
        pass


def score_with(check, data: Path, score_mod) -> dict:
    """Run score.py's own main() on `data` with `check` standing in for vnproof.check."""
    fake = types.ModuleType("vnproof")
    fake.check = check
    fake.Checker = None
    out = work_dir() / "hunspell-score.json"
    saved_argv, saved_mod = sys.argv, sys.modules.get("vnproof")
    sys.argv = ["score.py", str(data), "--json", str(out)]
    sys.modules["vnproof"] = fake
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            score_mod.main()
    finally:
        sys.argv = saved_argv
        if saved_mod is not None:
            sys.modules["vnproof"] = saved_mod
        else:
            sys.modules.pop("vnproof", None)
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["summary"] = buf.getvalue().strip().splitlines()[-1]
    return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dict", default="vi_VN", help="hunspell dictionary name (-d)")
    ap.add_argument("--hunspell-only", action="store_true", help="do not score vnproof alongside")
    ap.add_argument("--json", type=Path, help="also write all figures here")
    args = ap.parse_args()

    score_mod = load_score_module()
    hs = Hunspell(args.dict)
    print(f"# {hs.version}, dictionary {args.dict}", file=sys.stderr)
    results = {}
    try:
        for set_name, path in eval_sets().items():
            hs.reset()  # no verdicts carried over: each set pays for its own hunspell calls
            t = time.perf_counter()
            f = results[(set_name, "hunspell vi_VN")] = score_with(hs.check, path, score_mod)
            print(f"# {set_name} / hunspell: {f['summary']} ({time.perf_counter() - t:.0f} s)",
                  file=sys.stderr)
            # Variant: names and acronyms left alone (only all-lower-case words reported), as a
            # user who ignores underlined capitalised words would read hunspell. Its verdicts
            # come from the cache filled just above, so its syl/s is not a hunspell speed.
            f = results[(set_name, "hunspell vi_VN, lower-case words only")] = score_with(
                lambda text: [i for i in hs.check(text) if i.text.islower()], path, score_mod)
            print(f"# {set_name} / hunspell lower-case only: {f['summary']}", file=sys.stderr)
            if not args.hunspell_only:
                t = time.perf_counter()
                f = results[(set_name, "vnproof default")] = run_score(path)
                print(f"# {set_name} / vnproof: {f['summary']} ({time.perf_counter() - t:.0f} s)",
                      file=sys.stderr)
    finally:
        hs.close()
    print(md_table(ACCURACY_HEADERS, [accuracy_row(s, m, f) for (s, m), f in results.items()]))
    per = [(m, f) for (s, m), f in results.items() if s == "viwiki-dev"]
    print("\nRecall by gold category, viwiki-dev (count in brackets):\n")
    print(category_table(per))
    if args.json:
        write_results(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
