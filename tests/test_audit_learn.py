"""--learn: the archive's consistent local spellings stop being flagged; rare variants still are."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vnproof.audit.cli import main

_spec = importlib.util.spec_from_file_location("audit_fixtures", Path(__file__).parent / "fixtures" / "audit" / "build.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

pytestmark = pytest.mark.shared_data   # the seed article's own rare words (xơk, xoang)

LOCAL = ["Sáng nay, đồng bào trong làng tổ chức lễ xơk pơ tâu, các cô gái múa xoang quanh nhà rông.",
         "Đội múa xoang của xã biểu diễn trong ngày hội, già làng kể về lễ xơk của đồng bào.",
         "Tối qua, thanh niên trong làng tập múa xoang, chuẩn bị cho lễ xơk vào cuối tháng."]

# Makes "nhất" and "bảo vệ" frequent in the archive, as they are in any real one.
COMMON = ("Đây là lần thứ nhất xã tổ chức bảo vệ rừng, cũng là lần đầu tiên; quan trọng nhất là "
          "bảo vệ an ninh, bảo vệ môi trường và giữ gìn bản sắc tốt nhất.") * 2


def _typos(out: Path) -> set[str]:
    return {json.loads(l)["text"] for l in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()}


def test_learn_accepts_local_spellings(tmp_path):
    src = fx.small_articles(tmp_path / "in", n=30)
    with open(src / "local.jsonl", "w", encoding="utf-8") as fh:
        for i in range(9):
            fh.write(json.dumps({"id": f"l{i}", "text": LOCAL[i % 3] + " " + LOCAL[(i + 1) % 3] + " " + COMMON},
                                ensure_ascii=False) + "\n")
    assert main([str(src), "-o", str(tmp_path / "plain"), "--no-progress"]) == 0
    assert main([str(src), "-o", str(tmp_path / "learn"), "--no-progress", "--learn", "--workers", "2"]) == 0
    plain, learned = _typos(tmp_path / "plain"), _typos(tmp_path / "learn")
    if not {"xơk", "xoang"} & plain:               # the default model flags the local words (today)
        pytest.skip("the default checker no longer flags the local words; nothing to unlearn")
    assert not {"xơk", "xoang"} & learned          # the archive model knows them
    assert {"vảo", "nhât"} <= learned              # rare variants of frequent archive words: still flagged
    assert (tmp_path / "learn" / "archive-model" / "meta.json").exists()
    words = (tmp_path / "learn" / "archive-words.txt").read_text(encoding="utf-8").split()
    assert "xơk" in words and "vảo" not in words and "nhât" not in words
