"""The gateway's edge: what every request meets before the app sees it.

In this order, each step before any work that a caller could make expensive:
1. the query string's length (414);
2. who may send it (gateway/routes.py): an API route needs a valid, unrevoked bearer token, and
   a request without one is answered 401 at once, its body never read; the public widget API is
   counted against its rate limits (429);
3. the body's size for that route (413): small for public routes, larger for JSON, the import
   size only on upload routes; refused by its `Content-Length` or as soon as more arrives;
4. NUL characters in text (422 naming the field): PostgreSQL text cannot hold U+0000, so no
   text of the platform may contain one. The body is searched as bytes (fast, in C); it is
   parsed to name the field only when a NUL escape is there, and only up to the JSON limit.
Refusals that leave a body unread close the connection, so the rest of it is never read.
Each refusal is a problem like every other answer's (clinic_shared.problems): its code, the
public path in `instance`, its texts in the client's language (gateway/messages_ru.py).

Every answer gets `X-Content-Type-Options: nosniff`; HTML answers (the API docs, printed slips
and day lists) also a Content-Security-Policy and frame protection.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.errors import Unauthorized
from clinic_shared.logging import get_logger
from clinic_shared.openapi import PROBLEM_JSON
from clinic_shared.problems import language_var, localise, reset_request_language, set_request_language
from gateway.problem_types import URI_TOO_LONG
from gateway.routes import Access, classify, is_widget_write
from gateway.settings import GatewaySettings

log = get_logger(__name__)

NOSNIFF = (b"x-content-type-options", b"nosniff")
HTML_POLICY = (
    b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    b"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
# The API's pages (gateway/docs.py): scripts, styles and images from the gateway alone, so the
# pages never reach out of a clinic network (ReDoc's vendor logo is refused here, not fetched).
# ReDoc runs its search in a worker it makes from its own script (a blob: URL).
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'self'"
)
DOCS_PAGES = ("/api/docs", "/api/redoc")
# The web app (gateway/web.py): its own scripts only (no inline script, no eval); inline styles
# for the schedule grid's computed positions; calls and the event stream to the gateway alone.
WEB_POLICY = (
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    b"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    b"frame-ancestors 'self'"
)


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, *, settings: GatewaySettings) -> None:
        self.app = app
        self.max_upload = settings.max_body_bytes
        self.max_json = settings.max_json_body_bytes
        self.max_public = settings.max_public_body_bytes
        self.max_query = settings.max_query_bytes
        self.linger = settings.unread_body_linger_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept_language = next((v for k, v in scope.get("headers", []) if k == b"accept-language"), b"")
        tokens = set_request_language(accept_language.decode("latin-1"), None)
        try:
            await self._call(scope, receive, send)
        finally:
            reset_request_language(tokens)

    async def _call(self, scope: Scope, receive: Receive, send: Send) -> None:
        send = _with_security_headers(send, scope.get("path", ""))
        method, path = scope["method"], scope.get("path", "")
        if len(scope.get("query_string", b"")) > self.max_query:
            await problem(
                send,
                414,
                "URI too long",
                f"The query string is longer than {self.max_query} bytes.",
                instance=path,
                code=URI_TOO_LONG,
            )
            return
        route = classify(method, path)
        headers = dict(scope.get("headers", []))
        if route.access is Access.TOKEN:
            reason = _token_problem(scope, headers)
            if reason is not None:
                await problem(
                    send,
                    401,
                    "Not authenticated",
                    reason,
                    instance=path,
                    close=_has_body(headers),
                    linger=self.linger,
                    www_authenticate=True,
                )
                return
            limit = self.max_upload if route.upload else self.max_json
        else:
            limit = self.max_public
            if route.access is Access.WIDGET and (wait := await _widget_wait(scope, headers, method, path)):
                await problem(
                    send,
                    429,
                    "Too many requests",
                    "Too many requests; try again later.",
                    instance=path,
                    close=_has_body(headers),
                    linger=self.linger,
                    retry_after=wait,
                )
                return
        body = await _read_body(receive, send, headers, limit, instance=path, linger=self.linger)
        if body is None:
            return
        if field := nul_field(scope, headers, body, self.max_json):
            await problem(
                send,
                422,
                "Validation failed",
                f"Invalid input: {field}",
                instance=path,
                errors=[
                    {"field": field, "code": "nul_character", "message": "must not contain the NUL character (U+0000)"}
                ],
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


def _has_body(headers: dict[bytes, bytes]) -> bool:
    """Whether a body follows the request's head (one left unread means closing the connection)."""
    return headers.get(b"content-length", b"0") not in (b"0", b"") or b"transfer-encoding" in headers


def _token_problem(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    """Why the request's bearer token is not accepted, or None when it is."""
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "A bearer token is required (POST /api/auth/token)."
    verifier = scope["app"].state.token_verifier
    try:
        verifier.verify(token.strip())
    except Unauthorized as exc:
        return exc.detail
    return None


async def _widget_wait(scope: Scope, headers: dict[bytes, bytes], method: str, path: str) -> int:
    """Count a widget request against its limits; seconds to wait when over one."""
    gateway = getattr(scope["app"].state, "gateway", None)
    if gateway is None:
        return 0
    client = scope.get("client")
    address = client[0] if client else "unknown"
    api_key = headers.get(b"x-api-key", b"").decode("latin-1") or None
    limits = gateway.public_limits.limits(api_key=api_key, address=address, write=is_widget_write(method, path))
    async with gateway.db.session() as session:
        wait: int = await gateway.public_limits.check(session, limits)
    if wait:
        log.warning("gateway.widget.rate_limited", write=is_widget_write(method, path))
    return wait


async def _read_body(
    receive: Receive, send: Send, headers: dict[bytes, bytes], limit: int, *, instance: str, linger: float
) -> bytes | None:
    """The whole body, or None once a refusal has been sent (or the client went away)."""

    async def refuse(status: int, title: str, detail: str) -> None:
        await problem(send, status, title, detail, instance=instance, close=True, linger=linger)

    declared = headers.get(b"content-length")
    if declared is not None:
        try:
            too_big = int(declared) > limit
        except ValueError:
            await refuse(400, "Bad request", "Content-Length is not a number.")
            return None
        if too_big:
            await refuse(413, "Payload too large", f"The body is larger than {limit} bytes.")
            return None
    chunks: list[bytes] = []
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            await refuse(413, "Payload too large", f"The body is larger than {limit} bytes.")
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def nul_field(scope: Scope, headers: dict[bytes, bytes], body: bytes, parse_limit: int) -> str | None:
    """The first query parameter, form field or JSON field whose text holds a NUL, if any."""
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                return name.replace("\x00", "") or "query"
    if "%00" in scope.get("raw_path", b"").decode("latin-1") or "\x00" in scope.get("path", ""):
        return "path"
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type.endswith(b"json") and (b"\\u0000" in body or b"\x00" in body):
        if len(body) > parse_limit:
            return "body"
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


def _with_security_headers(send: Send, path: str) -> Send:
    if path in DOCS_PAGES:
        policy = DOCS_POLICY
    elif path.startswith("/api/"):
        policy = HTML_POLICY  # printed slips and day lists: no script at all
    else:
        policy = WEB_POLICY

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            if NOSNIFF[0] not in names:
                headers.append(NOSNIFF)
            content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
            if content_type.startswith(b"text/html"):
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", policy))
                if b"x-frame-options" not in names:
                    headers.append((b"x-frame-options", b"SAMEORIGIN"))
                headers.append((b"referrer-policy", b"no-referrer"))
            message["headers"] = headers
        await send(message)

    return send_with_headers


async def problem(
    send: Send,
    status: int,
    title: str,
    detail: str,
    *,
    instance: str,
    close: bool = False,
    linger: float = 0.0,
    www_authenticate: bool = False,
    retry_after: int | None = None,
    **extra: Any,
) -> None:
    """Answer with problem details about the request at `instance` (its public path: the
    gateway's is the one the client asked for); `title` and `detail` are written in English and
    answered in the client's language; `close`: the request's body was not read, so the
    connection is closed after the answer instead of reading the rest of it.

    Closing a socket whose client is still sending makes the kernel answer with a reset, which
    can reach the client before it has read our answer and wipe it. So the answer's last (empty)
    piece is held back for `linger` seconds (`unread_body_linger_seconds`): the client reads the whole answer (its length is
    given) while the connection is still open, and only then is it closed."""
    problem_body = localise({"title": title, "status": status, "detail": detail, "instance": instance, **extra})
    body = json.dumps(problem_body).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    headers.append((b"content-language", language_var.get().encode()))
    if close:
        headers.append((b"connection", b"close"))
    if www_authenticate:
        headers.append((b"www-authenticate", b"Bearer"))
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if not close:
        await send({"type": "http.response.body", "body": body})
        return
    await send({"type": "http.response.body", "body": body, "more_body": True})
    await asyncio.sleep(linger)
    await send({"type": "http.response.body", "body": b""})
