"""clinic_shared.tracing on its own: the OTLP export it is configured with, the trace context it
reads and writes, and the bus message that carries it (the platform-wide test: tests/test_tracing.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from clinic_shared import tracing
from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope
from clinic_shared.settings import ServiceSettings

pytestmark = pytest.mark.backend_free

OTEL_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED")
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture(autouse=True)
def no_otel_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in OTEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield
    tracing.stop()


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A stand-in OpenTelemetry collector: (its base URL, the (path, content type, body) it got)."""
    received: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


async def test_spans_go_to_the_configured_collector_over_otlp_http_without_what_the_caller_sent(
    collector: tuple[str, list[tuple[str, str, bytes]]],
) -> None:
    url, received = collector
    app = FastAPI(telemetry=tracing.FASTAPI_TELEMETRY)

    @app.get("/cards/{card_id}")
    async def card(card_id: str) -> dict[str, str]:
        return {"id": card_id}

    tracing.install(app, service="patients", settings=ServiceSettings(otlp_endpoint=url))
    assert tracing.exporting()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://patients") as client:
        response = await client.get(
            "/cards/7", params={"q": "Иванова"}, headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
        )
    assert response.status_code == 200
    tracing.stop()  # flushes the batch

    [(path, content_type, body)] = received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    request = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = request.resource_spans
    resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert resource["service.name"] == "patients"
    [span] = [span for scope in resource_spans.scope_spans for span in scope.spans]
    assert (span.name, span.trace_id.hex(), span.parent_span_id.hex()) == ("GET /cards/{card_id}", TRACE_ID, PARENT_ID)
    attributes = {a.key: a.value for a in span.attributes}
    assert attributes["http.route"].string_value == "/cards/{card_id}"
    assert attributes["http.response.status_code"].int_value == 200
    assert "Иванова".encode() not in body and b"/cards/7" not in body  # neither the query nor the path


@pytest.mark.parametrize(
    ("setting", "environment", "endpoint"),
    [
        (None, {}, None),
        ("http://collector:4318/", {}, "http://collector:4318/v1/traces"),
        (None, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, "http://c:4318/v1/traces"),
        (
            None,
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://t/traces"},
            "http://t/traces",
        ),
        ("http://collector:4318", {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, "http://collector:4318/v1/traces"),
        ("http://collector:4318", {"OTEL_SDK_DISABLED": "true"}, None),
    ],
)
def test_the_endpoint_comes_from_the_setting_then_the_standard_variables_and_none_means_off(
    setting: str | None, environment: dict[str, str], endpoint: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = ServiceSettings(otlp_endpoint=setting)

    assert tracing.otlp_endpoint(settings) == endpoint
    tracing.configure(settings)
    assert tracing.exporting() is (endpoint is not None)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        f"00-{'0' * 32}-{PARENT_ID}-01",  # all-zero trace id
        f"00-{TRACE_ID}-{'0' * 16}-01",  # all-zero parent id
        f"ff-{TRACE_ID}-{PARENT_ID}-01",  # forbidden version
        f"00-{TRACE_ID}-{PARENT_ID}-01-extra",  # version 00 has four fields
        f"00-{TRACE_ID.upper()}-{PARENT_ID}-01",
    ],
)
def test_a_malformed_traceparent_is_ignored(value: str | None) -> None:
    assert tracing.parse_traceparent(value) is None


def test_a_traceparent_reads_back_as_written_and_a_later_version_is_understood() -> None:
    written = f"00-{TRACE_ID}-{PARENT_ID}-01"
    parsed = tracing.parse_traceparent(written)
    assert parsed is not None and tracing.format_traceparent(parsed) == written
    later = tracing.parse_traceparent(f"01-{TRACE_ID}-{PARENT_ID}-00-whatever")
    assert later is not None and f"{later.trace_id:032x}" == TRACE_ID


def test_an_events_message_carries_its_trace_context_in_the_headers() -> None:
    def envelope(traceparent: str | None) -> EventEnvelope:
        return EventEnvelope(
            type="patient.created",
            producer="patients",
            aggregate_id="1",
            aggregate_version=1,
            data={},
            traceparent=traceparent,
        )

    written = f"00-{TRACE_ID}-{PARENT_ID}-01"
    assert RabbitMqBus._message(envelope(written)).headers == {"producer": "patients", "traceparent": written}
    assert RabbitMqBus._message(envelope(None)).headers == {"producer": "patients"}
