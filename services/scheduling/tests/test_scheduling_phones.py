"""Phones of patients typed in by hand (pure functions, SCH-17)."""

from __future__ import annotations

import pytest

from scheduling.phones import InvalidPhone, normalize_phone, phone_search_key, whatsapp_url, with_country_code


@pytest.mark.parametrize("raw", ["8 (922) 999-99-99", "+7 922 999 99 99", "9229999999", "+7-922-999-9999"])
def test_russian_formats_normalise_to_e164_digits(raw: str) -> None:
    assert normalize_phone(raw, "RU") == "79229999999"


@pytest.mark.parametrize("raw", ["", "   ", "hello", "123", "+7 922"])
def test_text_that_is_no_phone_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw, "RU")


def test_whatsapp_link_and_copy_ready_phone() -> None:
    assert whatsapp_url("79229999999") == "https://wa.me/79229999999"
    assert with_country_code("79229999999") == "+79229999999"
    assert whatsapp_url(None) is None and with_country_code(None) is None


def test_full_number_is_searched_exactly_and_four_digits_as_an_ending() -> None:
    assert phone_search_key("8 922 999 99 99", "RU") == ("79229999999", True)
    assert phone_search_key("9999", "RU") == ("9999", False)


def test_three_digits_are_too_few_to_search() -> None:
    with pytest.raises(InvalidPhone):
        phone_search_key("999", "RU")
