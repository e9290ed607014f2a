"""The widget's 409 (online.widget.public_conflict): the reason, never the appointment in the way."""

from __future__ import annotations

import uuid

import pytest

from clinic_shared.errors import Conflict
from scheduling.appointments.booking import overlap_conflict
from scheduling.online.widget import public_conflict


def test_an_overlap_keeps_its_reason_and_loses_the_ids() -> None:
    taken = [uuid.uuid4(), uuid.uuid4()]
    staff = overlap_conflict(taken)

    public = public_conflict(staff).to_problem()

    assert staff.extra["conflicts"] == [str(i) for i in taken]
    assert set(public) == {"type", "code", "title", "status", "detail", "reason"}
    assert public["status"] == 409 and public["reason"] == "overlap" and "taken" in public["detail"]
    assert public["code"] == "slot-taken"
    assert not any(str(i) in str(public) for i in taken)


@pytest.mark.parametrize("reason", ["outside_working_hours", "in_break"])
def test_working_time_reasons_stay_and_a_cabinet_is_not_named(reason: str) -> None:
    cabinet = str(uuid.uuid4())
    public = public_conflict(Conflict("The cabinet is closed.", reason=reason, cabinet_id=cabinet)).to_problem()
    assert public["reason"] == reason and "cabinet_id" not in public and cabinet not in str(public)


def test_any_other_conflict_is_a_plain_unavailable() -> None:
    secret = str(uuid.uuid4())
    public = public_conflict(Conflict(f"Appointment {secret} was changed.", current_version=3)).to_problem()
    assert public["reason"] == "unavailable" and secret not in str(public) and "current_version" not in public
