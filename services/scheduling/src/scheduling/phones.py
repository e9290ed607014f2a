"""Phone numbers of patients typed in by hand: normalised digits, WhatsApp link (SCH-17)."""

from __future__ import annotations

import re

import phonenumbers

MAX_PHONE_LENGTH = 32
MIN_PARTIAL_DIGITS = 4


class InvalidPhone(ValueError):
    """The text is not a phone number."""


def normalize_phone(raw: str, region: str) -> str:
    """'8 (922) 999-99-99', '+7 922 999 99 99', '9229999999' → '79229999999' (E.164 digits)."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("is empty")
    if len(text) > MAX_PHONE_LENGTH:
        raise InvalidPhone(f"must be at most {MAX_PHONE_LENGTH} characters")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def phone_search_key(raw: str, region: str) -> tuple[str, bool]:
    """(digits, exact): a full number is matched exactly, 4+ digits as the number's ending."""
    try:
        return normalize_phone(raw, region), True
    except InvalidPhone:
        digits = re.sub(r"\D", "", raw)
        if not MIN_PARTIAL_DIGITS <= len(digits) <= 15:
            raise InvalidPhone(f"must be a phone number or at least {MIN_PARTIAL_DIGITS} of its last digits") from None
        return digits, False


def with_country_code(digits: str | None) -> str | None:
    """'79229999999' → '+79229999999', ready to copy into a phone."""
    return f"+{digits}" if digits else None


def whatsapp_url(digits: str | None) -> str | None:
    """'79229999999' → 'https://wa.me/79229999999'."""
    return f"https://wa.me/{digits}" if digits else None
