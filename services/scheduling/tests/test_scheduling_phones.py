"""Phones as the front desk uses them (pure functions, SCH-17)."""

from __future__ import annotations

from scheduling.phones import whatsapp_url, with_country_code


def test_a_whatsapp_link_opens_a_chat_with_the_number() -> None:
    assert whatsapp_url("79229999999") == "https://wa.me/79229999999"


def test_a_copy_ready_phone_has_the_plus_and_country_code() -> None:
    assert with_country_code("79229999999") == "+79229999999"


def test_no_phone_gives_no_link_and_nothing_to_copy() -> None:
    assert whatsapp_url(None) is None and with_country_code(None) is None
