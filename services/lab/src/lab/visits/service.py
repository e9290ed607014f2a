"""Visits (LAB-9): which visit an order joins, and "all results of the visit are ready".

`lab_result.ready` with `all_done` (LAB-6) tells that one order is done. A patient whose visit
sent tubes to two labs must hear "your results are ready" once, when both are: that is
`lab_visit.results_ready`, published here exactly once per visit (per round, see rules.py).

Exactly once, also when two orders of the visit complete at the same moment (two lab results
posted at once, the exchange worker and a person): settling an order locks the visit row first
and only then reads the statuses of the visit's orders, so the second of two concurrent
completions waits for the first to commit and sees its order completed — the first saw the
second still under way and left the announcement to it. The announcement is recorded on the
visit (`announced_completed`, `announcements`) in the same transaction as its outbox row, so a
repeated completion, a correction or a retried request never announces again.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import NotFound
from clinic_shared.logging import get_logger
from lab import events
from lab.access import EVERY_LAB, LabScope
from lab.history import service as history
from lab.history.service import Actor
from lab.orders.models import LabOrder
from lab.visits import rules
from lab.visits.models import LabVisit
from lab.visits.repository import VisitRepository
from lab.visits.schemas import VisitOrderRead, VisitRead

log = get_logger(__name__)


async def visit_of(
    session: AsyncSession,
    *,
    patient_id: uuid.UUID,
    order_id: uuid.UUID,
    appointment_id: uuid.UUID | None,
    charge_id: uuid.UUID | None,
) -> LabVisit:
    """The visit a new order joins: found by its key, or made (once, also under a race)."""
    key = rules.visit_key(patient_id=patient_id, order_id=order_id, appointment_id=appointment_id, charge_id=charge_id)
    repository = VisitRepository(session)
    visit = await repository.by_key(key)
    if visit is not None:
        return visit
    now = utcnow()
    visit = LabVisit(
        id=uuid.uuid4(),
        key=key,
        patient_id=patient_id,
        appointment_id=appointment_id,
        charge_id=charge_id if appointment_id is None else None,
        announced_completed=0,
        announcements=0,
        version=1,
        created_at=now,
        updated_at=now,
    )
    try:
        # Two orders of one appointment made at once: the second insert waits here, then loses.
        async with session.begin_nested():
            session.add(visit)
            await session.flush()
    except IntegrityError:
        winner = await repository.by_key(key)
        if winner is None:
            raise
        return winner
    return visit


async def order_settled(session: AsyncSession, *, order: LabOrder, actor: Actor) -> bool:
    """An order of the visit was completed or cancelled: publish `lab_visit.results_ready` when
    that makes every result of the visit ready. Returns whether it did."""
    if order.visit_id is None:
        return False
    repository = VisitRepository(session)
    visit = await repository.lock(order.visit_id)  # before reading the other orders (module doc)
    if visit is None:
        return False
    state = rules.readiness(await repository.orders(visit.id))
    if not rules.results_ready(state, announced_completed=visit.announced_completed):
        return False
    now = utcnow()
    visit.announced_completed = len(state.completed)
    visit.announcements += 1
    visit.results_ready_at = now
    visit.updated_at = now
    visit.version += 1
    await events.publish_visit_results_ready(session, visit, state, completed_at=now)
    details = {
        "visit_id": str(visit.id),
        "round": visit.announcements,
        "order_ids": [str(o.id) for o in state.completed],
    }
    for completed in state.completed:
        await history.record(session, order_id=completed.id, action="visit_results_ready", actor=actor, details=details)
    await session.flush()
    log.info("lab.visit.results_ready", visit_id=str(visit.id), round=visit.announcements, orders=len(state.completed))
    return True


async def get_visit(session: AsyncSession, *, visit_id: uuid.UUID, scope: LabScope = EVERY_LAB) -> VisitRead:
    """A visit with the orders the caller may see; a visit with none of them is a 404."""
    repository = VisitRepository(session)
    visit = await repository.get(visit_id)
    if visit is None:
        raise NotFound(f"Lab visit {visit_id} not found.")
    every = rules.readiness(await repository.orders(visit.id))
    visible = [order for order in (*every.completed, *every.cancelled, *every.under_way) if scope.allows(order.lab_id)]
    if not visible:
        raise NotFound(f"Lab visit {visit_id} not found.")
    return VisitRead(
        id=visit.id,
        patient_id=visit.patient_id,
        appointment_id=visit.appointment_id,
        charge_id=visit.charge_id,
        orders=[
            VisitOrderRead(id=o.id, number=o.number, lab_id=o.lab_id, status=o.status)  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
            for o in sorted(visible, key=lambda o: o.number)
        ],
        results_ready=every.settled and bool(every.completed) and visit.announced_completed >= len(every.completed),
        announcements=visit.announcements,
        results_ready_at=visit.results_ready_at,
        version=visit.version,
    )
