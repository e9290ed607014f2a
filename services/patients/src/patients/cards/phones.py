"""Phone numbers: any human format → E.164 digits without the '+' (PAT-3)."""

from __future__ import annotations

import re

import phonenumbers

MAX_PHONE_LENGTH = 32
# A partial number typed in the search box ("last four digits") is matched as a substring.
MIN_PARTIAL_DIGITS = 4


class InvalidPhone(ValueError):
    """The text is not a phone number; the message says why (no number in it)."""


def normalize_phone(raw: str, region: str) -> str:
    """'8 (922) 999-99-99', '+7 922 999 99 99', '9229999999' → '79229999999'."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("is empty")
    if len(text) > MAX_PHONE_LENGTH:
        raise InvalidPhone(f"must be at most {MAX_PHONE_LENGTH} characters")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("is not a phone number") from exc
    if number.extension:
        raise InvalidPhone("must not contain an extension")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def phone_search_key(raw: str, region: str) -> tuple[str, bool]:
    """What to look for: (E.164 digits, exact) for a full number, (digits, partial) for a fragment."""
    try:
        return normalize_phone(raw, region), True
    except InvalidPhone:
        digits = re.sub(r"\D", "", raw)
        if len(digits) < MIN_PARTIAL_DIGITS or len(digits) > 15:
            raise
        return digits, False
