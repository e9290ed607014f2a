"""Phones profexam takes in (employees typed in, Excel rows): the platform's one rule.

`clinic_shared.phones.normalize_phone` with the `phone_region` setting, exactly as patients
cleans a card's mobile phone: "8 843 555 12 12" → "78435551212", and a refusal carries the
message patients gives for a card's phone ("is not a valid phone number", …).
"""

from __future__ import annotations

from clinic_shared.errors import ValidationFailed
from clinic_shared.phones import InvalidPhone, normalize_phone


def clean_phone(raw: str | None, *, region: str, field: str) -> str | None:
    """E.164 digits, or None when empty; 422 naming `field` (with patients' message) when it is no phone."""
    if raw is None or not raw.strip():
        return None
    try:
        return normalize_phone(raw, region)
    except InvalidPhone as exc:
        raise ValidationFailed(
            f"Invalid phone: {field}", errors=[{"field": field, "code": "invalid_phone", "message": str(exc)}]
        ) from exc
