"""Checking employee rows (PRO-3, PRO-4, PRO-5): every bad cell is reported with row, column and value."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from profexam_builders import employee_row, employees_xlsx

from clinic_shared.phones import InvalidPhone, normalize_phone
from profexam.imports.reader import ReadLimits, read_rows
from profexam.imports.rows import CheckedRows, RowContext, check_employee_rows
from profexam.imports.schemas import EmployeeMapping
from profexam.imports.service import open_upload

LIMITS = ReadLimits(max_rows=1000, max_uncompressed_bytes=10**8, max_compression_ratio=200)
CONTEXT = RowContext(
    today=date(2026, 11, 27),
    sex_endings={"вич": "male", "вна": "female"},
    dictionary={"1.1", "4.2.5", "4.4", "18", "18.2"},
    mappings={},
)


def check(rows: list[list[Any]], mapping: EmployeeMapping | None = None, context: RowContext = CONTEXT) -> CheckedRows:
    mapping = mapping or EmployeeMapping()
    prepared = open_upload(employees_xlsx(rows), mapping.sheet_spec(), LIMITS)
    try:
        sheet = read_rows(prepared, LIMITS)
    finally:
        prepared.close()
    return check_employee_rows(sheet, mapping.letters(), context)


def test_a_good_row_becomes_a_candidate_with_every_field() -> None:
    checked = check(
        [
            employee_row(
                0, sex="ж", phone="+7 922 123-45-67", harmful_factors="1.1; п.18", exam_type=0, working_conditions=31
            )
        ]
    )
    assert checked.rejected == []
    candidate = checked.candidates[0]
    assert (candidate.row, candidate.birth_date, candidate.sex, candidate.phone) == (
        2,
        date(1980, 1, 1),
        "female",
        "79221234567",  # normalised as patients stores a card's phone
    )
    assert (candidate.exam_type, candidate.working_conditions, candidate.harmful_factor_codes) == (
        0,
        "3.1",
        ["1.1", "18"],
    )


def test_a_bad_phone_rejects_its_row_with_the_card_phone_message() -> None:
    checked = check([employee_row(0, phone="8 843 555 12 12"), employee_row(1, phone="12")])
    assert checked.candidates[0].phone == "78435551212"
    try:
        normalize_phone("12", "RU")
    except InvalidPhone as exc:
        message = str(exc)
    assert [r.as_dict() for r in checked.rejected] == [{"row": 3, "column": "F", "value": "12", "reason": message}]


def test_phones_without_a_country_code_take_the_configured_region() -> None:
    row = [employee_row(0, phone="030 12345678")]
    assert check(row).rejected[0].column == "F"  # not a Russian number
    german = check(row, context=dataclasses.replace(CONTEXT, phone_region="DE"))
    assert german.rejected == [] and german.candidates[0].phone == "493012345678"


def test_empty_exam_type_is_periodic_and_empty_conditions_are_not_set() -> None:
    candidate = check([employee_row(0, exam_type=None, working_conditions=None)]).candidates[0]
    assert (candidate.exam_type, candidate.working_conditions) == (1, None)


def test_sex_comes_from_the_patronymic_when_empty() -> None:
    checked = check([employee_row(0, middle_name="Сергеевна"), employee_row(1, middle_name="Сергеевич")])
    assert [c.sex for c in checked.candidates] == ["female", "male"]


def test_every_bad_cell_is_reported_with_row_column_value_and_reason() -> None:
    checked = check([employee_row(0), employee_row(1, birth_date="31.02.1990", exam_type=5, working_conditions=3)])
    assert [(r.row, r.column, r.value) for r in checked.rejected] == [
        (3, "D", "31.02.1990"),
        (3, "J", "5"),
        (3, "K", "3"),
    ]
    assert len(checked.candidates) == 1


def test_unknown_factor_codes_reject_the_row_and_are_listed_with_their_rows() -> None:
    checked = check(
        [employee_row(0, harmful_factors="1.1; 9.9"), employee_row(1, harmful_factors="9.9, шум"), employee_row(2)]
    )
    assert checked.unknown_codes == {"9.9": [2, 3], "шум": [3]}
    assert [(r.row, r.column) for r in checked.rejected] == [(2, "I"), (3, "I")]


def test_remembered_mappings_place_the_organisation_codes() -> None:
    context = RowContext(today=CONTEXT.today, sex_endings={}, dictionary=CONTEXT.dictionary, mappings={"шум": "4.4"})
    checked = check([employee_row(0, harmful_factors="шум; 1.1")], context=context)
    assert checked.candidates[0].harmful_factor_codes == ["4.4", "1.1"]


def test_the_same_person_twice_in_a_file_is_rejected_the_second_time() -> None:
    row = employee_row(0)
    twin = employee_row(0, last_name=row[0].upper(), position="Токарь")
    checked = check([row, twin])
    assert [(r.row, r.reason) for r in checked.rejected] == [(3, "the same person as row 2")]


def test_columns_can_be_anywhere_and_left_out() -> None:
    rows = [["x", "05.03.1984", "Иванов", "Иван", "Токарь"]]
    mapping = EmployeeMapping.model_validate(
        {
            "last_name": "C",
            "first_name": "D",
            "middle_name": None,
            "birth_date": "B",
            "position": "E",
            "sex": None,
            "phone": None,
            "department": None,
            "harmful_factors": None,
            "exam_type": None,
            "working_conditions": None,
        }
    )
    candidate = check(rows, mapping).candidates[0]
    assert (candidate.last_name, candidate.birth_date, candidate.position, candidate.middle_name) == (
        "Иванов",
        date(1984, 3, 5),
        "Токарь",
        None,
    )


def test_a_calculation_fills_factors_from_the_row_position() -> None:
    context = RowContext(
        today=CONTEXT.today,
        sex_endings={},
        dictionary=CONTEXT.dictionary,
        mappings={},
        calculation={("слесарь", ""): ["4.4"], ("токарь", "цех 2"): ["18"]},
    )
    checked = check(
        [
            employee_row(0, harmful_factors="1.1"),
            employee_row(1, position="Токарь", department="Цех 2", harmful_factors=None),
            employee_row(2, position="Маляр"),
        ],
        context=context,
    )
    assert [c.harmful_factor_codes for c in checked.candidates] == [["1.1", "4.4"], ["18"]]
    assert [(r.row, r.column, r.reason) for r in checked.rejected] == [
        (4, "G", "the position is not in the calculation")
    ]
