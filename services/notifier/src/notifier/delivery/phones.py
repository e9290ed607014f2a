"""Phone numbers for SMS: any human format → E.164 digits, by the settings' country (NOT-5)."""

from __future__ import annotations

import phonenumbers

from notifier.delivery.base import PermanentError


def normalize_phone(raw: str, country: str) -> str:
    """'8 (922) 999-99-99' with country RU → '79229999999'; PermanentError when it is no mobile number."""
    try:
        number = phonenumbers.parse(raw.strip(), country)
    except phonenumbers.NumberParseException as exc:
        raise PermanentError("the phone number cannot be read") from exc
    if not phonenumbers.is_valid_number(number):
        raise PermanentError("the phone number is not valid")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise PermanentError("the phone number is not a mobile number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
