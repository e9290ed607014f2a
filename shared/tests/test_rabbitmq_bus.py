"""RabbitMqBus on the real broker (CLINIC_AMQP_URL): delivery, retries, parking, confirms, reconnects.

Each test gets its own exchange and queue prefix (the `rabbit` fixture) and the fixture checks
that nothing it declared is left on the broker.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from infra_support import EVENTS, THINGS, assert_topology_gone, count_rows, make_envelope, wait_until
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.bus import ATTEMPT_HEADER, QueueArgumentsMismatch, RabbitMqBus, make_bus
from clinic_shared.db import Database
from clinic_shared.events import EventEnvelope
from clinic_shared.outbox import EventConsumer, OutboxRelay
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.backends import delete_topology

pytestmark = pytest.mark.rabbitmq

MakeBus = Callable[..., Awaitable[RabbitMqBus]]


class Recorder:
    """A handler that records what it got and fails for the event ids it is told to."""

    def __init__(self, fail: dict[object, int] | None = None) -> None:
        self.fail = dict(fail or {})  # event id -> failures left (a big number: always)
        self.calls: list[EventEnvelope] = []
        self.applied: list[EventEnvelope] = []

    async def __call__(self, envelope: EventEnvelope) -> None:
        self.calls.append(envelope)
        if self.fail.get(envelope.id, 0) > 0:
            self.fail[envelope.id] -= 1
            raise RuntimeError("handler failed")
        self.applied.append(envelope)

    def attempts(self, envelope: EventEnvelope) -> int:
        return sum(1 for e in self.calls if e.id == envelope.id)


async def message_count(channel: AbstractChannel, queue: str) -> int:
    declared = await channel.declare_queue(queue, passive=True)
    return int(declared.declaration_result.message_count or 0)


async def parked(channel: AbstractChannel, bus: RabbitMqBus, queue: str) -> list[AbstractIncomingMessage]:
    """Drain the parking queue of consumer queue `queue`."""
    messages = []
    dead = await channel.declare_queue(bus.parking_queue_name(bus.queue_name(queue)), passive=True)
    while (message := await dead.get(no_ack=True, fail=False)) is not None:
        messages.append(message)
    return messages


async def inspection_queue(channel: AbstractChannel, bus: RabbitMqBus) -> aio_pika.abc.AbstractQueue:
    """An exclusive queue bound to the bus's exchange for everything (gone with the connection)."""
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(bus.exchange_name, routing_key="#")
    return queue


async def test_published_event_reaches_the_subscribed_handler(rabbit: MakeBus) -> None:
    bus = await rabbit()
    handler = Recorder()
    await bus.subscribe("svc", ["patient.*"], handler)
    envelope = make_envelope()

    await bus.publish(envelope)

    await wait_until(lambda: handler.applied)
    assert handler.applied == [envelope]


async def test_handler_gets_only_the_types_its_patterns_match(rabbit: MakeBus) -> None:
    bus = await rabbit()
    handler = Recorder()
    await bus.subscribe("svc", ["patient.deleted", "appointment.#"], handler)
    wanted = make_envelope(event_type="patient.deleted")

    await bus.publish(make_envelope(event_type="patient.created"))
    await bus.publish(wanted)

    await wait_until(lambda: handler.applied)
    await asyncio.sleep(0.1)
    assert handler.applied == [wanted]


async def test_published_message_is_persistent_json_with_the_event_id_as_message_id(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit()
    queue = await inspection_queue(amqp_channel, bus)
    envelope = make_envelope()

    await bus.publish(envelope)

    message = await queue.get(timeout=5, no_ack=True)
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert message.message_id == str(envelope.id)
    assert message.content_type == "application/json"
    assert message.type == envelope.type
    assert message.correlation_id == envelope.correlation_id
    assert message.routing_key == envelope.type
    assert EventEnvelope.model_validate_json(message.body) == envelope


async def test_publish_returns_once_the_broker_has_accepted_the_message(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit()
    queue = await inspection_queue(amqp_channel, bus)

    for n in range(1, 11):
        await bus.publish(make_envelope(n))

    # No waiting: with publisher confirms every message is already in the queue.
    assert bus._publish_channel is not None and bus._publish_channel.publisher_confirms
    assert await message_count(amqp_channel, queue.name) == 10


async def test_a_batch_published_at_once_is_confirmed_whole_and_queued_in_order(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit()
    queue = await inspection_queue(amqp_channel, bus)
    envelopes = [make_envelope(n) for n in range(1, 301)]
    confirmed: list[int] = []

    await bus.publish_many(envelopes, confirmed)

    assert confirmed == list(range(300))
    received = []
    while (message := await queue.get(no_ack=True, fail=False)) is not None:
        received.append(message.message_id)
    assert received == [str(e.id) for e in envelopes]


async def test_a_batch_the_broker_cannot_take_in_time_raises_and_confirms_nothing(rabbit: MakeBus) -> None:
    bus = await rabbit(publish_timeout=0.5)
    assert bus._publish_channel is not None
    await bus._publish_channel.close()  # a closed channel: `ready()` waits for it in vain
    confirmed: list[int] = []

    with pytest.raises(TimeoutError):
        await bus.publish_many([make_envelope(n) for n in range(1, 4)], confirmed)

    assert confirmed == []


async def test_publish_on_a_bus_that_is_not_started_raises(amqp_url: str) -> None:
    bus = RabbitMqBus(amqp_url)

    with pytest.raises(RuntimeError, match="not started"):
        await bus.publish(make_envelope())


async def test_handler_failing_every_attempt_parks_the_message_and_the_queue_keeps_flowing(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit(max_attempts=3)
    poison, good = make_envelope(1), make_envelope(2)
    handler = Recorder(fail={poison.id: 1000})
    await bus.subscribe("svc", ["patient.*"], handler)

    await bus.publish(poison)
    await bus.publish(good)

    await wait_until(lambda: handler.applied == [good])
    await wait_until(lambda: handler.attempts(poison) == 3)
    await wait_until(lambda: message_count_is(amqp_channel, bus, "svc", 1))
    (dead,) = await parked(amqp_channel, bus, "svc")
    assert dead.message_id == str(poison.id)
    assert dead.headers[ATTEMPT_HEADER] == 3
    assert EventEnvelope.model_validate_json(dead.body) == poison
    await asyncio.sleep(0.2)
    assert handler.attempts(poison) == 3  # parked for good, not retried any more


async def message_count_is(channel: AbstractChannel, bus: RabbitMqBus, queue: str, expected: int) -> bool:
    return await message_count(channel, bus.parking_queue_name(bus.queue_name(queue))) == expected


async def test_many_failing_messages_do_not_hold_up_the_others(rabbit: MakeBus, amqp_channel: AbstractChannel) -> None:
    bus = await rabbit(max_attempts=4, prefetch=2, retry_base_seconds=0.2)
    failing = [make_envelope(n) for n in range(1, 6)]
    handler = Recorder(fail={e.id: 1000 for e in failing})
    await bus.subscribe("svc", ["#"], handler)
    for envelope in failing:
        await bus.publish(envelope)
    good = make_envelope(99)

    await bus.publish(good)

    # Retries wait in the retry queue, not in the consumer's prefetch window.
    await wait_until(lambda: handler.applied == [good], timeout=1.0)
    await wait_until(lambda: message_count_is(amqp_channel, bus, "svc", 5), timeout=10)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"hello": "world"}', b"\xff\xfe\x00", b"[]"],
    ids=["invalid-json", "not-an-envelope", "not-utf8", "json-list"],
)
async def test_poison_message_is_parked_at_once_and_the_queue_keeps_flowing(
    rabbit: MakeBus, amqp_channel: AbstractChannel, body: bytes
) -> None:
    bus = await rabbit()
    handler = Recorder()
    await bus.subscribe("svc", ["patient.*"], handler)
    exchange = await amqp_channel.get_exchange(bus.exchange_name)

    await exchange.publish(aio_pika.Message(body, message_id="poison-1"), routing_key="patient.created")
    good = make_envelope()
    await bus.publish(good)

    await wait_until(lambda: handler.applied == [good])
    await wait_until(lambda: message_count_is(amqp_channel, bus, "svc", 1))
    (dead,) = await parked(amqp_channel, bus, "svc")
    assert dead.body == body
    assert dead.message_id == "poison-1"
    assert handler.calls == [good]


async def test_close_lets_the_handler_in_flight_finish_and_acknowledge(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit()
    started = asyncio.Event()
    finished: list[EventEnvelope] = []

    async def slow(envelope: EventEnvelope) -> None:
        started.set()
        await asyncio.sleep(0.3)
        finished.append(envelope)

    await bus.subscribe("svc", ["#"], slow)
    envelope = make_envelope()
    await bus.publish(envelope)
    await asyncio.wait_for(started.wait(), timeout=5)

    await bus.close()

    assert finished == [envelope]
    assert await message_count(amqp_channel, bus.queue_name("svc")) == 0  # acknowledged, not requeued


async def test_event_whose_handler_fails_once_is_applied_exactly_once(
    rabbit: MakeBus, amqp_channel: AbstractChannel, db: Database
) -> None:
    bus = await rabbit(max_attempts=3)
    consumer, calls = failing_consumer(db, fail_times=1)
    await bus.subscribe("svc", consumer.patterns, consumer.handle)
    envelope = make_envelope()

    await bus.publish(envelope)

    await wait_until(lambda: count_is(db, 1))
    await asyncio.sleep(0.2)
    assert calls == [envelope.id, envelope.id]
    assert await count_rows(db, THINGS) == 1
    assert await message_count_is(amqp_channel, bus, "svc", 0)


async def test_redelivered_event_is_applied_once(rabbit: MakeBus, db: Database) -> None:
    bus = await rabbit()
    consumer, calls = failing_consumer(db)
    await bus.subscribe("svc", consumer.patterns, consumer.handle)
    envelope = make_envelope()

    await bus.publish(envelope)
    await bus.publish(envelope)  # e.g. the relay died after publishing, before marking the row

    await wait_until(lambda: count_rows_is(db, EVENTS.inbox, 1))
    await asyncio.sleep(0.2)
    assert calls == [envelope.id]
    assert await count_rows(db, THINGS) == 1


async def test_outbox_relay_to_rabbitmq_to_consumer_end_to_end(rabbit: MakeBus, db: Database) -> None:
    bus = await rabbit()
    consumer, calls = failing_consumer(db)
    await bus.subscribe("svc", consumer.patterns, consumer.handle)
    envelopes = [make_envelope(n) for n in range(1, 6)]
    async with db.session() as session:
        for envelope in envelopes:
            await EVENTS.add(session, envelope)

    assert await OutboxRelay(db, EVENTS, bus).publish_pending() == 5

    await wait_until(lambda: count_is(db, 5))
    assert sorted(calls) == sorted(e.id for e in envelopes)


def failing_consumer(db: Database, *, fail_times: int = 0) -> tuple[EventConsumer, list[object]]:
    calls: list[object] = []
    failures = {"left": fail_times}

    async def on_patient_created(session: AsyncSession, envelope: EventEnvelope) -> None:
        calls.append(envelope.id)
        await session.execute(THINGS.insert().values(id=str(envelope.id), name="applied", version=1))
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("handler failed after writing")

    return EventConsumer("svc", db, EVENTS, {"patient.created": on_patient_created}), calls


async def count_is(db: Database, expected: int) -> bool:
    return await count_rows(db, THINGS) == expected


async def count_rows_is(db: Database, table: object, expected: int) -> bool:
    return await count_rows(db, table) == expected  # type: ignore[arg-type]


def close_connection_on_the_broker(connection_name: str) -> None:
    listing = subprocess.run(
        ["rabbitmqctl", "list_connections", "-q", "--no-table-headers", "pid", "client_properties"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    pids = [line.split("\t")[0] for line in listing.splitlines() if f'"{connection_name}"' in line]
    assert pids, f"connection {connection_name} not found on the broker"
    for pid in pids:
        subprocess.run(
            ["rabbitmqctl", "close_connection", pid, "test: simulated broker failure"],
            capture_output=True,
            timeout=30,
            check=True,
        )


@pytest.mark.skipif(shutil.which("rabbitmqctl") is None, reason="needs rabbitmqctl to drop the connection")
async def test_consumer_and_publisher_come_back_after_the_broker_drops_the_connection(rabbit: MakeBus) -> None:
    bus = await rabbit(reconnect_interval=0.2)
    handler = Recorder()
    await bus.subscribe("svc", ["patient.*"], handler)
    before = make_envelope(1)
    await bus.publish(before)
    await wait_until(lambda: handler.applied == [before])

    assert bus.connection is not None
    reconnected = asyncio.Event()
    bus.connection.reconnect_callbacks.add(lambda *_args, **_kwargs: reconnected.set())

    await asyncio.to_thread(close_connection_on_the_broker, bus.connection_name)
    await asyncio.wait_for(reconnected.wait(), timeout=10)
    after = make_envelope(2)
    for _ in range(50):  # the relay would retry the same way
        try:
            await bus.publish(after)
            break
        except Exception:
            await asyncio.sleep(0.1)

    await wait_until(lambda: handler.applied == [before, after], timeout=10)


async def test_delete_topology_removes_every_queue_and_exchange(
    amqp_url: str, rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:

    bus = await rabbit()
    await bus.subscribe("one", ["#"], Recorder())
    await bus.subscribe("two", ["patient.*"], Recorder())
    names = [
        q for name in ("one", "two") for q in (bus.queue_name(name), bus.retry_queue_name(bus.queue_name(name)))
    ] + [bus.parking_queue_name(bus.queue_name("one")), bus.parking_queue_name(bus.queue_name("two"))]
    for name in names:
        await amqp_channel.declare_queue(name, passive=True)  # they exist now

    await bus.delete_topology()

    await assert_topology_gone(amqp_url, names, [bus.exchange_name, bus.dead_letter_exchange])


def test_make_bus_with_amqp_url_builds_a_rabbitmq_bus_from_settings() -> None:
    settings = ServiceSettings(
        service_name="lab",
        amqp_url="amqp://guest:guest@localhost:5672/",
        events_exchange="x.events",
        queue_prefix="p.",
        consumer_max_attempts=4,
        consumer_prefetch=3,
        consumer_delivery_limit=6,
    )

    bus = make_bus(settings)

    assert isinstance(bus, RabbitMqBus)
    assert (bus.exchange_name, bus.queue_name("lab"), bus.max_attempts, bus.prefetch) == ("x.events", "p.lab", 4, 3)
    assert bus.delivery_limit == 6
    assert bus.connection_name == "clinic-lab"


def test_consumer_queues_are_quorum_queues_dead_lettering_at_least_once() -> None:
    bus = RabbitMqBus("amqp://unused/", exchange="x.events", delivery_limit=4)
    at_least_once = {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}

    queues = bus.consumer_queue_arguments("p.lab")

    # Dead-letter targets first: a message dead-lettered while its target is missing waits.
    assert list(queues) == ["p.lab.dead", "p.lab.retry", "p.lab"]
    assert queues["p.lab.dead"] == {"x-queue-type": "quorum"}
    assert queues["p.lab.retry"] == {
        "x-queue-type": "quorum",
        **at_least_once,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": "p.lab",
    }
    assert queues["p.lab"] == {
        "x-queue-type": "quorum",
        **at_least_once,
        "x-dead-letter-exchange": "x.events.dlx",
        "x-dead-letter-routing-key": "p.lab",
        "x-delivery-limit": 4,
    }


async def test_a_message_taken_back_more_than_the_delivery_limit_is_parked(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit(delivery_limit=2)
    await bus.subscribe("svc", ["patient.*"], Recorder())
    await bus.close()  # the queues stay; a consumer of our own takes the message back every time
    exchange = await amqp_channel.get_exchange(bus.exchange_name)
    poison, good = make_envelope(1), make_envelope(2)
    for envelope in (poison, good):
        await exchange.publish(bus._message(envelope), routing_key=envelope.type)
    queue = await amqp_channel.declare_queue(bus.queue_name("svc"), passive=True)

    deliveries = []
    while (message := await queue.get(fail=False)) is not None and message.message_id == str(poison.id):
        deliveries.append((message.headers or {}).get("x-delivery-count"))
        await message.nack(requeue=True)

    assert message is not None and message.message_id == str(good.id)  # next in line once it is parked
    assert len(deliveries) == 3  # the first delivery and `delivery_limit` more
    await wait_until(lambda: message_count_is(amqp_channel, bus, "svc", 1))
    (dead,) = await parked(amqp_channel, bus, "svc")
    assert dead.message_id == str(poison.id)
    assert dead.headers["x-death"][0]["reason"] == "delivery_limit"


async def test_a_classic_queue_left_by_an_older_release_stops_subscribe_with_an_error_naming_it(
    rabbit: MakeBus, amqp_channel: AbstractChannel
) -> None:
    bus = await rabbit()
    name = bus.queue_name("svc")
    # What releases before quorum queues declared.
    await amqp_channel.declare_queue(
        name,
        durable=True,
        arguments={"x-dead-letter-exchange": bus.dead_letter_exchange, "x-dead-letter-routing-key": name},
    )
    try:
        with pytest.raises(QueueArgumentsMismatch, match=rf"'{name}'.*inequivalent arg.*docs/operations.md") as caught:
            await bus.subscribe("svc", ["patient.*"], Recorder())
        assert caught.value.queue == name
    finally:
        # subscribe declared the parking and retry queues before it met the classic one
        for queue in (name, bus.retry_queue_name(name), bus.parking_queue_name(name)):
            await amqp_channel.queue_delete(queue)


async def test_the_isolation_cleanup_deletes_the_quorum_queues_of_the_tests_consumers(
    amqp_url: str, rabbit: MakeBus
) -> None:
    bus = await rabbit()
    for consumer in ("notifier", "spy"):
        await bus.subscribe(consumer, ["#"], Recorder())
    queues = [q for name in bus._queues for q in (name, bus.retry_queue_name(name), bus.parking_queue_name(name))]
    await bus.close()

    await delete_topology(amqp_url, bus.exchange_name, bus.queue_prefix)

    await assert_topology_gone(amqp_url, queues, [bus.exchange_name, bus.dead_letter_exchange, bus.broadcast_exchange])
