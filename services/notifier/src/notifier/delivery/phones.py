"""Phone numbers for SMS (NOT-5): the shared rule, with failures as permanent delivery errors."""

from __future__ import annotations

from clinic_shared.phones import InvalidPhone, normalize_mobile_phone
from notifier.delivery.base import PermanentError


def normalize_phone(raw: str, country: str) -> str:
    """'8 (922) 999-99-99' with country RU → '79229999999'; PermanentError when it is no mobile number."""
    try:
        return normalize_mobile_phone(raw, country)
    except InvalidPhone as exc:
        raise PermanentError(f"the phone number {exc}") from exc
