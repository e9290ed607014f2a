"""Which contract refuses an import (PRO-3): the exam's own, or the organisation's latest."""

from __future__ import annotations

import uuid
from datetime import date

from profexam.organizations.models import Contract
from profexam.organizations.service import expired_contract

TODAY = date(2026, 11, 27)


def contract(valid_to: date) -> Contract:
    return Contract(id=uuid.uuid4(), number="1", valid_from=date(2020, 1, 1), valid_to=valid_to)


def test_the_exam_contract_ending_yesterday_refuses() -> None:
    ended = contract(date(2026, 11, 26))
    assert expired_contract([ended, contract(date(2027, 1, 1))], chosen=ended.id, today=TODAY) is ended


def test_the_exam_contract_ending_today_still_allows() -> None:
    last_day = contract(TODAY)
    assert expired_contract([last_day], chosen=last_day.id, today=TODAY) is None


def test_without_an_exam_contract_any_running_contract_allows() -> None:
    assert expired_contract([contract(date(2025, 1, 1)), contract(date(2027, 1, 1))], chosen=None, today=TODAY) is None


def test_without_an_exam_contract_all_ended_refuses_naming_the_latest() -> None:
    latest = contract(date(2026, 6, 1))
    assert expired_contract([contract(date(2025, 1, 1)), latest], chosen=None, today=TODAY) is latest


def test_an_organisation_without_contracts_is_not_refused() -> None:
    assert expired_contract([], chosen=None, today=TODAY) is None
