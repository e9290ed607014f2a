"""Result flags from the reference range and critical limits (LAB-6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab.results.rules import Flag, compute_flag, numeric_value

RANGE = {"reference_low": 120.0, "reference_high": 160.0, "critical_low": 70.0, "critical_high": 200.0}


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("140", Flag.NORMAL),
        ("120", Flag.NORMAL),
        ("160", Flag.NORMAL),
        ("119,9", Flag.LOW),
        ("160.1", Flag.HIGH),
        ("69", Flag.CRITICAL),
        ("201", Flag.CRITICAL),
        ("70", Flag.LOW),
        ("200", Flag.HIGH),
    ],
)
def test_flag_follows_the_range_and_critical_limits(value: str, flag: Flag) -> None:
    assert compute_flag(value, **RANGE) is flag


@pytest.mark.parametrize("value", ["отрицательно", "<0.5", "1-2 в п/з", "", "nan", "inf"])
def test_non_numeric_value_has_no_flag(value: str) -> None:
    assert compute_flag(value, **RANGE) is None


def test_number_without_any_range_has_no_flag() -> None:
    assert compute_flag("5", reference_low=None, reference_high=None) is None


def test_one_sided_range_flags_only_that_side() -> None:
    assert compute_flag("5.3", reference_low=None, reference_high=5.2) is Flag.HIGH
    assert compute_flag("0", reference_low=None, reference_high=5.2) is Flag.NORMAL


@pytest.mark.parametrize(("text", "number"), [("5,6", 5.6), (" 7 ", 7.0), ("-1.5", -1.5), ("1e3", 1000.0), (".5", 0.5)])
def test_numbers_are_read_with_comma_or_point(text: str, number: float) -> None:
    assert numeric_value(text) == number


@given(
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
)
def test_value_inside_the_range_is_normal(a: float, b: float, c: float) -> None:
    low, value, high = sorted((a, b, c))
    assert compute_flag(repr(value), reference_low=low, reference_high=high) is Flag.NORMAL


@given(st.floats(-1e6, 1e6), st.floats(0.001, 1e6))
def test_value_below_the_critical_limit_is_critical(limit: float, distance: float) -> None:
    value = limit - distance
    if value < limit:  # float rounding may erase a tiny distance
        flag = compute_flag(repr(value), reference_low=limit + 1, reference_high=limit + 2, critical_low=limit)
        assert flag is Flag.CRITICAL
