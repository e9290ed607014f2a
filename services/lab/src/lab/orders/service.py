"""Lab orders (LAB-4): creation with samples and barcodes, reading, status changes, barcodes.

Services never commit: the request or the message that called them does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from lab import counters, events
from lab.access import EVERY_LAB, LabScope
from lab.exchange import service as exchange_service
from lab.history import service as history
from lab.history.service import Actor
from lab.lab_tests.models import LabTest
from lab.lab_tests.repository import LabTestRepository
from lab.labs.repository import LabRepository
from lab.orders import rules
from lab.orders.models import LabOrder, OrderSample, OrderTest
from lab.orders.repository import OrderRepository
from lab.orders.rules import OrderStatus, TestForSampling
from lab.orders.schemas import OrderPatient, OrderRead, OrderSummary, OrderTestRead, SampleRead
from lab.patients import service as patients_service
from lab.preferences import service as preferences_service
from lab.results.schemas import ResultRead
from lab.text import short_name
from lab.visits import service as visits_service

log = get_logger(__name__)
BARCODE_COUNTER = "barcode"


@dataclass(frozen=True)
class NewOrder:
    patient_id: uuid.UUID
    lab_id: uuid.UUID
    test_ids: list[uuid.UUID]
    appointment_id: uuid.UUID | None = None
    note: str | None = None
    workstation_id: str | None = None
    charge_id: uuid.UUID | None = None
    # How many of the charged service were billed. The source system makes one order with the
    # tests once whatever the quantity (the samples are the same tubes); it is kept in the journal.
    charge_quantity: int | None = None


async def get_order(
    session: AsyncSession, *, order_id: uuid.UUID, scope: LabScope = EVERY_LAB, for_update: bool = False
) -> LabOrder:
    """An order the caller may see; another lab's order is a 404, as if it did not exist."""
    order = await OrderRepository(session).get(order_id, for_update=for_update)
    if order is None or not scope.allows(order.lab_id):
        raise NotFound(f"Lab order {order_id} not found.")
    return order


async def _order_tests(session: AsyncSession, lab_id: uuid.UUID, test_ids: list[uuid.UUID]) -> list[LabTest]:
    found = await LabTestRepository(session).by_ids(test_ids)
    tests: list[LabTest] = []
    for index, test_id in enumerate(test_ids):
        field = f"test_ids.{index}"
        test = found.get(test_id)
        if test is None:
            raise ValidationFailed.field(field, f"unknown test {test_id}", "unknown_test")
        if test.lab_id != lab_id:
            raise ValidationFailed.field(field, f"test {test_id} belongs to another laboratory", "test_of_another_lab")
        if not test.active:
            raise ValidationFailed.field(field, f"test {test_id} is archived", "test_archived")
        if test not in tests:
            tests.append(test)
    return tests


async def create_order(
    session: AsyncSession, *, data: NewOrder, actor: Actor, timezone: str, scope: LabScope = EVERY_LAB
) -> LabOrder:
    """Create an order: one sample per container type, each with a new barcode; `lab_order.created`."""
    preferences = await preferences_service.get_preferences(session)
    if not preferences.use_new_laboratory:
        raise Conflict(
            "The laboratory is switched off in the settings (use_new_laboratory).", code="laboratory-switched-off"
        )
    patient = await patients_service.require_patient(session, patient_id=data.patient_id)
    lab = await LabRepository(session).get(data.lab_id)
    if lab is None:
        raise ValidationFailed.field("lab_id", f"unknown laboratory {data.lab_id}", "unknown_lab")
    if not lab.active:
        raise ValidationFailed.field("lab_id", f"laboratory {data.lab_id} is archived", "lab_archived")
    if not scope.allows(lab.id):
        raise ValidationFailed.field("lab_id", "you may order only from your own laboratory", "not_your_lab")
    tests = await _order_tests(session, lab.id, data.test_ids)
    now = utcnow()
    year = now.astimezone(ZoneInfo(timezone)).year
    number = rules.format_order_number(year, await counters.next_value(session, f"order_number:{year}"))
    order_id = uuid.uuid4()
    visit = await visits_service.visit_of(
        session,
        patient_id=patient.id,
        order_id=order_id,
        appointment_id=data.appointment_id,
        charge_id=data.charge_id,
    )
    order = LabOrder(
        id=order_id,
        number=number,
        status=OrderStatus.CREATED.value,
        patient_id=patient.id,
        lab_id=lab.id,
        appointment_id=data.appointment_id,
        charge_id=data.charge_id,
        visit_id=visit.id,
        note=data.note,
        workstation_id=data.workstation_id,
        case=dict(preferences.default_case or {}),
        patient_card_number=patient.card_number,
        patient_last_name=patient.last_name,
        patient_first_name=patient.first_name,
        patient_middle_name=patient.middle_name,
        patient_birth_date=patient.birth_date,
        patient_sex=patient.sex,
        version=1,
        created_at=now,
        created_by=actor.user_id,
        created_by_username=actor.username,
        updated_at=now,
        status_changed_at=now,
    )
    session.add(order)
    await session.flush()
    by_id = {test.id: test for test in tests}
    groups = rules.group_into_samples([TestForSampling(t.id, t.container_type, t.sample_type) for t in tests])
    position = 0
    for sample_position, group in enumerate(groups, start=1):
        barcode = rules.make_barcode(await counters.next_value(session, BARCODE_COUNTER))
        sample = OrderSample(
            id=uuid.uuid4(),
            order_id=order.id,
            position=sample_position,
            barcode=barcode,
            container_type=group.container_type,
            sample_type=group.sample_type,
        )
        session.add(sample)
        for test_id in group.test_ids:
            test = by_id[test_id]
            position += 1
            session.add(
                OrderTest(
                    id=uuid.uuid4(),
                    order_id=order.id,
                    test_id=test.id,
                    sample_id=sample.id,
                    position=position,
                    code=test.code,
                    name=test.name,
                    units=test.units,
                    reference_low=test.reference_low,
                    reference_high=test.reference_high,
                    critical_low=test.critical_low,
                    critical_high=test.critical_high,
                )
            )
    await session.flush()
    await history.record(
        session,
        order_id=order.id,
        action="created",
        actor=actor,
        details={
            "test_ids": [str(t.id) for t in tests],
            "charge_id": str(data.charge_id) if data.charge_id else None,
            **({"charge_quantity": data.charge_quantity} if data.charge_quantity is not None else {}),
        },
    )
    await events.publish_order_created(session, order, [t.id for t in tests])
    if preferences.send_automatically:
        await exchange_service.queue_order(session, order=order, actor=actor)
    log.info("lab.order.created", order_id=str(order.id), lab_id=str(lab.id), tests=len(tests))
    return order


async def list_orders(
    session: AsyncSession,
    *,
    scope: LabScope,
    patient_id: uuid.UUID | None = None,
    lab_id: uuid.UUID | None = None,
    status: str | None = None,
    appointment_id: uuid.UUID | None = None,
    charge_id: uuid.UUID | None = None,
    number: str | None = None,
    barcode: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    updated_since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[LabOrder], int]:
    """Orders the caller may see, newest first; with `updated_since`, those changed since."""
    return await OrderRepository(session).search(
        lab_ids=scope.lab_ids,
        patient_id=patient_id,
        lab_id=lab_id,
        status=status,
        appointment_id=appointment_id,
        charge_id=charge_id,
        number=number,
        barcode=barcode,
        created_from=created_from,
        created_to=created_to,
        updated_since=updated_since,
        limit=limit,
        offset=offset,
    )


def order_summary(order: LabOrder) -> OrderSummary:
    """An order as lists show it."""
    return OrderSummary(
        id=order.id,
        number=order.number,
        status=order.status,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        patient_id=order.patient_id,
        patient_short_name=short_name(order.patient_last_name, order.patient_first_name, order.patient_middle_name),
        lab_id=order.lab_id,
        appointment_id=order.appointment_id,
        charge_id=order.charge_id,
        visit_id=order.visit_id,
        created_at=order.created_at,
        created_by_username=order.created_by_username,
        status_changed_at=order.status_changed_at,
        version=order.version,
    )


async def order_detail(session: AsyncSession, order: LabOrder) -> OrderRead:
    """An order with its patient, samples, tests, results and delivery state."""
    repository = OrderRepository(session)
    samples = await repository.samples(order.id)
    tests = await repository.tests(order.id)
    results = {r.order_test_id: ResultRead.model_validate(r) for r in await repository.results(order.id)}
    item = await exchange_service.find_item(session, order_id=order.id)
    return OrderRead(
        **order_summary(order).model_dump(),
        patient=OrderPatient(
            id=order.patient_id,
            card_number=order.patient_card_number,
            last_name=order.patient_last_name,
            first_name=order.patient_first_name,
            middle_name=order.patient_middle_name,
            birth_date=order.patient_birth_date,
            sex=order.patient_sex,
            short_name=short_name(order.patient_last_name, order.patient_first_name, order.patient_middle_name),
        ),
        note=order.note,
        workstation_id=order.workstation_id,
        case=order.case or {},
        updated_at=order.updated_at,
        samples=[
            SampleRead(
                id=s.id,
                barcode=s.barcode,
                container_type=s.container_type,
                sample_type=s.sample_type,
                test_ids=[t.test_id for t in tests if t.sample_id == s.id],
            )
            for s in samples
        ],
        tests=[
            OrderTestRead(
                test_id=t.test_id,
                code=t.code,
                name=t.name,
                sample_id=t.sample_id,
                units=t.units,
                reference_low=t.reference_low,
                reference_high=t.reference_high,
                critical_low=t.critical_low,
                critical_high=t.critical_high,
                result=results.get(t.id),
            )
            for t in tests
        ],
        results=[results[t.id] for t in tests if t.id in results],
        exchange=exchange_service.exchange_read(item),
    )


def touch(order: LabOrder) -> None:
    """Mark an order changed: a new version (its ETag) and `updated_at` (for `updated_since`)."""
    order.version += 1
    order.updated_at = utcnow()


async def change_status(
    session: AsyncSession, *, order: LabOrder, status: str, actor: Actor, reason: str | None = None
) -> LabOrder:
    """Move an order along its lifecycle; an illegal step is a 409 naming from and to."""
    previous = order.status
    rules.check_transition(previous, status)
    now = utcnow()
    order.status = status
    order.status_changed_at = now
    order.updated_at = now
    order.version += 1
    await history.record(
        session,
        order_id=order.id,
        action="status_changed",
        actor=actor,
        details={"from": previous, "to": status, "reason": reason},
    )
    await events.publish_order_changed(session, order, previous_status=previous)
    if status == OrderStatus.COMPLETED:
        await events.publish_result_ready(session, order, test_id=None, all_done=True)
    if status == OrderStatus.CANCELLED:
        await exchange_service.cancel(session, order_id=order.id, reason=reason, actor=actor)
    await session.flush()
    if status in (OrderStatus.COMPLETED, OrderStatus.CANCELLED):
        # The last order of a visit to be done announces all of the visit's results (LAB-9).
        await visits_service.order_settled(session, order=order, actor=actor)
    return order


async def cancel_order(session: AsyncSession, *, order: LabOrder, actor: Actor, reason: str | None = None) -> LabOrder:
    """Cancel an order (the lab is told if it has it); cancelling again retries a failed telling."""
    if order.status == OrderStatus.CANCELLED and await exchange_service.requeue_cancel(
        session, order=order, actor=actor
    ):
        return order
    return await change_status(session, order=order, status=OrderStatus.CANCELLED.value, actor=actor, reason=reason)


async def change_sample_barcode(
    session: AsyncSession, *, order: LabOrder, sample_id: uuid.UUID, barcode: str, actor: Actor
) -> OrderSample:
    """Put a pre-printed tube's barcode on a sample; a barcode already in use is a 409."""
    if order.status != OrderStatus.CREATED:
        raise Conflict(
            f"Barcodes can be changed only before the order is sent (it is {order.status}).",
            code="barcode-locked",
            order_status=order.status,
        )
    repository = OrderRepository(session)
    sample = next((s for s in await repository.samples(order.id) if s.id == sample_id), None)
    if sample is None:
        raise NotFound(f"Sample {sample_id} not found in order {order.id}.")
    holder = await repository.sample_by_barcode(barcode)
    if holder is not None and holder.id != sample.id:
        raise _duplicate_barcode(barcode, holder)
    previous = sample.barcode
    sample.barcode = barcode
    try:
        # The unique index is the last word when two requests race for one barcode.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"Barcode {barcode} is already in use.", code="barcode-taken") from exc
    touch(order)
    await history.record(
        session,
        order_id=order.id,
        action="barcode_changed",
        actor=actor,
        details={"sample_id": str(sample.id), "from": previous, "to": barcode},
    )
    await events.publish_order_changed(session, order)
    return sample


def _duplicate_barcode(barcode: str, holder: OrderSample) -> Conflict:
    return Conflict(
        f"Barcode {barcode} is already in use.",
        code="barcode-taken",
        errors=[{"field": "barcode", "code": "duplicate_barcode", "message": "duplicate barcode"}],
        conflicts=[{"order_id": str(holder.order_id), "sample_id": str(holder.id)}],
    )
