"""Per-test isolation on the real backends: a schema prefix on PostgreSQL, a directory for
SQLite, an exchange and queue prefix on RabbitMQ — all removed after the test."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
from pydantic import SecretStr


@dataclass(frozen=True)
class Backends:
    database_url: str | None
    amqp_url: str | None

    @classmethod
    def from_env(cls) -> Backends:
        return cls(os.environ.get("CLINIC_DATABASE_URL") or None, os.environ.get("CLINIC_AMQP_URL") or None)


SQLITE_SECRETS_KEY = SecretStr(base64.urlsafe_b64encode(hashlib.sha256(b"clinic sqlite tests").digest()).decode())


@dataclass
class Isolation:
    """Settings overrides that give a test its own database objects and queues."""

    backends: Backends
    data_dir: Path
    prefix: str

    @classmethod
    def new(cls, backends: Backends, data_dir: Path) -> Isolation:
        return cls(backends, data_dir, f"t{uuid.uuid4().hex[:10]}_")

    @property
    def secrets_key(self) -> SecretStr:
        """This test's CLINIC_SECRETS_KEY (stable for the test: a restarted platform reads its rows)."""
        return SecretStr(base64.urlsafe_b64encode(hashlib.sha256(self.prefix.encode()).digest()).decode())

    @property
    def exchange(self) -> str:
        return f"clinic.events.{self.prefix.rstrip('_')}"

    def overrides(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "data_dir": self.data_dir,
            "database_url": self.backends.database_url,
            "amqp_url": self.backends.amqp_url,
            "db_schema_prefix": self.prefix if self.backends.database_url else "",
            "outbox_poll_seconds": 0.05,
            "consumer_max_attempts": 3,
            "demo_data": False,
        }
        if self.backends.database_url:
            # Distributed mode has no default key for stored credentials (clinic_shared.secretbox).
            values["secrets_key"] = self.secrets_key
        else:
            # One key for every SQLite test, not a key file per data folder: a fresh database is a
            # copy of one migrated before (clinic_shared.migrations), its encrypted rows included.
            values["secrets_key"] = SQLITE_SECRETS_KEY
        if self.backends.amqp_url:
            values["events_exchange"] = self.exchange
            values["queue_prefix"] = self.prefix
        return values

    async def cleanup(self) -> None:
        if self.backends.database_url:
            await drop_schemas(self.backends.database_url, self.prefix)
        if self.backends.amqp_url:
            await delete_topology(self.backends.amqp_url, self.exchange, self.prefix)


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def drop_schemas(database_url: str, prefix: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        names = await conn.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", prefix.replace("_", r"\_") + "%"
        )
        for row in names:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{row["nspname"]}" CASCADE')
    finally:
        await conn.close()


# Consumer queues a test may have made: one per service, plus the test's own spy.
QUEUE_NAMES = ("patients", "scheduling", "ondoc", "ondoc-bridge", "notifier", "profexam", "lab", "gateway", "spy")


async def delete_topology(amqp_url: str, exchange: str, queue_prefix: str) -> None:
    """Delete the test's exchanges and the queues (and parking queues) made with its prefix.

    Consumer queues are quorum queues: deleting one stops its Raft cluster, a few milliseconds
    each, so each consumer's queues are deleted on a channel of their own, all at once (a
    channel handles one call at a time). Deleting a queue that was never made is a no-op.
    """
    connection = await aio_pika.connect(amqp_url)
    try:

        async def delete_queues_of(name: str) -> None:
            channel = await connection.channel()
            for queue in (f"{queue_prefix}{name}", f"{queue_prefix}{name}.dead", f"{queue_prefix}{name}.retry"):
                await channel.queue_delete(queue)
            await channel.close()

        await asyncio.gather(*(delete_queues_of(name) for name in QUEUE_NAMES))
        # Broadcast queues are private to their connection and go with it.
        channel = await connection.channel()
        for name in (exchange, f"{exchange}.dlx", f"{exchange}.broadcast"):
            await channel.exchange_delete(name)
    finally:
        await connection.close()
