"""Request bodies, before they reach a route: a size cap (413), a time limit (408), and quiet
handling of clients that go away.

The whole body is read here (it is at most `max_bytes`) and replayed to the app, so a route
never waits on a slow client and a disconnect mid-body is one log line, not a traceback.
"""
from __future__ import annotations

import asyncio
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("vnproof.service")

# A body over the cap is still read (and thrown away) up to this many bytes before the 413 goes
# out, as nginx's lingering close does: a client that sends its whole body before reading the
# answer (urllib) would otherwise get "connection reset" instead of the 413 and its message.
DRAIN_BYTES = 16 * 1024 * 1024


def too_large_message(limit_chars: int) -> str:
    return (f"text too long: at most {limit_chars:,} characters per request. Split the text at "
            f"paragraph breaks into parts of at most {limit_chars:,} characters and send one request "
            f"per part (offsets are then relative to each part).")


def too_slow_message(timeout: float) -> str:
    return (f"request body not received within {timeout:g} s: send the whole body at once "
            f"(the server waits at most {timeout:g} s for it)")


class BodyLimit:
    """Read each request body in full before the app runs: 413 past `max_bytes` (by
    Content-Length or while streaming), 408 when it takes longer than `timeout` seconds."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_chars: int, timeout: float = 30.0,
                 drain_bytes: int = DRAIN_BYTES, uploads: dict[str, int] | None = None):
        self.app, self.max_bytes, self.max_chars = app, max_bytes, max_chars
        self.timeout, self.drain_bytes = timeout, drain_bytes
        self.uploads = uploads or {}   # path -> its own cap (model and archive uploads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            return await self._reply(scope, send, 400, "invalid Content-Length header")
        max_bytes = self.uploads.get(scope["path"], self.max_bytes)
        message = too_large_message(self.max_chars) if scope["path"] not in self.uploads else \
            f"upload too large: at most {max_bytes:,} bytes (the operator sets VNPROOF_MAX_UPLOAD_BYTES)"
        too_large = declared is not None and declared > max_bytes
        if too_large and (declared > self.drain_bytes or b"100-continue" in headers.get(b"expect", b"").lower()):
            # Not worth reading, or not sent yet (the client waits for "100 Continue"): answer now.
            return await self._reply(scope, send, 413, message)
        chunks: list[bytes] = []
        size, more = 0, True
        try:
            # One deadline for the whole body (`asyncio.wait_for` per message made a task each).
            async with asyncio.timeout(self.timeout):
                while more:
                    msg = await receive()
                    if msg["type"] == "http.disconnect":
                        log.info("client went away before sending its whole body (%s %s)",
                                 scope.get("method"), scope["path"])
                        return
                    body = msg.get("body", b"")
                    size += len(body)
                    more = msg.get("more_body", False)
                    if size > max_bytes:
                        too_large = True
                    if too_large:
                        if size > self.drain_bytes:
                            break
                        continue                   # drain: read and discard
                    chunks.append(body)
        except TimeoutError:
            if not too_large:                      # too large: drained what came in time; the 413 says why
                log.info("408 %s %s: body not complete after %g s", scope.get("method"), scope["path"], self.timeout)
                return await self._reply(scope, send, 408, too_slow_message(self.timeout))
        if too_large:
            return await self._reply(scope, send, 413, message)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

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


def _replay(body: bytes, then: Receive) -> Receive:
    """The body as one message, then the real channel (which reports a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()
    return receive
