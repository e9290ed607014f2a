"""Which tests a charge orders, and how they split into orders (LAB-4)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LinkedTest:
    test_id: uuid.UUID
    lab_id: uuid.UUID
    active: bool = True


def tests_by_lab(
    linked: Iterable[LinkedTest], allowed_lab_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The charged service's active tests in the labs chosen for charges, one order's worth per lab.

    Labs keep the order of `allowed_lab_ids` (the settings' order), tests the order they came.
    """
    allowed = list(dict.fromkeys(allowed_lab_ids))
    grouped: dict[uuid.UUID, list[uuid.UUID]] = {lab_id: [] for lab_id in allowed}
    for test in linked:
        if test.active and test.lab_id in grouped and test.test_id not in grouped[test.lab_id]:
            grouped[test.lab_id].append(test.test_id)
    return {lab_id: tests for lab_id, tests in grouped.items() if tests}
