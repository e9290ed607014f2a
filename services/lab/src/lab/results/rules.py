"""Flagging a result against its reference range and critical limits (LAB-6)."""

from __future__ import annotations

import math
import re
from enum import StrEnum


class Flag(StrEnum):
    LOW = "low"
    HIGH = "high"
    NORMAL = "normal"
    CRITICAL = "critical"


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def numeric_value(value: str) -> float | None:
    """'5,6' or ' 5.6 ' → 5.6; text such as 'negative' or '<0.5' → None."""
    text = value.strip().replace(" ", "")
    if not _NUMBER.match(text):
        return None
    number = float(text.replace(",", "."))
    return number if math.isfinite(number) else None


def compute_flag(
    value: str,
    *,
    reference_low: float | None,
    reference_high: float | None,
    critical_low: float | None = None,
    critical_high: float | None = None,
) -> Flag | None:
    """Critical beyond a critical limit, low/high outside the range, normal inside (bounds included).

    None when the value is not a number or there is nothing to compare it with.
    """
    number = numeric_value(value)
    if number is None:
        return None
    if (critical_low is not None and number < critical_low) or (critical_high is not None and number > critical_high):
        return Flag.CRITICAL
    if reference_low is not None and number < reference_low:
        return Flag.LOW
    if reference_high is not None and number > reference_high:
        return Flag.HIGH
    if reference_low is None and reference_high is None:
        return None
    return Flag.NORMAL
