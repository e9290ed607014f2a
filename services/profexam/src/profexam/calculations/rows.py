"""Checking the rows of a calculation sheet: position, headcount, factors, price (PRO-5)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from profexam.factors.codes import match_factor_tokens, split_factor_cell
from profexam.imports.cells import CellProblem, check_readable, clean_text
from profexam.imports.reader import SheetRows
from profexam.imports.rows import Rejection, RowCells
from profexam.names import fold

MAX_PRICE = Decimal("9999999999.99")
_NUMBER_SPACES = re.compile(r"[\s\u00a0]")


SERVICE_CODE_MAX_LENGTH = 50


@dataclass
class PlannedPosition:
    row: int
    position: str
    department: str | None
    headcount: int
    harmful_factor_codes: list[str]
    price: Decimal | None
    service_code: str | None = None


@dataclass
class CheckedPositions:
    total_rows: int
    positions: list[PlannedPosition] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_codes: dict[str, list[int]] = field(default_factory=dict)


def parse_headcount(value: Any) -> int:
    """A whole number of people, at least 1."""
    value = check_readable(value)
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise CellProblem("is not a whole number")
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CellProblem("is not a whole number")
    if value < 1:
        raise CellProblem("must be at least 1")
    return value


def parse_price(value: Any) -> Decimal | None:
    """A price in roubles: a number cell or text like '1 234,50'; empty → none."""
    value = check_readable(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellProblem("is not a price")
    try:
        price = (
            Decimal(_NUMBER_SPACES.sub("", value).replace(",", ".")) if isinstance(value, str) else Decimal(str(value))
        )
    except InvalidOperation as exc:
        raise CellProblem("is not a price") from exc
    if not price.is_finite() or price < 0 or price > MAX_PRICE:
        raise CellProblem("must be between 0 and 9 999 999 999.99")
    return price.quantize(Decimal("0.01"))


def check_calculation_rows(
    sheet: SheetRows, letters: Mapping[str, str], *, dictionary: set[str], mappings: Mapping[str, str]
) -> CheckedPositions:
    """Every row a planned position, or rejections naming the bad cells."""
    checked = CheckedPositions(total_rows=len(sheet.rows))
    for number, values in sheet.rows:
        row = RowCells(number, values, sheet, letters)
        position = row.take("position", clean_text)
        if position is None and not row.problems:
            row.reject("position", "is empty")
        department = row.take("department", clean_text)
        headcount = row.take("headcount", parse_headcount)
        price = row.take("price", parse_price)
        service_code = row.take("service_code", lambda v: clean_text(v, max_length=SERVICE_CODE_MAX_LENGTH))
        tokens = row.take("harmful_factors", lambda v: split_factor_cell(check_readable(v)), default=[])
        match = match_factor_tokens(tokens, dictionary=dictionary, mappings=mappings)
        if match.unknown:
            for token in match.unknown:
                checked.unknown_codes.setdefault(token, []).append(number)
            listed = ", ".join(match.unknown)
            row.reject("harmful_factors", f"unknown harmful factor code(s): {listed}; map them to the dictionary")
        if row.problems or position is None or headcount is None:
            checked.rejected.extend(row.problems)
            continue
        checked.positions.append(
            PlannedPosition(number, position, department, headcount, match.codes, price, service_code)
        )
    return checked


def position_key(position: str | None, department: str | None) -> tuple[str, str]:
    """How employees' positions are matched to a calculation's lines."""
    return fold(position), fold(department)
