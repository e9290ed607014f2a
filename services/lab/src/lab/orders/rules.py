"""Order rules as plain functions: statuses, grouping tests into samples, numbers and barcodes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from clinic_shared.errors import Conflict


class OrderStatus(StrEnum):
    CREATED = "created"
    SENT = "sent"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    # created → in_progress: results typed in by hand for an order that was never sent.
    OrderStatus.CREATED: frozenset({OrderStatus.SENT, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}),
    OrderStatus.SENT: frozenset({OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}),
    OrderStatus.IN_PROGRESS: frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class IllegalTransition(Conflict):
    """409 naming both ends of the refused change."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(
            f"An order cannot go from {current} to {wanted}.",
            code="illegal-transition",
            from_status=current,
            to_status=wanted,
        )


def can_change(current: str, wanted: str) -> bool:
    """Whether the lifecycle allows `current` → `wanted`."""
    try:
        return OrderStatus(wanted) in TRANSITIONS[OrderStatus(current)]
    except ValueError:
        return False


def check_transition(current: str, wanted: str) -> None:
    """Raise IllegalTransition unless `current` → `wanted` is allowed."""
    if not can_change(current, wanted):
        raise IllegalTransition(current, wanted)


@dataclass(frozen=True)
class TestForSampling:
    __test__ = False  # not a pytest class, despite the name

    test_id: uuid.UUID
    container_type: str
    sample_type: str | None = None


@dataclass
class SampleGroup:
    container_type: str
    sample_type: str | None
    test_ids: list[uuid.UUID] = field(default_factory=list)


def group_into_samples(tests: list[TestForSampling]) -> list[SampleGroup]:
    """One sample per container type, in the order the tests came; each test in exactly one."""
    groups: dict[str, SampleGroup] = {}
    for test in tests:
        key = test.container_type.strip().casefold()
        group = groups.get(key)
        if group is None:
            group = groups[key] = SampleGroup(test.container_type.strip(), test.sample_type)
        if test.test_id not in group.test_ids:
            group.test_ids.append(test.test_id)
    return list(groups.values())


def format_order_number(year: int, sequence: int) -> str:
    """(2026, 123) → 'L-2026-000123'."""
    return f"L-{year}-{sequence:06d}"


BARCODE_PREFIX = "2"  # the GS1 range for in-house numbers: never clashes with retail codes
BARCODE_BODY_DIGITS = 10


def luhn_check_digit(digits: str) -> str:
    """The Luhn check digit of a digit string (catches any single wrong digit)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def make_barcode(sequence: int) -> str:
    """A 12-digit sample barcode: prefix, the counter, the Luhn check digit."""
    if sequence < 1 or sequence >= 10**BARCODE_BODY_DIGITS:
        raise ValueError(f"barcode counter out of range: {sequence}")
    body = f"{BARCODE_PREFIX}{sequence:0{BARCODE_BODY_DIGITS}d}"
    return body + luhn_check_digit(body)


def is_valid_generated_barcode(barcode: str) -> bool:
    """Whether `barcode` has our shape and a correct check digit."""
    return (
        len(barcode) == len(BARCODE_PREFIX) + BARCODE_BODY_DIGITS + 1
        and barcode.isdigit()
        and barcode.startswith(BARCODE_PREFIX)
        and luhn_check_digit(barcode[:-1]) == barcode[-1]
    )
