"""The gauges of a service's `/metrics`, read fresh on every scrape.

Request counters and latencies are counted as requests pass (`middleware.HttpMetrics`); the
gauges here describe queues, so they are read when Prometheus asks:

- `outbox_backlog`, `outbox_oldest_age_seconds` — events committed but not yet on the bus;
- `consumer_queue_messages{queue="main|retry|dead"}` — the service's consumer queue (its lag),
  messages waiting for a retry, and dead-lettered (parked) messages that need a human;
- each `ServiceMetric` of the service's `ServiceSpec.metrics`, e.g. `outbound_queue_depth` and
  `outbound_oldest_pending_age_seconds` of what waits to go to ONDOC, SMS/e-mail or a lab.

A scrape must stay cheap and must answer even when the database or the broker does not. So
one refresh runs at a time (concurrent scrapes share it), a scrape waits for it at most
`wait_seconds` and otherwise answers with the last values while the refresh finishes in the
background, and every source is read on its own: a failed read leaves its gauge as it was and
counts in `metrics_refresh_errors_total{source}`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.bus import EventBus
from clinic_shared.db import Database
from clinic_shared.logging import get_logger
from clinic_shared.outbox import EventTables, Handler

log = get_logger(__name__)

# Label values (in the order of `ServiceMetric.labels`, without `service`) -> value.
Reading = Mapping[tuple[str, ...], float]
# Gets the service's runtime (`clinic_shared.service.ServiceRuntime`, as each reader declares it)
# and a read-only session. `Any` rather than that class: service.py builds on this module.
MetricReader = Callable[[Any, AsyncSession], Awaitable[Reading]]

OUTBOUND_QUEUE_DEPTH = "outbound_queue_depth"
OUTBOUND_OLDEST_PENDING_AGE = "outbound_oldest_pending_age_seconds"
CONSUMER_QUEUES = ("main", "retry", "dead")


@dataclass(frozen=True)
class ServiceMetric:
    """A gauge a service adds to its `/metrics`, read from its database on every scrape.

    `read` gets the runtime and a read-only session and returns a value per combination of
    label values (ordered as `labels`; the `service` label is added). A combination missing
    from a reading disappears from the output, so return zeros for what must always show.
    Keep the query cheap: an indexed COUNT/MIN, run every scrape interval.
    """

    name: str
    documentation: str
    labels: tuple[str, ...]
    read: MetricReader


def outbound_queue_metrics(*, depth: MetricReader, oldest_pending_age: MetricReader) -> list[ServiceMetric]:
    """The two gauges of an outbound queue, with the names every service shares.

    `depth` reads `{(target, state): items}` (state `pending` or `failed`, or another state
    the service documents), `oldest_pending_age` reads `{(target,): seconds}`.
    """
    return [
        ServiceMetric(
            OUTBOUND_QUEUE_DEPTH,
            "Items of an outbound queue per target and state",
            ("target", "state"),
            depth,
        ),
        ServiceMetric(
            OUTBOUND_OLDEST_PENDING_AGE,
            "How long the oldest pending item of an outbound queue has been waiting",
            ("target",),
            oldest_pending_age,
        ),
    ]


def age_seconds(oldest: datetime | None, now: datetime) -> float:
    """Seconds from `oldest` to `now` (0 when there is nothing, or it lies in the future)."""
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return max(0.0, (now - oldest).total_seconds())


class ScrapedSpec(Protocol):
    """What a scrape reads of a service's spec (`clinic_shared.service.ServiceSpec`)."""

    @property
    def name(self) -> str: ...

    @property
    def events(self) -> EventTables: ...

    @property
    def handlers(self) -> Mapping[str, Handler]: ...


class ScrapedService(Protocol):
    """What a scrape reads of a running service. `clinic_shared.service.ServiceRuntime` is one;
    described here rather than imported, because service.py builds its apps on this module."""

    @property
    def spec(self) -> ScrapedSpec: ...

    @property
    def db(self) -> Database: ...

    @property
    def bus(self) -> EventBus: ...


class ServiceGauges:
    """The scrape-time gauges of one service app, in the registry of its request metrics."""

    def __init__(
        self,
        service: str,
        registry: CollectorRegistry,
        metrics: Sequence[ServiceMetric] = (),
        *,
        wait_seconds: float = 2.0,
    ) -> None:
        self.service = service
        self.registry = registry
        self.wait_seconds = wait_seconds
        self.outbox_backlog = Gauge("outbox_backlog", "Unpublished outbox rows", ["service"], registry=registry)
        self.outbox_age = Gauge(
            "outbox_oldest_age_seconds", "Age of the oldest unpublished row", ["service"], registry=registry
        )
        self.consumer_messages = Gauge(
            "consumer_queue_messages",
            "Messages waiting in the service's consumer queue (main), for a retry (retry), or parked (dead)",
            ["service", "queue"],
            registry=registry,
        )
        self.errors = Counter(
            "metrics_refresh_errors",
            "Scrape-time reads that failed (the gauge kept its previous value)",
            ["service", "source"],
            registry=registry,
        )
        self.metrics = list(metrics)
        self._gauges = {
            metric.name: Gauge(metric.name, metric.documentation, ["service", *metric.labels], registry=registry)
            for metric in self.metrics
        }
        self._refresh_task: asyncio.Task[None] | None = None

    async def scrape(self, runtime: ScrapedService | None) -> None:
        """Refresh the gauges, waiting at most `wait_seconds` (the last values stand meanwhile)."""
        if runtime is None:
            return
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = asyncio.create_task(self._refresh(runtime), name=f"metrics:{self.service}")
        await asyncio.wait({self._refresh_task}, timeout=self.wait_seconds)

    async def close(self, timeout: float = 5.0) -> None:
        """Let a refresh in progress end before the database goes (cancel it after `timeout`)."""
        task, self._refresh_task = self._refresh_task, None
        if task is None or task.done():
            return
        _, pending = await asyncio.wait({task}, timeout=timeout)
        if pending:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _refresh(self, runtime: ScrapedService) -> None:
        """The database reads one after the other, the broker's beside them: one down never
        holds up the other's gauges."""

        async def database() -> None:
            await self._guarded("outbox", self._read_outbox(runtime))
            for metric in self.metrics:
                await self._guarded(metric.name, self._read_metric(runtime, metric))

        async def broker() -> None:
            if runtime.spec.handlers:
                await self._guarded("consumer", self._read_consumer(runtime))

        await asyncio.gather(database(), broker())

    async def _guarded(self, source: str, read: Awaitable[None]) -> None:
        try:
            await read
        except Exception as exc:
            self.errors.labels(self.service, source).inc()
            log.warning("metrics.read_failed", service=self.service, source=source, error=type(exc).__name__)

    async def _read_outbox(self, runtime: ScrapedService) -> None:
        async with runtime.db.read_session() as session:
            count, age = await runtime.spec.events.backlog(session)
        self.outbox_backlog.labels(self.service).set(count)
        self.outbox_age.labels(self.service).set(age)

    async def _read_consumer(self, runtime: ScrapedService) -> None:
        depths = await runtime.bus.queue_depths(runtime.spec.name)
        for queue in CONSUMER_QUEUES:
            self.consumer_messages.labels(self.service, queue).set(depths.get(queue, 0))

    async def _read_metric(self, runtime: ScrapedService, metric: ServiceMetric) -> None:
        async with runtime.db.read_session() as session:
            reading = await metric.read(runtime, session)
        gauge = self._gauges[metric.name]
        # No await between clear and set: a scrape never sees the gauge half-filled.
        gauge.clear()
        for labels, value in reading.items():
            gauge.labels(self.service, *labels).set(value)
