"""Orders from charged services (LAB-4): `billing.service_charged` or POST /charges.

One charge id is handled once: its row is written first, so a redelivery (or a second POST)
finds it and creates nothing. The tests linked to the service (LAB-3) in the labs chosen in
the settings are ordered — one order per lab, which is one order in the usual setup.

A charge for N of a service still makes one order with each test once: the source system's
documentation says nothing of repeating tests per unit, and the same tubes serve them all. The
quantity is kept on the charge and in the order's journal (`created`, `charge_quantity`).
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import NotFound
from clinic_shared.events import EventEnvelope, ServiceCharged
from clinic_shared.logging import get_logger
from lab.charges.models import ChargeRecord
from lab.charges.rules import LinkedTest, tests_by_lab
from lab.charges.schemas import ChargeCreate
from lab.history.service import Actor
from lab.labs.repository import LabRepository
from lab.links.repository import LinkRepository
from lab.orders import service as orders_service
from lab.patients import service as patients_service
from lab.preferences import service as preferences_service
from lab.settings import LabSettings

log = get_logger(__name__)
BILLING = Actor(None, "billing")


async def get_charge(session: AsyncSession, *, charge_id: uuid.UUID) -> ChargeRecord:
    """A charge seen before; 404 otherwise."""
    record = await session.get(ChargeRecord, charge_id)
    if record is None:
        raise NotFound(f"Charge {charge_id} not found.")
    return record


async def register_charge(
    session: AsyncSession, *, charge: ChargeCreate, source: str, timezone: str
) -> tuple[ChargeRecord, bool]:
    """Handle a charge once; returns its record and whether it was new."""
    existing = await session.get(ChargeRecord, charge.id)
    if existing is not None:
        return existing, False
    if source == "api":
        # Typed in by a person: a wrong patient is their mistake to see now.
        await patients_service.require_patient(session, patient_id=charge.patient_id)
    record = ChargeRecord(
        id=charge.id,
        patient_id=charge.patient_id,
        service_id=charge.service_id,
        quantity=charge.quantity,
        appointment_id=charge.appointment_id,
        charged_at=charge.charged_at or utcnow(),
        received_at=utcnow(),
        source=source,
        outcome="off",
        order_ids=[],
    )
    try:
        # The row goes in first: a concurrent delivery of the same charge waits here, then loses.
        async with session.begin_nested():
            session.add(record)
            await session.flush()
    except IntegrityError:
        winner = await session.get(ChargeRecord, charge.id, populate_existing=True)
        if winner is None:
            raise
        return winner, False
    preferences = await preferences_service.get_preferences(session)
    if not preferences.use_new_laboratory:
        record.outcome = "lab_switched_off"
    elif not preferences.create_on_charge:
        record.outcome = "off"
    else:
        await _create_orders(session, record, preferences.create_on_charge_lab_ids or [], timezone)
    await session.flush()
    log.info("lab.charge.handled", charge_id=str(record.id), outcome=record.outcome, orders=len(record.order_ids))
    return record, True


async def _create_orders(session: AsyncSession, record: ChargeRecord, lab_ids: list[str], timezone: str) -> None:
    labs = LabRepository(session)
    active_labs: list[uuid.UUID] = []
    for lab_id in (uuid.UUID(value) for value in lab_ids):
        lab = await labs.get(lab_id)
        if lab is not None and lab.active:
            active_labs.append(lab_id)
    linked = await LinkRepository(session).tests_of_service(record.service_id)
    groups = tests_by_lab((LinkedTest(t.id, t.lab_id, t.active) for t in linked), active_labs)
    if not groups:
        record.outcome = "no_linked_tests"
        return
    order_ids: list[str] = []
    for lab_id, test_ids in groups.items():
        order = await orders_service.create_order(
            session,
            data=orders_service.NewOrder(
                patient_id=record.patient_id,
                lab_id=lab_id,
                test_ids=test_ids,
                appointment_id=record.appointment_id,
                charge_id=record.id,
                charge_quantity=record.quantity,
            ),
            actor=BILLING,
            timezone=timezone,
        )
        order_ids.append(str(order.id))
    record.outcome = "orders_created"
    record.order_ids = order_ids


async def handle_charge_event(session: AsyncSession, envelope: EventEnvelope, *, settings: LabSettings) -> None:
    """`billing.service_charged`: a patient unknown here yet fails the handler, so it is retried."""
    charged = ServiceCharged.model_validate(envelope.data)
    charge = ChargeCreate(
        id=charged.id,
        patient_id=charged.patient_id,
        service_id=charged.service_id,
        quantity=charged.quantity,
        appointment_id=charged.appointment_id,
        charged_at=charged.charged_at,
    )
    await register_charge(session, charge=charge, source="event", timezone=settings.timezone)
