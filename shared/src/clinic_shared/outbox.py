"""Transactional outbox (publish what was committed) and inbox (apply each event once).

A service declares both tables on its own MetaData with `EventTables(metadata)`, writes events
with `events.add(session, envelope)` in the same transaction as its state change, and runs an
`OutboxRelay` that publishes committed rows. Rows are claimed with a lease (and `FOR UPDATE
SKIP LOCKED` on PostgreSQL), so several replicas never publish the same row at the same time,
and a relay killed between commit and publish loses nothing: the lease expires and another
pass publishes the row. A pass claims its batch in one statement and hands it to the bus at
once (`publish_many`: on RabbitMQ every message is sent, then the confirms are awaited in
order, so one broker fsync covers many). A relay that fails or is stopped mid-batch marks what
went out (the confirmed prefix) and releases the rest at once.

Delivery is at least once (a crash after the publish and before the mark republishes the row)
and in outbox order per relay pass; consumers rely on the inbox and `aggregate_version`, not on
global order.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.bus import EventBus
from clinic_shared.db import GUID, Database, UTCDateTime, driver_connection, insert_for, rows_affected, utcnow
from clinic_shared.events import EventEnvelope
from clinic_shared.logging import get_logger
from clinic_shared.tasks import finish_or_cancel, wait_event
from clinic_shared.tracing import consumer_span

log = get_logger(__name__)

Handler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]
# `claimed_until` of a row no relay can read: never claimed again, left for a human.
PARKED_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


# What `add_many` writes, and the same insert in PostgreSQL's SQL (the table is always "outbox",
# in the service's schema): one list of columns for both, so they cannot drift apart.
OUTBOX_COLUMNS = ("event_id", "event_type", "aggregate_id", "payload", "created_at")
OUTBOX_INSERT_SQL = (
    f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)})"  # noqa: S608 - fixed column names, no input
    f" VALUES ({', '.join(f'${n}' for n in range(1, len(OUTBOX_COLUMNS) + 1))})"
)


class EventTables:
    """The outbox and inbox tables of one service."""

    def __init__(self, metadata: MetaData) -> None:
        self.outbox = Table(
            "outbox",
            metadata,
            Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
            Column("event_id", GUID(), nullable=False, unique=True),
            Column("event_type", String(100), nullable=False),
            Column("aggregate_id", String(64), nullable=False),
            Column("payload", Text, nullable=False),
            Column("created_at", UTCDateTime(), nullable=False),
            Column("published_at", UTCDateTime()),
            Column("claimed_until", UTCDateTime()),
            Column("attempts", Integer, nullable=False, server_default="0"),
            Column("last_error", Text),
        )
        Index(
            "ix_outbox_pending",
            self.outbox.c.seq,
            postgresql_where=self.outbox.c.published_at.is_(None),
            sqlite_where=self.outbox.c.published_at.is_(None),
        )
        self.inbox = Table(
            "inbox",
            metadata,
            Column("event_id", GUID(), primary_key=True),
            Column("event_type", String(100), nullable=False),
            Column("received_at", UTCDateTime(), nullable=False),
        )

    async def add(self, session: AsyncSession, envelope: EventEnvelope) -> None:
        """Queue an event in the caller's transaction."""
        await self.add_many(session, [envelope])

    async def add_many(self, session: AsyncSession, envelopes: Sequence[EventEnvelope]) -> None:
        """Queue several events in the caller's transaction with one statement (bulk work)."""
        if not envelopes:
            return
        created_at = utcnow()
        rows = [
            {
                "event_id": envelope.id,
                "event_type": envelope.type,
                "aggregate_id": envelope.aggregate_id,
                "payload": envelope.model_dump_json(),
                "created_at": created_at,
            }
            for envelope in envelopes
        ]
        driver = await driver_connection(session)
        if driver is None:
            await session.execute(self.outbox.insert(), rows)
            return
        # PostgreSQL: straight through asyncpg (see db.driver_connection); every write has one.
        await driver.executemany(OUTBOX_INSERT_SQL, [tuple(row[c] for c in OUTBOX_COLUMNS) for row in rows])

    async def mark_received(self, session: AsyncSession, envelope: EventEnvelope) -> bool:
        """Record the event in the inbox; False when it was seen before."""
        values = {"event_id": envelope.id, "event_type": envelope.type, "received_at": utcnow()}
        dialect = session.bind.dialect.name if session.bind else "sqlite"
        insert = insert_for(dialect)(self.inbox)
        result = await session.execute(insert.values(**values).on_conflict_do_nothing())
        return bool(rows_affected(result))

    async def backlog(self, session: AsyncSession) -> tuple[int, float]:
        """Unpublished rows and the age in seconds of the oldest one."""
        row = (
            await session.execute(
                select(func.count(), func.min(self.outbox.c.created_at)).where(self.outbox.c.published_at.is_(None))
            )
        ).one()
        count, oldest = row
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        age = (utcnow() - oldest).total_seconds() if oldest else 0.0
        return int(count), age


class OutboxRelay:
    """Publishes committed outbox rows to the bus, in outbox order, at least once."""

    def __init__(
        self,
        db: Database,
        tables: EventTables,
        bus: EventBus,
        *,
        batch_size: int = 200,
        poll_seconds: float = 0.25,
        lease_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.table = tables.outbox
        self.bus = bus
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        db.on_commit(self._wake.set)

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay:{self.db.schema}")

    async def stop(self, timeout: float = 5.0) -> None:
        """Let the pass in progress finish (publish and mark its batch), then end the loop.

        Cancelling in the middle of a pass would leave published rows unmarked (published again
        by the next start) and a database call cut short; after `timeout` (a bus that hangs)
        the task is cancelled anyway and the cancelled pass releases its claim.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        await finish_or_cancel(task, grace=timeout)

    async def _run(self) -> None:
        backoff = self.poll_seconds
        while not self._stopping:
            # Clear before the pass, not after: a commit made while we publish must wake us.
            self._wake.clear()
            try:
                published = await self.publish_pending()
                backoff = self.poll_seconds
                if published >= self.batch_size and not self._stopping:
                    continue
            except Exception as exc:
                log.warning("outbox.relay.failed", error=type(exc).__name__, detail=str(exc)[:200])
                backoff = min(backoff * 2, 5.0)
            if self._stopping:
                return
            await wait_event(self._wake, backoff)

    async def publish_pending(self) -> int:
        """One pass: claim a batch, publish it in order, mark what went out. Returns the count.

        On the first failure the pass stops (later rows are not published before an earlier
        one), marks what went out, releases the rest of the claim and raises. A cancelled pass
        (the relay is stopped) marks and releases the same way before it lets go.
        """
        rows = await self._claim()
        if not rows:
            return 0
        seqs: list[int] = []
        envelopes: list[EventEnvelope] = []
        poison: list[tuple[int, str]] = []
        for seq, payload in rows:
            try:
                envelopes.append(EventEnvelope.model_validate_json(payload))
                seqs.append(seq)
            except ValueError as exc:
                # A row no relay can ever parse must not block every row behind it.
                log.error("outbox.row_unreadable", seq=seq, error=type(exc).__name__)
                poison.append((seq, f"unreadable payload: {exc}"[:500]))
        confirmed: list[int] = []  # positions in `envelopes` the bus has accepted, in order
        failure: tuple[int, str] | None = None
        try:
            await self.bus.publish_many(envelopes, confirmed)
        except Exception as exc:
            if len(confirmed) < len(seqs):  # the row that failed, for its attempts and last error
                failure = (seqs[len(confirmed)], f"{type(exc).__name__}: {exc}"[:500])
            else:
                raise
        except BaseException:
            # Cancelled mid-batch: record what went out, release the rest, then let go. If even
            # that fails, the lease runs out and the rows are published again (at least once).
            try:
                await asyncio.shield(self._finish(seqs[: len(confirmed)], None, [seq for seq, _ in rows], poison))
            except Exception as exc:
                log.warning("outbox.release_failed", error=type(exc).__name__)
            raise
        published = seqs[: len(confirmed)]
        await self._finish(published, failure, [seq for seq, _ in rows], poison)
        if failure:
            raise RuntimeError(f"publishing outbox row {failure[0]} failed: {failure[1]}")
        return len(published)

    async def _claim(self) -> list[tuple[int, str]]:
        t = self.table
        now = utcnow()
        # Not `db.session()`: its after-commit callbacks would wake this relay on its own claim.
        # One statement picks the oldest unclaimed rows and claims them; rows another relay
        # holds locked are skipped (PostgreSQL), and SQLite has one writer at a time anyway.
        oldest = (
            select(t.c.seq)
            .where(t.c.published_at.is_(None))
            .where((t.c.claimed_until.is_(None)) | (t.c.claimed_until < now))
            .order_by(t.c.seq)
            .limit(self.batch_size)
        )
        if self.db.is_postgres:
            oldest = oldest.with_for_update(skip_locked=True)
        claim = (
            update(t)
            .where(t.c.seq.in_(oldest.scalar_subquery()))
            .values(claimed_until=now + self.lease)
            .returning(t.c.seq, t.c.payload)
        )
        async with self.db.sessionmaker() as session, session.begin():
            rows = [(r.seq, r.payload) for r in (await session.execute(claim)).all()]
        return sorted(rows)  # RETURNING has no order; the outbox's is by seq

    async def _finish(
        self,
        published: list[int],
        failure: tuple[int, str] | None,
        claimed: list[int],
        poison: list[tuple[int, str]] | None = None,
    ) -> None:
        t = self.table
        poison = poison or []
        parked = {seq for seq, _ in poison}
        async with self.db.sessionmaker() as session, session.begin():
            if published:
                await session.execute(
                    update(t).where(t.c.seq.in_(published)).values(published_at=utcnow(), claimed_until=None)
                )
            for seq, error in poison:
                # Parked: stays unpublished (visible in the backlog metric) but is never claimed again.
                await session.execute(
                    update(t)
                    .where(t.c.seq == seq)
                    .values(claimed_until=PARKED_UNTIL, attempts=t.c.attempts + 1, last_error=error)
                )
            unpublished = [s for s in claimed if s not in published and s not in parked]
            if unpublished:
                await session.execute(update(t).where(t.c.seq.in_(unpublished)).values(claimed_until=None))
            if failure:
                await session.execute(
                    update(t).where(t.c.seq == failure[0]).values(attempts=t.c.attempts + 1, last_error=failure[1])
                )


class EventConsumer:
    """Applies events to one service: inbox de-duplication + handler in one transaction."""

    def __init__(self, name: str, db: Database, tables: EventTables, handlers: dict[str, Handler]) -> None:
        self.name = name
        self.db = db
        self.tables = tables
        self.handlers = handlers

    @property
    def patterns(self) -> list[str]:
        return sorted(self.handlers)

    async def handle(self, envelope: EventEnvelope) -> None:
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return
        with consumer_span(self.name, envelope.type, str(envelope.id)):
            async with self.db.session() as session:
                if not await self.tables.mark_received(session, envelope):
                    log.info(
                        "event.duplicate_skipped",
                        consumer=self.name,
                        event_id=str(envelope.id),
                        event_type=envelope.type,
                    )
                    return
                await handler(session, envelope)
            log.info("event.applied", consumer=self.name, event_id=str(envelope.id), event_type=envelope.type)


async def upsert_if_newer(
    session: AsyncSession,
    table: Table,
    values: dict[str, Any],
    *,
    key: str = "id",
    version_column: str = "version",
) -> bool:
    """Insert a projection row or update it only when `values` carry a newer version."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table).values(**values)
    update_values = {k: insert.excluded[k] for k in values if k != key}
    statement = insert.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_=update_values,
        where=table.c[version_column] < insert.excluded[version_column],
    )
    result = await session.execute(statement)
    return bool(rows_affected(result))


def envelope_to_json(envelope: EventEnvelope) -> bytes:
    return envelope.model_dump_json().encode()


def parse_envelope(body: bytes) -> EventEnvelope:
    return EventEnvelope.model_validate(json.loads(body))
