"""The planner/dispatcher loop: an asyncio task of the service, no external cron (NOT-5, NOT-7).

Each pass plans the birthday greetings due around now and sends everything due. Passes are
serialised by a lock, so a pass asked for by a test (`run_once`) never overlaps the loop's
own. On start the first pass runs at once: what fell due while the service was down goes out
(or is dropped as stale) right away.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import timedelta

from clinic_shared.logging import get_logger
from notifier.delivery.dispatcher import Dispatcher
from notifier.delivery.resources import Resources
from notifier.planning import service as planning

log = get_logger(__name__)

# Birthday greetings are planned this far ahead, so one is queued well before it is due.
BIRTHDAY_LOOKAHEAD = timedelta(days=1)


@dataclass(frozen=True)
class PassReport:
    planned: int
    handled: int


class Worker:
    def __init__(self, resources: Resources) -> None:
        # What each pass runs on (a test may put resources with another HTTP client here).
        self.resources = resources
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        """Start the loop (its first pass runs at once)."""
        self._stopping = False
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name="notifier-worker")

    def wake(self) -> None:
        """Run a pass soon (after an event planned something)."""
        self._wake.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """Let the pass in progress finish (up to `timeout`), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(self._task)
        except TimeoutError:
            log.warning("notifier.worker.stop_timeout")
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def run_once(self) -> PassReport:
        """Plan birthdays around now and send everything due."""
        async with self._lock:
            planned = await self._plan_birthdays()
            handled = await Dispatcher(self.resources).dispatch_due()
            return PassReport(planned=planned, handled=handled)

    async def _plan_birthdays(self) -> int:
        runtime = self.resources.runtime
        now = self.resources.now()
        grace = timedelta(minutes=self.resources.settings.notifier_stale_grace_minutes)
        async with runtime.db.sessionmaker() as session, session.begin():
            schedules = await planning.enabled_specs(session, {"days_before_birthday"})
            if not schedules:
                return 0
            return await planning.plan_birthdays(
                session,
                schedules=schedules,
                tz=self.resources.tz,
                window_start=now - grace,
                window_end=now + BIRTHDAY_LOOKAHEAD,
                now=now,
            )

    async def _run(self) -> None:
        interval = self.resources.settings.notifier_tick_seconds
        while not self._stopping:
            # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that arrives
            # together with the wake-up, and the loop would never end.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.run_once()
            except Exception as exc:
                log.warning("notifier.worker.pass_failed", error=type(exc).__name__, detail=str(exc)[:200])
