"""Recording results (LAB-6), by hand or from the lab exchange, and correcting them.

The first result moves the order to in_progress; a result for every test completes it. Each
result publishes `lab_result.ready`; completion publishes it once more with `all_done`.
Completed results change only through a journaled correction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from lab import events
from lab.history import service as history
from lab.history.service import Actor
from lab.orders import service as orders_service
from lab.orders.models import LabOrder, OrderTest
from lab.orders.repository import OrderRepository
from lab.orders.rules import OrderStatus
from lab.results.models import LabResult
from lab.results.repository import ResultRepository
from lab.results.rules import compute_flag
from lab.results.schemas import CorrectionCreate, ResultEntry


class ResultsForCancelledOrder(Conflict):
    """409: a cancelled order takes no results (the caller journals the attempt)."""

    def __init__(self, test_ids: list[uuid.UUID]) -> None:
        super().__init__(
            "The order is cancelled; it takes no results.",
            code="results-for-cancelled-order",
            order_status=OrderStatus.CANCELLED.value,
        )
        self.test_ids = test_ids


async def journal_refused_results(
    session: AsyncSession, *, order_id: uuid.UUID, test_ids: list[uuid.UUID], actor: Actor, source: str
) -> None:
    """Journal results refused for a cancelled order: someone (or some lab) still sent them."""
    await history.record(
        session,
        order_id=order_id,
        action="results_refused",
        actor=actor,
        details={"test_ids": [str(t) for t in test_ids], "source": source, "reason": "заказ отменён"},
    )


@dataclass(frozen=True)
class Outcome:
    recorded: int
    completed: bool


def _flag(entry: ResultEntry, test: OrderTest, low: float | None, high: float | None) -> str | None:
    if entry.flag is not None:
        return entry.flag.value
    flag = compute_flag(
        entry.value,
        reference_low=low,
        reference_high=high,
        critical_low=test.critical_low,
        critical_high=test.critical_high,
    )
    return flag.value if flag else None


def _check_entries(entries: list[ResultEntry], tests: dict[uuid.UUID, OrderTest]) -> None:
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(entries):
        field = f"results.{index}.test_id"
        if entry.test_id not in tests:
            raise ValidationFailed.field(field, f"test {entry.test_id} is not in this order", "test_not_in_order")
        if entry.test_id in seen:
            raise ValidationFailed.field(field, f"test {entry.test_id} appears twice", "duplicate_test")
        seen.add(entry.test_id)
        low = entry.reference_low if entry.reference_low is not None else tests[entry.test_id].reference_low
        high = entry.reference_high if entry.reference_high is not None else tests[entry.test_id].reference_high
        if low is not None and high is not None and low > high:
            raise ValidationFailed.field(
                f"results.{index}.reference_high", "must not be below reference_low", "limits_out_of_order"
            )


async def record_results(
    session: AsyncSession, *, order: LabOrder, entries: list[ResultEntry], actor: Actor, source: str = "manual"
) -> Outcome:
    """Store results for tests of the order; completes the order when every test has one."""
    if order.status == OrderStatus.CANCELLED:
        raise ResultsForCancelledOrder([e.test_id for e in entries])
    if order.status == OrderStatus.COMPLETED:
        raise Conflict(
            "The order is completed; its results change only by a correction.",
            code="order-completed",
            order_status=order.status,
        )
    order_tests = await OrderRepository(session).tests(order.id)
    tests = {t.test_id: t for t in order_tests}
    _check_entries(entries, tests)
    if order.status in (OrderStatus.CREATED, OrderStatus.SENT):
        await orders_service.change_status(session, order=order, status=OrderStatus.IN_PROGRESS.value, actor=actor)
    existing = await ResultRepository(session).by_order_test(order.id)
    now = utcnow()
    for entry in entries:
        test = tests[entry.test_id]
        low = entry.reference_low if entry.reference_low is not None else test.reference_low
        high = entry.reference_high if entry.reference_high is not None else test.reference_high
        result = existing.get(test.id)
        if result is None:
            result = existing[test.id] = LabResult(id=uuid.uuid4(), order_id=order.id, order_test_id=test.id)
            session.add(result)
        result.test_id = test.test_id
        result.value = entry.value
        result.units = entry.units if entry.units is not None else test.units
        result.reference_low, result.reference_high = low, high
        result.flag = _flag(entry, test, low, high)
        result.comment = entry.comment
        result.source = source
        result.corrected = False
        result.recorded_at = now
        result.recorded_by_username = actor.username
        await events.publish_result_ready(session, order, test_id=test.test_id, all_done=False)
    await history.record(
        session,
        order_id=order.id,
        action="results_recorded",
        actor=actor,
        details={"test_ids": [str(e.test_id) for e in entries], "source": source},
    )
    order.updated_at = now
    await session.flush()
    completed = all(t.id in existing for t in order_tests)
    if completed:
        await orders_service.change_status(session, order=order, status=OrderStatus.COMPLETED.value, actor=actor)
    return Outcome(recorded=len(entries), completed=completed)


async def correct_result(
    session: AsyncSession, *, order: LabOrder, test_id: uuid.UUID, data: CorrectionCreate, actor: Actor
) -> LabResult:
    """Replace a recorded result, journaling the old and new value and the reason."""
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(
            "The order is cancelled; its results cannot be corrected.",
            code="results-for-cancelled-order",
            order_status=order.status,
        )
    test = next((t for t in await OrderRepository(session).tests(order.id) if t.test_id == test_id), None)
    if test is None:
        raise ValidationFailed.field("test_id", f"test {test_id} is not in this order", "test_not_in_order")
    result = (await ResultRepository(session).by_order_test(order.id)).get(test.id)
    if result is None:
        raise NotFound(f"Test {test_id} has no result to correct.")
    before = {"value": result.value, "units": result.units, "flag": result.flag, "comment": result.comment}
    entry = ResultEntry(test_id=test_id, value=data.value, flag=data.flag)
    result.value = data.value
    if data.units is not None:
        result.units = data.units
    result.flag = _flag(entry, test, result.reference_low, result.reference_high)
    if data.comment is not None:
        result.comment = data.comment
    result.corrected = True
    result.recorded_at = utcnow()
    result.recorded_by_username = actor.username
    after = {"value": result.value, "units": result.units, "flag": result.flag, "comment": result.comment}
    await history.record(
        session,
        order_id=order.id,
        action="result_corrected",
        actor=actor,
        details={"test_id": str(test_id), "before": before, "after": after, "reason": data.reason},
    )
    order.updated_at = utcnow()
    await events.publish_result_ready(session, order, test_id=test_id, all_done=False, corrected=True)
    await session.flush()
    return result
