"""What the notifier consumes and publishes.

Consumed (projections and planning): `appointment.created|updated|deleted|restored|status_changed`,
`patient.created|updated|deleted|restored`, `discount_card.issued`, `lab_result.ready`,
`lab_visit.results_ready` (LAB-9), `ondoc.attach_code_issued`. Published by the dispatcher: `notification.sent|failed`
(NotificationOutcome; `communication_status_id` asks scheduling to set that status, SCH-16).
Handlers only translate an event into calls of the projection and planning functions; they
run in the consumer's transaction, together with the inbox row.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import (
    AppointmentState,
    AttachCodeIssued,
    EventEnvelope,
    LabResultReady,
    LabVisitResultsReady,
    PatientState,
)
from clinic_shared.logging import get_logger
from clinic_shared.outbox import Handler
from notifier.context import NotifierContext
from notifier.messages.repository import MessageRepository
from notifier.planning import service as planning
from notifier.planning.occasions import Window
from notifier.projections import service as projections
from notifier.schedules.kinds import APPOINTMENT_TYPES

log = get_logger(__name__)

APPOINTMENT_EVENTS = (
    "appointment.created",
    "appointment.updated",
    "appointment.deleted",
    "appointment.restored",
    "appointment.status_changed",
)
PATIENT_EVENTS = ("patient.created", "patient.updated", "patient.deleted", "patient.restored")


def build_handlers(context: NotifierContext) -> dict[str, Handler]:
    """Event type → handler, bound to the service's context (clock, time zone, worker)."""

    async def on_appointment(session: AsyncSession, envelope: EventEnvelope) -> None:
        now = context.now()
        if not await projections.apply_appointment(session, envelope, now=now):
            return  # an older version than we hold: what we planned from the newer one stands
        appointment = AppointmentState.model_validate(envelope.data)
        grace = timedelta(minutes=context.settings.notifier_stale_grace_minutes)
        await planning.plan_appointment(
            session,
            appointment=appointment,
            schedules=await planning.enabled_specs(session, APPOINTMENT_TYPES),
            tz=context.tz,
            window=Window(earliest=envelope.occurred_at, earliest_triggered=now - grace),
            now=now,
        )
        context.wake_worker_after_commit(session)

    async def on_patient(session: AsyncSession, envelope: EventEnvelope) -> None:
        now = context.now()
        if not await projections.apply_patient(session, envelope, now=now):
            return
        patient = PatientState.model_validate(envelope.data)
        if patient.deleted:
            await MessageRepository(session).cancel_queued(
                reason="patient card deleted", now=now, patient_id=patient.id
            )
        context.wake_worker_after_commit(session)

    async def on_discount_card(session: AsyncSession, envelope: EventEnvelope) -> None:
        card = await projections.apply_discount_card(session, envelope)
        await planning.plan_discount_card(session, card=card, now=context.now())
        context.wake_worker_after_commit(session)

    async def on_lab_result(session: AsyncSession, envelope: EventEnvelope) -> None:
        result = LabResultReady.model_validate(envelope.data)
        await planning.plan_lab_result(session, result=result, occurred_at=envelope.occurred_at, now=context.now())
        context.wake_worker_after_commit(session)

    async def on_visit_results(session: AsyncSession, envelope: EventEnvelope) -> None:
        visit = LabVisitResultsReady.model_validate(envelope.data)
        await planning.plan_visit_results(session, visit=visit, occurred_at=envelope.occurred_at, now=context.now())
        context.wake_worker_after_commit(session)

    async def on_attach_code(session: AsyncSession, envelope: EventEnvelope) -> None:
        issued = AttachCodeIssued.model_validate(envelope.data)
        await planning.plan_attach_code(session, issued=issued, now=context.now())
        context.wake_worker_after_commit(session)

    handlers: dict[str, Handler] = {name: on_appointment for name in APPOINTMENT_EVENTS}
    handlers |= {name: on_patient for name in PATIENT_EVENTS}
    handlers["discount_card.issued"] = on_discount_card
    handlers["lab_result.ready"] = on_lab_result
    handlers["lab_visit.results_ready"] = on_visit_results
    handlers["ondoc.attach_code_issued"] = on_attach_code
    return handlers
