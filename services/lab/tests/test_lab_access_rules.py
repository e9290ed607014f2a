"""Which labs' orders a caller sees (LAB-7)."""

from __future__ import annotations

import uuid

import pytest

from clinic_shared.errors import Forbidden
from lab.access import scope_for

LAB = uuid.uuid4()
OTHER = uuid.uuid4()


def test_all_labs_right_sees_every_lab_whatever_the_claim() -> None:
    scope = scope_for(all_labs=True, claim=str(LAB), doctor_lab_id=OTHER, doctor_has_access=False)
    assert scope.lab_ids is None


def test_lab_id_claim_limits_to_that_lab() -> None:
    scope = scope_for(all_labs=False, claim=str(LAB), doctor_lab_id=None, doctor_has_access=None)
    assert scope.allows(LAB) and not scope.allows(OTHER)


def test_malformed_claim_sees_no_lab() -> None:
    scope = scope_for(all_labs=False, claim="not-a-uuid", doctor_lab_id=None, doctor_has_access=None)
    assert not scope.allows(LAB)


def test_lab_doctor_row_limits_to_its_lab() -> None:
    scope = scope_for(all_labs=False, claim=None, doctor_lab_id=LAB, doctor_has_access=True)
    assert scope.allows(LAB) and not scope.allows(OTHER)


def test_lab_doctor_without_access_is_forbidden() -> None:
    with pytest.raises(Forbidden):
        scope_for(all_labs=False, claim=None, doctor_lab_id=LAB, doctor_has_access=False)


def test_front_desk_without_lab_binding_sees_every_lab() -> None:
    assert scope_for(all_labs=False, claim=None, doctor_lab_id=None, doctor_has_access=None).lab_ids is None
