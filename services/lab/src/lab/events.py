"""What the lab service publishes and the handlers of what it consumes.

Publishes `lab_order.created`, `lab_result.ready` and `lab_visit.results_ready` (LAB-9);
consumes `patient.*` (the patients projection) and `billing.service_charged` (orders from
charges, LAB-4).

Events are queued with `EVENTS.add` rather than `runtime.publish` because event handlers and
the exchange worker have a session but no request runtime; both write the same outbox row.

`lab_visit.results_ready` is catalogued here (`LAB_EVENTS`), not in `clinic_shared.events`:
its schema is `LabVisitResultsReady` below, validated the same way before it is queued. It
belongs in the shared catalogue next to `LabResultReady` once that file may change; its
consumers read it with a model of the same fields (the notifier's `VisitResultsReady`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.context import current_correlation_id
from clinic_shared.events import EventData, EventEnvelope, LabOrderCreated, LabResultReady, new_event
from clinic_shared.outbox import Handler
from lab.models import EVENTS

if TYPE_CHECKING:
    from lab.orders.models import LabOrder
    from lab.settings import LabSettings
    from lab.visits.models import LabVisit
    from lab.visits.rules import Readiness

PRODUCER = "lab"
VISIT_RESULTS_READY = "lab_visit.results_ready"


class LabVisitResultsReady(EventData):
    """LAB-9: every order of a visit is done — completed, or cancelled — and at least one was
    completed since the last announcement. Published once per visit (`round` 1); again only
    when an order added to the visit afterwards is done too (`round` 2, …)."""

    visit_id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None = None
    charge_id: uuid.UUID | None = None
    round: int = Field(default=1, ge=1)
    order_ids: list[uuid.UUID] = Field(description="the completed orders of the visit")
    order_numbers: list[str] = Field(default_factory=list)
    lab_ids: list[uuid.UUID] = Field(default_factory=list, description="the labs that did them")
    cancelled_order_ids: list[uuid.UUID] = Field(default_factory=list)
    completed_at: datetime


# Event types the lab publishes that the shared catalogue does not list yet.
LAB_EVENTS: dict[str, type[EventData]] = {VISIT_RESULTS_READY: LabVisitResultsReady}


def lab_event(event_type: str, data: EventData, *, aggregate_id: uuid.UUID, aggregate_version: int) -> EventEnvelope:
    """The envelope of an event the lab publishes, its data validated against its schema."""
    model = LAB_EVENTS.get(event_type)
    if model is None:
        return new_event(
            event_type, data, producer=PRODUCER, aggregate_id=aggregate_id, aggregate_version=aggregate_version
        )
    validated = model.model_validate(data.model_dump(mode="python"))
    return EventEnvelope(
        type=event_type,
        producer=PRODUCER,
        correlation_id=current_correlation_id(),
        aggregate_id=str(aggregate_id),
        aggregate_version=aggregate_version,
        data=validated.model_dump(mode="json"),
    )


async def publish(
    session: AsyncSession, event_type: str, data: EventData, *, aggregate_id: uuid.UUID, aggregate_version: int
) -> None:
    """Queue an event in the caller's transaction (the transactional outbox)."""
    envelope = lab_event(event_type, data, aggregate_id=aggregate_id, aggregate_version=aggregate_version)
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


async def publish_visit_results_ready(
    session: AsyncSession, visit: LabVisit, state: Readiness, *, completed_at: datetime
) -> None:
    """`lab_visit.results_ready` for the visit's current round (the caller updated `visit`)."""
    data = LabVisitResultsReady(
        visit_id=visit.id,
        patient_id=visit.patient_id,
        appointment_id=visit.appointment_id,
        charge_id=visit.charge_id,
        round=visit.announcements,
        order_ids=[order.id for order in state.completed],
        order_numbers=[order.number for order in state.completed],
        lab_ids=list(dict.fromkeys(order.lab_id for order in state.completed)),
        cancelled_order_ids=[order.id for order in state.cancelled],
        completed_at=completed_at,
    )
    await publish(session, VISIT_RESULTS_READY, data, aggregate_id=visit.id, aggregate_version=visit.version)


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
