"""Which orders make one visit and when its results are ready (LAB-9): the rules alone."""

from __future__ import annotations

import uuid

import pytest

from lab.visits.rules import VisitOrder, readiness, results_ready, visit_key

PATIENT, ORDER, APPOINTMENT, CHARGE = (uuid.uuid4() for _ in range(4))


def _order(status: str, number: str = "L-2026-000001") -> VisitOrder:
    return VisitOrder(id=uuid.uuid4(), number=number, lab_id=uuid.uuid4(), status=status)


def test_orders_of_an_appointment_share_its_visit_whatever_the_charge() -> None:
    by_hand = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=APPOINTMENT, charge_id=None)
    from_charge = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=APPOINTMENT, charge_id=CHARGE)
    assert by_hand == from_charge


def test_another_patient_on_the_same_appointment_is_another_visit() -> None:
    mine = visit_key(patient_id=PATIENT, order_id=ORDER, appointment_id=APPOINTMENT, charge_id=None)
    theirs = visit_key(patient_id=uuid.uuid4(), order_id=ORDER, appointment_id=APPOINTMENT, charge_id=None)
    assert mine != theirs


def test_orders_of_one_charge_without_an_appointment_are_one_visit() -> None:
    first = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=None, charge_id=CHARGE)
    second = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=None, charge_id=CHARGE)
    assert first == second


def test_an_order_by_hand_without_an_appointment_is_a_visit_of_its_own() -> None:
    first = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=None, charge_id=None)
    second = visit_key(patient_id=PATIENT, order_id=uuid.uuid4(), appointment_id=None, charge_id=None)
    assert first != second


@pytest.mark.parametrize(
    ("statuses", "announced", "ready"),
    [
        (["completed", "in_progress"], 0, False),
        (["completed", "sent"], 0, False),
        (["completed", "completed"], 0, True),
        (["completed", "cancelled"], 0, True),
        (["cancelled", "cancelled"], 0, False),
        (["completed", "completed"], 2, False),
        (["completed", "completed", "completed"], 2, True),
        (["completed", "completed", "created"], 2, False),
    ],
)
def test_results_are_ready_when_every_order_is_done_and_one_completed_since_the_last_time(
    statuses: list[str], announced: int, ready: bool
) -> None:
    state = readiness(_order(status, f"L-2026-{index:06d}") for index, status in enumerate(statuses))
    assert results_ready(state, announced_completed=announced) is ready
