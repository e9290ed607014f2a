"""Consumer queues are quorum queues, on the fault suite's private RabbitMQ node.

- Events for a stopped consumer (the notifier) survive a restart of the whole broker node: the
  queue holds as many messages after the restart as before, and once the notifier is back every
  booking reaches it, once.
- A poisoned event, on which a consumer's handler gets stuck until the process is killed, is
  taken back by the broker on every kill and parked in the `.dead` queue once it has been taken
  back more than the delivery limit; every other event is handled exactly once, those behind it
  included. The consumer is a process of the test's own on the production bus code
  (`fault_consumer.py`): no service has a handler that can be made to hang on purpose.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path

import aio_pika
import pytest
from fault_broker import PrivateBroker, wait_until
from fault_consumer import QUEUE
from fault_harness import FaultCluster, book_stream

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope, PatientState, new_event
from clinic_shared.testing.backends import delete_topology
from gateway.devcluster import _spawn

pytestmark = pytest.mark.fault

BOOKINGS = 30
DELIVERY_LIMIT = 1  # of the test's own consumer: the poison is delivered twice, then parked


def durable_queue_types(broker: PrivateBroker, prefix: str) -> dict[str, str]:
    """Type of every queue with this prefix but the per-process ones (exclusive, hence classic)."""
    return {
        name: kind
        for name, kind in broker.queue_types().items()
        if name.startswith(prefix) and not name.startswith((f"{prefix}broadcast.", f"{prefix}private."))
    }


# `rabbitmqctl list_queues` shows a quorum queue's counts as of its last tick (up to ~5 s old);
# a passive declare answers the ready count and the channels their unacknowledged ones as they are.
async def ready(broker: PrivateBroker, queue: str) -> int:
    connection = await aio_pika.connect(broker.amqp_url)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return int(declared.declaration_result.message_count or 0)


def unacknowledged(broker: PrivateBroker, queue: str) -> int:
    """Messages delivered to the consumers of `queue` and not acknowledged yet."""
    consumers = json.loads(broker.ctl("list_consumers", "queue_name", "channel_pid", "--formatter", "json", "--quiet"))
    channels = {row["channel_pid"] for row in consumers if row["queue_name"] == queue}
    out = broker.ctl("list_channels", "pid", "messages_unacknowledged", "--formatter", "json", "--quiet")
    return sum(int(row["messages_unacknowledged"]) for row in json.loads(out) if row["pid"] in channels)


async def test_events_for_a_stopped_consumer_survive_a_restart_of_the_broker_node(fault_cluster: FaultCluster) -> None:
    broker, cluster = fault_cluster.broker, fault_cluster.cluster
    prefix, notifier_queue = fault_cluster.isolation.prefix, fault_cluster.queue("notifier")
    types = durable_queue_types(broker, prefix)
    for service in ("notifier", "ondoc"):
        for name in (fault_cluster.queue(service), f"{fault_cluster.queue(service)}.retry"):
            assert types.get(name) == "quorum", (name, types)
    assert set(types.values()) == {"quorum"}, types  # every consumer's queue, retry and parking queue

    notifier = cluster.processes["notifier"]
    notifier.terminate()
    notifier.wait(15)
    try:
        await asyncio.to_thread(wait_until, lambda: broker.consumers().get(notifier_queue) == 0, 30)
        async with fault_cluster.api() as api:
            bookings = await book_stream(api, await api.far_slots(BOOKINGS), concurrency=3)
        assert [(b.status, b.error) for b in bookings if b.status != 201] == []
        await wait_async(lambda: _all_published(fault_cluster), 30)
        before = await ready(broker, notifier_queue)
        assert before >= BOOKINGS  # at least the appointment.created of each booking waits there

        started = time.monotonic()
        await asyncio.to_thread(broker.restart)
        print(f"broker node restarted in {time.monotonic() - started:.1f}s")

        # Nothing was lost; other services' outboxes may have added more meanwhile, never fewer.
        assert await ready(broker, notifier_queue) >= before
        assert set(durable_queue_types(broker, prefix).values()) == {"quorum"}
    finally:
        cluster.processes["notifier"] = _spawn("notifier", notifier.args, cluster.envs["notifier"], cluster.state_dir)  # type: ignore[arg-type]

    booked = await fault_cluster.appointments_of({b.doctor_id for b in bookings})
    assert sorted(booked) == sorted(b.appointment_id for b in bookings)
    await fault_cluster.wait_consistent(booked)  # every booking in the notifier's projection, queues drained
    assert await fault_cluster.inbox_duplicates("notifier") == 0
    # The services that stayed up (the ONDOC bridge) consume again by themselves, after their next
    # reconnection attempt (and `list_queues` shows a quorum queue's consumers as of its last tick).
    consumed = (notifier_queue, fault_cluster.queue("ondoc"))
    await asyncio.to_thread(wait_until, lambda: all(broker.consumers().get(q, 0) >= 1 for q in consumed), 30)


async def test_a_poisoned_event_is_parked_after_the_delivery_limit_and_nothing_else_is_lost(
    private_broker: PrivateBroker, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:10]
    exchange, prefix = f"fault.quorum.{tag}", f"fq{tag}_"
    name = f"{prefix}{QUEUE}"
    log = tmp_path / "consumer.log"
    publisher = RabbitMqBus(private_broker.amqp_url, exchange=exchange, queue_prefix=prefix)
    await publisher.start()
    poison, first, second, third = event(), [event() for _ in range(40)], [event() for _ in range(10)], [event()]
    consumer: subprocess.Popen[bytes] | None = None
    rounds: list[float] = []

    def start_consumer() -> subprocess.Popen[bytes]:
        args = [private_broker.amqp_url, exchange, prefix, str(DELIVERY_LIMIT), str(log), str(poison.id)]
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fault_consumer.py")), *args],
            stdout=(tmp_path / "consumer.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        rounds.append(time.monotonic())
        return process

    def lines(kind: str) -> Counter[str]:
        text = log.read_text() if log.exists() else ""
        return Counter(line.split()[1] for line in text.splitlines() if line.startswith(f"{kind} "))

    async def stuck_on_the_poison(handled: list[EventEnvelope], times: int) -> None:
        """Until the consumer has handled (and acked) `handled` and holds only the poison."""
        ids = {str(e.id) for e in handled}

        async def check() -> bool:
            assert consumer is not None and consumer.poll() is None, "the consumer exited"
            if lines("started")[str(poison.id)] != times or not ids <= set(lines("handled")):
                return False
            return (
                await ready(private_broker, name) == 0
                and await asyncio.to_thread(unacknowledged, private_broker, name) == 1
            )

        await wait_async(check, 30)

    try:
        consumer = start_consumer()
        await asyncio.to_thread(wait_until, lambda: "subscribed" in (log.read_text() if log.exists() else ""), 30)
        await publisher.publish_many([*first[:20], poison, *first[20:]], [])
        await stuck_on_the_poison(first, times=1)
        for kill in range(1, DELIVERY_LIMIT + 2):
            consumer.kill()
            consumer.wait(10)
            if kill == 1:
                await publisher.publish_many(second, [])  # queued behind the poison the broker takes back
            if kill <= DELIVERY_LIMIT:
                consumer = start_consumer()
                await stuck_on_the_poison(first + second, times=kill + 1)

        # Taken back once more than the limit: parked, and the queue flows on without it.
        await wait_async(lambda: _is(ready(private_broker, f"{name}.dead"), 1), 30)
        await publisher.publish_many(third, [])
        consumer = start_consumer()
        everything = first + second + third
        await asyncio.to_thread(wait_until, lambda: set(lines("handled")) >= {str(e.id) for e in everything}, 30)
        await asyncio.sleep(0.5)  # a redelivery of the poison would show by now
        assert lines("started") == {str(poison.id): DELIVERY_LIMIT + 1}
        assert lines("handled") == Counter({str(e.id): 1 for e in everything})  # each once, none lost
        assert [await ready(private_broker, q) for q in (name, f"{name}.retry", f"{name}.dead")] == [0, 0, 1]
        assert await asyncio.to_thread(unacknowledged, private_broker, name) == 0
        assert set(durable_queue_types(private_broker, prefix).values()) == {"quorum"}
        assert await parked_reasons(private_broker, f"{name}.dead") == {str(poison.id): "delivery_limit"}
        print(f"poison parked after {len(rounds)} consumer starts in {time.monotonic() - rounds[0]:.1f}s")
    finally:
        if consumer is not None and consumer.poll() is None:
            consumer.kill()
            consumer.wait(10)
        await publisher.close()
        await delete_topology(private_broker.amqp_url, exchange, prefix)
    assert not durable_queue_types(private_broker, prefix), "the test's queues are left on the broker"


def event() -> EventEnvelope:
    patient_id = uuid.uuid4()
    data = PatientState(id=patient_id, card_number="Q-1", last_name="Testov", first_name="Test")
    return new_event("patient.created", data, producer="fault-tests", aggregate_id=patient_id, aggregate_version=1)


async def parked_reasons(broker: PrivateBroker, queue: str) -> dict[str, str]:
    """Message id → why RabbitMQ dead-lettered it, for every message of a parking queue (left there)."""
    connection = await aio_pika.connect(broker.amqp_url)
    async with connection:
        channel = await connection.channel()
        parked = await channel.get_queue(queue)
        reasons = {}
        while (message := await parked.get(fail=False)) is not None:
            reasons[str(message.message_id)] = str(message.headers["x-death"][0]["reason"])  # type: ignore[index]
        return reasons  # unacknowledged: they go back to the queue with the channel


async def _is(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


async def _all_published(fault: FaultCluster) -> bool:
    return not any((await fault.unpublished()).values())


async def wait_async(check, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met in {timeout:.0f}s")
        await asyncio.sleep(0.2)
