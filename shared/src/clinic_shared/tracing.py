"""Tracing: a W3C trace context on all work, OpenTelemetry spans over OTLP when configured.

One switch per process, off by default: `CLINIC_OTLP_ENDPOINT` (or the standard
`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns export on.

- **Off**: no span is made. Every request still runs in a trace context — the caller's
  `traceparent`, or a new trace id at the edge — held in OpenTelemetry's context as a
  non-recording span. It goes out on every call to another service (`clinic_shared.http`),
  with every event written to the outbox (`EventEnvelope.traceparent`), and a consumer takes it
  up again (`continue_trace`). Log lines carry its `trace_id` (`add_trace_ids`), so the lines of
  one booking in the gateway, the service and the consumers of its events share one id. The
  cost is a few µs a request: a header read, two small objects and a context switch.
- **On**: the same context, plus spans: one per request (`TraceMiddleware`), per call to
  another service (`traced_transport`), per database statement (`trace_statements`,
  `traced_driver`) and per event handled (`consumer_span`). Statements and calls become spans
  only inside a recorded request or event, so background loops (the outbox relay's polls, the
  notifier's dispatcher) make no traces of their own. Each service has its own TracerProvider
  (its `service.name`: embedded mode runs every service in one process); they share one batch
  processor and OTLP/HTTP exporter, whose other settings are the standard `OTEL_*` variables.

Spans never carry a URL, query string, header or statement parameter (names and phones travel
there: searches, bodies): only route templates, methods, status codes, statements as written
(parameters are bound, never inlined), event types and ids, and exception types.

We never set OpenTelemetry's global tracer provider, and our apps turn FastAPI's own telemetry
off (`FASTAPI_TELEMETRY`): it would trace every request a second time with its query string,
and checking the global providers costs it ~5 µs a request even when nothing is configured.
"""

from __future__ import annotations

import atexit
import os
import random
import re
from collections.abc import Iterator, MutableMapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import structlog
from fastapi.telemetry import TelemetryConfig
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, StatusCode, TraceFlags
from sqlalchemy import event
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.settings import PEER_SERVICES

if TYPE_CHECKING:
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import SpanProcessor
    from sqlalchemy.ext.asyncio import AsyncEngine

# Not clinic_shared.logging.get_logger: that module imports this one (for `add_trace_ids`).
log = structlog.stdlib.get_logger(__name__)

FASTAPI_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""`FastAPI(telemetry=...)` of our apps: FastAPI's native telemetry off (see the module's doc)."""

# Probes and scrapes: neither traced nor logged (as the access log skips them).
UNTRACED_PATHS = frozenset({"/health", "/metrics", "/api/health"})
STATEMENT_MAX_CHARS = 2000
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
_SERVICE_KEY = otel_context.create_key("clinic.service")  # whose work the current context is
_NOT_SAMPLED = TraceFlags(TraceFlags.DEFAULT)


# --- the trace context (both modes) ---------------------------------------------------------
def parse_traceparent(value: str | None) -> SpanContext | None:
    """The span context a W3C `traceparent` names; None when it is missing or malformed."""
    if not value:
        return None
    match = _TRACEPARENT.fullmatch(value.strip())
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    # Version 00 has exactly four fields; a later version may append more, ff is forbidden.
    if version == "ff" or (version == "00" and rest):
        return None
    context = SpanContext(int(trace_id, 16), int(span_id, 16), is_remote=True, trace_flags=TraceFlags(int(flags, 16)))
    return context if context.is_valid else None


def format_traceparent(context: SpanContext) -> str:
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def current_traceparent() -> str | None:
    """The `traceparent` of the work in progress (to store with an event), or None outside any."""
    context = trace.get_current_span().get_span_context()
    return format_traceparent(context) if context.is_valid else None


def inject(headers: MutableMapping[str, str]) -> None:
    """Put the current trace context on an outgoing request (replacing one copied from elsewhere)."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        headers["traceparent"] = format_traceparent(context)


def _new_context() -> SpanContext:
    """A trace of our own: random ids (not secrets; random is what the SDK's generator uses too)."""
    return SpanContext(
        random.getrandbits(128) or 1,
        random.getrandbits(64) or 1,
        is_remote=False,
        trace_flags=_NOT_SAMPLED,
    )


@contextmanager
def continue_trace(traceparent: str | None) -> Iterator[None]:
    """Run the block in the trace an event was written in; if it names none, in a new trace
    (export on: the consumer's span starts it, see `consumer_span`)."""
    parent = parse_traceparent(traceparent)
    if parent is None and _exporting is None:
        parent = _new_context()
    context = otel_context.Context()
    if parent is not None:
        context = trace.set_span_in_context(NonRecordingSpan(parent), context)
    token = otel_context.attach(context)
    try:
        yield
    finally:
        otel_context.detach(token)


def add_trace_ids(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: `trace_id` of the work in progress (and `span_id` of a recorded span)."""
    span = trace.get_current_span()
    context = span.get_span_context()
    if context.is_valid and "trace_id" not in event_dict:
        event_dict["trace_id"] = f"{context.trace_id:032x}"
        if span.is_recording():
            event_dict["span_id"] = f"{context.span_id:016x}"
    return event_dict


# --- export (on) ----------------------------------------------------------------------------
class _Exporting:
    """The spans' way out: one processor, a TracerProvider per service (its `service.name`)."""

    def __init__(self, processor: SpanProcessor) -> None:
        self.processor = processor
        self._tracers: dict[str, trace.Tracer] = {}

    def tracer(self, service: str) -> trace.Tracer:
        tracer = self._tracers.get(service)
        if tracer is None:
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider

            # Resource.create adds OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment).
            resource = Resource.create({"service.name": service, "service.namespace": "clinic"})
            provider = TracerProvider(resource=resource, shutdown_on_exit=False)
            provider.add_span_processor(self.processor)
            tracer = self._tracers[service] = provider.get_tracer("clinic_shared.tracing")
        return tracer

    def child_tracer(self) -> trace.Tracer | None:
        """The tracer of the current service when the current span is recorded, else None: a
        statement or a call is a span only as part of a recorded request or event."""
        if not trace.get_current_span().is_recording():
            return None
        service = otel_context.get_value(_SERVICE_KEY)
        return self.tracer(service if isinstance(service, str) else "clinic")


_exporting: _Exporting | None = None


def exporting() -> bool:
    """Spans are being recorded and exported in this process."""
    return _exporting is not None


def start(processor: SpanProcessor) -> None:
    """Record spans from now on and hand them to `processor` (tests pass an in-memory exporter's)."""
    global _exporting
    stop()
    _exporting = _Exporting(processor)


def stop() -> None:
    """Flush what is recorded and go back to off (process exit, tests)."""
    global _exporting
    exporting_, _exporting = _exporting, None
    if exporting_ is not None:
        exporting_.processor.shutdown()


atexit.register(stop)


def otlp_endpoint(settings: Any) -> str | None:
    """Where spans go: `CLINIC_OTLP_ENDPOINT`, else the standard OTLP variables; None when off."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    configured: str | None = getattr(settings, "otlp_endpoint", None)
    if configured:
        return f"{configured.rstrip('/')}/v1/traces"
    if traces := os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        return traces
    if base := os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return f"{base.rstrip('/')}/v1/traces"
    return None


def configure(settings: Any) -> None:
    """Start exporting over OTLP/HTTP if an endpoint is configured and this process does not yet."""
    endpoint = otlp_endpoint(settings)
    if _exporting is None and endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # Headers (a collector's token), timeout, compression, TLS and the batch sizes come
        # from the standard OTEL_EXPORTER_OTLP_* and OTEL_BSP_* variables.
        start(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        parts = urlsplit(endpoint)  # without any user:password of the address
        where = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}"
        log.info("tracing.exporting", endpoint=where)


def install(app: FastAPI, *, service: str, settings: Any) -> None:
    """Trace an app's requests (add after the other middleware: it must wrap the access log)."""
    configure(settings)
    app.add_middleware(TraceMiddleware, service=service)


# --- requests (server spans) ----------------------------------------------------------------
class TraceMiddleware:
    """Every request runs in the caller's trace context (`traceparent`) or a new one; with
    export on, in a server span named by the method and the matched route template."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNTRACED_PATHS:
            await self.app(scope, receive, send)
            return
        parent = None
        for name, value in scope["headers"]:
            if name == b"traceparent":
                parent = parse_traceparent(value.decode("latin-1"))
                break
        if _exporting is None:
            span = NonRecordingSpan(parent or _new_context())
            token = otel_context.attach(trace.set_span_in_context(span, otel_context.Context()))
            try:
                await self.app(scope, receive, send)
            finally:
                otel_context.detach(token)
            return
        await self._traced(_exporting, parent, scope, receive, send)

    async def _traced(
        self, exporting_: _Exporting, parent: SpanContext | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        method = scope["method"]
        context = otel_context.set_value(_SERVICE_KEY, self.service, otel_context.Context())
        if parent is not None:
            context = trace.set_span_in_context(NonRecordingSpan(parent), context)
        span = exporting_.tracer(self.service).start_span(
            method, context, kind=SpanKind.SERVER, attributes={"http.request.method": method}
        )
        token = otel_context.attach(trace.set_span_in_context(span, context))
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except BaseException as exc:
            span.set_attribute("error.type", type(exc).__name__)
            raise
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route:
                # The gateway's proxy has one route for every service: name the service at least
                # (one we know: the path parameter is whatever the caller wrote).
                upstream = scope.get("path_params", {}).get("service")
                route = route.replace("{service}", upstream) if upstream in PEER_SERVICES else route
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(StatusCode.ERROR)
            span.end()
            otel_context.detach(token)


@contextmanager
def _span(tracer: trace.Tracer, name: str, kind: SpanKind, attributes: dict[str, Any]) -> Iterator[trace.Span]:
    """A current span that notes a failure by its exception's type only (a message may quote
    what the caller sent)."""
    with tracer.start_as_current_span(
        name, kind=kind, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield span
        except BaseException as exc:
            span.set_attribute("error.type", type(exc).__name__)
            span.set_status(StatusCode.ERROR)
            raise


# --- calls to other services (client spans) -------------------------------------------------
class _TracedTransport(httpx.AsyncBaseTransport):
    """A client span around each request of a recorded span, whose context the request carries."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tracer = _exporting.child_tracer() if _exporting is not None else None
        if tracer is None:
            return await self.inner.handle_async_request(request)
        url = request.url
        attributes: dict[str, str | int] = {"http.request.method": request.method, "server.address": url.host}
        if url.port is not None:
            attributes["server.port"] = url.port
        with _span(tracer, request.method, SpanKind.CLIENT, attributes) as span:
            inject(request.headers)
            response = await self.inner.handle_async_request(request)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(StatusCode.ERROR)
            return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def traced_transport(transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    """`transport` with client spans when export is on (decided when the client is made)."""
    return _TracedTransport(transport) if _exporting is not None else transport


# --- database statements ------------------------------------------------------------------
def _statement_attributes(statement: str, system: str, namespace: str | None) -> dict[str, Any]:
    attributes = {"db.system.name": system, "db.query.text": statement[:STATEMENT_MAX_CHARS]}
    if namespace:
        attributes["db.namespace"] = namespace
    return attributes


def _statement_name(statement: str) -> str:
    """The statement's operation (SELECT, INSERT, BEGIN…): the span's service names the database."""
    words = statement.split(None, 1)
    return words[0].upper() if words else "SQL"


def trace_statements(engine: AsyncEngine, *, system: str, namespace: str | None) -> None:
    """A span per statement of a recorded request or event (installed only when export is on:
    a listener makes SQLAlchemy dispatch events on every statement)."""
    if _exporting is None:
        return
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        tracer = _exporting.child_tracer() if _exporting is not None else None
        if tracer is not None and context is not None:
            context._clinic_span = tracer.start_span(
                _statement_name(statement),
                kind=SpanKind.CLIENT,
                attributes=_statement_attributes(statement, system, namespace),
            )

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
        span = getattr(context, "_clinic_span", None)
        if span is not None:
            context._clinic_span = None
            span.end()

    @event.listens_for(sync_engine, "handle_error")
    def _failed(exception_context: Any) -> None:
        context = exception_context.execution_context
        span = getattr(context, "_clinic_span", None)
        if span is not None:
            context._clinic_span = None
            span.set_attribute("error.type", type(exception_context.original_exception).__name__)
            span.set_status(StatusCode.ERROR)
            span.end()


class _TracedDriver:
    """The asyncpg connection of `db.driver_connection` with a span per statement."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def _span(self, statement: str) -> AbstractContextManager[Any]:
        tracer = _exporting.child_tracer() if _exporting is not None else None
        if tracer is None:
            return nullcontext()
        return _span(
            tracer,
            _statement_name(statement),
            SpanKind.CLIENT,
            _statement_attributes(statement, "postgresql", None),
        )

    async def execute(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        with self._span(statement):
            return await self._connection.execute(statement, *args, **kwargs)

    async def executemany(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        with self._span(statement):
            return await self._connection.executemany(statement, *args, **kwargs)

    async def fetch(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        with self._span(statement):
            return await self._connection.fetch(statement, *args, **kwargs)

    async def fetchrow(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        with self._span(statement):
            return await self._connection.fetchrow(statement, *args, **kwargs)

    async def fetchval(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        with self._span(statement):
            return await self._connection.fetchval(statement, *args, **kwargs)


def traced_driver(connection: Any) -> Any:
    """`connection` (asyncpg) with statement spans when export is on."""
    return _TracedDriver(connection) if _exporting is not None else connection


# --- events (consumer spans) ----------------------------------------------------------------
def consumer_span(service: str, event_type: str, event_id: str) -> AbstractContextManager[Any]:
    """With export on, a span around one event's handling by `service`, in the trace the event
    was written in (see `continue_trace`); a no-op otherwise."""
    if _exporting is None:
        return nullcontext()
    return _consumer_span(_exporting, service, event_type, event_id)


@contextmanager
def _consumer_span(exporting_: _Exporting, service: str, event_type: str, event_id: str) -> Iterator[None]:
    token = otel_context.attach(otel_context.set_value(_SERVICE_KEY, service))
    attributes = {
        "messaging.operation.type": "process",
        "messaging.destination.name": event_type,
        "messaging.message.id": event_id,
        "messaging.consumer.group.name": service,
    }
    try:
        with _span(exporting_.tracer(service), f"process {event_type}", SpanKind.CONSUMER, attributes):
            yield
    finally:
        otel_context.detach(token)
