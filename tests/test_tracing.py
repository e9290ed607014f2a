"""Tracing across the platform (clinic_shared.tracing): one booking is one trace, from the
gateway through scheduling (and its call to patients) to the notifier's handling of its event,
on the test's backends (SQLite + the in-process bus, or PostgreSQL + RabbitMQ); with export
off, nothing is recorded and the log lines of that booking still share one trace id."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from opentelemetry.sdk.trace import ReadableSpan, Tracer
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from clinic_shared import tracing
from clinic_shared.logging import configure_logging
from clinic_shared.testing.platform import Platform

API = "/api/scheduling"
# The typed-in primary patient: none of it may reach a span.
PATIENT = {"last_name": "Трассировкина", "first_name": "Олимпиада", "mobile_phone": "8 (922) 731-58-46"}
PERSONAL = ["Трассировкина", "Олимпиада", "9227315846", "731-58-46"]


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "scheduling", "notifier"]


@pytest.fixture
def exported() -> Iterator[InMemorySpanExporter]:
    """Export on, into memory (request it before `platform`: clients and engines are made at start)."""
    exporter = InMemorySpanExporter()
    tracing.start(SimpleSpanProcessor(exporter))
    try:
        yield exporter
    finally:
        tracing.stop()


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON log lines written during the test, parsed."""
    configure_logging("INFO", "json")
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_clinic", False))
    handler.setStream(stream)  # type: ignore[attr-defined]
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    configure_logging("WARNING", "json")


async def book_primary_patient(platform: Platform) -> dict[str, Any]:
    """A doctor working tomorrow and an appointment of a typed-in patient (no card)."""
    api, headers = platform.client, platform.admin_headers
    doctor = await api.post(f"{API}/doctors", json={"last_name": "Лекарев", "first_name": "Пётр"}, headers=headers)
    assert doctor.status_code == 201, doctor.text
    day = datetime.now(UTC).astimezone(ZoneInfo("Europe/Moscow")).date() + timedelta(days=1)
    schedule = {
        "date": day.isoformat(),
        "doctor_id": doctor.json()["id"],
        "intervals": [{"start": "09:00", "end": "18:00"}],
        "breaks": [],
    }
    assert (await api.post(f"{API}/schedules", json=schedule, headers=headers)).status_code == 201
    start = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo("Europe/Moscow"))
    booking = {"doctor_id": doctor.json()["id"], "start": start.isoformat(), "duration_minutes": 30, "patient": PATIENT}
    booked = await api.post(f"{API}/appointments", json=booking, headers=headers)
    assert booked.status_code == 201, booked.text
    return booked.json()  # type: ignore[no-any-return]


async def spans_until(exporter: InMemorySpanExporter, found: Callable[[ReadableSpan], bool]) -> list[ReadableSpan]:
    """Every finished span, once one matching `found` is among them (events are handled later)."""
    async with asyncio.timeout(15):
        while not any(found(span) for span in exporter.get_finished_spans()):
            await asyncio.sleep(0.05)
    return list(exporter.get_finished_spans())


def service_of(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def parent_of(span: ReadableSpan, spans: list[ReadableSpan]) -> ReadableSpan | None:
    if span.parent is None:
        return None
    return next((s for s in spans if s.context.span_id == span.parent.span_id), None)


async def test_a_booking_is_one_trace_from_the_gateway_to_the_notifier_handling_its_event(
    exported: InMemorySpanExporter, platform: Platform
) -> None:
    appointment = await book_primary_patient(platform)

    def handled(span: ReadableSpan) -> bool:
        return span.name == "process appointment.created" and service_of(span) == "notifier"

    spans = await spans_until(exported, handled)
    [booking] = [s for s in spans if s.name == "POST /appointments" and service_of(s) == "scheduling"]
    trace = [s for s in spans if s.context.trace_id == booking.context.trace_id]
    # gateway (server) → gateway (client) → scheduling (server): one chain, rooted at the gateway.
    client = parent_of(booking, trace)
    assert client is not None and (service_of(client), client.kind) == ("gateway", SpanKind.CLIENT)
    root = parent_of(client, trace)
    assert root is not None and root.parent is None
    assert (service_of(root), root.kind, root.name) == ("gateway", SpanKind.SERVER, "POST /api/scheduling/{path:path}")
    assert root.attributes is not None and root.attributes["http.response.status_code"] == 201
    # The booking's statements, and the notifier's handling of its event — later, from the
    # outbox, on the bus — in the same trace, under the request that wrote the event.
    assert any(
        parent_of(s, trace) is booking and "INSERT" in str((s.attributes or {}).get("db.query.text")) for s in trace
    )
    [consumer] = [s for s in trace if handled(s)]
    assert consumer.kind == SpanKind.CONSUMER and parent_of(consumer, trace) is booking
    assert any(parent_of(s, trace) is consumer and "db.query.text" in (s.attributes or {}) for s in trace)
    event = await platform.wait_for_event("appointment.created", lambda e: e.aggregate_id == appointment["id"])
    assert event.traceparent is not None and f"-{booking.context.trace_id:032x}-" in event.traceparent

    # A service's call to another: linking the card has scheduling create it in patients.
    current = await platform.client.get(f"{API}/appointments/{appointment['id']}", headers=platform.admin_headers)
    linked = await platform.client.post(
        f"{API}/appointments/{appointment['id']}/link-card",
        json={"create": True},
        headers={**platform.admin_headers, "If-Match": current.headers["ETag"]},
    )
    assert linked.status_code == 200, linked.text
    spans = list(exported.get_finished_spans())
    [created] = [s for s in spans if s.name == "POST /cards" and service_of(s) == "patients"]
    call = parent_of(created, spans)
    assert call is not None and (service_of(call), call.kind) == ("scheduling", SpanKind.CLIENT)
    linking = parent_of(call, spans)
    assert linking is not None and linking.name == "POST /appointments/{appointment_id}/link-card"
    assert service_of(parent_of(linking, spans) or linking) == "gateway"

    # Spans name routes and statements, never what was typed in.
    recorded = json.dumps([json.loads(s.to_json()) for s in exported.get_finished_spans()], ensure_ascii=False)
    assert [word for word in PERSONAL if word in recorded] == []


async def test_with_export_off_nothing_is_recorded_and_one_bookings_log_lines_share_a_trace_id(
    platform: Platform, log_lines: Callable[[], list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []  # every span the SDK makes, recorded or not
    start_span = Tracer.start_span

    def counted(self: Tracer, name: str, *args: Any, **kwargs: Any) -> Any:
        started.append(name)
        return start_span(self, name, *args, **kwargs)

    monkeypatch.setattr(Tracer, "start_span", counted)
    assert not tracing.exporting()

    appointment = await book_primary_patient(platform)
    await platform.wait_for_event("appointment.created", lambda e: e.aggregate_id == appointment["id"])

    def applied() -> list[dict[str, Any]]:
        return [
            line
            for line in log_lines()
            if line["event"] == "event.applied"
            and line.get("consumer") == "notifier"
            and line.get("event_type") == "appointment.created"
        ]

    async with asyncio.timeout(15):
        while not applied():
            await asyncio.sleep(0.05)
    lines = log_lines()
    gateway = [
        line
        for line in lines
        if line["event"] == "http.request" and line["service"] == "gateway" and line["path"] == f"{API}/appointments"
    ]
    service = [
        line
        for line in lines
        if line["event"] == "http.request" and line["service"] == "scheduling" and line["path"] == "/appointments"
    ]
    [notifier] = applied()
    [trace_id] = {line["trace_id"] for line in [*gateway, *service, notifier]}
    assert re.fullmatch(r"[0-9a-f]{32}", trace_id)
    # Each request at the edge starts a trace of its own: creating the doctor is another.
    doctors = [line for line in lines if line["event"] == "http.request" and line["path"] == f"{API}/doctors"]
    assert doctors and {line["trace_id"] for line in doctors}.isdisjoint({trace_id})
    assert "span_id" not in notifier  # nothing recorded: no span to point at
    assert started == []
