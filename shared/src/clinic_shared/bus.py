"""The event bus: one interface, two transports.

- `InProcessBus` (embedded mode): `publish` hands the event to every matching subscriber and
  returns once each has applied it (or parked it after the retries), so the outbox marks a row
  published only when it has really been delivered.
- `RabbitMqBus` (distributed mode): durable topic exchange, persistent messages, publisher
  confirms, a durable queue per consumer service, retries with a growing delay through a
  per-queue retry (delay) queue, and a dead-letter (parking) queue after `max_attempts`
  failures. Everything is declared through aio-pika's robust connection, so after a broker
  restart or a dropped connection the exchanges, queues, bindings and consumers come back by
  themselves.

Besides domain events, a bus carries broadcasts: small notices every *process* must see (not
one consumer per service), such as ended login sessions. They are best effort and not
persisted: whoever sends one repeats its current state often enough that a process which
missed a copy, or started later, catches up (see gateway/sessions.py). On RabbitMQ they go
through a fanout exchange `<exchange>.broadcast` to one private, auto-deleted queue per process.

A process may also watch domain events itself (`subscribe_private`): every process that does
gets every matching event on a private, auto-deleted queue of its own bound to the topic
exchange (not a consumer queue shared by the replicas of a service). Best effort like the
broadcasts: what is published while the process or its connection is away is not kept for it.
The gateway's live updates (gateway/live) use it so that every gateway replica sees every event.

Topology of a consumer queue `<q>` (names carry the bus's `queue_prefix`):

    exchange (topic) ──pattern──▶ <q> ──handler fails──▶ <q>.retry (per-message TTL)
                                   ▲                          │ expires
                                   └──── default exchange ◀───┘
    <q> ──rejected (max attempts or poison)──▶ <exchange>.dlx (direct, key <q>) ──▶ <q>.dead
    <q> ──taken back more than `delivery_limit` times──▶ (the same way) ──▶ <q>.dead

The three are quorum queues (replicated over the broker's nodes), see `consumer_queue_arguments`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aio_pika
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
    AbstractRobustQueue,
)
from pydantic import ValidationError

from clinic_shared.context import correlation_id_var
from clinic_shared.events import EventEnvelope, topic_matches
from clinic_shared.logging import get_logger
from clinic_shared.tracing import continue_trace

log = get_logger(__name__)

EnvelopeHandler = Callable[[EventEnvelope], Awaitable[None]]
BroadcastHandler = Callable[[str, dict[str, Any]], Awaitable[None]]


class EventBus(Protocol):
    async def start(self) -> None: ...

    async def publish(self, envelope: EventEnvelope) -> None:
        """Return only once the event is durably accepted by the transport."""

    async def publish_many(self, envelopes: Sequence[EventEnvelope], confirmed: list[int]) -> None:
        """Publish in order. Append to `confirmed` the position of each envelope once it and all
        before it are durably accepted; raise the first failure (later ones count as not sent)."""

    async def subscribe(self, queue: str, patterns: list[str], handler: EnvelopeHandler) -> None: ...

    async def queue_depths(self, queue: str) -> dict[str, int]:
        """Messages waiting in a consumer queue: `main` (its lag), `retry`, `dead` (parked)."""

    async def broadcast(self, topic: str, payload: dict[str, Any]) -> None:
        """Send a notice to every process subscribed to broadcasts (best effort, not persisted)."""

    async def subscribe_broadcasts(self, name: str, handler: BroadcastHandler) -> None:
        """Receive every broadcast (`handler(topic, payload)`) in this process; `name` labels its queue."""

    async def subscribe_private(self, name: str, patterns: list[str], handler: EnvelopeHandler) -> None:
        """Receive every event matching `patterns` in this process, one at a time in arrival
        order, on a queue of its own (best effort: no retries, nothing kept while away)."""

    async def close(self) -> None: ...


def _message_headers(envelope: EventEnvelope) -> dict[str, Any]:
    """The producer, and the trace context (W3C's name) for tools that read message headers."""
    headers: dict[str, Any] = {"producer": envelope.producer}
    if envelope.traceparent:
        headers["traceparent"] = envelope.traceparent
    return headers


def retry_delay(attempt: int, base: float = 0.2, cap: float = 30.0) -> float:
    """Delay before retry number `attempt` (1-based): exponential, capped."""
    return min(cap, base * 2.0 ** (attempt - 1))


async def _call_in_context(handler: EnvelopeHandler, envelope: EventEnvelope) -> None:
    """Run a handler with the event's correlation id and in the trace the event was written in,
    so what it logs and publishes carries them."""
    token = correlation_id_var.set(envelope.correlation_id or correlation_id_var.get())
    try:
        with continue_trace(envelope.traceparent):
            await handler(envelope)
    finally:
        correlation_id_var.reset(token)


@dataclass
class _Subscription:
    queue: str
    patterns: list[str]
    handler: EnvelopeHandler


@dataclass
class InProcessBus:
    """Embedded-mode bus: delivery happens inside `publish`, to all subscribers concurrently.

    A handler that keeps failing is retried `max_attempts` times, then the event is parked in
    `dead_letters[queue]` and delivery goes on with the other subscribers and the next events.
    """

    max_attempts: int = 5
    retry_base_seconds: float = 0.05
    subscriptions: list[_Subscription] = field(default_factory=list)
    dead_letters: dict[str, list[EventEnvelope]] = field(default_factory=dict)
    published: list[EventEnvelope] = field(default_factory=list)
    keep_published: int = 1000
    broadcast_handlers: list[BroadcastHandler] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def subscribe(self, queue: str, patterns: list[str], handler: EnvelopeHandler) -> None:
        self.subscriptions.append(_Subscription(queue, list(patterns), handler))

    async def publish_many(self, envelopes: Sequence[EventEnvelope], confirmed: list[int]) -> None:
        for position, envelope in enumerate(envelopes):
            await self.publish(envelope)
            confirmed.append(position)

    async def publish(self, envelope: EventEnvelope) -> None:
        """Deliver to every matching subscriber at once, as a broker's queues would: one slow
        consumer (a service writing its own database) does not hold back the others, e.g. the
        gateway's live stream. Each subscriber still gets the events in publish order."""
        self.published.append(envelope)
        del self.published[: -self.keep_published]
        matching = [
            sub for sub in list(self.subscriptions) if any(topic_matches(p, envelope.type) for p in sub.patterns)
        ]
        if len(matching) == 1:
            await self._deliver(matching[0], envelope)
        elif matching:
            await asyncio.gather(*(self._deliver(sub, envelope) for sub in matching))

    async def _deliver(self, sub: _Subscription, envelope: EventEnvelope) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                await _call_in_context(sub.handler, envelope)
                return
            except Exception as exc:
                log.warning(
                    "event.handler_failed",
                    queue=sub.queue,
                    event_type=envelope.type,
                    event_id=str(envelope.id),
                    attempt=attempt,
                    error=type(exc).__name__,
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(retry_delay(attempt, self.retry_base_seconds, 2.0))
        self.dead_letters.setdefault(sub.queue, []).append(envelope)
        log.error("event.dead_lettered", queue=sub.queue, event_type=envelope.type, event_id=str(envelope.id))

    async def queue_depths(self, queue: str) -> dict[str, int]:
        """Nothing ever waits here (delivery happens inside `publish`; the outbox backlog is the
        lag), so only the parked events count."""
        return {"main": 0, "retry": 0, "dead": len(self.dead_letters.get(queue, []))}

    async def broadcast(self, topic: str, payload: dict[str, Any]) -> None:
        for handler in list(self.broadcast_handlers):
            await _deliver_broadcast(handler, topic, payload)

    async def subscribe_broadcasts(self, name: str, handler: BroadcastHandler) -> None:
        self.broadcast_handlers.append(handler)

    async def subscribe_private(self, name: str, patterns: list[str], handler: EnvelopeHandler) -> None:
        """In one process every subscription already sees every event."""
        await self.subscribe(f"private.{name}", patterns, handler)

    async def close(self) -> None:
        self.subscriptions.clear()
        self.broadcast_handlers.clear()


async def _deliver_broadcast(handler: BroadcastHandler, topic: str, payload: dict[str, Any]) -> None:
    """A failing receiver is logged and skipped: the sender repeats its state anyway."""
    try:
        await handler(topic, payload)
    except Exception as exc:
        log.warning("bus.broadcast_handler_failed", topic=topic, error=type(exc).__name__)


ATTEMPT_HEADER = "x-clinic-attempt"
# Headers RabbitMQ adds when it dead-letters a message (here: each expiry from the retry
# queue). A retry copy is a new publish and starts without them: the broker's dead-letter
# bookkeeping must not pile up across attempts nor feed its dead-letter cycle detection.
_DEATH_HEADER_PREFIXES = ("x-death", "x-first-death", "x-last-death")


# Consumer queues are quorum queues: replicated over the broker's nodes, so losing one node loses
# neither the queue nor its messages. RabbitMQ 3.10 quorum queues honour per-message TTL and
# dead-letter expired messages (checked on 3.10.8: the retry queue works as one), only at the
# queue's head, as classic queues do.
QUORUM = {"x-queue-type": "quorum"}
# At-least-once dead-lettering: a message leaves its queue only once the target queue has
# confirmed it (at-most-once, the default, drops it if the target cannot take it, e.g. while
# its leader moves to another node). Both dead-letter paths carry events nothing else holds: a
# retry copy (its original is acked) and a parked event. RabbitMQ requires `reject-publish`
# overflow with it; no length limit is set, and if an operator adds one, publishers get nacks
# and the outbox keeps the events rather than the queue dropping them.
AT_LEAST_ONCE_DEAD_LETTERING = {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}
QUEUE_MIGRATION_DOC = "docs/operations.md, 'Consumer queues are quorum queues'"


class QueueArgumentsMismatch(RuntimeError):
    """A consumer queue exists on the broker with other arguments than this release declares
    (a classic queue from an older release, or another delivery limit). Start-up stops here:
    RabbitMQ cannot change a queue's type or arguments, the queue has to be moved (see the doc)."""

    def __init__(self, queue: str, broker_says: str) -> None:
        super().__init__(
            f"RabbitMQ queue {queue!r} exists with other arguments than this release declares "
            f"({broker_says}); consumer queues are quorum queues with a delivery limit: move the "
            f"queue as {QUEUE_MIGRATION_DOC} describes, then start again"
        )
        self.queue = queue


def _attempt_of(message: AbstractIncomingMessage) -> int:
    try:
        return max(1, int((message.headers or {}).get(ATTEMPT_HEADER, 1)))  # type: ignore[arg-type]  # a header value is aiormq's FieldValue union; ours is always an int
    except (TypeError, ValueError):
        return 1


class RabbitMqBus:
    """Distributed-mode bus on RabbitMQ (aio-pika, robust connection)."""

    def __init__(
        self,
        url: str,
        *,
        exchange: str = "clinic.events",
        queue_prefix: str = "",
        max_attempts: int = 5,
        prefetch: int = 32,
        retry_base_seconds: float = 0.5,
        retry_max_seconds: float = 60.0,
        publish_timeout: float = 10.0,
        reconnect_interval: float | None = None,
        connection_name: str = "clinic",
        drain_seconds: float = 10.0,
        delivery_limit: int = 10,
    ) -> None:
        self.url = url
        self.exchange_name = exchange
        self.queue_prefix = queue_prefix
        self.max_attempts = max_attempts
        self.prefetch = prefetch
        self.retry_base_seconds = retry_base_seconds
        self.retry_max_seconds = retry_max_seconds
        self.publish_timeout = publish_timeout
        self.reconnect_interval = reconnect_interval
        self.connection_name = connection_name
        self.drain_seconds = drain_seconds
        # Returns of a message to its queue without an answer (the consumer died or lost its
        # connection while holding it, or nacked it) before the broker parks it: see the setting.
        self.delivery_limit = delivery_limit
        self.connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractRobustChannel | None = None
        self._exchange: AbstractRobustExchange | None = None
        self._consumer_channels: list[AbstractRobustChannel] = []
        self._consumers: list[tuple[AbstractRobustQueue, str]] = []
        self._queues: list[str] = []
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._broadcasts: AbstractRobustExchange | None = None
        self._broadcast_queues: list[str] = []

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.exchange_name}.dlx"

    @property
    def broadcast_exchange(self) -> str:
        return f"{self.exchange_name}.broadcast"

    def queue_name(self, queue: str) -> str:
        return f"{self.queue_prefix}{queue}"

    @staticmethod
    def retry_queue_name(name: str) -> str:
        return f"{name}.retry"

    @staticmethod
    def parking_queue_name(name: str) -> str:
        return f"{name}.dead"

    def consumer_queue_arguments(self, name: str) -> dict[str, dict[str, Any]]:
        """The queues of consumer queue `name` (prefixed) and their arguments, dead-letter
        targets first: the parking queue, the retry queue, the consumer queue.

        The consumer queue's delivery limit catches what the attempt count cannot: a message
        whose handling never ends with an ack or reject (the process is killed by it, or it is
        nacked back every time) would otherwise be redelivered forever, first in line.
        """
        dead_letter_to = {"x-dead-letter-exchange": self.dead_letter_exchange, "x-dead-letter-routing-key": name}
        return {
            self.parking_queue_name(name): dict(QUORUM),
            self.retry_queue_name(name): {
                **QUORUM,
                **AT_LEAST_ONCE_DEAD_LETTERING,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": name,
            },
            name: {**QUORUM, **AT_LEAST_ONCE_DEAD_LETTERING, **dead_letter_to, "x-delivery-limit": self.delivery_limit},
        }

    async def start(self) -> None:
        kwargs: dict[str, Any] = {"client_properties": {"connection_name": self.connection_name}}
        if self.reconnect_interval is not None:
            kwargs["reconnect_interval"] = self.reconnect_interval
        self.connection = await aio_pika.connect_robust(self.url, **kwargs)
        # Everything is declared through robust channels of the robust connection: aio-pika
        # re-declares exchanges, queues, bindings, QoS and consumers after a reconnection.
        self._publish_channel = await self.connection.channel(publisher_confirms=True)
        self._exchange = await self._publish_channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await self._publish_channel.declare_exchange(
            self.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
        )
        self._broadcasts = await self._publish_channel.declare_exchange(
            self.broadcast_exchange, aio_pika.ExchangeType.FANOUT, durable=True
        )

    @staticmethod
    def _message(envelope: EventEnvelope) -> aio_pika.Message:
        return aio_pika.Message(
            body=envelope.model_dump_json().encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(envelope.id),
            type=envelope.type,
            correlation_id=envelope.correlation_id,
            # The trace context in the message's headers too (W3C's name), for tools that read
            # them; consumers here take it from the envelope, where the outbox stored it.
            headers=_message_headers(envelope),
        )

    async def publish(self, envelope: EventEnvelope) -> None:
        await self.publish_many([envelope], [])

    async def publish_many(self, envelopes: Sequence[EventEnvelope], confirmed: list[int]) -> None:
        """All the messages are sent at once and their confirms awaited together (one broker
        fsync covers many), in order: the publishes share one channel, whose lock hands out
        delivery tags in the order the publishes start, and RabbitMQ keeps a channel's order.

        The channel has publisher confirms: a message counts once the broker has taken it
        (persisted in durable queues); a nack, a closed channel or the timeout raise, and the
        outbox keeps that row and the ones after it for a later pass. `mandatory=False`: an
        event no queue is bound to yet is accepted and dropped by the broker, it must not
        block the outbox.
        """
        if self._exchange is None or self._publish_channel is None:
            raise RuntimeError("bus not started")
        exchange = self._exchange
        pending: list[asyncio.Task[Any]] = []
        try:
            async with asyncio.timeout(self.publish_timeout):
                await self._publish_channel.ready()  # waits out a reconnection in progress
                pending = [
                    asyncio.create_task(exchange.publish(self._message(e), routing_key=e.type, mandatory=False))
                    for e in envelopes
                ]
                for position, task in enumerate(pending):
                    await task
                    confirmed.append(position)
        finally:
            for task in pending:
                if not task.done():
                    task.cancel()
            # Collect what the unawaited ones raised (nothing is left unretrieved).
            await asyncio.gather(*pending, return_exceptions=True)

    async def subscribe(self, queue: str, patterns: list[str], handler: EnvelopeHandler) -> None:
        if self.connection is None:
            raise RuntimeError("bus not started")
        name = self.queue_name(queue)
        channel = await self.connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        dlx = await channel.declare_exchange(self.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True)
        declared = {
            queue_name: await self._declare_consumer_queue(channel, queue_name, arguments)
            for queue_name, arguments in self.consumer_queue_arguments(name).items()
        }
        await declared[self.parking_queue_name(name)].bind(dlx, routing_key=name)
        q = declared[name]
        for pattern in patterns:
            await q.bind(exchange, routing_key=pattern)

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._in_flight.add(task)
            try:
                await self._on_message(channel, name, message, handler)
            finally:
                if task is not None:
                    self._in_flight.discard(task)

        tag = await q.consume(on_message)
        self._consumers.append((q, tag))
        self._consumer_channels.append(channel)
        self._queues.append(name)

    @staticmethod
    async def _declare_consumer_queue(
        channel: AbstractRobustChannel, name: str, arguments: dict[str, Any]
    ) -> AbstractRobustQueue:
        """Declare a durable consumer queue; one that exists with other arguments stops start-up
        with an error naming it (RabbitMQ answers PRECONDITION_FAILED and closes the channel)."""
        try:
            return await channel.declare_queue(name, durable=True, arguments=arguments)
        except aio_pika.exceptions.ChannelPreconditionFailed as exc:
            with contextlib.suppress(Exception):
                await channel.close()  # the robust channel would reopen and declare the others again
            raise QueueArgumentsMismatch(name, str(exc.args[0] if exc.args else exc)) from exc

    async def _on_message(
        self,
        channel: AbstractRobustChannel,
        queue: str,
        message: AbstractIncomingMessage,
        handler: EnvelopeHandler,
    ) -> None:
        attempt = _attempt_of(message)
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except (ValueError, ValidationError):
            # Not an envelope: no retry can help, park it at once and keep the queue flowing.
            log.error("event.poison", queue=queue, message_id=message.message_id)
            await _settle(message.reject(requeue=False), queue, message)
            return
        try:
            await _call_in_context(handler, envelope)
        except Exception as exc:
            log.warning(
                "event.handler_failed",
                queue=queue,
                event_type=envelope.type,
                event_id=str(envelope.id),
                attempt=attempt,
                error=type(exc).__name__,
            )
            if attempt >= self.max_attempts:
                log.error("event.dead_lettered", queue=queue, event_type=envelope.type, event_id=str(envelope.id))
                await _settle(message.reject(requeue=False), queue, message)
                return
            await self._retry_later(channel, queue, message, attempt)
            return
        await _settle(message.ack(), queue, message)

    async def _retry_later(
        self, channel: AbstractRobustChannel, queue: str, message: AbstractIncomingMessage, attempt: int
    ) -> None:
        """Park a copy in the retry queue for a growing delay, then ack the original.

        The copy expires back into the consumer queue with the next attempt number; the
        consumer holds no prefetch slot meanwhile, so other messages keep flowing, and the
        retry survives a restart of the consumer.
        """
        delay = retry_delay(attempt, self.retry_base_seconds, self.retry_max_seconds)
        headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith(_DEATH_HEADER_PREFIXES)}
        headers[ATTEMPT_HEADER] = attempt + 1
        retry = aio_pika.Message(
            body=message.body,
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            type=message.type,
            correlation_id=message.correlation_id,
            headers=headers,
            expiration=max(delay, 0.001),
        )
        try:
            # Confirmed publish first, ack second: a crash in between duplicates the message
            # (the inbox absorbs it) but never loses it.
            await channel.default_exchange.publish(
                retry, routing_key=self.retry_queue_name(queue), mandatory=False, timeout=self.publish_timeout
            )
        except Exception as exc:
            log.warning("event.retry_publish_failed", queue=queue, message_id=message.message_id, error=repr(exc))
            await asyncio.sleep(delay)
            await _settle(message.nack(requeue=True), queue, message)
            return
        await _settle(message.ack(), queue, message)

    async def broadcast(self, topic: str, payload: dict[str, Any]) -> None:
        """A transient message on the fanout exchange; confirmed, so a dead broker raises."""
        if self._broadcasts is None or self._publish_channel is None:
            raise RuntimeError("bus not started")
        message = aio_pika.Message(
            body=json.dumps(payload, separators=(",", ":")).encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.NOT_PERSISTENT,
            type=topic,
        )
        async with asyncio.timeout(self.publish_timeout):
            await self._publish_channel.ready()
            await self._broadcasts.publish(message, routing_key=topic, mandatory=False)

    async def subscribe_broadcasts(self, name: str, handler: BroadcastHandler) -> None:
        """A private queue of this process (exclusive, deleted with its connection; the robust
        connection declares it again after a reconnection) bound to the fanout exchange."""
        if self.connection is None:
            raise RuntimeError("bus not started")
        channel = await self.connection.channel(publisher_confirms=False)
        exchange = await channel.declare_exchange(self.broadcast_exchange, aio_pika.ExchangeType.FANOUT, durable=True)
        queue_name = f"{self.queue_prefix}broadcast.{name}.{uuid.uuid4().hex[:12]}"
        queue = await channel.declare_queue(
            queue_name, exclusive=True, auto_delete=True, arguments={"x-message-ttl": 60_000}
        )
        await queue.bind(exchange)

        async def on_message(message: AbstractIncomingMessage) -> None:
            try:
                payload = json.loads(message.body)
            except ValueError:
                log.warning("bus.broadcast_poison", queue=queue_name)
                return
            await _deliver_broadcast(handler, message.type or "", payload)

        tag = await queue.consume(on_message, no_ack=True)
        self._consumers.append((queue, tag))
        self._consumer_channels.append(channel)
        self._broadcast_queues.append(queue_name)

    async def subscribe_private(self, name: str, patterns: list[str], handler: EnvelopeHandler) -> None:
        """A private queue of this process (exclusive, deleted with its connection; the robust
        connection declares it again after a reconnection) bound to the topic exchange.

        Messages are handled one at a time in their order (an asyncio lock: aio-pika starts a
        task per message) and acked whatever the handler does: a failure is logged, not retried."""
        if self.connection is None:
            raise RuntimeError("bus not started")
        channel = await self.connection.channel(publisher_confirms=False)
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue_name = f"{self.queue_prefix}private.{name}.{uuid.uuid4().hex[:12]}"
        queue = await channel.declare_queue(queue_name, exclusive=True, auto_delete=True)
        for pattern in patterns:
            await queue.bind(exchange, routing_key=pattern)
        in_order = asyncio.Lock()

        async def on_message(message: AbstractIncomingMessage) -> None:
            async with in_order:
                try:
                    envelope = EventEnvelope.model_validate_json(message.body)
                except (ValueError, ValidationError):
                    log.warning("event.poison", queue=queue_name, message_id=message.message_id)
                else:
                    try:
                        await _call_in_context(handler, envelope)
                    except Exception as exc:
                        log.warning(
                            "event.private_handler_failed",
                            queue=queue_name,
                            event_type=envelope.type,
                            event_id=str(envelope.id),
                            error=type(exc).__name__,
                        )
                await _settle(message.ack(), queue_name, message)

        tag = await queue.consume(on_message)
        self._consumers.append((queue, tag))
        self._consumer_channels.append(channel)
        self._broadcast_queues.append(queue_name)

    async def queue_depths(self, queue: str) -> dict[str, int]:
        """Ready messages of consumer queue `queue`, its retry queue and its parking queue.

        Passive declares on a short-lived channel, for metrics: nothing is created, and the
        robust connection does not keep the declarations to replay after a reconnection.
        Raises when the broker cannot answer within `publish_timeout` or a queue is missing.
        """
        if self.connection is None:
            raise RuntimeError("bus not started")
        name = self.queue_name(queue)
        names = {"main": name, "retry": self.retry_queue_name(name), "dead": self.parking_queue_name(name)}
        async with asyncio.timeout(self.publish_timeout):
            channel = await self.connection.channel(publisher_confirms=False)
            try:
                underlay = await channel.get_underlay_channel()
                depths = {}
                for key, queue_name in names.items():
                    declared = await underlay.queue_declare(queue_name, passive=True)
                    depths[key] = int(declared.message_count or 0)
                return depths
            finally:
                with contextlib.suppress(Exception):
                    await channel.close()

    async def delete_topology(self) -> None:
        """Delete the exchanges and queues this bus declared (tests, throw-away environments).

        Works before or after `close()`. Consumers are cancelled first, otherwise the broker's
        consumer cancellation would make the robust connection re-declare the deleted queues.
        """
        await self._close_consumers()
        if self._publish_channel is not None:
            await self._publish_channel.close()  # it would re-declare the exchanges on a reconnection
        self._publish_channel = None
        self._exchange = None
        self._broadcasts = None
        connection = await aio_pika.connect(self.url)  # plain connection: nothing to restore
        try:
            channel = await connection.channel(publisher_confirms=False)
            for name in self._queues:
                for queue in (name, self.retry_queue_name(name), self.parking_queue_name(name)):
                    await channel.queue_delete(queue)
            self._queues.clear()
            self._broadcast_queues.clear()  # auto-deleted with their consumers, closed above
            await channel.exchange_delete(self.exchange_name)
            await channel.exchange_delete(self.dead_letter_exchange)
            await channel.exchange_delete(self.broadcast_exchange)
        finally:
            await connection.close()

    async def _close_consumers(self) -> None:
        """Stop taking messages, let the handlers in flight finish (up to `drain_seconds`), close."""
        for queue, tag in self._consumers:
            try:
                await queue.cancel(tag, timeout=5)
            except Exception:  # noqa: S110 - the channel is gone: nothing to cancel
                pass
        self._consumers.clear()
        if self._in_flight:
            # Unfinished handlers are cancelled with their channel; the broker redelivers them.
            await asyncio.wait(set(self._in_flight), timeout=self.drain_seconds)
        for channel in self._consumer_channels:
            try:
                await channel.close()
            except Exception:  # noqa: S110 - closing a channel of a dying connection
                pass
        self._consumer_channels.clear()

    async def close(self) -> None:
        await self._close_consumers()
        if self.connection is not None:
            await self.connection.close()
            self.connection = None
        self._publish_channel = None
        self._exchange = None
        self._broadcasts = None


async def _settle(action: Awaitable[None], queue: str, message: AbstractIncomingMessage) -> None:
    """Ack/nack/reject; if the channel died meanwhile the broker redelivers the message."""
    try:
        await action
    except Exception as exc:
        log.warning("event.settle_failed", queue=queue, message_id=message.message_id, error=repr(exc))


def make_bus(settings: object) -> EventBus:
    """RabbitMQ when `amqp_url` is set, otherwise the in-process bus."""
    url = getattr(settings, "amqp_url", None)
    if url:
        return RabbitMqBus(
            url,
            exchange=getattr(settings, "events_exchange", "clinic.events"),
            queue_prefix=getattr(settings, "queue_prefix", ""),
            max_attempts=getattr(settings, "consumer_max_attempts", 5),
            prefetch=getattr(settings, "consumer_prefetch", 32),
            connection_name=f"clinic-{getattr(settings, 'service_name', 'service')}",
            delivery_limit=getattr(settings, "consumer_delivery_limit", 10),
        )
    return InProcessBus(max_attempts=getattr(settings, "consumer_max_attempts", 5))
