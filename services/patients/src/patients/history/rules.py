"""What changed between two snapshots of a card (PAT-8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Change = dict[str, Any]


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """`[{field, old, new}]` for every field whose value differs, in `after`'s field order."""
    return [
        {"field": name, "old": before.get(name), "new": value}
        for name, value in after.items()
        if _comparable(before.get(name)) != _comparable(value)
    ]


def creation(after: Mapping[str, Any]) -> list[Change]:
    """The fields a new card was created with (empty ones left out)."""
    return [{"field": name, "old": None, "new": value} for name, value in after.items() if _comparable(value)]


def _comparable(value: Any) -> Any:
    # An empty list, an empty string and null all mean "not filled in".
    return None if value in (None, "", []) else value
