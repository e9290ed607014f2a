"""Problem texts in the client's language (clinic_shared.problems): plain functions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic_shared.problems import (
    field_message,
    known_message,
    localise,
    register_messages,
    reset_request_language,
    set_request_language,
    translate,
)

register_messages(
    {
        "No such doctor: {doctor_id}": "Нет такого врача: {doctor_id}",
        "Doctor {name} has no schedule on {day}": "У врача {name} нет расписания на {day}",
        "Doctor {name} has no schedule on {day} in cabinet {cabinet}": "У врача {name} нет расписания на {day} в кабинете {cabinet}",
        "The slot is taken.": "Время занято.",
    }
)


@pytest.fixture
def russian() -> Iterator[None]:
    tokens = set_request_language("ru", "/api/scheduling")
    yield
    reset_request_language(tokens)


@pytest.fixture
def english() -> Iterator[None]:
    tokens = set_request_language("en", "/api/scheduling")
    yield
    reset_request_language(tokens)


def test_a_fixed_text_is_translated() -> None:
    assert translate("The slot is taken.", "ru") == "Время занято."


def test_a_template_keeps_the_values_it_was_given() -> None:
    assert translate("No such doctor: 42", "ru") == "Нет такого врача: 42"


def test_the_most_specific_template_wins() -> None:
    text = "Doctor Ivanova has no schedule on 2026-12-07 in cabinet 5"
    assert translate(text, "ru") == "У врача Ivanova нет расписания на 2026-12-07 в кабинете 5"


def test_an_unknown_text_stays_as_it_is() -> None:
    assert translate("Something new", "ru") == "Something new"


def test_english_is_never_translated() -> None:
    assert translate("The slot is taken.", "en") == "The slot is taken."


def test_a_source_template_is_known_by_its_placeholders_as_written() -> None:
    assert known_message("No such doctor: {doctor_id}") and not known_message("No such nurse: {nurse_id}")


def test_pydantic_messages_are_translated_by_their_type_with_the_limit(russian: None) -> None:
    assert field_message("missing", "Field required") == "обязательное поле"
    assert field_message("string_too_long", "String should have at most 64 characters", {"max_length": "64"}) == (
        "слишком длинное значение: не длиннее 64"
    )


def test_a_validators_own_message_goes_through_the_catalogue(russian: None) -> None:
    assert field_message("value_error", "Value error, No such doctor: 7") == "Нет такого врача: 7"


def test_a_problem_gets_its_code_public_path_and_russian_texts(russian: None) -> None:
    body = localise(
        {
            "title": "Conflict",
            "status": 409,
            "detail": "The slot is taken.",
            "instance": "/appointments",
            "errors": [{"field": "doctor_id", "message": "No such doctor: 7"}],
        }
    )
    assert body["code"] == "conflict" and body["type"] == "/problems/conflict"
    assert body["title"] == "Конфликт с текущим состоянием" and body["detail"] == "Время занято."
    assert body["instance"] == "/api/scheduling/appointments"
    assert body["errors"] == [{"field": "doctor_id", "code": "invalid", "message": "Нет такого врача: 7"}]


def test_a_problem_in_english_keeps_its_texts(english: None) -> None:
    body = localise({"title": "Conflict", "status": 409, "detail": "The slot is taken.", "instance": "/appointments"})
    assert body["title"] == "Conflict" and body["detail"] == "The slot is taken."
    assert body["instance"] == "/api/scheduling/appointments"


def test_a_code_given_when_raised_is_kept(russian: None) -> None:
    body = localise(
        {"type": "/problems/slot-taken", "code": "slot-taken", "title": "Conflict", "status": 409, "detail": "x"}
    )
    assert body["code"] == "slot-taken" and body["type"] == "/problems/slot-taken"


@pytest.mark.parametrize("prefix", ["/api/Scheduling", "/etc", "/api/a/b", "https://x", ""])
def test_a_strange_forwarded_prefix_is_ignored(prefix: str) -> None:
    tokens = set_request_language("ru", prefix)
    try:
        assert (
            localise({"title": "Not found", "status": 404, "detail": "x", "instance": "/cards"})["instance"] == "/cards"
        )
    finally:
        reset_request_language(tokens)
