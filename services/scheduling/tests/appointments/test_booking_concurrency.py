"""No double booking under concurrency: many requests for one slot, exactly one wins (SCH-4)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.asyncio(loop_scope="module")

OVERLAPS = text(
    "SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id "
    "AND a.doctor_id = b.doctor_id AND a.start_at < b.end_at AND b.start_at < a.end_at "
    "WHERE NOT a.deleted AND NOT b.deleted AND NOT a.overbooked AND NOT b.overbooked"
)


async def book_concurrently(build: Any, attempts: int) -> tuple[list[int], str]:
    """Fire `attempts` bookings of one slot at once; every refusal must name the winner."""
    day = build.day(1)
    doctor = await build.working_doctor(day)
    responses = await asyncio.gather(*(build.try_book(doctor["id"], day, "10:00", 30) for _ in range(attempts)))
    winners = [r.json()["id"] for r in responses if r.status_code == 201]
    refusals = [r.json() for r in responses if r.status_code == 409]
    assert all(body["reason"] == "overlap" and body["conflicts"] == winners for body in refusals)
    return sorted(r.status_code for r in responses), doctor["id"]


async def overlapping_pairs(build: Any) -> int:
    runtime = build.platform.app.state.embedded_apps["scheduling"].state.runtime
    async with runtime.db.read_session() as session:
        return int((await session.execute(OVERLAPS)).scalar_one())


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("CLINIC_DATABASE_URL"),
    reason="50 truly parallel transactions need PostgreSQL (CLINIC_DATABASE_URL); "
    "SQLite serialises writers, see the smaller test below",
)
async def test_fifty_concurrent_bookings_of_one_slot_give_one_appointment(build: Any) -> None:
    statuses, doctor_id = await book_concurrently(build, 50)

    assert statuses.count(201) == 1 and statuses.count(409) == 49
    assert (await build.get("/appointments", doctor_id=doctor_id))["total"] == 1
    assert await overlapping_pairs(build) == 0


async def test_concurrent_bookings_of_one_slot_give_one_appointment(build: Any) -> None:
    statuses, doctor_id = await book_concurrently(build, 8)

    assert statuses.count(201) == 1 and statuses.count(409) == 7
    assert (await build.get("/appointments", doctor_id=doctor_id))["total"] == 1
    assert await overlapping_pairs(build) == 0
