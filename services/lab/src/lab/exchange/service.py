"""Queueing orders for delivery to their lab (LAB-8); the worker does the sending."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict
from lab.exchange.interface import ExchangeOrder, ExchangeSample, ExchangeTest
from lab.exchange.models import ExchangeItem
from lab.exchange.rules import CancelAction, cancel_action, cancel_can_be_requeued, cancel_message
from lab.exchange.schemas import CancelDeliveryRead, ExchangeRead
from lab.history import service as history
from lab.history.service import Actor
from lab.orders.models import LabOrder
from lab.orders.repository import OrderRepository

SENDABLE_STATUSES = ("created",)


async def find_item(session: AsyncSession, *, order_id: uuid.UUID) -> ExchangeItem | None:
    """The queue row of an order, if it was ever queued."""
    statement = select(ExchangeItem).where(ExchangeItem.order_id == order_id)
    return (await session.execute(statement)).scalar_one_or_none()


def exchange_read(item: ExchangeItem | None) -> ExchangeRead | None:
    """The delivery state as the API shows it, with the cancellation's when the lab must hear of one."""
    if item is None:
        return None
    read = ExchangeRead.model_validate(item)
    if item.cancel_state:
        read.cancel = CancelDeliveryRead(
            state=item.cancel_state,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
            attempts=item.cancel_attempts or 0,
            queued_at=item.cancel_queued_at,
            next_attempt_at=item.cancel_next_attempt_at if item.cancel_state == "pending" else None,
            last_error=item.cancel_last_error,
            refusal_reason=item.cancel_refusal,
            done_at=item.cancel_done_at,
            message=cancel_message(
                item.cancel_state, refusal_reason=item.cancel_refusal, attempts=item.cancel_attempts or 0
            ),
        )
    return read


async def queue_order(session: AsyncSession, *, order: LabOrder, actor: Actor) -> ExchangeItem:
    """Queue an order for sending; again while pending is a no-op, after a failure a fresh start."""
    item = await find_item(session, order_id=order.id)
    if item is not None and item.state == "pending":
        return item
    if order.status not in SENDABLE_STATUSES:
        raise Conflict(
            f"Only a created order can be sent (this one is {order.status}).",
            code="order-not-sendable",
            order_status=order.status,
        )
    now = utcnow()
    if item is None:
        item = ExchangeItem(id=uuid.uuid4(), order_id=order.id, created_at=now)
        session.add(item)
    item.state = "pending"
    item.attempts = 0
    item.next_attempt_at = now
    item.queued_at = now
    item.last_error = None
    item.updated_at = now
    order.version += 1  # the order changed (its exchange state): a new ETag
    order.updated_at = now
    await history.record(session, order_id=order.id, action="queued", actor=actor)
    await session.flush()
    return item


async def cancel(session: AsyncSession, *, order_id: uuid.UUID, reason: str | None, actor: Actor) -> bool:
    """Stop sending or polling for a cancelled order; if the lab has it, queue telling it.

    Returns whether a cancellation was queued for the lab (the worker should be woken).
    """
    item = await find_item(session, order_id=order_id)
    if item is None:
        return False
    action = cancel_action(item.state, item.external_id)
    if action is CancelAction.NOTHING:
        return False
    item.state = "cancelled"
    item.updated_at = utcnow()
    if action is CancelAction.STOP:
        item.cancel_reason = reason  # for the lab, should a send in flight still reach it
        return False
    queue_cancel(item, reason=reason)
    await history.record(session, order_id=order_id, action="cancel_queued", actor=actor)
    return True


def queue_cancel(item: ExchangeItem, *, reason: str | None) -> None:
    """Make the cancellation due now, from a fresh start (also after a send the lab acknowledged late)."""
    now = utcnow()
    item.cancel_state = "pending"
    item.cancel_attempts = 0
    item.cancel_next_attempt_at = now
    item.cancel_queued_at = now
    item.cancel_reason = reason
    item.cancel_last_error = None
    item.cancel_refusal = None
    item.cancel_done_at = None
    item.updated_at = now


async def requeue_cancel(session: AsyncSession, *, order: LabOrder, actor: Actor) -> bool:
    """Cancel again an order whose cancellation never reached the lab: a fresh start for it.

    Returns False when there is nothing to retry (the caller answers the usual 409).
    """
    item = await find_item(session, order_id=order.id)
    if item is None or not cancel_can_be_requeued(item.cancel_state):
        return False
    queue_cancel(item, reason=item.cancel_reason)
    order.version += 1
    order.updated_at = utcnow()
    await history.record(session, order_id=order.id, action="cancel_queued", actor=actor, details={"retry": True})
    await session.flush()
    return True


async def build_exchange_order(session: AsyncSession, order: LabOrder) -> ExchangeOrder:
    """The order as it goes to the lab: patient, tests with their ranges, tubes with barcodes."""
    repository = OrderRepository(session)
    tests = await repository.tests(order.id)
    samples = await repository.samples(order.id)
    return ExchangeOrder(
        order_id=order.id,
        number=order.number,
        patient={
            "id": str(order.patient_id),
            "card_number": order.patient_card_number,
            "last_name": order.patient_last_name,
            "first_name": order.patient_first_name,
            "middle_name": order.patient_middle_name,
            "birth_date": order.patient_birth_date.isoformat() if order.patient_birth_date else None,
            "sex": order.patient_sex,
        },
        tests=[
            ExchangeTest(
                test_id=t.test_id,
                code=t.code,
                name=t.name,
                units=t.units,
                reference_low=t.reference_low,
                reference_high=t.reference_high,
            )
            for t in tests
        ],
        samples=[
            ExchangeSample(
                barcode=s.barcode,
                container_type=s.container_type,
                test_codes=[t.code for t in tests if t.sample_id == s.id],
            )
            for s in samples
        ],
    )
