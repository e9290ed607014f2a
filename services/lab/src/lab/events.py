"""What the lab service publishes.

Publishes `lab_order.created`, `lab_order.status_changed` (sent, in progress, completed,
cancelled), `lab_order.updated` (a sample's barcode changed), `lab_result.ready` and
`lab_visit.results_ready` (LAB-9). What it consumes (`patient.*`, `billing.service_charged`) is
wired in `consumers.py`: the services publish through this module, so it imports none of them.

Events are queued with `EVENTS.add` rather than `runtime.publish` because event handlers and
the exchange worker have a session but no request runtime; both write the same outbox row.

All of them are in the shared catalogue (`clinic_shared.events`), which validates their data;
`LabVisitResultsReady` is defined there and read by the notifier with the same model.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import (
    EventData,
    LabOrderCreated,
    LabOrderState,
    LabResultReady,
    LabVisitResultsReady,
    new_event,
)
from lab.models import EVENTS

if TYPE_CHECKING:
    from lab.orders.models import LabOrder
    from lab.visits.models import LabVisit
    from lab.visits.rules import Readiness

PRODUCER = "lab"
VISIT_RESULTS_READY = "lab_visit.results_ready"


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


async def publish_order_changed(session: AsyncSession, order: LabOrder, *, previous_status: str | None = None) -> None:
    """`lab_order.status_changed` when `previous_status` is given (the caller moved the order
    on), else `lab_order.updated`; the caller has given the order its new version."""
    data = LabOrderState(
        id=order.id,
        number=order.number,
        patient_id=order.patient_id,
        lab_id=order.lab_id,
        status=order.status,
        previous_status=previous_status,
        status_changed_at=order.status_changed_at,
        appointment_id=order.appointment_id,
        charge_id=order.charge_id,
        visit_id=order.visit_id,
    )
    event_type = "lab_order.status_changed" if previous_status is not None else "lab_order.updated"
    await publish(session, event_type, data, aggregate_id=order.id, aggregate_version=order.version)


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
