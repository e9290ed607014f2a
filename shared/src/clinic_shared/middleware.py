"""ASGI middleware shared by the gateway and the services: request ids, access log, metrics."""

from __future__ import annotations

import json
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.context import correlation_id_var, new_id, request_id_var
from clinic_shared.errors import unexpected_problem
from clinic_shared.logging import get_logger
from clinic_shared.openapi import PROBLEM_JSON
from clinic_shared.problems import language_var, localise, reset_request_language, set_request_language

log = get_logger("access")


ROUTE_LABEL = "clinic.route_label"
"""Scope key under which a handler names its request's route for the metrics itself, as
`(upstream, route)`: the gateway's proxy answers every service from one route,
`/api/{service}/{path:path}`, and puts the target service and that service's route template
here (gateway/metrics.py). `upstream` None means the app answered the request itself."""
UNMATCHED = "unmatched"
"""The route label of a request no route template matched: one fixed value, never the raw path."""


class HttpMetrics:
    """Request counters and latency histograms of one app (its own registry).

    Labels: `service` (this app), `method`, `route` (the matched route's template, never the raw
    path: ids would make a series per appointment) and `status`. With `upstream=True` (the
    gateway) also `upstream`: the service a proxied call went to, or this app's own name for a
    request it answered itself."""

    def __init__(self, service: str, *, upstream: bool = False) -> None:
        self.registry = CollectorRegistry()
        self.service = service
        self.upstream = upstream
        labels = ["service", "upstream", "method", "route"] if upstream else ["service", "method", "route"]
        self.requests = Counter("http_requests_total", "HTTP requests", [*labels, "status"], registry=self.registry)
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            labels,
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        # The labelled children by their label values: a dict lookup per request instead of
        # prometheus_client's validation and lock (the label values are bounded, so is this).
        self._counters: dict[tuple[str, ...], Any] = {}
        self._latencies: dict[tuple[str, ...], Any] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        labelled: tuple[str | None, str] | None = scope.get(ROUTE_LABEL)
        if labelled is not None:
            upstream, route = labelled[0] or self.service, labelled[1]
        else:
            upstream, route = self.service, getattr(scope.get("route"), "path", None) or UNMATCHED
        key = (
            (self.service, upstream, scope["method"], route)
            if self.upstream
            else (self.service, scope["method"], route)
        )
        latency = self._latencies.get(key)
        if latency is None:
            latency = self._latencies[key] = self.latency.labels(*key)
        latency.observe(seconds)
        counted = (*key, str(status))
        counter = self._counters.get(counted)
        if counter is None:
            counter = self._counters[counted] = self.requests.labels(*counted)
        counter.inc()


class RequestContextMiddleware:
    """Takes or makes `X-Request-ID`, sets the log context, logs one line per request
    (method, path without the query string, status, duration) and records metrics.

    It is also where an unexpected exception stops: answered as a problem (500, or 503 when the
    database went away) if no answer has started, and never passed on to the server. Starlette's
    own last-resort handler answers too but then re-raises, and uvicorn closes the connection on
    a re-raised exception: the client's next request on that connection failed."""

    def __init__(self, app: ASGIApp, *, service: str, metrics: HttpMetrics | None = None) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        request_id = _clean_id(headers.get("x-request-id")) or new_id()
        correlation_id = _clean_id(headers.get("x-correlation-id")) or request_id
        rid_token = request_id_var.set(request_id)
        cid_token = correlation_id_var.set(correlation_id)
        language_tokens = set_request_language(headers.get("accept-language"), headers.get("x-forwarded-prefix"))
        started = time.perf_counter()
        status_holder = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if status_holder["started"]:
                log.error("request.failed_after_answer", path=scope.get("path"), error=type(exc).__name__)
            else:
                body, problem_headers = unexpected_problem(exc, scope.get("path", ""))
                await _send_problem(send_with_id, body, problem_headers)
        finally:
            elapsed = time.perf_counter() - started
            status = status_holder["status"]
            if self.metrics is not None:
                self.metrics.observe(scope, status, elapsed)
            if scope.get("path") not in ("/health", "/metrics", "/api/health"):
                log.info(
                    "http.request",
                    service=self.service,
                    method=scope["method"],
                    path=scope.get("path"),
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                )
            request_id_var.reset(rid_token)
            correlation_id_var.reset(cid_token)
            reset_request_language(language_tokens)


async def _send_problem(send: Send, body: dict[str, Any], headers: dict[str, str] | None) -> None:
    payload = json.dumps(localise(body)).encode()
    headers = {**(headers or {}), "Content-Language": language_var.get()}
    raw = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": body["status"], "headers": raw})
    await send({"type": "http.response.body", "body": payload})


def _clean_id(value: str | None) -> str | None:
    """Accept a caller's id only if it is short and plain ASCII (it ends up in logs and headers:
    bytes like \xff decode to letters such as "ÿ" that no outgoing header may carry)."""
    if value and len(value) <= 128 and all(c.isascii() and (c.isalnum() or c in "-_.:") for c in value):
        return value
    return None
