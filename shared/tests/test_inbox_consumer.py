"""Inbox and projections: redelivery never doubles an effect, older versions never win."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from infra_support import EVENTS, PROJECTION, THINGS, count_rows, make_envelope
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import Database
from clinic_shared.events import EventEnvelope
from clinic_shared.outbox import EventConsumer, upsert_if_newer


def counting_consumer(db: Database, *, fail_times: int = 0) -> tuple[EventConsumer, list[uuid.UUID]]:
    """A consumer whose handler inserts a row per event (and fails its first `fail_times` calls)."""
    calls: list[uuid.UUID] = []
    failures = {"left": fail_times}

    async def on_patient_created(session: AsyncSession, envelope: EventEnvelope) -> None:
        calls.append(envelope.id)
        await session.execute(THINGS.insert().values(id=str(envelope.id), name=envelope.type, version=1))
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("handler failed after writing")

    return EventConsumer("infra", db, EVENTS, {"patient.created": on_patient_created}), calls


async def test_consumer_applies_the_same_event_only_once(db: Database) -> None:
    consumer, calls = counting_consumer(db)
    envelope = make_envelope()

    await consumer.handle(envelope)
    await consumer.handle(envelope)

    assert calls == [envelope.id]
    assert await count_rows(db, THINGS) == 1
    assert await count_rows(db, EVENTS.inbox) == 1


async def test_consumer_applies_distinct_events_each_once(db: Database) -> None:
    consumer, calls = counting_consumer(db)
    first, second = make_envelope(1), make_envelope(2)

    for envelope in (first, second, first, second):
        await consumer.handle(envelope)

    assert calls == [first.id, second.id]
    assert await count_rows(db, THINGS) == 2


async def test_failed_handler_rolls_back_its_effect_and_inbox_mark_so_the_retry_applies_it(db: Database) -> None:
    consumer, calls = counting_consumer(db, fail_times=1)
    envelope = make_envelope()

    with pytest.raises(RuntimeError):
        await consumer.handle(envelope)
    assert await count_rows(db, THINGS) == 0
    assert await count_rows(db, EVENTS.inbox) == 0
    await consumer.handle(envelope)

    assert calls == [envelope.id, envelope.id]
    assert await count_rows(db, THINGS) == 1


async def test_concurrent_deliveries_of_one_event_apply_it_once(db: Database, replica_db: Database) -> None:
    consumer, _calls = counting_consumer(db)
    replica, _replica_calls = counting_consumer(replica_db)
    envelope = make_envelope()

    await asyncio.gather(*(c.handle(envelope) for c in (consumer, replica, consumer, replica)))

    assert await count_rows(db, THINGS) == 1
    assert await count_rows(db, EVENTS.inbox) == 1


async def test_consumer_acknowledges_event_types_it_has_no_handler_for(db: Database) -> None:
    consumer, calls = counting_consumer(db)

    await consumer.handle(make_envelope(event_type="patient.deleted"))

    assert calls == []
    assert await count_rows(db, EVENTS.inbox) == 0


async def test_consumer_subscribes_to_the_types_it_handles(db: Database) -> None:
    consumer, _calls = counting_consumer(db)

    assert consumer.patterns == ["patient.created"]


async def upsert(db: Database, row_id: str, name: str, version: int) -> bool:
    async with db.session() as session:
        return await upsert_if_newer(session, PROJECTION, {"id": row_id, "name": name, "version": version})


async def projection_row(db: Database, row_id: str) -> tuple[str, int]:
    async with db.read_session() as session:
        row = (await session.execute(select(PROJECTION).where(PROJECTION.c.id == row_id))).one()
    return row.name, row.version


async def test_upsert_if_newer_inserts_an_unknown_row(db: Database) -> None:
    assert await upsert(db, "p1", "first", 1) is True

    assert await projection_row(db, "p1") == ("first", 1)


async def test_upsert_if_newer_applies_a_newer_version(db: Database) -> None:
    await upsert(db, "p1", "first", 1)

    assert await upsert(db, "p1", "second", 3) is True

    assert await projection_row(db, "p1") == ("second", 3)


async def test_upsert_if_newer_ignores_an_older_version(db: Database) -> None:
    await upsert(db, "p1", "current", 5)

    assert await upsert(db, "p1", "stale", 4) is False

    assert await projection_row(db, "p1") == ("current", 5)


async def test_upsert_if_newer_ignores_the_same_version_again(db: Database) -> None:
    await upsert(db, "p1", "current", 2)

    assert await upsert(db, "p1", "replayed", 2) is False

    assert await projection_row(db, "p1") == ("current", 2)


async def test_out_of_order_delivery_ends_on_the_newest_state(db: Database) -> None:
    for name, version in (("v3", 3), ("v1", 1), ("v4", 4), ("v2", 2)):
        await upsert(db, "p1", name, version)

    assert await projection_row(db, "p1") == ("v4", 4)
    assert await count_rows(db, PROJECTION) == 1
