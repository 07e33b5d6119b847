"""The compiled core and its pure-Python twin (issue #14) give the same answers.

Two fresh processes, one with the compiled modules and one with `VNPROOF_PURE_PYTHON=1`, check
the same few thousand texts: the shipped example article and rule examples, seeded sentences
made from the shipped lexicon with typos put in, paragraphs of them (for the document-wide
evidence), and hostile input (control characters, lone surrogates, huge tokens, mixed scripts,
stacked combining marks). Every issue, with every field, must be the same, and so must the
tokenizer's tokens and the syllable functions' answers. Skipped when the compiled core is not
built (then there is only one implementation).
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import dataclasses, json, sys
import vnproof
from vnproof import syllable as S
from vnproof.tokenize import tokenize

class Sub(str):   # a str subclass (numpy.str_ is one): the compiled code must take it as Python does
    pass

job = json.loads(open(sys.argv[1], encoding="utf-8").read())
checker = vnproof.default_checker()
out = {"implementation": vnproof.implementation(), "issues": [], "tokens": [], "syllables": []}
for text, options in job["checks"]:
    out["issues"].append([dataclasses.asdict(i) for i in checker.check(text, **options)])
for text in job["tokenize"]:
    out["tokens"].append([[t.start, t.end, t.text, t.norm, t.kind.value, t.sentence, t.sentence_start, t.valid,
                           list(t.shift)] for t in tokenize(text).tokens])
for w in job["words"]:
    p, q = S.parse(w), S.parse_loose(w)
    row = [repr(p), repr(q), S.is_valid(w), S.restyle(w, "old"), S.restyle(w, "new"), S.to_telex(w),
           S.from_telex(w), S.from_vni(w)]
    if p is not None:
        row += [p.coda, p.vowels, p.compose("new"), p.compose("old")]
    out["syllables"].append(row)
odd = []
for f in (S.parse, S.parse_loose, S.is_valid, S.to_telex, S.from_telex, S.from_vni, tokenize):
    for arg in (Sub("quân"), Sub("Quân chúng nhât dân."), None, b"qu\xc3\xa2n", 5):
        try:
            r = f(arg)
            odd.append(repr([(t.start, t.end, t.kind.value) for t in r.tokens]) if hasattr(r, "tokens") else repr(r))
        except Exception as e:
            odd.append(type(e).__name__)
out["odd"] = odd
sys.stdout.write(json.dumps(out))
"""


def _env(pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VNPROOF_PURE_PYTHON", "VNPROOF_COMPILED_ONLY")}
    if pure:
        env["VNPROOF_PURE_PYTHON"] = "1"
    return env


def _compiled_state() -> tuple[str, str]:
    proc = subprocess.run([sys.executable, "-c", "import vnproof, vnproof._impl as I; "
                           "print(vnproof.implementation()); print(I.describe())"],
                          capture_output=True, text=True, cwd=ROOT, env=_env(False))
    if proc.returncode != 0:
        raise AssertionError(proc.stderr[-3000:])
    impl, describe = proc.stdout.strip().splitlines()[-2:]
    return impl, describe


# --- the texts --------------------------------------------------------------------------------------

def _shipped_texts() -> list[tuple[str, dict]]:
    out = []
    article = (ROOT / "examples" / "bai-viet-mau.txt").read_text(encoding="utf-8")
    out.append((article, {}))
    out += [(s, {}) for s in re.split(r"(?<=[.!?])\s+|\n+", article) if s.strip()]
    examples = json.loads((ROOT / "vnproof" / "rules" / "examples.json").read_text(encoding="utf-8"))["rules"]
    for rule in examples.values():
        for ex in rule.get("wrong", []) + rule.get("right", []):
            if isinstance(ex, str):
                ex = {"text": ex}
            text = re.sub(r"</?marker>", "", ex["text"])
            out.append((text, dict(ex.get("options", {}))))
    return out


def _words() -> list[tuple[str, int]]:
    rows = []
    for line in (ROOT / "dictionaries" / "words.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        w, c = line.split("\t", 1)
        rows.append((w, int(c)))
    rows.sort(key=lambda r: -r[1])
    return rows[:20_000]


_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _typo(rnd: random.Random, syl: str) -> str:
    """One of the slips the checker is for: a tone or a letter changed, a mark dropped, a Telex key."""
    nfd = unicodedata.normalize("NFD", syl)
    k = rnd.randrange(6)
    if k == 0:   # another tone
        base = "".join(c for c in nfd if c not in _TONES)
        i = next((j for j, c in enumerate(base) if c in "aeiouy"), 0)
        return unicodedata.normalize("NFC", base[:i + 1] + rnd.choice(_TONES) + base[i + 1:])
    if k == 1:   # marks dropped
        return "".join(c for c in nfd if not unicodedata.combining(c)).replace("đ", "d")
    if k == 2 and len(syl) > 1:   # a letter replaced
        i = rnd.randrange(len(syl))
        return syl[:i] + rnd.choice("abcdeghiklmnopqrstuvxyđâêôơư") + syl[i + 1:]
    if k == 3 and len(syl) > 2:   # two letters swapped
        i = rnd.randrange(len(syl) - 1)
        return syl[:i] + syl[i + 1] + syl[i] + syl[i + 2:]
    if k == 4:   # Telex residue
        return syl + rnd.choice("sfrxjw")
    return syl.upper() if len(syl) > 1 and rnd.random() < 0.3 else syl[:1].upper() + syl[1:]


def _sentences(n: int, seed: int = 14) -> list[str]:
    rnd = random.Random(seed)
    words = _words()
    pop, weights = [w for w, _ in words], [min(c, 50_000) ** 0.5 for _, c in words]
    extras = ["UBND", "HĐND", "Đăk Tô", "Hà Nội", "12.500", "63,6%", "02-3-2022", "09/CT-TW", "Covid-19",
              "https://example.org/a?b=1", "(", ")", "“", "”", ",", ";", ":", "...", "–", "iPhone", "nGười"]
    out = []
    for _ in range(n):
        syls = []
        for w in rnd.choices(pop, weights, k=rnd.randint(3, 12)):
            syls += w.split()
        syls = [(_typo(rnd, s) if rnd.random() < 0.08 else s) for s in syls]
        for _ in range(rnd.randrange(3)):
            syls.insert(rnd.randrange(len(syls) + 1), rnd.choice(extras))
        s = " ".join(syls)
        out.append(s[:1].upper() + s[1:] + rnd.choice([".", ".", ".", "?", "!", "…", ""]))
    return out


CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u200b\u200d\u202e\u202c\u200f"
_PIECES = [CONTROL, "\ud800", "\udfff", "\udbff\udc00", "\u0301\u0323\u0309", "a\u0301\u0301\u0301",
           "שלום עולם", "مرحبا بالعالم", "👩‍💻🎉🇻🇳", "日本語テキスト", "한국어", "Ελληνικά", "кириллица",
           "Māui Köztársaság José", "((([[{«“", "”»}]])))", "…...!!??--//", "www.", "http://", "a@b.vn",
           "\r\n\r", "\t", " ", "qu", "gi", "ngh", "Đ", "ð", "ǅ", "ﬁ", "Ａ", "①", "٣", "vảo", "nhât", "chúng"]


def _hostile(n: int, seed: int = 41) -> list[str]:
    rnd = random.Random(seed)
    fixed = ["", " ", "\n\n", CONTROL, "\ud800" * 50, "a" * 20_000, "Đ" * 5_000 + " vảo", "-" * 3_000,
             "a." * 2_000, "+" * 2_000, "nghiêng" * 1_000, "(" * 500 + "vảo" + ")" * 500,
             unicodedata.normalize("NFD", "Quân chúng nhât dân vảo vệ Tổ quốc. Văn hoá, văn hóa."),
             "x\u0301" * 1_000, "&\u0331 x", "\u0300" * 100, "Ông ấy vảo tôi\x00đi họp\ud800ở Đăk Tô."]
    out = list(fixed)
    for _ in range(n):
        out.append("".join(rnd.choice(_PIECES) if rnd.random() < 0.5 else rnd.choice(["vảo vệ ", "nói chúng ",
                   "Hà Nội ", "UBND ", "1,5 ", "hoá ", "hóa "]) for _ in range(rnd.randint(1, 25))))
    return out


def _job() -> dict:
    sentences = _sentences(2_400)
    hostile = _hostile(400)
    shipped = _shipped_texts()
    paragraphs = [" ".join(sentences[i:i + 40]) for i in range(0, len(sentences), 40)]
    checks = shipped + [(s, {}) for s in sentences + hostile] + [(p, {}) for p in paragraphs]
    checks += [(s, {"level": "picky"}) for s in sentences[:400] + hostile[:100]]
    checks += [(p, {"tone_style": "old", "pub_date": "2022-04-20"}) for p in paragraphs[:10]]
    words = sorted({w for s in sentences[:600] + hostile for w in re.findall(r"\w+|\W", s)[:200]})
    words += ["quân", "giết", "gì", "hoà", "hòa", "thuỷ", "thủy", "nghiêng", "vieetj", "dduwowcj", "vie65t",
              "duoc75", "tie61ng", "ooo", "\ud800", "a\u0301"]
    return {"checks": checks, "tokenize": [t for t, _ in shipped] + sentences[:800] + hostile, "words": words}


def _run(job_file: Path, pure: bool) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(job_file)], capture_output=True, text=True,
                          cwd=ROOT, env=_env(pure), timeout=1200)
    if proc.returncode != 0:
        raise AssertionError(f"{'pure' if pure else 'compiled'} run failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    impl, describe = _compiled_state()
    if impl != "compiled":
        pytest.skip(f"the compiled core is not in use here ({describe}); build it with pip install -e .")
    job = _job()
    path = tmp_path_factory.mktemp("twin") / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    return job, _run(path, pure=False), _run(path, pure=True)


def test_the_twins_are_the_implementations_they_say(twins):
    _, compiled, pure = twins
    assert (compiled["implementation"], pure["implementation"]) == ("compiled", "python")


def test_same_issues(twins):
    job, compiled, pure = twins
    assert len(job["checks"]) >= 3_000
    assert sum(map(len, pure["issues"])) > 500   # the texts do find things
    for (text, options), a, b in zip(job["checks"], compiled["issues"], pure["issues"]):
        assert a == b, f"different issues on {text[:200]!r} {options}"
    assert len(compiled["issues"]) == len(pure["issues"]) == len(job["checks"])


def test_same_tokens(twins):
    job, compiled, pure = twins
    for text, a, b in zip(job["tokenize"], compiled["tokens"], pure["tokens"]):
        assert a == b, f"different tokens on {text[:200]!r}"
    assert len(compiled["tokens"]) == len(pure["tokens"]) == len(job["tokenize"])


def test_same_syllables(twins):
    job, compiled, pure = twins
    for w, a, b in zip(job["words"], compiled["syllables"], pure["syllables"]):
        assert a == b, f"different syllable answers on {w!r}"
    assert len(compiled["syllables"]) == len(pure["syllables"]) == len(job["words"])


def test_same_answers_on_odd_arguments(twins):
    """A str subclass, None, bytes, an int: the same result or the same exception type."""
    _, compiled, pure = twins
    assert compiled["odd"] == pure["odd"]
