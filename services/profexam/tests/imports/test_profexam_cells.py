"""Cell rules of an employee list (PRO-3): dates, codes, sex, names."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_shared.phones import InvalidPhone, normalize_phone
from profexam.imports.cells import (
    FORMULA_WITHOUT_VALUE,
    CellError,
    CellProblem,
    MergedOutside,
    clean_text,
    display,
    parse_birth_date,
    parse_exam_type,
    parse_name,
    parse_phone,
    parse_sex,
    parse_working_conditions,
    sex_from_patronymic,
)

TODAY = date(2026, 11, 27)
ENDINGS = {"вич": "male", "вна": "female", "ич": "male", "оглы": "male", "кызы": "female"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05.03.1984", date(1984, 3, 5)),
        ("5.3.1984", date(1984, 3, 5)),
        (" 31.12.1999 ", date(1999, 12, 31)),
        ("1984-03-05", date(1984, 3, 5)),
        (datetime(1984, 3, 5), date(1984, 3, 5)),
        (date(1984, 3, 5), date(1984, 3, 5)),
    ],
)
def test_birth_dates_are_read_from_date_cells_and_text(value: object, expected: date) -> None:
    assert parse_birth_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31.02.1984", "not a real calendar date"),
        ("1984.03.05", "expected dd.mm.yyyy"),
        ("05.03.84", "expected dd.mm.yyyy"),
        ("вчера", "expected dd.mm.yyyy"),
        (30000, "is a number, not a date"),
        (None, "is empty"),
        ("  ", "is empty"),
        ("01.01.2030", "in the future"),
        ("01.01.1899", "before 01.01.1900"),
        (FORMULA_WITHOUT_VALUE, "formula without a calculated value"),
        (CellError("#N/A"), "Excel error #N/A"),
    ],
)
def test_bad_birth_dates_are_refused_with_a_reason(value: object, reason: str) -> None:
    with pytest.raises(CellProblem, match=reason):
        parse_birth_date(value, today=TODAY)


@pytest.mark.parametrize(
    ("value", "code"), [(None, 1), ("", 1), (1, 1), (0, 0), (-1, -1), ("-1", -1), (1.0, 1), ("0", 0)]
)
def test_exam_type_codes_and_empty_means_periodic(value: object, code: int) -> None:
    assert parse_exam_type(value) == code


@pytest.mark.parametrize("value", [2, "2", "periodic", -2, 0.5, True])
def test_unknown_exam_type_codes_are_refused(value: object) -> None:
    with pytest.raises(CellProblem, match="unknown exam type"):
        parse_exam_type(value)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (1, "1"),
        (2, "2"),
        (31, "3.1"),
        (32, "3.2"),
        (33, "3.3"),
        (34, "3.4"),
        (4, "4"),
        ("31", "3.1"),
        (34.0, "3.4"),
        (None, None),
        ("", None),
    ],
)
def test_working_condition_codes_become_classes(value: object, grade: str | None) -> None:
    assert parse_working_conditions(value) == grade


@pytest.mark.parametrize("value", [3, 35, "3.1", 3.1, "класс 2", 5, 0])
def test_other_working_condition_values_are_refused(value: object) -> None:
    with pytest.raises(CellProblem, match="unknown working conditions"):
        parse_working_conditions(value)


@pytest.mark.parametrize(
    ("value", "sex"),
    [
        ("м", "male"),
        ("М", "male"),
        ("муж", "male"),
        ("Муж.", "male"),
        ("male", "male"),
        ("ж", "female"),
        ("жен", "female"),
        ("Female", "female"),
        ("женский", "female"),
        (None, None),
        ("", None),
    ],
)
def test_sex_words(value: object, sex: str | None) -> None:
    assert parse_sex(value) == sex


def test_unknown_sex_word_is_refused() -> None:
    with pytest.raises(CellProblem, match="unknown sex"):
        parse_sex("x")


@pytest.mark.parametrize(
    ("middle_name", "sex"),
    [
        ("Петрович", "male"),
        ("Петровна", "female"),
        ("Ильич", "male"),
        ("Мамед оглы", "male"),
        ("Алиевна", "female"),
        ("Петровёна", None),
        ("ич", None),
        (None, None),
        ("", None),
    ],
)
def test_sex_from_patronymic_uses_the_longest_ending(middle_name: str | None, sex: str | None) -> None:
    assert sex_from_patronymic(middle_name, ENDINGS) == sex


def test_names_are_trimmed_and_digits_refused() -> None:
    assert parse_name("  Иванов   Петров ", required=True) == "Иванов Петров"
    with pytest.raises(CellProblem, match="digits"):
        parse_name("Иван2", required=True)
    with pytest.raises(CellProblem, match="is empty"):
        parse_name(None, required=True)
    assert parse_name(None, required=False) is None


def test_phone_number_cells_lose_no_digits() -> None:
    assert parse_phone(79221234567.0, "RU") == "79221234567"
    assert parse_phone(None, "RU") is None and parse_phone("  ", "RU") is None


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("8 843 555 12 12", "78435551212"),
        ("8 (922) 123-45-67", "79221234567"),
        ("+7 922 123-45-67", "79221234567"),
        ("9221234567", "79221234567"),
    ],
)
def test_phone_cells_are_normalised_like_card_phones(cell: str, stored: str) -> None:
    assert parse_phone(cell, "RU") == stored == normalize_phone(cell, "RU")


@pytest.mark.parametrize("cell", ["12", "abc", "8 922 111-22-33 доб. 5", "+7 922 123-45-67 " + "9" * 20])
def test_a_bad_phone_cell_gives_the_card_phone_message(cell: str) -> None:
    with pytest.raises(InvalidPhone) as card_error:
        normalize_phone(cell, "RU")
    with pytest.raises(CellProblem) as cell_error:
        parse_phone(cell, "RU")
    assert str(cell_error.value) == str(card_error.value)


def test_text_cells_refuse_control_characters_and_overlong_text() -> None:
    with pytest.raises(CellProblem, match="control"):
        clean_text("a\x07b")
    with pytest.raises(CellProblem, match="longer than"):
        clean_text("я" * 301)


def test_merged_cells_without_a_readable_origin_are_refused() -> None:
    with pytest.raises(CellProblem, match="merged range A1:A3"):
        clean_text(MergedOutside("A1:A3"))


def test_report_shows_values_as_typed() -> None:
    assert display(datetime(1984, 3, 5)) == "05.03.1984"
    assert display(31.0) == "31"
    assert display(FORMULA_WITHOUT_VALUE) == "=…"
    assert display(None) is None


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_every_past_date_written_as_text_reads_back(day: date) -> None:
    assert parse_birth_date(day.strftime("%d.%m.%Y"), today=TODAY) == day
    assert parse_birth_date(f"{day.day}.{day.month}.{day.year}", today=TODAY) == day
