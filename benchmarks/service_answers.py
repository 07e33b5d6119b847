"""Same answers from two trees: a fixed set of requests to a server of each, byte for byte (not part of pytest).

    python benchmarks/service_answers.py [--ref /work/wt-ref] [--tree .] [--articles 12] [--show N]

Serves the reference tree, sends every request, stops it; then the same with this tree, on the
same port (so `rule.urls`, which name the server, agree) and a fresh database each. Requests:
`/v2/check` (form, multipart and query string; text and annotated `data`; levels, rule and
category options, hostile text, emoji and CRLF, bad parameters), `/v1/check` (JSON text and
paragraphs, options, the request's dictionary, bad bodies), a dictionary word added then checked
again, and every check sent twice (the second answered by the result cache), plus an editor's
re-checks of one article. Compared: status, content type and body bytes (`/v1/check`'s
`"seconds"` masked: it is a duration). Exit 1 on any difference.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))   # this tree's vnproof (the hostile texts)
from service_latency import articles, edit, free_port, serve, wait_ready  # noqa: E402

SECONDS = re.compile(rb'"seconds":\s*[0-9.eE+-]+')
Request = tuple[str, str, str, dict]   # (name, method, path, httpx keyword arguments)


def hostile_texts(chars: int = 3000) -> dict[str, str]:
    """The rule tests' adversarial generators, `chars` characters each, and a few odd texts."""
    from test_hardening_properties import RULE_GENERATORS
    out = {name: make(chars, 0) for name, make in RULE_GENERATORS.items()}
    out.update({
        "empty": "", "spaces": "  \n\t \n", "emoji": "😀 Tôi đi hoc vảo buổi sáng. 🇻🇳 Trời đẹp nhât.\n𝐇à Nội",
        "crlf": "Tôi đi hoc.\r\nHôm nay trời đẹp nhât.\r\n\r\nVảo buổi sáng.",
        "english": "The quick brown fox jumps over the lazy dog.\nTôi đi hoc vảo buổi sáng hôm nay.\nok",
        "short-lines": "Tôi\nđi hoc\nvảo buổi sáng\nHôm nay trời đẹp nhât, tôi đi hoc vảo buổi sáng.",
        "nfd": unicodedata.normalize("NFD", "Tôi đi hoc vảo buổi sáng. Tiếng Việt nhât."),
        "controls": "Tôi\x00 đi\x0b hoc\u200b vảo\ufeff buổi\u2028sáng.",
        "tabs": "\tTôi đi hoc.\t\tVảo buổi sáng.\n\n\n",
    })
    return out


def v2(name: str, params: dict, how: str = "form") -> Request:
    if how == "get":
        return name, "GET", "/v2/check", {"params": params}
    if how == "multipart":
        return name, "POST", "/v2/check", {"files": {k: (None, v) for k, v in params.items()}}
    return name, "POST", "/v2/check", {"data": params}


def v1(name: str, body, raw: bool = False, ctype: str = "application/json") -> Request:
    content = body if raw else json.dumps(body, ensure_ascii=False)
    return name, "POST", "/v1/check", {"content": content.encode("utf-8") if isinstance(content, str) else content,
                                       "headers": {"content-type": ctype}}


def requests(n_articles: int) -> list[Request]:
    """Every request, in the order sent (fixed: the result cache makes order matter)."""
    texts = articles(1000, n_articles)
    hostile = hostile_texts()
    out: list[Request] = []
    twice = []
    for k, text in enumerate(texts):
        twice.append(v2(f"v2 article {k}", {"language": "vi", "text": text}))
        twice.append(v1(f"v1 article {k}", {"text": text}))
    t = texts[0]
    twice += [
        v2("v2 picky", {"language": "vi-VN", "text": t, "level": "picky"}),
        v2("v2 auto, get", {"language": "auto", "text": t[:1500]}, "get"),
        v2("v2 multipart", {"language": "vi", "text": t}, "multipart"),
        v2("v2 disabled TYPOS", {"language": "vi", "text": t, "disabledCategories": "TYPOS"}),
        v2("v2 enabledOnly", {"language": "vi", "text": t, "enabledOnly": "true", "enabledCategories": "TYPOS,STYLE"}),
        v2("v2 rules", {"language": "vi", "text": t, "disabledRules": "VI_SPELLING,FOO", "enabledRules": "BAR"}),
        v2("v2 ignored params", {"language": "vi", "text": t, "motherTongue": "en-US", "apiKey": "x", "username": "u",
                                 "mode": "all", "preferredVariants": "vi-VN"}),
        v2("v2 data", {"language": "vi", "data": json.dumps({"annotation": [
            {"text": "Tôi đi hoc "}, {"markup": "<b>"}, {"text": "vảo 😀 buổi sáng."}, {"markup": "<br/>",
                                                                                        "interpretAs": "\n"},
            {"text": "Hôm nay trời đẹp nhât."}, {"markup": "</b>"}]}, ensure_ascii=False)}),
        v1("v1 paragraphs", {"paragraphs": t.split("\n")[:12] + ["", "😀 vảo"]}),
        v1("v1 options", {"text": t, "level": "picky", "disabled_categories": ["spelling"], "pub_date": "2022-03-05",
                          "tone_style": "old", "enabled_rules": ["X"], "time_budget": 5}),
        v1("v1 dictionary", {"text": t, "dictionary": ["vảo", "nhât", "Ðakto"]}),
        v1("v1 enabled only", {"text": t, "enabled_only": True, "enabled_categories": ["typography"]}),
    ]
    for name, text in hostile.items():
        twice.append(v2(f"v2 hostile {name}", {"language": "vi", "text": text}))
        twice.append(v1(f"v1 hostile {name}", {"text": text}))
    for r in twice:
        out += [r, (r[0] + " (again)",) + r[1:]]
    rnd, text = random.Random(7), texts[1 % len(texts)]
    for k in range(20):   # an editor re-checking as they type
        text = edit(text, rnd)
        out.append(v2(f"v2 typing {k}", {"language": "vi", "text": text}))
    out += [
        ("dictionary add", "POST", "/v1/dictionary", {"json": {"words": ["vảo"]}}),
        v2("v2 after add", {"language": "vi", "text": t}),
        v1("v1 after add", {"text": t}),
        v2("v2 no language", {"text": "abc"}),
        v2("v2 bad language", {"language": "en-US", "text": "abc"}),
        v2("v2 text and data", {"language": "vi", "text": "a", "data": "{}"}),
        v2("v2 neither", {"language": "vi"}),
        v2("v2 bad level", {"language": "vi", "text": "a", "level": "x"}),
        v2("v2 enabledOnly alone", {"language": "vi", "text": "a", "enabledOnly": "yes"}),
        v2("v2 bad data", {"language": "vi", "data": "[" * 5000}),
        v2("v2 bad annotation", {"language": "vi", "data": '{"annotation": [1]}'}),
        v2("v2 bad option", {"language": "vi", "text": "a", "enabledCategories": "NOPE"}),
        ("v2 bad utf-8", "POST", "/v2/check", {"content": b"language=vi&text=%ff%fe",
                                               "headers": {"content-type": "application/x-www-form-urlencoded"}}),
        ("v2 raw utf-8 bytes", "POST", "/v2/check", {"content": b"language=vi&text=\xff",
                                                     "headers": {"content-type": "application/x-www-form-urlencoded"}}),
        ("v2 surrogate", "POST", "/v2/check", {"content": b"language=vi&text=%ed%a0%80",
                                               "headers": {"content-type": "application/x-www-form-urlencoded"}}),
        ("v2 wrong type", "POST", "/v2/check", {"content": b'{"text": "a"}', "headers": {"content-type": "application/json"}}),
        ("v2 no type", "POST", "/v2/check", {"content": "language=vi&text=T%C3%B4i+%C4%91i+hoc+v%E1%BA%A3o".encode()}),
        ("v2 plus and percent", "POST", "/v2/check", {"content": b"language=vi&text=a+b%2Bc%25d&&x&=y&text2",
                                                      "headers": {"content-type": "application/x-www-form-urlencoded"}}),
        ("v2 query and body", "POST", "/v2/check?language=vi&level=picky", {"data": {"text": "Tôi đi hoc vảo."}}),
        v1("v1 both", {"text": "a", "paragraphs": ["b"]}),
        v1("v1 neither", {}),
        v1("v1 extra field", {"text": "a", "colour": "red"}),
        v1("v1 bad level", {"text": "a", "level": "x"}),
        v1("v1 bad budget", {"text": "a", "time_budget": -1}),
        v1("v1 bad option", {"text": "a", "enabled_categories": ["nope"]}),
        v1("v1 not json", "{text: a}", raw=True),
        v1("v1 deep", "[" * 5000, raw=True),
        v1("v1 surrogate", '{"text": "a\\ud800b"}', raw=True),
        v1("v1 bad utf-8", b'{"text": "\xff"}', raw=True),
        v1("v1 wrong type", {"text": "a"}, ctype="text/plain"),
        v1("v1 plus-json", {"text": "Tôi đi hoc vảo."}, ctype="application/vnd.x+json"),
        v1("v1 not an object", ["a"]),
        v1("v1 text null", {"text": None, "paragraphs": None}),
        v1("v1 text number", {"text": 5}),
        ("v2 get languages", "GET", "/v2/languages", {}),
        ("v2 info", "GET", "/v2/info", {}),
        ("v1 rules", "GET", "/v1/rules", {}),
        ("openapi", "GET", "/openapi.json", {}),
    ]
    return out


def answers(tree: Path, port: int, reqs: list[Request]) -> list[tuple[int, str, bytes]]:
    """(status, content type, body) for each request, from a fresh server of `tree`."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VNPROOF_ANONYMOUS_WRITES"] = "true"   # so a word can be added, then checked again
        proc = serve(1, port, str(Path(tmp) / "dict.sqlite3"), tree)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url, 1)
            out = []
            with httpx.Client(base_url=url, timeout=120) as http:
                for _, method, path, kw in reqs:
                    r = http.request(method, path, **kw)
                    body = SECONDS.sub(b'"seconds":0', r.content) if path == "/v1/check" else r.content
                    out.append((r.status_code, r.headers.get("content-type", ""), body))
            return out
        finally:
            proc.terminate()
            proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=Path("/work/wt-ref"), help="the reference checkout")
    ap.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout to compare")
    ap.add_argument("--articles", type=int, default=12, help="1,000-word articles from the corpus")
    ap.add_argument("--show", type=int, default=3, help="differences to print in full")
    args = ap.parse_args()
    reqs = requests(args.articles)
    port = free_port()
    ref = answers(args.ref.resolve(), port, reqs)
    new = answers(args.tree.resolve(), port, reqs)
    differ = [(req[0], a, b) for req, a, b in zip(reqs, ref, new) if a != b]
    statuses: dict[int, int] = {}
    for status, _, _ in ref:
        statuses[status] = statuses.get(status, 0) + 1
    print(f"{len(reqs)} requests ({', '.join(f'{n} x {s}' for s, n in sorted(statuses.items()))}), "
          f"{sum(len(b) for _, _, b in ref):,} bytes of answers: {len(reqs) - len(differ)} identical, "
          f"{len(differ)} different ({args.ref} vs {args.tree})")
    for name, a, b in differ[:args.show]:
        print(f"\n{name}:\n  ref: {a[0]} {a[1]} {a[2][:600]!r}\n  new: {b[0]} {b[1]} {b[2][:600]!r}")
    for name, *_ in differ[args.show:]:
        print(f"  also different: {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
