"""Card rules without a database: minors, birth dates, e-mail, card numbers, PAT-2."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic_shared.errors import ValidationFailed
from patients.cards.rules import (
    age_on,
    birth_date_problem,
    clinic_today,
    is_minor,
    missing_required_fields,
    normalize_email,
    prepare_card,
)
from patients.cards.service import card_number_candidates, format_card_number
from patients.sex.rules import DEFAULT_ENDINGS

TODAY = date(2026, 11, 27)


def prepare(values: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return prepare_card(values, region="RU", today=TODAY, required_fields=required, sex_endings=DEFAULT_ENDINGS)


def field_names(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e["field"] for e in exc.value.errors or []]


# --- minors (PAT-4) ---------------------------------------------------------------------
def test_someone_turning_eighteen_today_is_not_a_minor() -> None:
    assert not is_minor(date(2008, 11, 27), TODAY)


def test_someone_turning_eighteen_tomorrow_is_a_minor() -> None:
    assert is_minor(date(2008, 11, 28), TODAY)


def test_birthday_today_adds_a_year() -> None:
    assert age_on(date(2000, 11, 27), TODAY) == 26


def test_day_before_birthday_has_the_previous_age() -> None:
    assert age_on(date(2000, 11, 28), TODAY) == 25


def test_born_on_29_february_is_still_a_minor_on_28_february_of_a_common_year() -> None:
    assert is_minor(date(2008, 2, 29), date(2026, 2, 28))


def test_born_on_29_february_comes_of_age_on_1_march_of_a_common_year() -> None:
    assert not is_minor(date(2008, 2, 29), date(2026, 3, 1))


def test_born_on_29_february_ages_on_29_february_of_a_leap_year() -> None:
    assert age_on(date(2012, 2, 29), date(2032, 2, 28)) == 19
    assert age_on(date(2012, 2, 29), date(2032, 2, 29)) == 20


def test_unknown_birth_date_is_not_a_minor() -> None:
    assert not is_minor(None, TODAY)


def test_minor_age_is_configurable() -> None:
    assert is_minor(date(2010, 1, 1), TODAY, minor_age=21) and not is_minor(date(2010, 1, 1), TODAY, minor_age=16)


def test_clinic_today_follows_the_clinic_time_zone() -> None:
    # 22:30 UTC on 31 December is already 1 January in Moscow (UTC+3).
    moment = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)
    assert clinic_today("Europe/Moscow", moment) == date(2026, 1, 1)
    assert clinic_today("UTC", moment) == date(2025, 12, 31)


# --- birth dates, e-mail ----------------------------------------------------------------------
def test_birth_date_in_the_future_is_refused() -> None:
    assert birth_date_problem(date(2026, 11, 28), TODAY) == "must not be in the future"


def test_birth_date_before_1900_is_refused() -> None:
    assert birth_date_problem(date(1899, 12, 31), TODAY) is not None


@pytest.mark.parametrize("birth_date", [date(1900, 1, 1), TODAY])
def test_birth_date_bounds_are_accepted(birth_date: date) -> None:
    assert birth_date_problem(birth_date, TODAY) is None


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalize_email("  Ivan.Petrov@Mail.RU ") == "ivan.petrov@mail.ru"


@pytest.mark.parametrize("raw", ["ivan", "ivan@", "@mail.ru", "ivan@mail", "iv an@mail.ru", "a@b@c.ru", "x" * 300])
def test_malformed_email_is_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_email(raw)


# --- card numbers -----------------------------------------------------------------------------
def test_card_numbers_are_zero_padded_to_six_digits() -> None:
    assert format_card_number(123) == "000123"
    assert format_card_number(1234567) == "1234567"


def test_typed_card_number_matches_with_or_without_leading_zeros() -> None:
    assert card_number_candidates(" 123 ") == ["123", "000123"]
    assert card_number_candidates("000123") == ["000123"]
    assert card_number_candidates("A-17") == ["A-17"]


# --- required-data policy (PAT-2) -------------------------------------------------------------
def test_policy_lists_every_missing_field() -> None:
    missing = missing_required_fields({"last_name": "Иванов", "first_name": "Иван"})
    assert [e["field"] for e in missing] == ["middle_name", "birth_date", "mobile_phone", "email"]


def test_policy_is_satisfied_by_an_email_instead_of_a_phone() -> None:
    card = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Иванович",
        "birth_date": date(1990, 1, 1),
        "email": "i@mail.ru",
    }
    assert missing_required_fields(card) == []


def test_card_breaking_the_policy_is_refused_when_it_is_on() -> None:
    with pytest.raises(ValidationFailed) as exc:
        prepare({"last_name": "Иванов", "first_name": "Иван"}, required=True)
    assert field_names(exc) == ["middle_name", "birth_date", "mobile_phone", "email"]


def test_card_breaking_the_policy_is_accepted_when_it_is_off() -> None:
    assert prepare({"last_name": "Иванов", "first_name": "Иван"})["last_name"] == "Иванов"


def test_malformed_phone_is_not_reported_again_as_missing() -> None:
    values = {"last_name": "И", "first_name": "И", "middle_name": "И", "birth_date": date(1990, 1, 1)}
    with pytest.raises(ValidationFailed) as exc:
        prepare({**values, "mobile_phone": "12"}, required=True)
    assert field_names(exc) == ["mobile_phone"]


# --- prepare_card -----------------------------------------------------------------------------
def test_prepare_normalises_phones_and_email() -> None:
    card = prepare(
        {
            "last_name": " Иванов ",
            "first_name": "Иван",
            "mobile_phone": "8 (922) 999-99-99",
            "other_phones": ["+7 495 123 45 67", "89229999999", "", "74951234567"],
            "email": "I@Mail.ru",
        }
    )
    assert card["last_name"] == "Иванов"
    assert card["mobile_phone"] == "79229999999"
    # The mobile number and duplicates are not repeated among the other phones.
    assert card["other_phones"] == ["74951234567"]
    assert card["email"] == "i@mail.ru"


def test_prepare_reports_all_bad_fields_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        prepare(
            {
                "last_name": "",
                "first_name": "Иван",
                "birth_date": date(2030, 1, 1),
                "mobile_phone": "12",
                "other_phones": ["9229999999", "xx"],
                "email": "nope",
            }
        )
    assert field_names(exc) == ["last_name", "birth_date", "mobile_phone", "other_phones.1", "email"]


def test_prepare_guesses_sex_from_the_patronymic_when_empty() -> None:
    assert prepare({"last_name": "А", "first_name": "Б", "middle_name": "Ильинична"})["sex"] == "female"


def test_prepare_keeps_the_sex_given() -> None:
    values = {"last_name": "А", "first_name": "Б", "middle_name": "Ильинична", "sex": "male"}
    assert prepare(values)["sex"] == "male"


def test_prepare_refuses_control_characters_in_names() -> None:
    with pytest.raises(ValidationFailed) as exc:
        prepare({"last_name": "Ива\x00нов", "first_name": "Иван"})
    assert field_names(exc) == ["last_name"]
