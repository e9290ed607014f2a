"""The column mapping of an import (PRO-3): defaults, letters, and 422 naming the field."""

from __future__ import annotations

import json

import pytest

from clinic_shared.errors import ValidationFailed
from profexam.imports.schemas import CalculationMapping, EmployeeMapping, parse_mapping


def test_no_mapping_means_the_template_layout() -> None:
    mapping = parse_mapping(None, EmployeeMapping)
    assert mapping.letters()["last_name"] == "A" and mapping.letters()["working_conditions"] == "K"
    assert (mapping.first_row, mapping.last_row, mapping.sheet) == (2, None, None)


def test_letters_are_upper_cased_and_become_column_numbers() -> None:
    mapping = parse_mapping(json.dumps({"last_name": "aa", "first_name": "b", "birth_date": "xfd"}), EmployeeMapping)
    assert mapping.sheet_spec().columns["last_name"] == 27
    assert mapping.sheet_spec().columns["birth_date"] == 16384


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"last_name": "A1"}, "mapping.last_name"),
        ({"last_name": "XFE"}, "mapping.last_name"),
        ({"phone": 3}, "mapping.phone"),
        ({"first_row": 0}, "mapping.first_row"),
        ({"first_row": 5, "last_row": 4}, "mapping"),
        ({"birth_date": None}, "mapping"),
        ({"colour": "A"}, "mapping.colour"),
        ({"sheet": ""}, "mapping.sheet"),
    ],
)
def test_bad_mappings_are_422_naming_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_mapping(json.dumps(raw), EmployeeMapping)
    assert any(e["field"] == field for e in caught.value.errors or []), caught.value.errors


@pytest.mark.parametrize("text", ["{", "[1]", "null"])
def test_mapping_that_is_not_a_json_object_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_mapping(text, EmployeeMapping)
    assert caught.value.errors and caught.value.errors[0]["field"] == "mapping"


def test_sheet_may_be_a_name_or_a_position() -> None:
    assert parse_mapping('{"sheet": 2}', EmployeeMapping).sheet == 2
    assert parse_mapping('{"sheet": "Лист1"}', EmployeeMapping).sheet == "Лист1"


def test_a_calculation_needs_position_and_headcount_columns() -> None:
    with pytest.raises(ValidationFailed):
        parse_mapping('{"headcount": null}', CalculationMapping)
