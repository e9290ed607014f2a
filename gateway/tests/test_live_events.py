"""Live updates (`GET /api/events/stream`, gateway/live) through a real HTTP server in front of
the in-process platform: in embedded mode by default, on PostgreSQL + RabbitMQ with
CLINIC_DATABASE_URL and CLINIC_AMQP_URL set. The bookings are made by another client."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from live_sse import Block, Stream, open_stream

from clinic_shared.auth import Principal, sign_token
from clinic_shared.testing.platform import Platform
from gateway.devcluster import free_port
from gateway.live import LiveHub
from gateway.live.store import StoredEvent
from gateway.live.stream import LiveStream
from gateway.live.topics import EVERY_LAB, LabScope, Viewer, kept_data, topic_of

ZONE = ZoneInfo("Europe/Moscow")
SCHEDULING = "/api/scheduling"
APPOINTMENT_EVENTS = ("appointment.created", "appointment.updated", "appointment.deleted")
WAITLIST_EVENTS = (
    "waitlist_entry.created",
    "waitlist_entry.booked",
    "waitlist_entry.created",
    "waitlist_entry.deleted",
)


@pytest.fixture
def platform_services() -> list[str]:
    return ["scheduling"]


@dataclass
class Served:
    """The platform behind a real HTTP server (httpx's ASGI transport cannot stream an answer)."""

    platform: Platform
    base_url: str
    hub: LiveHub

    @property
    def api(self) -> httpx.AsyncClient:
        return self.platform.client


@pytest.fixture
async def served(platform: Platform) -> AsyncIterator[Served]:
    hub: LiveHub = platform.app.state.live
    hub.options.heartbeat_seconds = 0.5
    # On RabbitMQ the subscription is made once the gateway's bus has connected, just after start.
    await asyncio.wait_for(hub.subscribed.wait(), timeout=15)
    port = free_port()
    config = uvicorn.Config(
        platform.app, host="127.0.0.1", port=port, lifespan="off", log_config=None, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield Served(platform, f"http://127.0.0.1:{port}", hub)
    finally:
        server.should_exit = True
        await task


@dataclass
class Doctor:
    id: str
    day: date

    def at(self, clock: str) -> str:
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(self.day, time(hours, minutes), tzinfo=ZONE).isoformat()


@pytest.fixture
async def doctor(served: Served) -> Doctor:
    """A doctor working 09:00–18:00 the day after tomorrow."""
    headers = served.platform.admin_headers
    day = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=2)
    made = await served.api.post(
        f"{SCHEDULING}/doctors",
        json={"last_name": "Терапевтов", "first_name": "Иван", "specialization_ids": [], "online_booking": False},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    schedule = await served.api.post(
        f"{SCHEDULING}/schedules",
        json={
            "doctor_id": made.json()["id"],
            "date": day.isoformat(),
            "intervals": [{"start": "09:00", "end": "18:00"}],
        },
        headers=headers,
    )
    assert schedule.status_code == 201, schedule.text
    return Doctor(made.json()["id"], day)


async def book(served: Served, doctor: Doctor, clock: str) -> dict[str, Any]:
    response = await served.api.post(
        f"{SCHEDULING}/appointments",
        json={
            "doctor_id": doctor.id,
            "start": doctor.at(clock),
            "duration_minutes": 30,
            "patient": {"last_name": "Орлова", "first_name": "Вера", "mobile_phone": "+7 917 000-00-01"},
        },
        headers=served.platform.admin_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def next_appointment_event(stream: Stream, timeout: float = 1.0) -> Block:
    block = await stream.event(timeout)
    assert block.event in APPOINTMENT_EVENTS, block
    return block


async def test_a_booking_its_move_and_its_deletion_reach_an_open_stream_in_order_within_a_second_each(
    served: Served, doctor: Doctor
) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    async with open_stream(served.base_url, receptionist) as stream:
        appointment = await book(served, doctor, "10:00")
        created = await next_appointment_event(stream)
        moved = await served.api.patch(
            f"{SCHEDULING}/appointments/{appointment['id']}",
            json={"start": doctor.at("15:00")},
            headers={**served.platform.admin_headers, "If-Match": "*"},
        )
        assert moved.status_code == 200, moved.text
        updated = await next_appointment_event(stream)
        deleted = await served.api.delete(
            f"{SCHEDULING}/appointments/{appointment['id']}",
            headers={**served.platform.admin_headers, "If-Match": "*"},
        )
        assert deleted.status_code == 204, deleted.text
        gone = await next_appointment_event(stream)

    assert [b.event for b in (created, updated, gone)] == list(APPOINTMENT_EVENTS)
    assert {b.json()["aggregate_id"] for b in (created, updated, gone)} == {appointment["id"]}
    assert [b.json()["aggregate_version"] for b in (created, updated, gone)] == [1, 2, 3]
    assert int(created.id or 0) < int(updated.id or 0) < int(gone.id or 0)
    # What the receptionist sees: the name typed in, times in the clinic's zone.
    assert created.json()["data"]["last_name"] == "Орлова"
    assert datetime.fromisoformat(updated.json()["data"]["start"]) == datetime.fromisoformat(doctor.at("15:00"))
    assert updated.json()["data"]["start"].endswith("+03:00")
    assert gone.json()["data"]["deleted"] is True


async def test_a_user_without_scheduling_rights_receives_no_appointment_event(served: Served, doctor: Doctor) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    outsider = await served.platform.headers_with(["gateway.audit"])
    async with open_stream(served.base_url, receptionist) as seeing, open_stream(served.base_url, outsider) as blind:
        appointment = await book(served, doctor, "11:00")
        await next_appointment_event(seeing)
        deleted = await served.api.delete(
            f"{SCHEDULING}/appointments/{appointment['id']}",
            headers={**served.platform.admin_headers, "If-Match": "*"},
        )
        assert deleted.status_code == 204
        await next_appointment_event(seeing)
        seen_by_outsider = await blind.events_for(1.5)
        heartbeat = await blind.block(2)

    assert seen_by_outsider == []
    assert heartbeat.comments == ["heartbeat"]


async def add_to_waitlist(served: Served, doctor: Doctor) -> dict[str, Any]:
    response = await served.api.post(
        f"{SCHEDULING}/waitlist",
        json={
            "doctor_id": doctor.id,
            "duration_minutes": 30,
            "note": "перезвонить после обеда",
            "patient": {"last_name": "Зайцева", "first_name": "Нина", "mobile_phone": "+7 917 000-00-02"},
        },
        headers=served.platform.admin_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def next_waitlist_event(stream: Stream, timeout: float = 1.0) -> Block:
    """The next waiting-list event (a booking from the list also brings its `appointment.created`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        block = await stream.event(max(deadline - loop.time(), 0.001))
        if block.event not in APPOINTMENT_EVENTS:
            assert block.event in WAITLIST_EVENTS, block
            return block


async def test_waiting_list_changes_reach_a_receptionists_stream_in_order_within_a_second_each(
    served: Served, doctor: Doctor
) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    admin = served.platform.admin_headers
    async with open_stream(served.base_url, receptionist) as stream:
        booked_entry = await add_to_waitlist(served, doctor)
        added = await next_waitlist_event(stream)
        booking = await served.api.post(
            f"{SCHEDULING}/waitlist/{booked_entry['id']}/book", json={"start": doctor.at("14:00")}, headers=admin
        )
        assert booking.status_code == 201, booking.text
        booked = await next_waitlist_event(stream)
        dropped_entry = await add_to_waitlist(served, doctor)
        added_again = await next_waitlist_event(stream)
        dropped = await served.api.delete(f"{SCHEDULING}/waitlist/{dropped_entry['id']}", headers=admin)
        assert dropped.status_code == 204, dropped.text
        deleted = await next_waitlist_event(stream)

    seen = (added, booked, added_again, deleted)
    assert [b.event for b in seen] == list(WAITLIST_EVENTS)
    assert [b.json()["aggregate_id"] for b in seen] == [booked_entry["id"]] * 2 + [dropped_entry["id"]] * 2
    assert int(added.id or 0) < int(booked.id or 0) < int(added_again.id or 0) < int(deleted.id or 0)
    assert booked.json()["data"]["appointment_id"] == booking.json()["id"]
    # What the receptionist sees: the name typed in, not the note (the list's own screen shows it).
    assert added.json()["data"]["last_name"] == "Зайцева"
    assert "note" not in added.json()["data"]


async def test_a_user_without_scheduling_rights_receives_no_waiting_list_event(served: Served, doctor: Doctor) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    outsider = await served.platform.headers_with(["gateway.audit"])
    async with open_stream(served.base_url, receptionist) as seeing, open_stream(served.base_url, outsider) as blind:
        waiting = await add_to_waitlist(served, doctor)
        await next_waitlist_event(seeing)
        dropped = await served.api.delete(
            f"{SCHEDULING}/waitlist/{waiting['id']}", headers=served.platform.admin_headers
        )
        assert dropped.status_code == 204
        await next_waitlist_event(seeing)
        seen_by_outsider = await blind.events_for(1.5)

    assert seen_by_outsider == []


async def test_a_stream_resumed_with_last_event_id_gets_the_booking_it_missed_exactly_once(
    served: Served, doctor: Doctor
) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    async with open_stream(served.base_url, receptionist) as first:
        first_booking = await book(served, doctor, "10:00")
        seen = await next_appointment_event(first)
    assert seen.json()["aggregate_id"] == first_booking["id"]

    missed = await book(served, doctor, "12:00")
    async with open_stream(served.base_url, receptionist, last_event_id=seen.id) as resumed:
        replayed = await next_appointment_event(resumed)
        after = await resumed.events_for(1.5)

    assert resumed.opening.event is None  # resumed, not reset
    assert (replayed.event, replayed.json()["aggregate_id"]) == ("appointment.created", missed["id"])
    assert int(replayed.id or 0) > int(seen.id or 0)
    assert after == []


async def test_a_stream_opened_before_any_event_resumes_from_its_first_id(served: Served, doctor: Doctor) -> None:
    """The opening block carries the current id, so even a client that saw no event loses none."""
    receptionist = await served.platform.headers_with(["scheduling.read"])
    async with open_stream(served.base_url, receptionist) as first:
        opened_at = first.last_id
    missed = await book(served, doctor, "13:00")
    async with open_stream(served.base_url, receptionist, last_event_id=opened_at) as resumed:
        replayed = await next_appointment_event(resumed)
    assert opened_at is not None and replayed.json()["aggregate_id"] == missed["id"]


async def test_a_last_event_id_beyond_the_retention_gets_a_reset_and_the_stream_goes_on_live(
    served: Served, doctor: Doctor
) -> None:
    receptionist = await served.platform.headers_with(["scheduling.read"])
    async with open_stream(served.base_url, receptionist) as first:
        await book(served, doctor, "09:00")
        old = await next_appointment_event(first)
    await book(served, doctor, "09:30")
    await book(served, doctor, "10:00")
    await asyncio.sleep(0.3)
    served.hub.options.retention_events = 1
    assert await served.hub.prune() >= 2

    async with open_stream(served.base_url, receptionist, last_event_id=old.id) as resumed:
        reset = resumed.opening
        live = await book(served, doctor, "10:30")
        after_reset = await next_appointment_event(resumed)

    assert (reset.event, reset.json()) == ("reset", {"reason": "beyond_retention"})
    assert int(reset.id or 0) > int(old.id or 0)
    assert after_reset.json()["aggregate_id"] == live["id"]


@pytest.mark.parametrize("last_event_id", ["not-a-number", "999999999"])
async def test_an_unknown_last_event_id_gets_a_reset(served: Served, last_event_id: str) -> None:
    async with open_stream(served.base_url, served.platform.admin_headers, last_event_id=last_event_id) as stream:
        assert (stream.opening.event, stream.opening.json()) == ("reset", {"reason": "unknown_id"})


async def test_a_stream_of_a_deactivated_user_ends_with_reconnect(served: Served) -> None:
    suffix, password = uuid.uuid4().hex[:8], f"Pw-{uuid.uuid4().hex}"
    admin = served.platform.admin_headers
    role = {"name": f"r-{suffix}", "rights": ["scheduling.read"]}
    assert (await served.api.post("/api/auth/roles", json=role, headers=admin)).status_code == 201
    user = await served.api.post(
        "/api/auth/users",
        json={"username": f"u-{suffix}", "password": password, "roles": [role["name"]]},
        headers=admin,
    )
    assert user.status_code == 201, user.text
    headers = await served.platform.login(f"u-{suffix}", password)
    async with open_stream(served.base_url, headers) as stream:
        ended = await served.api.patch(f"/api/auth/users/{user.json()['id']}", json={"active": False}, headers=admin)
        assert ended.status_code == 200
        last = await stream.event(3)
        with pytest.raises(EOFError):
            await stream.block(2)
    assert (last.event, last.json()["reason"]) == ("reconnect", "token_refused")


async def test_a_stream_ends_with_reconnect_when_its_token_expires(served: Served, jwt_keys: tuple[str, str]) -> None:
    token = sign_token(
        jwt_keys[0],
        user_id=uuid.uuid4(),
        username="short-lived",
        rights=["scheduling.read"],
        issuer="clinic-gateway",
        audience="clinic-api",
        ttl_seconds=6,  # long enough to open the stream on a loaded machine (2 s was not, once)
    )
    async with open_stream(served.base_url, {"Authorization": f"Bearer {token}"}) as stream:
        last = await stream.event(12)
        with pytest.raises(EOFError):
            await stream.block(2)
    assert (last.event, last.json()["reason"]) == ("reconnect", "token_expired")


async def test_a_request_that_does_not_accept_an_event_stream_is_refused_with_406(served: Served) -> None:
    response = await served.api.get("/api/events/stream", headers=served.platform.admin_headers)
    assert response.status_code == 406
    assert "text/event-stream" in response.json()["detail"]


async def test_the_stream_needs_a_token(served: Served) -> None:
    response = await served.api.get("/api/events/stream", headers={"Accept": "text/event-stream"})
    assert response.status_code == 401


# --- who sees what: the filter alone ------------------------------------------------------------

LAB_A, LAB_B = uuid.uuid4(), uuid.uuid4()


def viewer(rights: list[str], labs: LabScope = EVERY_LAB) -> Viewer:
    return Viewer(Principal(user_id=uuid.uuid4(), username="u", rights=frozenset(rights), claims={"exp": 2**40}), labs)


def stored(event_type: str, data: dict[str, Any]) -> StoredEvent:
    topic = topic_of(event_type)
    assert topic is not None
    return StoredEvent(1, uuid.uuid4(), event_type, str(uuid.uuid4()), 1, datetime.now(UTC), kept_data(topic, data))


async def visible(who: Viewer, event: StoredEvent) -> dict[str, Any] | None:
    stream = LiveStream(hub=None, viewer=who, token="", verifier=None, gateway=None)  # type: ignore[arg-type]
    return await stream.visible(event)


async def test_a_lab_doctor_sees_only_their_labs_orders() -> None:
    lab_doctor = viewer(["lab.read", "patients.read"], LabScope(frozenset({LAB_A})))
    order = {"id": str(uuid.uuid4()), "number": "1", "patient_id": str(uuid.uuid4())}
    ours = stored("lab_order.created", {**order, "lab_id": str(LAB_A)})
    theirs = stored("lab_order.created", {**order, "lab_id": str(LAB_B)})
    visit = stored(
        "lab_visit.results_ready",
        {"visit_id": str(uuid.uuid4()), "patient_id": order["patient_id"], "order_ids": [], "lab_ids": [str(LAB_B)]},
    )
    assert await visible(lab_doctor, ours) is not None
    assert await visible(lab_doctor, theirs) is None
    assert await visible(lab_doctor, visit) is None
    assert await visible(viewer(["lab.read"]), theirs) is not None  # front desk: every lab


async def test_a_lab_doctor_sees_only_their_labs_order_changes() -> None:
    lab_doctor = viewer(["lab.read"], LabScope(frozenset({LAB_A})))
    order = {"id": str(uuid.uuid4()), "number": "1", "patient_id": str(uuid.uuid4()), "status": "sent"}
    for event_type in ("lab_order.status_changed", "lab_order.updated"):
        ours = stored(event_type, {**order, "lab_id": str(LAB_A), "previous_status": "created"})
        theirs = stored(event_type, {**order, "lab_id": str(LAB_B)})
        seen = await visible(lab_doctor, ours)
        assert seen is not None and seen["data"]["status"] == "sent"
        assert await visible(lab_doctor, theirs) is None
        assert await visible(viewer(["scheduling.read"]), ours) is None


async def test_waiting_list_events_show_to_scheduling_readers_with_their_catalogued_fields_only() -> None:
    waiting = stored(
        "waitlist_entry.created",
        {"id": str(uuid.uuid4()), "last_name": "Зайцева", "is_primary": True, "note": "not catalogued"},
    )
    seen = await visible(viewer(["scheduling.read"]), waiting)
    assert seen is not None and seen["data"]["last_name"] == "Зайцева"
    assert "note" not in seen["data"]
    assert await visible(viewer(["patients.read", "lab.read", "notifier.read"]), waiting) is None


async def test_events_show_only_to_their_right_and_only_with_their_catalogued_fields() -> None:
    appointment = stored(
        "appointment.created",
        {
            "id": str(uuid.uuid4()),
            "number": "A-1",
            "doctor_id": str(uuid.uuid4()),
            "start": "2026-12-07T06:00:00Z",
            "end": "2026-12-07T06:30:00Z",
            "last_name": "Орлова",
            "internal_note": "not catalogued: not streamed",
        },
    )
    code = topic_of("ondoc.attach_code_issued")
    seen = await visible(viewer(["scheduling.read"]), appointment)
    assert seen is not None and seen["data"]["last_name"] == "Орлова"
    assert "internal_note" not in seen["data"]
    assert seen["data"]["start"] == "2026-12-07T09:00:00+03:00"
    assert await visible(viewer(["patients.read", "lab.read"]), appointment) is None
    assert code is None  # the attach code is a secret: never streamed
