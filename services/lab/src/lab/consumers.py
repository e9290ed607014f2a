"""Event type → handler. Handlers only translate an event into a service call.

- `patient.created|updated|deleted|restored` → the patients projection;
- `billing.service_charged` → orders from charges (LAB-4).

Apart from `events.py` (what the lab publishes) because the services publish through that
module: the handlers call those services, and one module holding both made a cycle
(charges → orders → events → charges).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import EventEnvelope
from clinic_shared.outbox import Handler
from lab.charges import service as charges_service
from lab.patients import service as patients_service
from lab.settings import LabSettings


def build_handlers(settings: LabSettings) -> dict[str, Handler]:
    """The handlers of this service, bound to its settings."""

    async def on_service_charged(session: AsyncSession, envelope: EventEnvelope) -> None:
        await charges_service.handle_charge_event(session, envelope, settings=settings)

    return {
        "patient.created": patients_service.apply_patient_event,
        "patient.updated": patients_service.apply_patient_event,
        "patient.deleted": patients_service.apply_patient_event,
        "patient.restored": patients_service.apply_patient_event,
        "billing.service_charged": on_service_charged,
    }
