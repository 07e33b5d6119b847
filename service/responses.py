"""The check endpoints' JSON answers, encoded by orjson.

The same bytes as Starlette's `JSONResponse` (compact separators, UTF-8 rather than \\u escapes),
in C: on an editor's re-check of a 1,000-word article, `json.dumps` of the answer was 6-7% of a
server worker's CPU (BENCHMARKS.md §21). `benchmarks/service_answers.py` compares every answer
byte for byte with the json.dumps encoding.
"""
from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
