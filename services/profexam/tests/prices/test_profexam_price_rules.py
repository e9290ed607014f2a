"""Which contract prices a calculation and how a line gets its price (PRO-7): plain rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from profexam.prices.rules import code_key, contract_in_force, line_price


@dataclass
class Contract:
    valid_from: date
    valid_to: date
    created_at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def test_the_contract_in_force_on_the_day_applies() -> None:
    old = Contract(date(2024, 1, 1), date(2025, 12, 31))
    current = Contract(date(2026, 1, 1), date(2026, 12, 31))
    assert contract_in_force([old, current], date(2026, 3, 1)) is current
    assert contract_in_force([old, current], date(2025, 12, 31)) is old
    assert contract_in_force([old, current], date(2027, 1, 1)) is None
    assert contract_in_force([], date(2026, 3, 1)) is None


def test_of_overlapping_contracts_the_one_that_started_last_then_the_newest_applies() -> None:
    long = Contract(date(2025, 1, 1), date(2027, 12, 31))
    later = Contract(date(2026, 2, 1), date(2026, 12, 31))
    assert contract_in_force([later, long], date(2026, 3, 1)) is later
    twin = Contract(later.valid_from, later.valid_to, created_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert contract_in_force([twin, later], date(2026, 3, 1)) is twin


def test_a_listed_service_takes_the_contract_price_whatever_the_line_says() -> None:
    listed = {code_key("A01.001"): Decimal("2000.00")}
    assert line_price(" a01.001 ", Decimal("1500"), listed) == (Decimal("2000.00"), "contract")
    assert line_price("A01.001", None, listed) == (Decimal("2000.00"), "contract")


def test_other_lines_keep_their_own_price_or_none() -> None:
    listed = {code_key("A01"): Decimal("10")}
    assert line_price("B02", Decimal("900"), listed) == (Decimal("900"), "line")
    assert line_price(None, Decimal("900"), listed) == (Decimal("900"), "line")
    assert line_price("B02", None, listed) == (None, None)
    assert line_price("A01", Decimal("5"), {}) == (Decimal("5"), "line")
