"""Rules for single cells of an employee list: names, dates, sex and the codes (PRO-3).

Each parser returns the clean value or raises `CellProblem` whose message is the reason
shown to the user next to the row number and column letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from clinic_shared.phones import InvalidPhone, normalize_phone
from clinic_shared.text import sex_from_patronymic as shared_sex_from_patronymic

Sex = Literal["male", "female"]
MIN_BIRTH_DATE = date(1900, 1, 1)
NAME_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 300

# Exam type codes of the original program: -1 not chosen, 0 preliminary, 1 periodic.
EXAM_TYPES = {-1: "not chosen", 0: "preliminary", 1: "periodic"}
DEFAULT_EXAM_TYPE = 1
# Working-condition codes in files → the class stored (SOUT classes 1, 2, 3.1–3.4, 4).
WORKING_CONDITIONS = {"1": "1", "2": "2", "31": "3.1", "32": "3.2", "33": "3.3", "34": "3.4", "4": "4"}
WORKING_CONDITION_CLASSES = tuple(WORKING_CONDITIONS.values())
SEX_WORDS: dict[str, Sex] = {
    "м": "male",
    "муж": "male",
    "мужской": "male",
    "male": "male",
    "m": "male",
    "ж": "female",
    "жен": "female",
    "женский": "female",
    "female": "female",
    "f": "female",
}
_DATE_TEXT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SPACES = re.compile(r"\s+")


class CellProblem(ValueError):
    """Why a cell cannot be imported (the text the user reads)."""


class FormulaWithoutValue:
    """A formula cell the file holds no computed value for (saved by a program that does not calculate)."""

    def __repr__(self) -> str:
        return "FormulaWithoutValue()"


class CellError:
    """An Excel error value such as #N/A or #REF!."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __repr__(self) -> str:
        return f"CellError({self.code!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CellError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


class MergedOutside:
    """A merged cell whose top-left value is not among the imported cells."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def __repr__(self) -> str:
        return f"MergedOutside({self.origin!r})"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()


def check_readable(value: Any) -> Any:
    """Refuse formula cells without a value and error cells; pass anything else through."""
    if isinstance(value, FormulaWithoutValue):
        raise CellProblem("the cell holds a formula without a calculated value; open and save the file in Excel")
    if isinstance(value, CellError):
        raise CellProblem(f"the cell holds the Excel error {value.code}")
    if isinstance(value, MergedOutside):
        raise CellProblem(
            f"the cell is part of the merged range {value.origin} whose value is not in the imported rows"
        )
    return value


def display(value: Any) -> str | None:
    """A cell value as the report shows it."""
    if value is None:
        return None
    if isinstance(value, FormulaWithoutValue):
        return "=…"
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, MergedOutside):
        return f"[{value.origin}]"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != datetime.min.time() else value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


def clean_text(value: Any, *, max_length: int = TEXT_MAX_LENGTH) -> str | None:
    """Trimmed text with single spaces; numbers without a trailing '.0'; None when empty."""
    value = check_readable(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellProblem("expected text, found TRUE/FALSE")
    if isinstance(value, datetime | date):
        raise CellProblem("expected text, found a date")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    if not text:
        return None
    if len(text) > max_length:
        raise CellProblem(f"longer than {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise CellProblem("contains control characters")
    return text


def parse_name(value: Any, *, required: bool) -> str | None:
    """A name part: text without digits; required ones must not be empty."""
    text = clean_text(value, max_length=NAME_MAX_LENGTH)
    if text is None:
        if required:
            raise CellProblem("is empty")
        return None
    if any(ch.isdigit() for ch in text):
        raise CellProblem("a name must not contain digits")
    return text


def parse_birth_date(value: Any, *, today: date) -> date:
    """An Excel date cell or text dd.mm.yyyy / d.m.yyyy (also yyyy-mm-dd); not in the future."""
    value = check_readable(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellProblem("is empty")
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        result = _date_from_text(value.strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise CellProblem("is a number, not a date: format the cell as a date or type dd.mm.yyyy")
    else:
        raise CellProblem("is not a date (dd.mm.yyyy)")
    if result > today:
        raise CellProblem("is in the future")
    if result < MIN_BIRTH_DATE:
        raise CellProblem(f"is before {MIN_BIRTH_DATE.strftime('%d.%m.%Y')}")
    return result


def _date_from_text(text: str) -> date:
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellProblem("is not a date: expected dd.mm.yyyy")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellProblem("is not a real calendar date") from exc


def parse_sex(value: Any) -> Sex | None:
    """'м', 'Муж.', 'female' … → male/female; empty → None (then the patronymic decides)."""
    text = clean_text(value)
    if text is None:
        return None
    word = text.casefold().rstrip(".").strip()
    if word not in SEX_WORDS:
        raise CellProblem("unknown sex: use м/ж, муж/жен or male/female")
    return SEX_WORDS[word]


def sex_from_patronymic(middle_name: str | None, endings: Mapping[str, str]) -> Sex | None:
    """The patients service's rule (PAT-6, clinic_shared.text) over its dictionary."""
    sex = shared_sex_from_patronymic(middle_name, endings)
    return sex if sex in ("male", "female") else None  # type: ignore[return-value]  # narrowed by the test: male or female


def _code_text(value: Any) -> str | None:
    value = check_readable(value)
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text or None
    return str(int(number)) if number == number.to_integral_value() else text


def parse_exam_type(value: Any) -> int:
    """-1 not chosen, 0 preliminary, 1 periodic; empty → periodic."""
    text = _code_text(value)
    if text is None:
        return DEFAULT_EXAM_TYPE
    if text not in {"-1", "0", "1"}:
        raise CellProblem("unknown exam type code: use -1 (not chosen), 0 (preliminary) or 1 (periodic)")
    return int(text)


def parse_working_conditions(value: Any) -> str | None:
    """Codes 1, 2, 31, 32, 33, 34, 4 → classes 1, 2, 3.1 … 3.4, 4; empty → not set."""
    text = _code_text(value)
    if text is None:
        return None
    if text not in WORKING_CONDITIONS:
        raise CellProblem("unknown working conditions code: use 1, 2, 31, 32, 33, 34 or 4")
    return WORKING_CONDITIONS[text]


def parse_phone(value: Any, region: str) -> str | None:
    """A phone in any format → E.164 digits, as patients stores a card's phone ("8 843 555 12 12" →
    "78435551212"; a number cell loses nothing: 79221234567.0 → "79221234567"); empty → None.

    A refusal is patients' own message for a card's phone (`clinic_shared.phones`).
    """
    text = clean_text(value)
    if text is None:
        return None
    try:
        return normalize_phone(text, region)
    except InvalidPhone as exc:
        raise CellProblem(str(exc)) from exc
