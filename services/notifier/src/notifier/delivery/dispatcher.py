"""The dispatcher: claim due messages, render them at send time, send, record (NOT-5 … NOT-8).

A pass has three steps so that no database transaction is held open while a provider answers:
1. claim (one transaction): due `queued` rows become `sending` under a lease (`FOR UPDATE SKIP
   LOCKED` on PostgreSQL; SQLite serialises writers), attempts + 1;
2. decide and send (no transaction): drop what no longer makes sense, render from the
   projections, send concurrently;
3. record (one transaction): status, provider id, error, next attempt, and the
   `notification.sent|failed` events through the outbox.
Batches overlap: while one batch is on the wire the next is claimed and prepared, its sends
take the connection slots the first one frees (one `notifier_concurrency` gate for the whole
run), and a batch is recorded while the next is sending. At most two batches are under way, so
the database work no longer leaves the provider idle between batches.
A row left `sending` by a dispatcher that died is never sent again automatically: its
outcome is unknown, and a second SMS is worse than none. It is marked `unknown` with that
reason and staff can retry it by hand.

The same holds for a send whose answer never came (`OutcomeUnknown`: a read timeout, a
connection broken after the request went out). It is retried only when the provider can tell a
resend from a new message (`resend_after_unknown`: SMSC looks its message up by our id first;
SMTP marks copies with our Message-ID); otherwise, or when no attempt is left, the message is
`unknown`. Every send carries our message id as its key.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import AttachCodeIssued, EventEnvelope, NotificationOutcome, new_event
from clinic_shared.logging import get_logger
from clinic_shared.outbound import OutboundRefused
from notifier.config.schemas import NotifierConfig
from notifier.config.service import load_config
from notifier.delivery import factory, judging
from notifier.delivery.base import DeliveryError, OutcomeUnknown, PermanentError, ProviderResult, TransientError
from notifier.delivery.resources import Resources
from notifier.messages.models import Message
from notifier.messages.repository import MessageRepository
from notifier.planning import rules
from notifier.planning.service import attach_code_row
from notifier.projections import service as projections
from notifier.schedules.kinds import ATTACH_CODE_KIND
from notifier.schedules.models import MailingSchedule
from notifier.schedules.repository import ScheduleRepository
from notifier.templates.rendering import render
from notifier.templates.values import RenderData, template_values

log = get_logger(__name__)


@dataclass
class Job:
    """One claimed message on its way out."""

    message: Message
    channel: str
    communication_status_id: uuid.UUID | None = None
    recipient: str | None = None
    subject: str | None = None
    text: str | None = None
    verdict: judging.Verdict | None = None
    error: DeliveryError | None = None
    result: ProviderResult | None = None
    provider: str | None = None
    # Whether the provider may be asked again after an answer that never came (see the module doc).
    resend_after_unknown: bool = False
    context: dict[str, Any] = field(default_factory=dict)


class Dispatcher:
    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.settings = resources.settings

    async def dispatch_due(self) -> int:
        """Send everything due now, batch after batch; returns how many messages were handled."""
        gate = asyncio.Semaphore(self.settings.notifier_concurrency)
        under_way: list[asyncio.Task[None]] = []
        handled = 0
        config: NotifierConfig | None = None  # read (and decrypted) once per run, not per batch
        try:
            while True:
                batch = await self._claim_and_prepare(config)
                if batch is None:
                    break
                jobs, config = batch
                handled += len(jobs)
                under_way.append(asyncio.create_task(self._send_and_record(jobs, config, gate)))
                if len(jobs) < self.settings.notifier_batch_size:
                    break
                # Claim the next batch only once the one before this finished: two at most under way.
                if len(under_way) >= 2:
                    await under_way.pop(0)
        finally:
            # A failure (or a stop) still lets what was sent be recorded before it propagates.
            results = await asyncio.gather(*under_way, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return handled

    async def dispatch_once(self) -> int:
        """One batch of at most `notifier_batch_size` due messages, start to end."""
        batch = await self._claim_and_prepare()
        if batch is None:
            return 0
        jobs, config = batch
        await self._send_and_record(jobs, config, asyncio.Semaphore(self.settings.notifier_concurrency))
        return len(jobs)

    async def _claim_and_prepare(self, config: NotifierConfig | None = None) -> tuple[list[Job], NotifierConfig] | None:
        """Claim due messages (one transaction) and decide and render each (read only); the
        settings are read unless the run already has them."""
        runtime = self.resources.runtime
        now = self.resources.now()
        lease_until = now + timedelta(seconds=self.settings.notifier_lease_seconds)
        # Not `db.session()`: its after-commit hooks wake the worker, which would loop on its own commits.
        async with runtime.db.sessionmaker() as session, session.begin():
            await self._fail_interrupted(session, now)
            claimed = await MessageRepository(session).claim_due(
                now=now, lease_until=lease_until, limit=self.settings.notifier_batch_size
            )
        if not claimed:
            return None
        async with runtime.db.read_session() as session:
            if config is None:
                config = await load_config(session, fakes=self.settings.notifier_fakes)
            jobs = await self._prepare(session, claimed, config, now)
        return jobs, config

    async def _send_and_record(self, jobs: list[Job], config: NotifierConfig, gate: asyncio.Semaphore) -> None:
        await self._send(jobs, config, gate)
        runtime = self.resources.runtime
        async with runtime.db.sessionmaker() as session, session.begin():
            await self._record(session, jobs, self.resources.now())

    async def _fail_interrupted(self, session: AsyncSession, now: datetime) -> None:
        repository = MessageRepository(session)
        interrupted = await repository.interrupted(now=now)
        jobs = []
        for message in interrupted:
            job = Job(message=message, channel=message.channel)
            job.error = OutcomeUnknown("interrupted while sending; delivery unknown, so it is not sent again by itself")
            jobs.append(job)
            log.warning("notifier.message.interrupted", message_id=str(message.id))
        if jobs:
            await self._record(session, jobs, now, allow_retry=False)

    async def _prepare(
        self, session: AsyncSession, messages: list[Message], config: NotifierConfig, now: datetime
    ) -> list[Job]:
        schedule_ids = {m.schedule_id for m in messages if m.schedule_id}
        schedules: dict[uuid.UUID, MailingSchedule] = {
            row.id: row for row in await ScheduleRepository(session).list_all(_schedules_query(schedule_ids))
        }
        appointments = await projections.appointments_by_id(
            session, {m.appointment_id for m in messages if m.appointment_id}
        )
        patient_ids = {m.patient_id for m in messages if m.patient_id}
        patients = await projections.patients_by_id(session, patient_ids)
        contexts = {m.id: judging.context_of(m.context) for m in messages}
        card_ids = {uuid.UUID(c["discount_card_id"]) for c in contexts.values() if c.get("discount_card_id")}
        cards = await projections.discount_cards_by_id(session, card_ids)
        latest_cards = await projections.latest_discount_cards(session, patient_ids)
        grace = timedelta(minutes=self.settings.notifier_stale_grace_minutes)
        jobs = []
        for message in messages:
            schedule = schedules.get(message.schedule_id) if message.schedule_id else None
            appointment = appointments.get(message.appointment_id) if message.appointment_id else None
            patient = patients.get(message.patient_id) if message.patient_id else None
            context = contexts[message.id]
            job = Job(message=message, channel=schedule.channel if schedule else message.channel, context=context)
            jobs.append(job)
            job.verdict = judging.judge(
                kind=message.kind,
                context=context,
                first_attempt=message.attempts <= 1,
                due_at=message.due_at,
                now=now,
                grace=grace,
                schedule_enabled=schedule.enabled if schedule else None,
                appointment=appointment,
                patient=patient,
            )
            if job.verdict is not None:
                continue
            if schedule is not None:
                status_id = _parameters(schedule).get("set_communication_status_id")
                job.communication_status_id = uuid.UUID(status_id) if status_id else None
            card_id = context.get("discount_card_id")
            data = RenderData(
                config=config,
                patient=patient,
                appointment=appointment,
                discount_card=cards.get(uuid.UUID(card_id)) if card_id else latest_cards.get(message.patient_id),  # type: ignore[arg-type]  # a projection row satisfies the card protocol
                code=context.get("code"),
                birthday=_date(context.get("birthday")),
            )
            self._render(job, schedule, data)
            try:
                if job.channel == "sms":
                    job.recipient = judging.sms_recipient(patient, appointment, config.phone_country)
                else:
                    job.recipient = judging.email_recipient(patient)
            except PermanentError as exc:
                job.error = exc
        return jobs

    def _render(self, job: Job, schedule: MailingSchedule | None, data: RenderData) -> None:
        if schedule is not None:
            template, subject = schedule.template, schedule.subject
        elif job.channel == "sms":
            template, subject = judging.ATTACH_CODE_SMS, None
        else:
            template, subject = judging.ATTACH_CODE_EMAIL, judging.ATTACH_CODE_EMAIL_SUBJECT
        values = template_values(data, self.resources.tz)
        job.text = render(template, values).strip()
        job.subject = render(subject, values).strip() if subject and job.channel == "email" else None
        if not job.text:
            job.error = PermanentError("the rendered text is empty")

    async def _send(self, jobs: list[Job], config: NotifierConfig, gate: asyncio.Semaphore) -> None:
        ready = [job for job in jobs if job.verdict is None and job.error is None]
        if not ready:
            return
        sms = factory.sms_provider(config, self.resources) if any(j.channel == "sms" for j in ready) else None
        email = await factory.email_sender(config, self.resources) if any(j.channel == "email" for j in ready) else None
        limit = self.settings.notifier_provider_timeout_seconds + 5

        async def send(job: Job) -> None:
            key = job.message.id.hex  # stable across attempts: the provider's handle on a resend
            async with gate:
                try:
                    async with asyncio.timeout(limit):
                        if job.channel == "sms":
                            assert sms is not None
                            job.provider, job.resend_after_unknown = sms.name, sms.resend_after_unknown
                            job.result = await sms.send(
                                job.recipient or "",
                                job.text or "",
                                key=key,
                                resend=job.message.attempts > 1,
                                code=job.context.get("code") if job.message.kind == ATTACH_CODE_KIND else None,
                            )
                        else:
                            assert email is not None
                            job.provider, job.resend_after_unknown = email.name, email.resend_after_unknown
                            job.result = await email.send(
                                job.recipient or "", job.subject or "", job.text or "", key=key
                            )
                except DeliveryError as exc:
                    job.error = exc
                except OutboundRefused as exc:
                    # The provider's address in the settings leads where the platform must not connect.
                    job.error = PermanentError(f"{job.provider}: the provider's address was {exc}")
                except TimeoutError:
                    job.error = OutcomeUnknown(f"{job.provider}: no answer in {limit:.0f} s")
                except Exception as exc:  # a provider bug must not lose the batch's outcomes
                    log.exception("notifier.provider.crashed", message_id=str(job.message.id))
                    job.error = TransientError(f"{job.provider}: unexpected {type(exc).__name__}")

        await asyncio.gather(*(send(job) for job in ready))

    async def _record(self, session: AsyncSession, jobs: list[Job], now: datetime, *, allow_retry: bool = True) -> None:
        repository = MessageRepository(session)
        updates: list[dict[str, Any]] = []
        events: list[EventEnvelope] = []
        for job in jobs:
            message = job.message
            base = {
                "id": message.id,
                "updated_at": now,
                "lease_until": None,
                "channel": job.channel,
                "recipient": job.recipient or message.recipient,
                "text": job.text or message.text,
                "subject": job.subject or message.subject,
                "provider": job.provider or message.provider,
            }
            if job.verdict is not None:
                updates.append(base | {"status": job.verdict.status, "error": job.verdict.reason})
                log.info(
                    f"notifier.message.{job.verdict.status}", message_id=str(message.id), reason=job.verdict.reason
                )
                continue
            if job.error is None and job.result is not None:
                if job.result.route and job.provider:
                    base["provider"] = f"{job.provider}:{job.result.route}"[:32]  # which channels were asked
                updates.append(
                    base
                    | {
                        "status": "sent",
                        "error": None,
                        "sent_at": now,
                        "provider_message_id": job.result.id,
                        "parts": job.result.parts,
                    }
                )
                events.append(self._event("notification.sent", job, None))
                log.info("notifier.message.sent", message_id=str(message.id), channel=job.channel)
                continue
            error = job.error or TransientError("not sent")
            unknown = isinstance(error, OutcomeUnknown)
            retry = (
                allow_retry
                and isinstance(error, TransientError)
                and (job.resend_after_unknown or not unknown)
                and message.kind != ATTACH_CODE_KIND
                and message.attempts < self.settings.notifier_max_attempts
            )
            if retry:
                delay = rules.retry_delay(
                    message.attempts,
                    base_seconds=self.settings.notifier_retry_base_seconds,
                    max_seconds=self.settings.notifier_retry_max_seconds,
                )
                updates.append(base | {"status": "queued", "error": str(error), "next_attempt_at": now + delay})
                log.info("notifier.message.retry_later", message_id=str(message.id), attempt=message.attempts)
                continue
            reason = str(error)
            if isinstance(error, TransientError) and message.attempts > 1:
                reason = f"gave up after {message.attempts} attempts: {reason}"
            status = "unknown" if unknown else "failed"
            updates.append(base | {"status": status, "error": reason})
            # Consumers learn that no delivery is confirmed; the log tells staff it may have gone out.
            events.append(self._event("notification.failed", job, reason))
            log.warning(f"notifier.message.{status}", message_id=str(message.id), error=reason)
            # A code that may have gone out is not sent again on the other channel either.
            if message.kind == ATTACH_CODE_KIND and not unknown and not job.context.get("fallback"):
                await self._fall_back(session, job, now)
        await repository.record(updates)
        await self._queue_events(session, events)

    def _event(self, event_type: str, job: Job, error: str | None) -> EventEnvelope:
        """The `notification.sent|failed` event of one outcome (queued with the others of the pass)."""
        message = job.message
        outcome = NotificationOutcome(
            message_id=message.id,
            schedule_id=message.schedule_id,
            channel=job.channel,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
            patient_id=message.patient_id,
            appointment_id=message.appointment_id,
            communication_status_id=job.communication_status_id if error is None else None,
            error=error,
        )
        return new_event(
            event_type,
            outcome,
            producer=self.resources.runtime.spec.name,
            aggregate_id=message.id,
            aggregate_version=message.attempts,
        )

    async def _queue_events(self, session: AsyncSession, events: list[EventEnvelope]) -> None:
        """Put a pass's events in the outbox with one batched INSERT, in the transaction of its outcomes.

        One statement per message was a third of the cost of recording a pass.
        """
        await self.resources.runtime.spec.events.add_many(session, events)

    async def _fall_back(self, session: AsyncSession, job: Job, now: datetime) -> None:
        context = job.context
        issued = AttachCodeIssued(
            patient_id=job.message.target_id,
            code=context["code"],
            expires_at=datetime.fromisoformat(context["expires_at"]),
            contact_priority=context.get("priority", "mobile"),
        )
        row = attach_code_row(issued, channel=judging.other_channel(job.channel), due_at=now, now=now, fallback=True)
        if await MessageRepository(session).insert_if_absent(row):
            log.info("notifier.attach_code.fallback", message_id=str(job.message.id), channel=row["channel"])


def _schedules_query(ids: set[uuid.UUID]) -> Any:
    return select(MailingSchedule).where(MailingSchedule.id.in_(list(ids)))


def _parameters(schedule: MailingSchedule) -> dict[str, Any]:
    return judging.context_of(schedule.parameters)


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
