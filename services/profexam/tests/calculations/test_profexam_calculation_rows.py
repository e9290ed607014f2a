"""Cells of a calculation sheet (PRO-5): headcounts and prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from profexam.calculations.rows import parse_headcount, parse_price
from profexam.imports.cells import CellProblem


@pytest.mark.parametrize(("value", "count"), [(3, 3), (3.0, 3), ("12", 12), (" 7 ", 7)])
def test_headcounts_are_whole_numbers(value: object, count: int) -> None:
    assert parse_headcount(value) == count


@pytest.mark.parametrize("value", [0, -1, 2.5, "два", None, True])
def test_bad_headcounts_are_refused(value: object) -> None:
    with pytest.raises(CellProblem):
        parse_headcount(value)


@pytest.mark.parametrize(
    ("value", "price"),
    [
        (1200, Decimal("1200.00")),
        (99.5, Decimal("99.50")),
        ("1 200,50", Decimal("1200.50")),
        ("1\u00a0000", Decimal("1000.00")),
        (None, None),
        ("", None),
    ],
)
def test_prices_from_numbers_and_russian_text(value: object, price: Decimal | None) -> None:
    assert parse_price(value) == price


@pytest.mark.parametrize("value", ["дорого", -1, "1e20", "NaN"])
def test_bad_prices_are_refused(value: object) -> None:
    with pytest.raises(CellProblem):
        parse_price(value)
