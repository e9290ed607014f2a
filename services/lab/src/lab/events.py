"""What the lab service publishes and the handlers of what it consumes.

Publishes `lab_order.created` and `lab_result.ready`; consumes `patient.*` (the patients
projection) and `billing.service_charged` (orders from charges, LAB-4).

Events are queued with `EVENTS.add` rather than `runtime.publish` because event handlers and
the exchange worker have a session but no request runtime; both write the same outbox row.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import EventData, EventEnvelope, LabOrderCreated, LabResultReady, new_event
from clinic_shared.outbox import Handler
from lab.models import EVENTS

if TYPE_CHECKING:
    from lab.orders.models import LabOrder
    from lab.settings import LabSettings

PRODUCER = "lab"


async def publish(
    session: AsyncSession, event_type: str, data: EventData, *, aggregate_id: uuid.UUID, aggregate_version: int
) -> None:
    """Queue an event in the caller's transaction (the transactional outbox)."""
    envelope = new_event(
        event_type, data, producer=PRODUCER, aggregate_id=aggregate_id, aggregate_version=aggregate_version
    )
    await EVENTS.add(session, envelope)


async def publish_order_created(session: AsyncSession, order: LabOrder, test_ids: list[uuid.UUID]) -> None:
    """`lab_order.created` for a new order."""
    data = LabOrderCreated(
        id=order.id,
        number=order.number,
        patient_id=order.patient_id,
        lab_id=order.lab_id,
        test_ids=test_ids,
        appointment_id=order.appointment_id,
        charge_id=order.charge_id,
        status=order.status,
    )
    await publish(session, "lab_order.created", data, aggregate_id=order.id, aggregate_version=order.version)


async def publish_result_ready(
    session: AsyncSession, order: LabOrder, *, test_id: uuid.UUID | None, all_done: bool, corrected: bool = False
) -> None:
    """`lab_result.ready`: one per result (test_id set), and once with all_done when the order completes."""
    order.version += 1
    data = LabResultReady(
        order_id=order.id,
        patient_id=order.patient_id,
        test_id=test_id,
        all_done=all_done,
        appointment_id=order.appointment_id,
        order_number=order.number,
        corrected=corrected,
    )
    await publish(session, "lab_result.ready", data, aggregate_id=order.id, aggregate_version=order.version)


def make_handlers(settings: LabSettings) -> dict[str, Handler]:
    """Event type → handler; handlers only translate the event into a service call."""
    from lab.charges import service as charges_service
    from lab.patients import service as patients_service

    async def on_service_charged(session: AsyncSession, envelope: EventEnvelope) -> None:
        await charges_service.handle_charge_event(session, envelope, settings=settings)

    return {
        "patient.created": patients_service.apply_patient_event,
        "patient.updated": patients_service.apply_patient_event,
        "patient.deleted": patients_service.apply_patient_event,
        "patient.restored": patients_service.apply_patient_event,
        "billing.service_charged": on_service_charged,
    }
