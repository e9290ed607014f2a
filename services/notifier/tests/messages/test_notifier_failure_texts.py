"""Why a message was not sent, in Russian next to the stable code (NOT-5, NOT-7): the code stays
as logs and scripts know it; `error_text` is what staff read."""

from __future__ import annotations

import pytest

from notifier.messages.reasons import REASONS, error_text


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("schedule deleted", "График рассылки удалён"),
        ("schedule disabled", "График рассылки выключен"),
        ("appointment deleted", "Запись на приём удалена"),
        ("appointment moved", "Запись на приём перенесена"),
        ("the appointment has already started", "Приём уже начался"),
        ("the attach code has expired", "Срок действия кода привязки к ONDOC истёк"),
        (
            "due more than 60 minutes ago (the notifier was not running)",
            "Срок отправки прошёл более 60 мин назад (служба рассылки не работала)",
        ),
        ("the patient has no e-mail address", "У пациента не указан e-mail"),
        ("the phone number is not a mobile number", "Номер телефона не мобильный: SMS на него не отправить"),
    ],
)
def test_cancel_and_drop_codes_have_russian_texts(code: str, text: str) -> None:
    assert error_text(code) == text


@pytest.mark.parametrize(
    ("error", "text"),
    [
        ("SMSC: HTTP 503", "SMSC: ошибка HTTP 503"),
        ("SMSC: wrong login or password (bad psw)", "SMSC: неверный логин или пароль (bad psw)"),
        ("SMSC: HTTP 504; the message may have been accepted", "SMSC: ошибка HTTP 504; сообщение, возможно, принято"),
        ("QuickTelecom: error 12: invalid sender", "QuickTelecom: ошибка 12: invalid sender"),
        ("SMTP: authentication failed (535)", "SMTP: ошибка входа (535)"),
        ("SMTP: TimeoutError", "SMTP: ошибка соединения (TimeoutError)"),
        (
            "SMSC login or password is not set in the notifier settings",
            "SMSC: в настройках рассылки не указаны логин или пароль",
        ),
        (
            "gave up after 5 attempts: SMSC: timeout",
            "Отправка прекращена после попыток: 5. SMSC: нет соединения (истекло время ожидания)",
        ),
    ],
)
def test_provider_errors_have_russian_texts_keeping_the_providers_words(error: str, text: str) -> None:
    assert error_text(error) == text


def test_an_error_without_a_translation_keeps_its_words_after_a_russian_lead_in() -> None:
    assert error_text("something new") == "Не отправлено: something new"


def test_no_error_has_no_text() -> None:
    assert error_text(None) is None and error_text("") is None


def test_every_fixed_code_has_a_cyrillic_text() -> None:
    assert all(any("а" <= letter.lower() <= "я" for letter in text) for text in REASONS.values())
