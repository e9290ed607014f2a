"""`RabbitMqBus.queue_depths` on the real broker (CLINIC_AMQP_URL): what /metrics reports as
`consumer_queue_messages{queue="main|retry|dead"}` — the consumer's lag, the messages waiting
for a retry, and the parked ones."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aio_pika
import aiormq
import pytest
from aio_pika.abc import AbstractChannel
from infra_support import make_envelope, wait_until

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope

pytestmark = pytest.mark.rabbitmq

MakeBus = Callable[..., Awaitable[RabbitMqBus]]


async def test_a_fresh_consumer_queue_has_nothing_waiting(rabbit: MakeBus) -> None:
    bus = await rabbit()
    await bus.subscribe("svc", ["patient.*"], _ignore)

    assert await bus.queue_depths("svc") == {"main": 0, "retry": 0, "dead": 0}


async def test_a_poison_message_shows_in_the_dead_count(rabbit: MakeBus, amqp_channel: AbstractChannel) -> None:
    bus = await rabbit()
    await bus.subscribe("svc", ["patient.*"], _ignore)
    exchange = await amqp_channel.get_exchange(bus.exchange_name)

    await exchange.publish(aio_pika.Message(b"{not json", message_id="poison-1"), routing_key="patient.created")

    await wait_until(lambda: _depth_is(bus, "dead", 1))
    assert (await bus.queue_depths("svc"))["main"] == 0


async def test_messages_behind_a_busy_consumer_show_as_its_lag(rabbit: MakeBus) -> None:
    bus = await rabbit(prefetch=1)
    release = asyncio.Event()

    async def busy(_envelope: EventEnvelope) -> None:
        await release.wait()

    await bus.subscribe("svc", ["patient.*"], busy)
    for n in range(4):
        await bus.publish(make_envelope(n + 1))

    await wait_until(lambda: _depth_is(bus, "main", 3))  # one in the handler, three waiting
    release.set()
    await wait_until(lambda: _depth_is(bus, "main", 0))


async def test_a_message_waiting_for_its_retry_shows_in_the_retry_count(rabbit: MakeBus) -> None:
    bus = await rabbit(retry_base_seconds=60)

    async def failing(_envelope: EventEnvelope) -> None:
        raise RuntimeError("handler failed")

    await bus.subscribe("svc", ["patient.*"], failing)
    await bus.publish(make_envelope())

    await wait_until(lambda: _depth_is(bus, "retry", 1))


async def test_a_consumer_queue_that_was_never_declared_is_an_error(rabbit: MakeBus) -> None:
    bus = await rabbit()

    with pytest.raises(aiormq.exceptions.ChannelNotFoundEntity):
        await bus.queue_depths("nobody")


async def _depth_is(bus: RabbitMqBus, queue: str, expected: int) -> bool:
    return (await bus.queue_depths("svc"))[queue] == expected


async def _ignore(_envelope: EventEnvelope) -> None:
    return None
