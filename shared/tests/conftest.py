"""Fixtures of the shared library's infrastructure tests.

- `db`: a `Database` with this module's tables, on SQLite (always) and on PostgreSQL (when
  CLINIC_DATABASE_URL is set) in a schema of its own that is dropped afterwards.
- `amqp_url` / `rabbit`: RabbitMqBus instances on the real broker (CLINIC_AMQP_URL), each with
  its own exchange and queue prefix; everything they declared is deleted afterwards and the
  deletion is checked.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from infra_support import AMQP_URL, METADATA, POSTGRES_URL, assert_topology_gone
from sqlalchemy import text

from clinic_shared.bus import RabbitMqBus
from clinic_shared.db import Database
from clinic_shared.settings import ServiceSettings


def database_settings(backend: str, data_dir: Path) -> ServiceSettings:
    return ServiceSettings(
        service_name="infra",
        data_dir=data_dir,
        database_url=POSTGRES_URL if backend == "postgresql" else None,
        db_schema=f"t_{uuid.uuid4().hex[:12]}",
        db_schema_prefix="",
        db_pool_size=4,
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """This test's database with the test tables created (SQLite file, or a fresh PostgreSQL schema)."""
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set CLINIC_DATABASE_URL=postgresql+asyncpg://user@host:5432/db")
    database = Database(database_settings(request.param, tmp_path))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        # checkfirst=False: on PostgreSQL a table of that name in `public` must not fool it.
        await conn.run_sync(METADATA.create_all, checkfirst=False)
    try:
        yield database
    finally:
        if database.is_postgres:
            async with database.engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
        await database.dispose()


@pytest.fixture
async def replica_db(db: Database) -> AsyncIterator[Database]:
    """Another engine on the same database: what a second replica of the service would have."""
    other = Database(db.settings)
    try:
        yield other
    finally:
        await other.dispose()


@pytest.fixture
def amqp_url() -> str:
    if not AMQP_URL:
        pytest.skip("RabbitMQ not configured: set CLINIC_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/")
    return AMQP_URL


@pytest.fixture
async def rabbit(amqp_url: str) -> AsyncIterator[Callable[..., Awaitable[RabbitMqBus]]]:
    """Factory of started RabbitMqBus instances with their own exchange and queues (removed after)."""
    buses: list[RabbitMqBus] = []
    declared: list[tuple[list[str], list[str]]] = []

    async def make(**kwargs: Any) -> RabbitMqBus:
        tag = uuid.uuid4().hex[:10]
        options: dict[str, Any] = {
            "exchange": f"test.{tag}.events",
            "queue_prefix": f"test.{tag}.",
            "max_attempts": 3,
            "retry_base_seconds": 0.02,
            "prefetch": 8,
            "connection_name": f"clinic-test-{tag}",
        }
        options.update(kwargs)
        bus = RabbitMqBus(amqp_url, **options)
        await bus.start()
        buses.append(bus)
        return bus

    yield make
    for bus in buses:
        queues = [q for name in bus._queues for q in (name, bus.retry_queue_name(name), bus.parking_queue_name(name))]
        declared.append((queues, [bus.exchange_name, bus.dead_letter_exchange]))
        await bus.delete_topology()
        await bus.close()
    for queues, exchanges in declared:
        await assert_topology_gone(amqp_url, queues, exchanges)


@pytest.fixture
async def amqp_channel(amqp_url: str) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    """A plain channel to inspect the broker (and publish raw messages) from the outside."""
    connection = await aio_pika.connect(amqp_url)
    try:
        yield await connection.channel()
    finally:
        await connection.close()
