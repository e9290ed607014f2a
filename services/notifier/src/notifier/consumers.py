"""What the notifier consumes and publishes.

Consumed (projections and planning): `appointment.created|updated|deleted|restored|status_changed`,
`patient.created|updated|deleted|restored`, `discount_card.issued`, `lab_result.ready`,
`lab_visit.results_ready` (LAB-9), `ondoc.attach_code_issued`. Published by the dispatcher: `notification.sent|failed`
(NotificationOutcome; `communication_status_id` asks scheduling to set that status, SCH-16).
Handlers only translate an event into calls of the projection and planning functions; they
run in the consumer's transaction, together with the inbox row. They get the service's clock
(`now`) and a `wake` of the worker, not the app's context: the worker and its resources are
made on start, after the handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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
from notifier.messages.repository import MessageRepository
from notifier.planning import service as planning
from notifier.planning.occasions import Window
from notifier.projections import service as projections
from notifier.schedules.kinds import APPOINTMENT_TYPES
from notifier.settings import NotifierSettings
from notifier.wakeups import wake_after_commit

log = get_logger(__name__)

APPOINTMENT_EVENTS = (
    "appointment.created",
    "appointment.updated",
    "appointment.deleted",
    "appointment.restored",
    "appointment.status_changed",
)
PATIENT_EVENTS = ("patient.created", "patient.updated", "patient.deleted", "patient.restored")


def build_handlers(
    settings: NotifierSettings, *, now: Callable[[], datetime], wake: Callable[[], None]
) -> dict[str, Handler]:
    """Event type → handler, bound to the settings, the service's clock and the worker's wake-up
    (called once the handler's transaction has committed: what it planned is then visible)."""

    async def on_appointment(session: AsyncSession, envelope: EventEnvelope) -> None:
        moment = now()
        if not await projections.apply_appointment(session, envelope, now=moment):
            return  # an older version than we hold: what we planned from the newer one stands
        appointment = AppointmentState.model_validate(envelope.data)
        grace = timedelta(minutes=settings.notifier_stale_grace_minutes)
        await planning.plan_appointment(
            session,
            appointment=appointment,
            schedules=await planning.enabled_specs(session, APPOINTMENT_TYPES),
            tz=ZoneInfo(settings.timezone),
            window=Window(earliest=envelope.occurred_at, earliest_triggered=moment - grace),
            now=moment,
        )
        wake_after_commit(session, wake)

    async def on_patient(session: AsyncSession, envelope: EventEnvelope) -> None:
        moment = now()
        if not await projections.apply_patient(session, envelope, now=moment):
            return
        patient = PatientState.model_validate(envelope.data)
        if patient.deleted:
            await MessageRepository(session).cancel_queued(
                reason="patient card deleted", now=moment, patient_id=patient.id
            )
        wake_after_commit(session, wake)

    async def on_discount_card(session: AsyncSession, envelope: EventEnvelope) -> None:
        card = await projections.apply_discount_card(session, envelope)
        await planning.plan_discount_card(session, card=card, now=now())
        wake_after_commit(session, wake)

    async def on_lab_result(session: AsyncSession, envelope: EventEnvelope) -> None:
        result = LabResultReady.model_validate(envelope.data)
        await planning.plan_lab_result(session, result=result, occurred_at=envelope.occurred_at, now=now())
        wake_after_commit(session, wake)

    async def on_visit_results(session: AsyncSession, envelope: EventEnvelope) -> None:
        visit = LabVisitResultsReady.model_validate(envelope.data)
        await planning.plan_visit_results(session, visit=visit, occurred_at=envelope.occurred_at, now=now())
        wake_after_commit(session, wake)

    async def on_attach_code(session: AsyncSession, envelope: EventEnvelope) -> None:
        issued = AttachCodeIssued.model_validate(envelope.data)
        await planning.plan_attach_code(session, issued=issued, now=now())
        wake_after_commit(session, wake)

    handlers: dict[str, Handler] = {name: on_appointment for name in APPOINTMENT_EVENTS}
    handlers |= {name: on_patient for name in PATIENT_EVENTS}
    handlers["discount_card.issued"] = on_discount_card
    handlers["lab_result.ready"] = on_lab_result
    handlers["lab_visit.results_ready"] = on_visit_results
    handlers["ondoc.attach_code_issued"] = on_attach_code
    return handlers
