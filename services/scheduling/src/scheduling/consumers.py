"""Event type → handler. Handlers only translate a message into a service call.

- `patient.created|updated|deleted|restored` → the patients projection;
- `notification.sent` → the appointment's communication status (SCH-16).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import EventEnvelope
from clinic_shared.outbox import Handler
from scheduling.appointments import statuses
from scheduling.events import OutboxPublisher
from scheduling.patients import service as patients
from scheduling.settings import SchedulingSettings


def build_handlers(settings: SchedulingSettings) -> dict[str, Handler]:
    """The handlers of this service, bound to its settings."""

    async def notification_sent(session: AsyncSession, envelope: EventEnvelope) -> None:
        await statuses.apply_notification(session, envelope, publisher=OutboxPublisher(), timezone=settings.timezone)

    return {
        "patient.created": patients.apply_patient_event,
        "patient.updated": patients.apply_patient_event,
        "patient.deleted": patients.apply_patient_event,
        "patient.restored": patients.apply_patient_event,
        "notification.sent": notification_sent,
    }
