"""A booking from ONDOC calls scheduling with no transaction of the bridge open (#19): the claim
of the callback is committed first, the answer recorded in a transaction of its own, and a
claim left behind by a crash is taken over by ONDOC's retry."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from ondoc_testkit import (
    FAKE,
    ONDOC,
    SCHEDULING,
    attach_patient,
    body_of,
    clinic_day,
    clinic_time,
    needs_scheduling,
    signed_headers,
    working_doctor,
)
from sqlalchemy import select, update

from clinic_shared.db import utcnow
from clinic_shared.service import ServiceRuntime
from clinic_shared.testing.platform import Platform
from ondoc_bridge.callbacks.models import PROCESSING, CallbackRecord
from ondoc_bridge.callbacks.repository import CallbackRepository

pytestmark = needs_scheduling
BOOK = f"{ONDOC}/callbacks/book"


def bridge_runtime(platform: Platform) -> ServiceRuntime:
    return platform.app.state.embedded_apps["ondoc"].state.runtime  # type: ignore[no-any-return]


def scheduling_client(platform: Platform) -> httpx.AsyncClient:
    """The shared client every call of the bridge to scheduling goes through."""
    runtime = bridge_runtime(platform)
    runtime.peer("scheduling")
    return runtime.state["peer:scheduling"]  # type: ignore[no-any-return]


@dataclass
class Seen:
    """What the bridge's database looked like, from another unit of work, at each scheduling call."""

    paths: list[str] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)  # (path, what another unit of work saw)


async def claim_as_another_writer_sees_it(runtime: ServiceRuntime, callback_id: str) -> str:
    """Write to the callback's row and commit from another unit of work: "processing" when the
    claim is committed and nothing holds the database, else what got in the way."""
    try:
        async with asyncio.timeout(3):
            async with runtime.db.session() as session:
                row = CallbackRecord.callback_id == callback_id
                await session.execute(update(CallbackRecord).where(row).values(kind=CallbackRecord.kind))
                status = (await session.execute(select(CallbackRecord.status_code).where(row))).scalar_one_or_none()
    except TimeoutError:
        return "the bridge's database is held"
    if status is None:
        return "the claim is not committed"
    return "processing" if status == PROCESSING else f"answered {status}"


@pytest.fixture
def watched(platform: Platform) -> Iterator[Seen]:
    """Every call of the bridge to scheduling, and (for the callback `cb-watched`) whether another
    writer could commit to the bridge's database while it was in flight."""
    client = scheduling_client(platform)
    runtime = bridge_runtime(platform)
    seen = Seen()

    async def look(request: httpx.Request) -> None:
        seen.paths.append(f"{request.method} {request.url.path}")
        if request.headers.get("Idempotency-Key") == "ondoc:cb-watched" or request.url.path.endswith("/record-types"):
            seen.claims.append((request.url.path, await claim_as_another_writer_sees_it(runtime, "cb-watched")))

    client.event_hooks["request"].append(look)
    yield seen
    client.event_hooks["request"].remove(look)


async def book_through_the_fake(platform: Platform, **body: Any) -> dict[str, Any]:
    response = await platform.client.post(f"{FAKE}/book", json=body, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def appointments_of(platform: Platform, patient_id: str, day: Any) -> list[dict[str, Any]]:
    response = await platform.client.get(
        f"{SCHEDULING}/appointments",
        params={"patient_id": patient_id, "date_from": day.isoformat(), "date_to": day.isoformat()},
        headers=platform.admin_headers,
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_scheduling_is_called_with_the_claim_committed_and_no_bridge_transaction_open(
    platform: Platform, watched: Seen
) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)

    answer = await book_through_the_fake(
        platform,
        ondoc_patient_id=ondoc_patient_id,
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "10:00"),
        duration_minutes=30,
        callback_id="cb-watched",
    )

    assert answer["status"] == 201, answer
    assert [path for path, _ in watched.claims][-1].endswith("/appointments")
    assert {state for _, state in watched.claims} == {"processing"}, watched.claims


async def test_record_types_are_read_once_for_two_bookings(platform: Platform, watched: Seen) -> None:
    _, first = await attach_patient(platform)
    _, second = await attach_patient(platform, last_name="Орлова")
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    booked = []

    for ondoc_patient_id, clock in ((first, "10:00"), (second, "11:00")):
        answer = await book_through_the_fake(
            platform,
            ondoc_patient_id=ondoc_patient_id,
            doctor_mis_id=doctor["id"],
            start=clinic_time(day, clock),
            duration_minutes=30,
        )
        assert answer["status"] == 201, answer
        booked.append(answer["body"]["appointment_id"])

    assert [path for path in watched.paths if path.endswith("/record-types")] == ["GET /record-types"]
    for appointment_id in booked:
        stored = await platform.client.get(
            f"{SCHEDULING}/appointments/{appointment_id}", headers=platform.admin_headers
        )
        assert stored.json()["record_type_code"] == "ondoc"


async def booking_callback(platform: Platform) -> tuple[str, Any, bytes]:
    """(card id, day, body) of a booking callback for a newly attached patient."""
    card, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    body = body_of(
        {
            "ondoc_appointment_id": f"ondoc-{uuid.uuid4().hex[:8]}",
            "ondoc_patient_id": ondoc_patient_id,
            "doctor_mis_id": doctor["id"],
            "start": clinic_time(day, "12:00"),
            "duration_minutes": 30,
        }
    )
    return card["id"], day, body


async def leave_a_claim(platform: Platform, callback_id: str, body: bytes, *, age: timedelta) -> None:
    """A claim of this callback as a delivery that died `age` ago left it."""
    async with bridge_runtime(platform).db.session() as session:
        assert await CallbackRepository(session).claim(
            callback_id=callback_id, kind="book", body_sha256=hashlib.sha256(body).hexdigest(), now=utcnow() - age
        )


async def test_a_claim_left_by_a_crashed_delivery_is_taken_over_by_the_retry(platform: Platform) -> None:
    card_id, day, body = await booking_callback(platform)
    await leave_a_claim(platform, "cb-crashed", body, age=timedelta(hours=1))

    response = await platform.client.post(BOOK, content=body, headers=signed_headers(body, callback_id="cb-crashed"))

    assert response.status_code == 201, response.text
    assert [a["id"] for a in await appointments_of(platform, card_id, day)] == [response.json()["appointment_id"]]
    again = await platform.client.post(BOOK, content=body, headers=signed_headers(body, callback_id="cb-crashed"))
    assert (again.status_code, again.headers.get("X-Ondoc-Replayed")) == (201, "true")


async def test_a_claim_still_in_progress_answers_409_and_books_nothing(platform: Platform) -> None:
    card_id, day, body = await booking_callback(platform)
    await leave_a_claim(platform, "cb-busy", body, age=timedelta(seconds=1))

    response = await platform.client.post(BOOK, content=body, headers=signed_headers(body, callback_id="cb-busy"))

    assert response.status_code == 409 and response.json()["code"] == "callback-in-progress", response.text
    assert await appointments_of(platform, card_id, day) == []


@pytest.fixture
def lost_first_answer(platform: Platform) -> Iterator[list[str]]:
    """The first booking scheduling makes for the bridge goes through, but its answer never
    reaches the bridge (a read timeout): the appointment exists, the bridge does not know it."""
    client = scheduling_client(platform)
    lost: list[str] = []

    async def lose(response: httpx.Response) -> None:
        if response.request.method == "POST" and response.request.url.path.endswith("/appointments") and not lost:
            await response.aread()
            lost.append(response.json()["id"])
            raise httpx.ReadTimeout("the answer was lost", request=response.request)

    client.event_hooks["response"].append(lose)
    yield lost
    client.event_hooks["response"].remove(lose)


async def test_a_retry_after_a_lost_answer_gets_the_appointment_already_booked(
    platform: Platform, lost_first_answer: list[str]
) -> None:
    card_id, day, body = await booking_callback(platform)

    first = await platform.client.post(BOOK, content=body, headers=signed_headers(body, callback_id="cb-lost"))
    retry = await platform.client.post(BOOK, content=body, headers=signed_headers(body, callback_id="cb-lost"))

    assert first.status_code == 503, first.text
    assert retry.status_code == 201, retry.text
    assert retry.json()["appointment_id"] == lost_first_answer[0]
    assert [a["id"] for a in await appointments_of(platform, card_id, day)] == lost_first_answer
