"""The refresh task: uploads the directories every refresh interval of the settings (OND-8)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from clinic_shared.db import utcnow
from clinic_shared.errors import ClinicError
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from clinic_shared.tasks import finish_or_cancel, wait_event
from ondoc_bridge.config import service as config_service
from ondoc_bridge.directories import rules, service
from ondoc_bridge.ondoc.http_adapter import OndocClients
from ondoc_bridge.settings import OndocSettings

log = get_logger(__name__)


class DirectoryRefresher:
    """Looks every `ondoc_sync_check_seconds` whether an upload is due, and uploads."""

    def __init__(self, runtime: ServiceRuntime, clients: OndocClients, settings: OndocSettings) -> None:
        self.runtime = runtime
        self.clients = clients
        self.settings = settings
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._started = time.monotonic()

    def start(self) -> None:
        """Start looking for due uploads."""
        self._started = time.monotonic()
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="ondoc-directory-refresher")

    async def stop(self) -> None:
        """End the loop; an upload in progress may finish first (cancelling it mid-transaction
        would leave a database connection behind)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        await finish_or_cancel(task, grace=self.settings.ondoc_timeout_seconds * 5 + 5)

    async def _run(self) -> None:
        while not self._stop.is_set():
            await wait_event(self._stop, self.settings.ondoc_sync_check_seconds)
            if self._stop.is_set():
                return
            try:
                if await self.due():
                    await service.sync_now(self.runtime, clients=self.clients, settings=self.settings)
            except ClinicError as exc:
                log.warning("ondoc.directories.refresh_skipped", reason=exc.detail[:200])
            except Exception as exc:
                log.warning("ondoc.directories.refresh_failed", error=type(exc).__name__, detail=str(exc)[:200])

    async def due(self) -> bool:
        """Enabled, and the refresh interval has passed since the last attempt (or none was made
        since a start longer ago than the first-sync delay)."""
        async with self.runtime.db.read_session() as session:
            config = await config_service.load(session)
            enabled, interval = config.enabled, timedelta(minutes=config.refresh_interval_minutes)
            last = await service.last_attempt(session)
        return rules.upload_due(
            enabled=enabled,
            last_attempt=last,
            now=utcnow(),
            interval=interval,
            running_for=timedelta(seconds=time.monotonic() - self._started),
            first_delay=timedelta(seconds=self.settings.ondoc_first_sync_delay_seconds),
        )
