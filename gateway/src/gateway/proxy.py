"""`/api/<service>/<path>` → the service's `/<path>`, over HTTP or in-process (one code path)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse

from clinic_shared.context import correlation_id_var, request_id_var
from clinic_shared.errors import NotFound, ServiceUnavailable
from clinic_shared.logging import get_logger
from clinic_shared.middleware import ROUTE_LABEL, UNMATCHED
from gateway.metrics import RouteLabels
from gateway.runtime import get_gateway

log = get_logger(__name__)
router = APIRouter()

# Headers that describe one hop, not the message (RFC 9110 §7.6.1), plus ones we set ourselves.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "x-request-id",
        "x-correlation-id",
        "x-forwarded-for",
        "forwarded",
        "x-real-ip",
    }
)
# Service endpoints that are for operators and the gateway only, never proxied.
INTERNAL_PREFIXES = ("_meta", "metrics", "health", "openapi.json", "docs", "redoc")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
PATH_SAFE = "/:@!$&'()*+,;=-._~"  # RFC 3986 pchar minus the unreserved letters and digits quote() keeps anyway
# Answers up to this size (by their Content-Length) are read whole and sent in one piece; larger
# or unsized ones (exports, prints) are streamed. Streaming a small JSON answer cost a task, a
# chunked encoding and three sends through every middleware: about a sixth of the gateway's time per booking.
BUFFER_MAX_BYTES = 256 * 1024


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    gateway = get_gateway(request)
    client = gateway.clients.get(service)
    if client is None or path.split("/", 1)[0] in INTERNAL_PREFIXES:
        request.scope[ROUTE_LABEL] = (None, UNMATCHED)  # the caller's words never become a label
        raise NotFound(f"No such API: /api/{service}/{path}")
    # The metrics' labels: the service and its route template (gateway/metrics.py).
    route_labels: RouteLabels = request.app.state.route_labels
    route = route_labels.label(service, request.method, path)
    request.scope[ROUTE_LABEL] = (service, route)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["x-request-id"] = request_id_var.get() or ""
    headers["x-correlation-id"] = correlation_id_var.get() or headers["x-request-id"]
    headers["x-forwarded-prefix"] = f"/api/{service}"  # the service writes public paths in `instance`
    # The client's address as the gateway established it (the socket peer, or what a trusted
    # proxy said: settings.trusted_proxies); a caller's own X-Forwarded-For is never passed on.
    headers.pop("x-forwarded-for", None)
    if request.client:
        headers["x-forwarded-for"] = request.client.host
    body = await request.body()
    # The path arrives percent-decoded; encode it again, or a control or non-ASCII character
    # (e.g. /cards/%07) makes an invalid upstream URL and a 500 instead of the service's 404/422.
    url = httpx.URL("/" + quote(path, safe=PATH_SAFE), query=request.url.query.encode("latin-1", "replace"))
    outgoing = client.build_request(request.method, url, headers=headers, content=body)
    try:
        upstream = await client.send(outgoing, stream=True)
        if route is UNMATCHED:
            route_labels.answered_unmatched(service, upstream.status_code)
        response_headers = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
        if request.method != "HEAD" and _small(upstream):
            try:
                body = b"".join([chunk async for chunk in upstream.aiter_raw()])
            finally:
                await upstream.aclose()
            return Response(body, status_code=upstream.status_code, headers=response_headers)
    except httpx.TimeoutException as exc:
        log.warning("gateway.upstream.timeout", service=service)
        raise ServiceUnavailable(f"The {service} service did not answer in time.", title="Gateway timeout") from exc
    except httpx.TransportError as exc:
        log.warning("gateway.upstream.unreachable", service=service, error=type(exc).__name__)
        raise ServiceUnavailable(f"The {service} service is unavailable.") from exc
    return StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers=response_headers,
        background=BackgroundTask(upstream.aclose),
    )


def _small(upstream: httpx.Response) -> bool:
    """The answer says how long it is, and that is at most `BUFFER_MAX_BYTES`."""
    length = upstream.headers.get("content-length", "")
    return length.isdigit() and int(length) <= BUFFER_MAX_BYTES
