"""Phone numbers typed in by people: any human format → E.164 digits without the '+'.

One rule for every service (cards, appointments of primary patients, SMS delivery), with the
clinic's country (the `phone_region` setting) deciding numbers written without a country code.
"""

from __future__ import annotations

import re

import phonenumbers

MAX_PHONE_LENGTH = 32
# A fragment typed in a search box ("the last four digits") is matched as the number's ending.
MIN_PARTIAL_DIGITS = 4
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


class InvalidPhone(ValueError):
    """The text is not a phone number; the message says why, to follow the field's name."""


def parse_phone(raw: str, region: str) -> phonenumbers.PhoneNumber:
    """A valid number without an extension, or InvalidPhone."""
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
    return number


def normalize_phone(raw: str, region: str) -> str:
    """'8 (922) 999-99-99', '+7 922 999 99 99', '9229999999' with region RU → '79229999999'."""
    return _digits(parse_phone(raw, region))


def normalize_mobile_phone(raw: str, region: str) -> str:
    """Like `normalize_phone`, and refused unless the number can receive SMS."""
    number = parse_phone(raw, region)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidPhone("is not a mobile number")
    return _digits(number)


def phone_search_key(raw: str, region: str) -> tuple[str, bool]:
    """What to look for: (E.164 digits, True) for a full number, (digits, False) for an ending."""
    try:
        return normalize_phone(raw, region), True
    except InvalidPhone:
        digits = re.sub(r"\D", "", raw)
        if not MIN_PARTIAL_DIGITS <= len(digits) <= 15:
            raise InvalidPhone(f"must be a phone number or at least {MIN_PARTIAL_DIGITS} of its last digits") from None
        return digits, False


def _digits(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
