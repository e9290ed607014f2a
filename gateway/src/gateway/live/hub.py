"""One gateway process's side of the live stream: events in from the bus, out to its streams.

- `ingest`: the handler of this process's private subscription (`EventBus.subscribe_private`):
  trims the event to its topic's fields and keeps it in the retention table (store.py), then
  wakes the tail. It never raises: the bus must not retry nor park on our account (in embedded
  mode it runs inside the publishing outbox relay).
- the tail task: reads the rows numbered past what it has seen — after its own ingest, and
  every `poll_seconds` anyway, which catches rows another replica kept while this one missed
  the event (broker reconnection) — into a small in-memory window, and wakes the streams.
- the prune task: forgets events past the retention (time and count).

Streams read from the in-memory window, or from the table when they resume further back.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from clinic_shared.bus import EventBus
from clinic_shared.db import Database
from clinic_shared.events import EventEnvelope
from clinic_shared.logging import get_logger
from clinic_shared.tasks import wait_event
from gateway.live import store
from gateway.live.store import StoredEvent
from gateway.live.topics import PATTERNS, kept_data, topic_of

log = get_logger(__name__)


@dataclass
class LiveOptions:
    """Tunables of the live stream. Read from the gateway's settings when they have them
    (`live_heartbeat_seconds` …), else these defaults; tests change them on a running hub."""

    heartbeat_seconds: float = 15.0
    retry_ms: int = 3000  # the client's wait before reconnecting (SSE `retry:`)
    retention_seconds: float = 600.0
    retention_events: int = 10_000
    poll_seconds: float = 2.0
    prune_seconds: float = 30.0
    check_seconds: float = 1.0  # how often a stream checks that its token is still accepted
    window_events: int = 2_000  # events the hub keeps in memory for its streams
    page_events: int = 500  # events read from the table at once

    @classmethod
    def from_settings(cls, settings: object) -> LiveOptions:
        defaults = cls()
        return cls(
            **{name: getattr(settings, f"live_{name}", getattr(defaults, name)) for name in cls.__dataclass_fields__}
        )


class LiveHub:
    """Keeps events for the streams of this process and wakes them when new ones arrive."""

    def __init__(self, db: Database, options: LiveOptions) -> None:
        self.db = db
        self.options = options
        self.head = 0  # the newest number this process has read from the table
        self.window: deque[StoredEvent] = deque(maxlen=options.window_events)
        self.stopping = asyncio.Event()
        self._poke = asyncio.Event()
        self._arrived = asyncio.Event()
        self.subscribed = asyncio.Event()  # set once this process receives the bus's events
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, bus_of: object) -> None:
        """Read where the table stands, subscribe (now, or once the gateway's bus is connected:
        `bus_of` is a callable returning it or None), start the tail and the pruning."""
        async with self.db.read_session() as session:
            _, self.head = await store.bounds(session)
        self._tasks = [
            asyncio.create_task(self._subscribe(bus_of), name="live-subscribe"),
            asyncio.create_task(self._tail(), name="live-tail"),
            asyncio.create_task(self._prune(), name="live-prune"),
        ]

    def watch_server(self, exiting: Callable[[], bool]) -> None:
        """End the streams once `exiting()` turns true (the HTTP server is shutting down: it
        waits for open answers to end before it stops the app, so streams must end first)."""

        async def watch() -> None:
            while not exiting():
                await asyncio.sleep(0.5)
            log.info("gateway.live.server_stopping")
            self.stopping.set()
            self._wake_streams()

        self._tasks.append(asyncio.create_task(watch(), name="live-server-watch"))

    async def stop(self) -> None:
        self.stopping.set()
        self._wake_streams()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _subscribe(self, bus_of: object) -> None:
        while not self.stopping.is_set():
            bus: EventBus | None = bus_of()  # type: ignore[operator]  # bus_of is a callable or None, checked above
            if bus is not None:
                try:
                    await bus.subscribe_private("gateway-live", PATTERNS, self.ingest)
                    log.info("gateway.live.subscribed")
                    self.subscribed.set()
                    return
                except Exception as exc:
                    log.warning("gateway.live.subscribe_failed", error=type(exc).__name__)
            await asyncio.sleep(0.5)

    # -- in --------------------------------------------------------------------------------

    async def ingest(self, envelope: EventEnvelope) -> None:
        topic = topic_of(envelope.type)
        if topic is None:
            return
        for attempt in range(3):
            try:
                async with self.db.session() as session:
                    await store.keep(session, envelope, kept_data(topic, envelope.data))
                break
            except Exception as exc:  # the tail's poll picks up what another replica kept
                log.warning(
                    "gateway.live.keep_failed", event_type=envelope.type, attempt=attempt + 1, error=type(exc).__name__
                )
                await asyncio.sleep(0.2 * (attempt + 1))
        self._poke.set()

    async def _tail(self) -> None:
        while not self.stopping.is_set():
            await wait_event(self._poke, self.options.poll_seconds)
            self._poke.clear()
            try:
                while True:
                    async with self.db.read_session() as session:
                        rows = await store.after(session, self.head, self.options.page_events)
                    if not rows:
                        break
                    if rows[0].seq != self.head + 1:
                        self.window.clear()  # fell behind the retention: the window must stay consecutive
                    self.window.extend(rows)
                    self.head = rows[-1].seq
                    self._wake_streams()
            except Exception as exc:
                log.warning("gateway.live.tail_failed", error=type(exc).__name__)
                await asyncio.sleep(self.options.poll_seconds)

    async def prune(self) -> int:
        """Forget the events past the retention now; how many."""
        async with self.db.session() as session:
            return await store.prune(
                session, keep_seconds=self.options.retention_seconds, keep_events=self.options.retention_events
            )

    async def _prune(self) -> None:
        while not self.stopping.is_set():
            try:
                await self.prune()
            except Exception as exc:
                log.warning("gateway.live.prune_failed", error=type(exc).__name__)
            await wait_event(self.stopping, self.options.prune_seconds)

    # -- out -------------------------------------------------------------------------------

    def _wake_streams(self) -> None:
        arrived, self._arrived = self._arrived, asyncio.Event()
        arrived.set()

    def arrival(self) -> asyncio.Event:
        """An event set when rows past the current head arrive (take it before reading)."""
        return self._arrived

    async def bounds(self) -> tuple[int, int]:
        """(oldest, newest) number kept in the table."""
        async with self.db.read_session() as session:
            return await store.bounds(session)

    async def after(self, seq: int) -> list[StoredEvent]:
        """Events numbered above `seq` that this process has read, oldest first (a page at most)."""
        if seq >= self.head:
            return []
        if self.window and seq >= self.window[0].seq - 1:
            start = seq - self.window[0].seq + 1  # the window's numbers are consecutive
            return list(itertools.islice(self.window, start, start + self.options.page_events))
        async with self.db.read_session() as session:
            rows = await store.after(session, seq, self.options.page_events)
        return [row for row in rows if row.seq <= self.head]
