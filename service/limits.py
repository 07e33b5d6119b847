"""Request-body cap, enforced before the body reaches a route (so a 2 MB upload costs nothing)."""
from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit_chars: int) -> str:
    return (f"text too long: at most {limit_chars:,} characters per request. Split the text at "
            f"paragraph breaks into parts of at most {limit_chars:,} characters and send one request "
            f"per part (offsets are then relative to each part).")


class BodyLimit:
    """Answer 413 when a body exceeds `max_bytes`, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_chars: int):
        self.app, self.max_bytes, self.max_chars = app, max_bytes, max_chars

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            return await self._reply(scope, send, 400, "invalid Content-Length header")
        if declared is not None and declared > self.max_bytes:
            return await self._reply(scope, send, 413, too_large_message(self.max_chars))
        if declared is not None:
            return await self.app(scope, receive, send)
        # Chunked or unknown length: buffer up to the cap, then replay.
        chunks, size, more = [], 0, True
        while more:
            msg = await receive()
            if msg["type"] != "http.request":
                return await self.app(scope, _replay([msg]), send)
            size += len(msg.get("body", b""))
            if size > self.max_bytes:
                return await self._reply(scope, send, 413, too_large_message(self.max_chars))
            chunks.append(msg)
            more = msg.get("more_body", False)
        await self.app(scope, _replay(chunks, receive), send)

    @staticmethod
    async def _reply(scope: Scope, send: Send, status: int, message: str) -> None:
        if scope["path"].startswith("/v2/"):   # LanguageTool answers errors as plain text
            body, ctype = f"Error: {message}".encode(), b"text/plain; charset=utf-8"
        else:
            body, ctype = json.dumps({"detail": message}).encode(), b"application/json"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive
