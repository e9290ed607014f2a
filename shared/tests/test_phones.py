"""Phone normalisation shared by cards, appointments and SMS (PAT-3, SCH-17, NOT-5): any format → E.164 digits."""

from __future__ import annotations

import pytest

from clinic_shared.phones import InvalidPhone, normalize_mobile_phone, normalize_phone, phone_search_key


@pytest.mark.parametrize(
    "raw",
    [
        "8 (922) 999-99-99",
        "+7 922 999 99 99",
        "9229999999",
        "89229999999",
        "79229999999",
        "+79229999999",
        "7 (922) 999-99-99",
        " 8-922-999-99-99 ",
        "8.922.999.99.99",
        "+7-922-999-9999",
    ],
)
def test_russian_mobile_in_any_format_becomes_e164_digits(raw: str) -> None:
    assert normalize_phone(raw, "RU") == "79229999999"


def test_landline_with_area_code_is_accepted() -> None:
    assert normalize_phone("+7 (495) 123-45-67", "RU") == "74951234567"


def test_foreign_number_with_plus_keeps_its_country_code() -> None:
    assert normalize_phone("+44 20 7946 0958", "RU") == "442079460958"


def test_region_decides_numbers_without_country_code() -> None:
    assert normalize_phone("(650) 253-0000", "US") == "16502530000"


@pytest.mark.parametrize(
    "raw", ["12345", "abc", "hello", "123", "+7 922", "8 922 999 99 9", "+7 000 000 00 00", "", "   ", "++++"]
)
def test_what_is_not_a_phone_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw, "RU")


def test_overlong_input_is_refused_before_parsing() -> None:
    with pytest.raises(InvalidPhone, match="at most"):
        normalize_phone("9" * 1000, "RU")


def test_extension_is_refused_rather_than_silently_dropped() -> None:
    with pytest.raises(InvalidPhone, match="extension"):
        normalize_phone("922-999-99-99 доб. 5", "RU")


def test_search_key_of_a_full_number_is_exact() -> None:
    assert phone_search_key("8 (922) 999-99-99", "RU") == ("79229999999", True)


def test_search_key_of_a_fragment_is_partial_digits() -> None:
    assert phone_search_key("99-99", "RU") == ("9999", False)


def test_search_key_of_too_short_a_fragment_is_refused() -> None:
    with pytest.raises(InvalidPhone):
        phone_search_key("99", "RU")


def test_search_key_of_too_long_a_fragment_is_refused_naming_what_is_expected() -> None:
    with pytest.raises(InvalidPhone, match="at least 4 of its last digits"):
        phone_search_key("1" * 16, "RU")


def test_a_mobile_number_passes_the_sms_check() -> None:
    assert normalize_mobile_phone("8 (922) 999-99-99", "RU") == "79229999999"


def test_a_landline_is_refused_for_sms() -> None:
    with pytest.raises(InvalidPhone, match="not a mobile number"):
        normalize_mobile_phone("+7 (495) 123-45-67", "RU")
