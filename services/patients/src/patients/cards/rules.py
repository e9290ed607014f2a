"""Card rules as plain functions: minors, birth dates, contacts and the required-data policy."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from clinic_shared.errors import ValidationFailed
from clinic_shared.phones import InvalidPhone, normalize_phone
from patients.cards.names import NAME_MAX_LENGTH, clean_name, has_control_characters
from patients.sex.rules import guess_sex

MIN_BIRTH_DATE = date(1900, 1, 1)
EMAIL_MAX_LENGTH = 254
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f.]+(\.[^@\s\x00-\x1f\x7f.]+)+$")
NAME_FIELDS = ("last_name", "first_name", "middle_name")
# PAT-2: full name, birth date and one contact. "contact" stands for mobile_phone or email.
REQUIRED_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "contact")

FieldError = dict[str, str]


def clinic_today(timezone: str, now: datetime | None = None) -> date:
    """Today's date in the clinic's time zone (birthdays follow the clinic's calendar)."""
    moment = now or datetime.now(ZoneInfo(timezone))
    return moment.astimezone(ZoneInfo(timezone)).date()


def age_on(birth_date: date, today: date) -> int:
    """Full years on `today`; someone born on 29 February ages on 1 March in common years."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: date | None, today: date, minor_age: int = 18) -> bool:
    """Under `minor_age` on `today` (PAT-4); unknown birth date → not a minor."""
    return birth_date is not None and age_on(birth_date, today) < minor_age


def birth_date_problem(birth_date: date, today: date) -> str | None:
    """Why a birth date cannot be right, or None."""
    if birth_date > today:
        return "must not be in the future"
    if birth_date < MIN_BIRTH_DATE:
        return f"must not be before {MIN_BIRTH_DATE.isoformat()}"
    return None


def normalize_email(raw: str) -> str:
    """Trimmed, lower-case e-mail address; ValueError when it does not look like one."""
    email = raw.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(email):
        raise ValueError("is not a valid e-mail address")
    return email


def missing_required_fields(card: Mapping[str, Any]) -> list[FieldError]:
    """PAT-2 violations of a card (values already cleaned): one error per missing field."""
    errors = [
        {"field": name, "code": "required_by_settings", "message": "is required by the card settings"}
        for name in ("last_name", "first_name", "middle_name", "birth_date")
        if not card.get(name)
    ]
    if not card.get("mobile_phone") and not card.get("email"):
        message = "a mobile phone or an e-mail is required by the card settings"
        errors += [
            {"field": "mobile_phone", "code": "contact_required_by_settings", "message": message},
            {"field": "email", "code": "contact_required_by_settings", "message": message},
        ]
    return errors


def prepare_card(
    values: Mapping[str, Any],
    *,
    region: str,
    today: date,
    required_fields: bool,
    sex_endings: Mapping[str, str],
) -> dict[str, Any]:
    """Clean and check a card's full field set; ValidationFailed lists every bad field."""
    card = dict(values)
    errors: list[FieldError] = []
    for name in NAME_FIELDS:
        card[name] = clean_name(card.get(name))
        if card[name] and (len(card[name]) > NAME_MAX_LENGTH or has_control_characters(card[name])):
            errors.append(
                {
                    "field": name,
                    "code": "invalid_name",
                    "message": f"must be plain text of at most {NAME_MAX_LENGTH} characters",
                }
            )
    errors += [
        {"field": name, "code": "empty", "message": "must not be empty"}
        for name in ("last_name", "first_name")
        if not card[name]
    ]
    if card.get("birth_date") and (problem := birth_date_problem(card["birth_date"], today)):
        errors.append({"field": "birth_date", "code": "invalid_birth_date", "message": problem})
    errors += _clean_contacts(card, region)
    for name in ("address", "note"):
        card[name] = (card.get(name) or "").strip() or None
        if card[name] and name == "address" and has_control_characters(card[name]):
            errors.append(
                {"field": name, "code": "control_characters", "message": "must not contain control characters"}
            )
    if not card.get("sex") and card.get("middle_name"):
        card["sex"] = guess_sex(card["middle_name"], sex_endings)
    if required_fields:
        # A field already reported as malformed is not reported again as missing.
        bad = {e["field"] for e in errors}
        contact_bad = bool(bad & {"mobile_phone", "email"})
        errors += [
            e
            for e in missing_required_fields(card)
            if e["field"] not in bad and not (contact_bad and e["field"] in ("mobile_phone", "email"))
        ]
    if errors:
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        raise ValidationFailed(f"Invalid card: {fields}", errors=errors)
    return card


def _clean_contacts(card: dict[str, Any], region: str) -> list[FieldError]:
    errors: list[FieldError] = []
    mobile = (card.get("mobile_phone") or "").strip()
    card["mobile_phone"] = None
    if mobile:
        try:
            card["mobile_phone"] = normalize_phone(mobile, region)
        except InvalidPhone as exc:
            errors.append({"field": "mobile_phone", "code": "invalid_phone", "message": str(exc)})
    others: list[str] = []
    for index, raw in enumerate(card.get("other_phones") or []):
        if not (raw or "").strip():
            continue
        try:
            phone = normalize_phone(raw, region)
        except InvalidPhone as exc:
            errors.append({"field": f"other_phones.{index}", "code": "invalid_phone", "message": str(exc)})
            continue
        if phone not in others and phone != card["mobile_phone"]:
            others.append(phone)
    card["other_phones"] = others
    email = (card.get("email") or "").strip()
    card["email"] = None
    if email:
        try:
            card["email"] = normalize_email(email)
        except ValueError as exc:
            errors.append({"field": "email", "code": "invalid_email", "message": str(exc)})
    return errors
