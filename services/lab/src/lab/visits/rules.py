"""Which orders make one visit, and when its results are ready (LAB-9): plain functions.

The source system sends "results ready" once "после ввода всех результатов из посещения" —
after every result of the visit is in. What the lab knows of a visit:
- orders made for an appointment (by hand with `appointment_id`, or from a charge that names
  the appointment) belong to that appointment's visit — of the same patient;
- orders made from one charge without an appointment (one per lab) are one visit;
- an order made by hand without an appointment is a visit of its own. Two such orders for the
  same patient on the same day are two visits: nothing says they are one, and guessing by the
  day would hold back the message of the first until the second is done.

The results of a visit are ready when none of its orders is still under way (each is completed
or cancelled) and at least one was completed since the last announcement. An order added to a
visit whose results were already announced is announced again when it is done (a new round).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from lab.orders.rules import OrderStatus

SETTLED = frozenset({OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value})


def visit_key(
    *, patient_id: uuid.UUID, order_id: uuid.UUID, appointment_id: uuid.UUID | None, charge_id: uuid.UUID | None
) -> str:
    """The key that makes orders one visit: the appointment (and patient), else the charge, else the order."""
    if appointment_id is not None:
        return f"appointment:{appointment_id.hex}:{patient_id.hex}"
    if charge_id is not None:
        return f"charge:{charge_id.hex}"
    return f"order:{order_id.hex}"


@dataclass(frozen=True)
class VisitOrder:
    """An order of the visit as readiness needs it."""

    id: uuid.UUID
    number: str
    lab_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class Readiness:
    completed: tuple[VisitOrder, ...]
    cancelled: tuple[VisitOrder, ...]
    under_way: tuple[VisitOrder, ...]

    @property
    def settled(self) -> bool:
        """No order of the visit is still waiting for results."""
        return not self.under_way


def readiness(orders: Iterable[VisitOrder]) -> Readiness:
    """The visit's orders sorted into completed, cancelled and still under way (by number)."""
    ordered = sorted(orders, key=lambda order: order.number)
    return Readiness(
        completed=tuple(o for o in ordered if o.status == OrderStatus.COMPLETED.value),
        cancelled=tuple(o for o in ordered if o.status == OrderStatus.CANCELLED.value),
        under_way=tuple(o for o in ordered if o.status not in SETTLED),
    )


def results_ready(state: Readiness, *, announced_completed: int) -> bool:
    """Whether "all results of the visit are ready" is news now: every order settled, and more
    completed orders than the last announcement covered (completed orders never go back)."""
    return state.settled and len(state.completed) > announced_completed
