"""Request limits enforced before anything is parsed: body size (413), query length (414) and
NUL characters in text (422).

PostgreSQL text cannot hold U+0000: a NUL in any JSON string, form field or query value used
to reach the database and answer 500. No text of the platform may contain one, so the edge
refuses it, naming the field.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.errors import PROBLEM_JSON


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_query_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_query = max_query_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query:
            await _problem(send, 414, "URI too long", f"The query string is longer than {self.max_query} bytes.")
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_body
            except ValueError:
                await _problem(send, 400, "Bad request", "Content-Length is not a number.")
                return
            if too_big:
                await _problem(send, 413, "Payload too large", f"The body is larger than {self.max_body} bytes.")
                return
        # Read the body up to the limit before the app sees it: a too-large upload is refused
        # cleanly with 413 instead of failing half-way through a handler.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                await _problem(send, 413, "Payload too large", f"The body is larger than {self.max_body} bytes.")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if field := nul_field(scope, body):
            await _problem(
                send,
                422,
                "Validation failed",
                f"Invalid input: {field}",
                errors=[{"field": field, "message": "must not contain the NUL character (U+0000)"}],
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def nul_field(scope: Scope, body: bytes) -> str | None:
    """The first query parameter, form field or JSON field whose text holds a NUL, if any."""
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                return name.replace("\x00", "") or "query"
    if "%00" in scope.get("raw_path", b"").decode("latin-1") or "\x00" in scope.get("path", ""):
        return "path"
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type.endswith(b"json") and b"\\u0000" in body:
        try:
            return _json_nul_field(json.loads(body), "")
        except (ValueError, RecursionError):  # not JSON, or nested past reason: the service answers that
            return None
    if content_type == b"application/x-www-form-urlencoded" and (b"%00" in body or b"\x00" in body):
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                return name.replace("\x00", "") or "body"
    return None


def _json_nul_field(node: Any, path: str) -> str | None:
    if isinstance(node, str):
        return (path or "body") if "\x00" in node else None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(key, str) and "\x00" in key:
            return path or "body"
        found = _json_nul_field(value, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


async def _problem(send: Send, status: int, title: str, detail: str, **extra: Any) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
