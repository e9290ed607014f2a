"""The outbound worker: sends queued items to ONDOC, retrying with backoff while it is down.

Each pass claims due items (a lease, so replicas never send the same one twice at once),
sends them without holding a transaction, then records each outcome in its own transaction.
An item always carries the newest state, and ONDOC upserts by our id and version, so a
retried or repeated call changes nothing there: every state takes effect once, in order.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from pydantic import ValidationError

from clinic_shared.db import utcnow
from clinic_shared.events import AppointmentState
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from clinic_shared.tasks import finish_or_cancel, wait_event
from ondoc_bridge.booking.repository import BookingRepository
from ondoc_bridge.config import service as config_service
from ondoc_bridge.directories.repository import MappingRepository
from ondoc_bridge.links.repository import LinkRepository
from ondoc_bridge.ondoc.contract import PatientDetach
from ondoc_bridge.ondoc.errors import OndocError, OndocPermanentError, OndocTransientError
from ondoc_bridge.ondoc.http_adapter import HttpOndocAdapter, OndocClients
from ondoc_bridge.ondoc.reasons import NOT_ATTACHED
from ondoc_bridge.outbound import rules
from ondoc_bridge.outbound.models import APPOINTMENT, DROPPED, FAILED
from ondoc_bridge.outbound.repository import ClaimedItem, OutboundRepository
from ondoc_bridge.settings import OndocSettings

log = get_logger(__name__)


@dataclass
class _Batch:
    """A claimed batch with what sending it needs, read in the claiming transaction."""

    items: list[ClaimedItem]
    adapter: HttpOndocAdapter
    zone: tzinfo
    zone_name: str
    mappings: rules.Mappings
    ondoc_appointment_ids: dict[str, str]


class OutboundWorker:
    """Background task of one bridge replica (started on startup, stopped on shutdown)."""

    def __init__(
        self,
        runtime: ServiceRuntime,
        clients: OndocClients,
        settings: OndocSettings,
        *,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.runtime = runtime
        self.clients = clients
        self.settings = settings
        self.rand = rand
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._lease = timedelta(seconds=settings.ondoc_timeout_seconds * 2 + 30)

    def wake(self) -> None:
        """Look at the queue now (something was committed)."""
        self._wake.set()

    def start(self) -> None:
        """Start the worker's loop."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="ondoc-outbound-worker")

    async def stop(self) -> None:
        """Let the pass in progress finish, then end the loop.

        Cancelling a pass in the middle of a database transaction would leave its connection
        (and, on SQLite, the write lock) behind; a pass ends within the ONDOC timeout, so we
        wait that long before cancelling anyway.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        await finish_or_cancel(task, grace=self.settings.ondoc_timeout_seconds * 2 + 5)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                handled = await self.run_once()
                if handled:
                    continue
            except Exception as exc:  # a broken pass must not end the worker
                log.warning("ondoc.outbound.pass_failed", error=type(exc).__name__, detail=str(exc)[:200])
            if self._stopping:
                return
            await wait_event(self._wake, self.settings.ondoc_worker_poll_seconds)

    async def run_once(self) -> int:
        """One pass: claim due items, send them, record the outcomes. Returns how many were handled."""
        batch = await self._claim()
        if batch is None:
            return 0
        # Different items may go at once; one item is never sent twice at once (the lease).
        limit = asyncio.Semaphore(self.settings.ondoc_worker_concurrency)

        async def deliver(item: ClaimedItem) -> None:
            """Send one item, at most `ondoc_worker_concurrency` at once."""
            async with limit:
                if self._stopping:
                    skipped.append(item)
                    return
                await self._deliver(item, batch)

        skipped: list[ClaimedItem] = []
        await asyncio.gather(*(deliver(item) for item in batch.items))
        if skipped:
            # Stopping: what was not sent goes back to the queue at once, not after the lease.
            async with self.runtime.db.sessionmaker() as session, session.begin():
                await OutboundRepository(session).release([item.id for item in skipped])
        return len(batch.items)

    async def _claim(self) -> _Batch | None:
        db = self.runtime.db
        now = utcnow()
        # Not `db.session()`: its after-commit callbacks would wake this worker on its own writes.
        async with db.sessionmaker() as session, session.begin():
            config = await config_service.load(session)
            if not config.enabled:
                return None
            repository = OutboundRepository(session)
            claimed = await repository.claim_due(
                now=now,
                lease_until=now + self._lease,
                limit=self.settings.ondoc_worker_batch,
                skip_locked=db.is_postgres,
            )
            if not claimed:
                return None
            try:
                adapter = self.clients.adapter(config_service.connection(config))
            except OndocError as exc:
                # Visible at /outbound; re-queued by themselves once the settings are fixed.
                for item in claimed:
                    await repository.mark_final(item.id, version=item.version, status=FAILED, error=str(exc), now=now)
                log.warning("ondoc.outbound.not_configured", detail=str(exc))
                return None
            links = LinkRepository(session)
            bookings = BookingRepository(session)
            items: list[ClaimedItem] = []
            ondoc_ids: dict[str, str] = {}
            for item in claimed:
                if item.kind == APPOINTMENT and not await links.is_attached(item.patient_id, item.ondoc_patient_id):
                    await repository.mark_final(
                        item.id,
                        version=item.version,
                        status=DROPPED,
                        error=NOT_ATTACHED,  # the text staff read is last_error_text (ondoc/reasons.py)
                        now=now,
                    )
                    continue
                if item.kind == APPOINTMENT and (booking := await bookings.by_appointment(item.id)) is not None:
                    ondoc_ids[str(item.id)] = booking.ondoc_appointment_id
                items.append(item)
            mappings = await MappingRepository(session).all_by_kind()
            zone = config_service.zone(config)
            zone_name = config.time_zone
        if not items:
            return None
        return _Batch(items, adapter, zone, zone_name, mappings, ondoc_ids)

    async def _deliver(self, item: ClaimedItem, batch: _Batch) -> None:
        error: OndocError | None = None
        try:
            await self._send(item, batch)
        except OndocError as exc:
            error = exc
        except (ValidationError, ValueError) as exc:
            error = OndocPermanentError(f"the queued state cannot be sent: {exc}"[:500])
        except Exception as exc:
            log.exception("ondoc.outbound.send_crashed", item_id=str(item.id))
            error = OndocTransientError(f"{type(exc).__name__}: {exc}"[:500])
        await self._record(item, error)

    async def _send(self, item: ClaimedItem, batch: _Batch) -> None:
        if item.kind == APPOINTMENT:
            state = AppointmentState.model_validate(item.state)
            upsert = rules.appointment_upsert(
                state,
                version=item.version,
                ondoc_patient_id=item.ondoc_patient_id,
                patient_id=item.patient_id,
                zone=batch.zone,
                zone_name=batch.zone_name,
                mappings=batch.mappings,
                ondoc_appointment_id=batch.ondoc_appointment_ids.get(str(item.id)),
            )
            await batch.adapter.upsert_appointment(upsert)
        else:
            request = PatientDetach(mis_patient_id=item.patient_id, reason=item.state.get("reason"))
            await batch.adapter.detach_patient(item.ondoc_patient_id, request)

    async def _record(self, item: ClaimedItem, error: OndocError | None) -> None:
        now = utcnow()
        async with self.runtime.db.sessionmaker() as session, session.begin():
            repository = OutboundRepository(session)
            if error is None:
                await repository.mark_sent(item.id, version=item.version, now=now)
                log.info("ondoc.outbound.sent", item_id=str(item.id), kind=item.kind, version=item.version)
            elif error.transient:
                delay = rules.backoff_delay(
                    item.attempts + 1,
                    base=self.settings.ondoc_backoff_base_seconds,
                    cap=self.settings.ondoc_backoff_cap_seconds,
                    rand=self.rand,
                )
                await repository.mark_retry(
                    item.id, error=str(error), next_attempt_at=now + timedelta(seconds=delay), now=now
                )
                log.warning("ondoc.outbound.retry", item_id=str(item.id), attempt=item.attempts + 1, delay=delay)
            else:
                await repository.mark_final(item.id, version=item.version, status=FAILED, error=str(error), now=now)
                log.warning("ondoc.outbound.failed", item_id=str(item.id), kind=item.kind, status=error.status)
