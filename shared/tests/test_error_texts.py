"""The Russian text of a delivery's machine error: an exact text first, then rules in order, then the fallback."""

from __future__ import annotations

import re

import pytest

from clinic_shared.error_texts import error_text

REASONS = {"timeout": "Нет ответа"}
RULES = [
    (re.compile(r"HTTP (\d+)"), lambda m: f"Ответ {m[1]}"),
    (re.compile(r"HTTP .*"), lambda m: "Ответ без кода"),
]


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (None, None),
        ("", None),
        ("timeout", "Нет ответа"),
        ("HTTP 503", "Ответ 503"),
        ("HTTP five hundred", "Ответ без кода"),
        ("HTTP 503 and more", "Ответ без кода"),
        ("something else", "Не отправлено: something else"),
    ],
)
def test_the_first_matching_text_is_shown(error: str | None, text: str | None) -> None:
    assert error_text(error, reasons=REASONS, rules=RULES, fallback="Не отправлено: {error}") == text
