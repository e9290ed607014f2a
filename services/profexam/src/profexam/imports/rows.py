"""Checking the rows of an employee list: every bad cell of every row is reported (PRO-3, PRO-4).

Plain functions over what the reader returned: no database, no HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from profexam.factors.codes import match_factor_tokens, split_factor_cell
from profexam.imports.cells import (
    CellProblem,
    check_readable,
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
from profexam.imports.reader import SheetRows
from profexam.names import fold, person_key


@dataclass
class Rejection:
    """One reason a row is not imported."""

    row: int
    column: str | None
    value: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class EmployeeCandidate:
    """A row that passed every check: what will become (or match) a card and an employee."""

    row: int
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    sex: str | None
    phone: str | None
    position: str | None
    department: str | None
    exam_type: int
    working_conditions: str | None
    harmful_factor_codes: list[str]

    def person_key(self) -> tuple[str, str, str, date]:
        """Who this is for matching cards: names case- and ё-insensitive, and the birth date."""
        return person_key(self.last_name, self.first_name, self.middle_name, self.birth_date)


@dataclass
class CheckedRows:
    total_rows: int
    candidates: list[EmployeeCandidate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_codes: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rejected_rows(self) -> set[int]:
        return {r.row for r in self.rejected}


@dataclass(frozen=True)
class RowContext:
    """What checking a row needs besides the row: the day, the dictionaries, the calculation."""

    today: date
    sex_endings: Mapping[str, str]
    dictionary: set[str]
    mappings: Mapping[str, str]
    # (folded position, folded department) → factor codes of the chosen calculation, if any.
    calculation: Mapping[tuple[str, str], list[str]] | None = None
    # Phones without a country code belong to this region (the `phone_region` setting, as in patients).
    phone_region: str = "RU"


class RowCells:
    """Collects the problems of one row while its cells are parsed."""

    def __init__(self, number: int, values: list[Any], sheet: SheetRows, letters: Mapping[str, str]) -> None:
        self.number, self.values, self.sheet, self.letters = number, values, sheet, letters
        self.problems: list[Rejection] = []

    def raw(self, name: str) -> Any:
        return self.sheet.value(self.values, name)

    def take(self, name: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        if name not in self.letters:
            return default
        value = self.raw(name)
        try:
            return parse(value)
        except CellProblem as problem:
            self.problems.append(Rejection(self.number, self.letters[name], display(value), str(problem)))
            return default

    def reject(self, name: str | None, reason: str) -> None:
        column = self.letters.get(name) if name else None
        value = display(self.raw(name)) if name else None
        self.problems.append(Rejection(self.number, column, value, reason))


def check_employee_rows(sheet: SheetRows, letters: Mapping[str, str], context: RowContext) -> CheckedRows:
    """Parse every row; good rows become candidates, bad cells become rejections."""
    checked = CheckedRows(total_rows=len(sheet.rows))
    seen: dict[tuple[str, str, str, date], int] = {}
    for number, values in sheet.rows:
        row = RowCells(number, values, sheet, letters)
        candidate = _check_row(row, context, checked.unknown_codes)
        if candidate is not None:
            first = seen.setdefault(candidate.person_key(), number)
            if first != number:
                row.reject(None, f"the same person as row {first}")
                candidate = None
        if row.problems:
            checked.rejected.extend(row.problems)
        elif candidate is not None:
            checked.candidates.append(candidate)
    return checked


def _check_row(row: RowCells, context: RowContext, unknown_codes: dict[str, list[int]]) -> EmployeeCandidate | None:
    last_name = row.take("last_name", lambda v: parse_name(v, required=True))
    first_name = row.take("first_name", lambda v: parse_name(v, required=True))
    middle_name = row.take("middle_name", lambda v: parse_name(v, required=False))
    birth_date = row.take("birth_date", lambda v: parse_birth_date(v, today=context.today))
    sex = row.take("sex", parse_sex) or sex_from_patronymic(middle_name, context.sex_endings)
    phone = row.take("phone", lambda v: parse_phone(v, context.phone_region))
    position = row.take("position", clean_text)
    department = row.take("department", clean_text)
    exam_type = row.take("exam_type", parse_exam_type, default=1)
    working_conditions = row.take("working_conditions", parse_working_conditions)
    codes = _factor_codes(row, context, unknown_codes)
    codes = _with_calculation(row, context, position, department, codes)
    if row.problems or last_name is None or first_name is None or birth_date is None:
        return None
    return EmployeeCandidate(
        row=row.number,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        birth_date=birth_date,
        sex=sex,
        phone=phone,
        position=position,
        department=department,
        exam_type=exam_type,
        working_conditions=working_conditions,
        harmful_factor_codes=codes,
    )


def _factor_codes(row: RowCells, context: RowContext, unknown_codes: dict[str, list[int]]) -> list[str]:
    if "harmful_factors" not in row.letters:
        return []
    tokens = row.take("harmful_factors", lambda v: split_factor_cell(check_readable(v)), default=[])
    match = match_factor_tokens(tokens, dictionary=context.dictionary, mappings=context.mappings)
    if match.unknown:
        for token in match.unknown:
            unknown_codes.setdefault(token, []).append(row.number)
        listed = ", ".join(match.unknown)
        row.reject("harmful_factors", f"unknown harmful factor code(s): {listed}; map them to the dictionary")
    return match.codes


def _with_calculation(
    row: RowCells, context: RowContext, position: str | None, department: str | None, codes: list[str]
) -> list[str]:
    if context.calculation is None:
        return codes
    planned = context.calculation.get((fold(position), fold(department)))
    if planned is None:
        # A position planned without a department fits any department.
        planned = context.calculation.get((fold(position), ""))
    if planned is None:
        row.reject("position" if "position" in row.letters else None, "the position is not in the calculation")
        return codes
    return codes + [c for c in planned if c not in codes]
