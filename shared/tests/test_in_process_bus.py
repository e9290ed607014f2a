"""The embedded-mode bus: delivery inside `publish`, retries, parking."""

from __future__ import annotations

import asyncio

from infra_support import make_envelope

from clinic_shared.bus import InProcessBus, make_bus, retry_delay
from clinic_shared.context import correlation_id_var
from clinic_shared.events import EventEnvelope
from clinic_shared.settings import ServiceSettings


def fast_bus(max_attempts: int = 3) -> InProcessBus:
    return InProcessBus(max_attempts=max_attempts, retry_base_seconds=0.001)


async def test_publish_delivers_to_every_subscriber_whose_pattern_matches() -> None:
    bus = fast_bus()
    seen: dict[str, list[str]] = {"patients": [], "all": [], "appointments": []}
    for queue, pattern in (("patients", "patient.*"), ("all", "#"), ("appointments", "appointment.#")):

        async def handler(envelope: EventEnvelope, queue: str = queue) -> None:
            seen[queue].append(envelope.type)

        await bus.subscribe(queue, [pattern], handler)

    await bus.publish(make_envelope(event_type="patient.created"))

    assert seen == {"patients": ["patient.created"], "all": ["patient.created"], "appointments": []}


async def test_failing_handler_is_retried_until_it_succeeds() -> None:
    bus = fast_bus(max_attempts=3)
    calls: list[int] = []

    async def flaky(envelope: EventEnvelope) -> None:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("not yet")

    await bus.subscribe("svc", ["#"], flaky)

    await bus.publish(make_envelope())

    assert len(calls) == 3
    assert bus.dead_letters == {}


async def test_handler_failing_every_attempt_parks_the_event_and_others_keep_flowing() -> None:
    bus = fast_bus(max_attempts=3)
    poison, good = make_envelope(1), make_envelope(2)
    attempts: list[EventEnvelope] = []
    applied: list[EventEnvelope] = []
    other_queue: list[EventEnvelope] = []

    async def handler(envelope: EventEnvelope) -> None:
        attempts.append(envelope)
        if envelope.id == poison.id:
            raise RuntimeError("cannot apply")
        applied.append(envelope)

    async def other(envelope: EventEnvelope) -> None:
        other_queue.append(envelope)

    await bus.subscribe("svc", ["patient.*"], handler)
    await bus.subscribe("other", ["#"], other)

    await bus.publish(poison)
    await bus.publish(good)

    assert bus.dead_letters == {"svc": [poison]}
    assert [e.id for e in attempts] == [poison.id] * 3 + [good.id]
    assert applied == [good]
    assert other_queue == [poison, good]


async def test_handler_runs_with_the_event_correlation_id() -> None:
    bus = fast_bus()
    seen: list[str | None] = []

    async def handler(envelope: EventEnvelope) -> None:
        seen.append(correlation_id_var.get())

    await bus.subscribe("svc", ["#"], handler)
    envelope = make_envelope()

    await bus.publish(envelope)

    assert seen == [envelope.correlation_id]
    assert correlation_id_var.get() is None


async def test_close_drops_the_subscriptions() -> None:
    bus = fast_bus()
    seen: list[EventEnvelope] = []

    async def handler(envelope: EventEnvelope) -> None:
        seen.append(envelope)

    await bus.subscribe("svc", ["#"], handler)
    await bus.close()

    await bus.publish(make_envelope())

    assert seen == []


def test_retry_delay_grows_exponentially_up_to_the_cap() -> None:
    assert [retry_delay(n, 0.5, 3.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_make_bus_without_amqp_url_is_in_process() -> None:
    bus = make_bus(ServiceSettings(amqp_url=None, consumer_max_attempts=7))

    assert isinstance(bus, InProcessBus)
    assert bus.max_attempts == 7


async def test_a_slow_subscriber_does_not_hold_back_the_others() -> None:
    bus = fast_bus()
    slow_started, fast_done = asyncio.Event(), asyncio.Event()

    async def slow(envelope: EventEnvelope) -> None:
        slow_started.set()
        await fast_done.wait()  # would never end if delivery were one subscriber after another

    async def fast(envelope: EventEnvelope) -> None:
        fast_done.set()

    await bus.subscribe("slow-service", ["#"], slow)
    await bus.subscribe("live-stream", ["#"], fast)
    async with asyncio.timeout(5):
        await bus.publish(make_envelope())
    assert slow_started.is_set() and fast_done.is_set()


async def test_each_subscriber_gets_the_events_in_publish_order() -> None:
    bus = fast_bus()
    seen: dict[str, list[int]] = {"a": [], "b": []}
    for queue in seen:

        async def handler(envelope: EventEnvelope, queue: str = queue) -> None:
            await asyncio.sleep(0.01 if queue == "a" else 0)
            seen[queue].append(envelope.aggregate_version)

        await bus.subscribe(queue, ["#"], handler)
    for n in (1, 2, 3):
        await bus.publish(make_envelope(n))
    expected = [1, 2, 3]
    assert seen == {"a": expected, "b": expected}
