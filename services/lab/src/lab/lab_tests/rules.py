"""Rules of a lab test's data: the limits must be ordered."""

from __future__ import annotations

from collections.abc import Mapping

LIMIT_FIELDS = ("reference_low", "reference_high", "critical_low", "critical_high")


def limit_errors(values: Mapping[str, float | None]) -> list[tuple[str, str]]:
    """(field, message) for every pair of limits in the wrong order; [] when consistent."""
    low, high = values.get("reference_low"), values.get("reference_high")
    critical_low, critical_high = values.get("critical_low"), values.get("critical_high")
    errors: list[tuple[str, str]] = []
    if low is not None and high is not None and low > high:
        errors.append(("reference_high", "must not be below reference_low"))
    if critical_low is not None and critical_high is not None and critical_low > critical_high:
        errors.append(("critical_high", "must not be below critical_low"))
    if critical_low is not None and low is not None and critical_low > low:
        errors.append(("critical_low", "must not be above reference_low"))
    if critical_high is not None and high is not None and critical_high < high:
        errors.append(("critical_high", "must not be below reference_high"))
    return errors
