"""Transactional outbox: the event commits with its state change and is published at least once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest
from infra_support import EVENTS, THINGS, count_rows, make_envelope
from sqlalchemy import select

from clinic_shared.bus import InProcessBus
from clinic_shared.db import Database, utcnow
from clinic_shared.events import EventEnvelope
from clinic_shared.outbox import OutboxRelay


class FailingBus(InProcessBus):
    """Publishes normally until `fail_at` publishes have been attempted, then raises."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at = fail_at
        self.attempts = 0

    async def publish(self, envelope: EventEnvelope) -> None:
        self.attempts += 1
        if self.attempts >= self.fail_at:
            raise ConnectionError("broker went away")
        await super().publish(envelope)


class StuckBus(InProcessBus):
    """Publishes `before_stuck` events, then hangs on the next publish (a dying broker connection)."""

    def __init__(self, before_stuck: int) -> None:
        super().__init__()
        self.before_stuck = before_stuck
        self.stuck = asyncio.Event()

    async def publish(self, envelope: EventEnvelope) -> None:
        if len(self.published) >= self.before_stuck:
            self.stuck.set()
            await asyncio.Event().wait()
        await super().publish(envelope)


class YieldingBus(InProcessBus):
    """Gives other tasks a turn on every publish, like a network round trip."""

    async def publish(self, envelope: EventEnvelope) -> None:
        await asyncio.sleep(0.001)
        await super().publish(envelope)


async def commit_events(db: Database, count: int) -> list[EventEnvelope]:
    """`count` state changes, each with its event, in one transaction."""
    envelopes = [make_envelope(n) for n in range(1, count + 1)]
    async with db.session() as session:
        for envelope in envelopes:
            await session.execute(THINGS.insert().values(id=envelope.aggregate_id, name="thing", version=1))
            await EVENTS.add(session, envelope)
    return envelopes


def ids(envelopes: list[EventEnvelope]) -> list[uuid.UUID]:
    return [e.id for e in envelopes]


async def test_state_change_and_event_commit_together_and_the_relay_publishes_them_in_order(db: Database) -> None:
    envelopes = await commit_events(db, 5)
    bus = InProcessBus()

    published = await OutboxRelay(db, EVENTS, bus).publish_pending()

    assert published == 5
    assert ids(bus.published) == ids(envelopes)
    assert await count_rows(db, THINGS) == 5


async def test_events_of_successive_transactions_are_published_in_commit_order(db: Database) -> None:
    envelopes = [make_envelope(n) for n in range(1, 6)]
    for envelope in envelopes:
        async with db.session() as session:
            await EVENTS.add(session, envelope)
    bus = InProcessBus()

    await OutboxRelay(db, EVENTS, bus, batch_size=2).publish_pending()
    await OutboxRelay(db, EVENTS, bus, batch_size=2).publish_pending()
    await OutboxRelay(db, EVENTS, bus, batch_size=2).publish_pending()

    assert ids(bus.published) == ids(envelopes)


async def test_published_rows_are_marked_and_not_published_again(db: Database) -> None:
    await commit_events(db, 3)
    bus = InProcessBus()
    relay = OutboxRelay(db, EVENTS, bus)
    await relay.publish_pending()

    assert await relay.publish_pending() == 0
    assert len(bus.published) == 3
    async with db.read_session() as session:
        assert await EVENTS.backlog(session) == (0, 0.0)


async def test_published_envelope_equals_the_one_written(db: Database) -> None:
    (envelope,) = await commit_events(db, 1)
    bus = InProcessBus()

    await OutboxRelay(db, EVENTS, bus).publish_pending()

    assert bus.published == [envelope]


async def test_rolled_back_transaction_publishes_nothing(db: Database) -> None:
    bus = InProcessBus()
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            envelope = make_envelope()
            await session.execute(THINGS.insert().values(id=envelope.aggregate_id, name="thing", version=1))
            await EVENTS.add(session, envelope)
            raise RuntimeError("business rule failed after the insert")

    assert await OutboxRelay(db, EVENTS, bus).publish_pending() == 0
    assert bus.published == []
    assert await count_rows(db, THINGS) == 0
    assert await count_rows(db, EVENTS.outbox) == 0


async def test_failed_publish_loses_no_event_and_a_later_relay_publishes_the_rest_in_order(db: Database) -> None:
    envelopes = await commit_events(db, 4)
    failing = FailingBus(fail_at=2)

    with pytest.raises(RuntimeError, match="broker went away"):
        await OutboxRelay(db, EVENTS, failing).publish_pending()
    healthy = InProcessBus()
    published = await OutboxRelay(db, EVENTS, healthy).publish_pending()

    assert ids(failing.published) == ids(envelopes[:1])
    assert published == 3
    assert ids(healthy.published) == ids(envelopes[1:])


async def test_failed_publish_records_the_attempt_and_the_error_on_the_row(db: Database) -> None:
    envelopes = await commit_events(db, 2)

    with pytest.raises(RuntimeError):
        await OutboxRelay(db, EVENTS, FailingBus(fail_at=1)).publish_pending()

    async with db.read_session() as session:
        rows = (await session.execute(select(EVENTS.outbox).order_by(EVENTS.outbox.c.seq))).all()
    assert [r.event_id for r in rows] == ids(envelopes)
    assert rows[0].attempts == 1
    assert "ConnectionError: broker went away" in rows[0].last_error
    assert rows[1].attempts == 0
    assert all(r.published_at is None and r.claimed_until is None for r in rows)


async def test_relay_killed_after_its_claim_loses_nothing_once_the_lease_expires(db: Database) -> None:
    (envelope,) = await commit_events(db, 1)
    dead_relay = OutboxRelay(db, EVENTS, InProcessBus(), lease_seconds=0.3)
    # The process commits its claim and dies before publishing: only the lease remains.
    assert len(await dead_relay._claim()) == 1
    bus = InProcessBus()
    survivor = OutboxRelay(db, EVENTS, bus)

    assert await survivor.publish_pending() == 0  # still leased to the dead relay
    await asyncio.sleep(0.4)
    assert await survivor.publish_pending() == 1
    assert ids(bus.published) == [envelope.id]


async def test_relay_stopped_mid_batch_marks_what_went_out_and_releases_the_rest(db: Database) -> None:
    envelopes = await commit_events(db, 3)
    stuck = StuckBus(before_stuck=1)
    first = OutboxRelay(db, EVENTS, stuck)  # default 30 s lease: only the release lets the rest go
    task = asyncio.create_task(first.publish_pending())
    await asyncio.wait_for(stuck.stuck.wait(), timeout=5)

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    bus = InProcessBus()
    published = await OutboxRelay(db, EVENTS, bus).publish_pending()

    assert ids(stuck.published) == ids(envelopes[:1])
    assert published == 2
    assert ids(bus.published) == ids(envelopes[1:])


async def test_stopping_a_relay_lets_the_pass_in_progress_finish_and_mark_its_rows(db: Database) -> None:
    class SlowBus(InProcessBus):
        started = asyncio.Event()

        async def publish(self, envelope: EventEnvelope) -> None:
            self.started.set()
            await asyncio.sleep(0.05)
            await super().publish(envelope)

    envelopes = await commit_events(db, 3)
    bus = SlowBus()
    relay = OutboxRelay(db, EVENTS, bus, poll_seconds=10)
    relay.start()
    await asyncio.wait_for(bus.started.wait(), timeout=5)

    await relay.stop()

    assert ids(bus.published) == ids(envelopes)
    async with db.read_session() as session:
        assert (await EVENTS.backlog(session))[0] == 0


async def test_stopping_a_relay_on_a_hung_bus_gives_up_and_releases_the_claim(db: Database) -> None:
    envelopes = await commit_events(db, 2)
    stuck = StuckBus(before_stuck=0)
    relay = OutboxRelay(db, EVENTS, stuck, poll_seconds=10)
    relay.start()
    await asyncio.wait_for(stuck.stuck.wait(), timeout=5)

    await relay.stop(timeout=0.1)

    bus = InProcessBus()
    assert await OutboxRelay(db, EVENTS, bus).publish_pending() == 2
    assert ids(bus.published) == ids(envelopes)


async def test_concurrent_relays_publish_every_row_exactly_once(db: Database, replica_db: Database) -> None:
    envelopes = await commit_events(db, 60)
    relays = [
        OutboxRelay(db, EVENTS, YieldingBus(), batch_size=7),
        OutboxRelay(replica_db, EVENTS, YieldingBus(), batch_size=7),
        OutboxRelay(db, EVENTS, YieldingBus(), batch_size=5),
    ]

    async def drain(relay: OutboxRelay) -> None:
        while await relay.publish_pending():
            pass

    await asyncio.gather(*(drain(r) for r in relays))
    for relay in relays:  # whatever a relay skipped because another held it is done by now
        await drain(relay)

    published = [e for relay in relays for e in relay.bus.published]  # type: ignore[attr-defined]
    counts = Counter(e.id for e in published)
    assert set(counts) == set(ids(envelopes))
    assert max(counts.values()) == 1
    assert sum(1 for relay in relays if relay.bus.published) >= 2  # type: ignore[attr-defined]
    async with db.read_session() as session:
        assert (await EVENTS.backlog(session))[0] == 0


async def test_running_relay_publishes_within_a_second_of_the_commit(db: Database) -> None:
    bus = InProcessBus()
    received = asyncio.Event()

    async def handler(envelope: EventEnvelope) -> None:
        received.set()

    await bus.subscribe("watcher", ["patient.*"], handler)
    relay = OutboxRelay(db, EVENTS, bus, poll_seconds=10)  # only the commit wake-up can be this fast
    relay.start()
    try:
        await asyncio.sleep(0.05)  # the relay's first pass finds nothing and goes to sleep
        started = asyncio.get_running_loop().time()
        await commit_events(db, 1)
        await asyncio.wait_for(received.wait(), timeout=1)
        assert asyncio.get_running_loop().time() - started < 1
    finally:
        await relay.stop()


async def test_running_relay_keeps_retrying_until_the_bus_accepts(db: Database) -> None:
    class RecoveringBus(InProcessBus):
        failures = 2

        async def publish(self, envelope: EventEnvelope) -> None:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("not yet")
            await super().publish(envelope)

    bus = RecoveringBus()
    envelopes = await commit_events(db, 2)
    relay = OutboxRelay(db, EVENTS, bus, poll_seconds=0.02)
    relay.start()
    try:
        for _ in range(200):
            if len(bus.published) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await relay.stop()

    assert ids(bus.published) == ids(envelopes)


async def test_unreadable_outbox_row_is_parked_and_does_not_block_later_rows(db: Database) -> None:
    async with db.session() as session:
        await session.execute(
            EVENTS.outbox.insert().values(
                event_id=uuid.uuid4(),
                event_type="patient.created",
                aggregate_id="x",
                payload="{oops",
                created_at=utcnow(),
            )
        )
    (envelope,) = await commit_events(db, 1)
    bus = InProcessBus()
    relay = OutboxRelay(db, EVENTS, bus)

    assert await relay.publish_pending() == 1
    assert await relay.publish_pending() == 0
    assert ids(bus.published) == [envelope.id]
    async with db.read_session() as session:
        count, _age = await EVENTS.backlog(session)
        parked = (await session.execute(select(EVENTS.outbox).where(EVENTS.outbox.c.aggregate_id == "x"))).one()
    assert count == 1  # still visible in the backlog metric
    assert parked.published_at is None
    assert "unreadable payload" in parked.last_error
