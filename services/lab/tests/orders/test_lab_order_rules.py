"""Order rules without a database: lifecycle, samples, numbers, barcodes (LAB-4)."""

from __future__ import annotations

import uuid
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab.orders.rules import (
    IllegalTransition,
    TestForSampling,
    can_change,
    check_transition,
    format_order_number,
    group_into_samples,
    is_valid_generated_barcode,
    make_barcode,
)

STATUSES = ["created", "sent", "in_progress", "completed", "cancelled"]
ALLOWED = {
    ("created", "sent"),
    ("created", "in_progress"),
    ("created", "cancelled"),
    ("sent", "in_progress"),
    ("sent", "cancelled"),
    ("in_progress", "completed"),
    ("in_progress", "cancelled"),
}


@pytest.mark.parametrize(("current", "wanted"), list(product(STATUSES, STATUSES)))
def test_only_the_lifecycle_steps_are_allowed(current: str, wanted: str) -> None:
    assert can_change(current, wanted) is ((current, wanted) in ALLOWED)


def test_refused_step_names_both_ends() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_transition("completed", "cancelled")
    assert refused.value.status == 409
    assert refused.value.extra == {"from_status": "completed", "to_status": "cancelled"}


def test_unknown_status_is_never_allowed() -> None:
    assert not can_change("created", "lost")


def test_tests_of_one_container_share_a_sample_in_arrival_order() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    groups = group_into_samples(
        [
            TestForSampling(a, "EDTA", "кровь"),
            TestForSampling(b, "serum"),
            TestForSampling(c, "edta "),
            TestForSampling(d, "urine"),
        ]
    )
    assert [(g.container_type, g.test_ids) for g in groups] == [("EDTA", [a, c]), ("serum", [b]), ("urine", [d])]


@given(st.lists(st.tuples(st.uuids(), st.sampled_from(["EDTA", "serum", "urine", "citrate"])), max_size=30))
def test_every_test_lands_in_exactly_one_sample(tests: list[tuple[uuid.UUID, str]]) -> None:
    groups = group_into_samples([TestForSampling(t, c) for t, c in tests])
    placed = [test_id for group in groups for test_id in group.test_ids]
    assert sorted(placed) == sorted(set(t for t, _ in tests))
    assert len({g.container_type for g in groups}) == len(groups)


def test_order_number_is_year_and_zero_padded_sequence() -> None:
    assert format_order_number(2026, 123) == "L-2026-000123"
    assert format_order_number(2027, 1234567) == "L-2027-1234567"


def test_barcode_is_twelve_digits_with_a_luhn_check_digit() -> None:
    barcode = make_barcode(1)
    assert barcode == "200000000014"
    assert is_valid_generated_barcode(barcode)


@given(st.integers(min_value=1, max_value=10**10 - 1))
def test_barcodes_of_different_counters_differ_and_validate(sequence: int) -> None:
    barcode = make_barcode(sequence)
    assert is_valid_generated_barcode(barcode)
    assert barcode != make_barcode(sequence + 1 if sequence + 1 < 10**10 else sequence - 1)


@given(st.integers(min_value=1, max_value=10**10 - 1), st.integers(0, 11), st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught(sequence: int, position: int, shift: int) -> None:
    barcode = make_barcode(sequence)
    wrong_digit = str((int(barcode[position]) + shift) % 10)
    mistyped = barcode[:position] + wrong_digit + barcode[position + 1 :]
    assert not is_valid_generated_barcode(mistyped)


def test_barcode_counter_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        make_barcode(0)
