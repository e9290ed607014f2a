"""Tables and helpers shared by the infrastructure tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable

import aio_pika
import aiormq
import pytest
from sqlalchemy import BigInteger, Column, Integer, String, Table, func, select

from clinic_shared.db import Database, make_metadata
from clinic_shared.events import EventEnvelope, PatientState, new_event
from clinic_shared.outbox import EventTables

METADATA = make_metadata()
EVENTS = EventTables(METADATA)
# A service's own state, written in the same transaction as its events.
THINGS = Table(
    "things",
    METADATA,
    Column("id", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", Integer, nullable=False),
)
# A read model fed by events (upsert_if_newer).
PROJECTION = Table(
    "projection",
    METADATA,
    Column("id", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", Integer, nullable=False),
)

# Human-number counters (clinic_shared.counters).
COUNTERS = Table(
    "counters",
    METADATA,
    Column("name", String(50), primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

POSTGRES_URL = os.environ.get("CLINIC_DATABASE_URL") or None
AMQP_URL = os.environ.get("CLINIC_AMQP_URL") or None


def make_envelope(
    n: int = 1, *, aggregate_id: uuid.UUID | None = None, event_type: str = "patient.created"
) -> EventEnvelope:
    """A catalogued event whose aggregate_version is `n`."""
    patient_id = aggregate_id or uuid.uuid4()
    data = PatientState(id=patient_id, card_number=f"C-{n:05d}", last_name="Testov", first_name="Test")
    return new_event(event_type, data, producer="infra-tests", aggregate_id=patient_id, aggregate_version=n)


async def count_rows(db: Database, table: Table) -> int:
    async with db.read_session() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def wait_until(predicate: Callable[[], Awaitable[bool] | bool], timeout: float = 5.0, step: float = 0.02) -> None:
    """Poll `predicate` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await asyncio.sleep(step)


async def assert_topology_gone(amqp_url: str, queues: list[str], exchanges: list[str]) -> None:
    """Every queue and exchange in the lists is absent from the broker."""
    connection = await aio_pika.connect(amqp_url)
    try:
        left: list[str] = []
        for name in queues:
            channel = await connection.channel()
            try:
                await channel.declare_queue(name, passive=True)
                left.append(f"queue {name}")
            except aiormq.exceptions.ChannelNotFoundEntity:
                pass
        for name in exchanges:
            channel = await connection.channel()
            try:
                await channel.declare_exchange(name, passive=True)
                left.append(f"exchange {name}")
            except aiormq.exceptions.ChannelNotFoundEntity:
                pass
        assert not left, f"left behind on the broker: {left}"
    finally:
        await connection.close()
