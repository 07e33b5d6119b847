"""The check endpoints' JSON answers, encoded by orjson.

The same bytes as Starlette's `JSONResponse` (compact separators, UTF-8 rather than \\u escapes),
in C: on an editor's re-check of a 1,000-word article, `json.dumps` of the answer was 6-7% of a
server worker's CPU (BENCHMARKS.md §21). `tests/test_service_overhead.py` compares the two
encodings on generated answers. Where they would differ, no answer goes: orjson writes a float
below 1e-4 without an exponent (answers round confidences to 3 decimals and seconds to 4) and a
NaN as null (json.dumps refuses one; no score of an answer is one).
"""
from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


def _default(value: Any) -> Any:
    """What json.dumps writes and orjson does not take as it is: a float subclass (numpy.float64)."""
    if isinstance(value, float):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default)
