"""Reading a lab's catalogue file (LAB-2): CSV (UTF-8 or cp1251, `;` or `,`) or XLSX.

Pure functions: bytes in, rows and rejected rows out. Row numbers are the file's (the header
is row 1), so a person can find the bad line in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lab.lab_tests.rules import limit_errors

REQUIRED_COLUMNS = ("code", "name", "container_type")
OPTIONAL_COLUMNS = (
    "sample_type",
    "study_type",
    "units",
    "reference_low",
    "reference_high",
    "critical_low",
    "critical_high",
)
NUMBER_COLUMNS = ("reference_low", "reference_high", "critical_low", "critical_high")
TEXT_COLUMNS = ("name", "container_type", "sample_type", "study_type", "units")
MAX_LENGTHS = {"code": 50, "name": 300, "container_type": 100, "sample_type": 100, "study_type": 100, "units": 50}
MAX_ROWS = 50_000
# A catalogue has a dozen columns; cells beyond these are never read (see read_xlsx).
MAX_COLUMNS = 64
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Headers as Russian labs' price files often spell them.
ALIASES = {
    "код": "code",
    "код теста": "code",
    "наименование": "name",
    "название": "name",
    "контейнер": "container_type",
    "тип контейнера": "container_type",
    "биоматериал": "sample_type",
    "тип образца": "sample_type",
    "тип исследования": "study_type",
    "единицы": "units",
    "ед. изм.": "units",
    "норма от": "reference_low",
    "норма до": "reference_high",
}


class CatalogueUnreadable(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass(frozen=True)
class Rejection:
    row: int
    field: str
    reason: str


@dataclass
class CatalogueRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParsedCatalogue:
    rows: list[CatalogueRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def parse_catalogue(data: bytes, filename: str = "") -> ParsedCatalogue:
    """Rows of a CSV or XLSX catalogue, each checked; bad rows go to `rejected`."""
    table = read_xlsx(data) if is_xlsx(data, filename) else read_csv(data)
    if not table:
        raise CatalogueUnreadable("the file is empty")
    columns = header_columns(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise CatalogueUnreadable(f"the file has more than {MAX_ROWS} rows")
    parsed = ParsedCatalogue()
    first_row_of_code: dict[str, int] = {}
    for offset, cells in enumerate(table[1:], start=2):
        raw = {name: cell_text(cells[index]) if index < len(cells) else "" for name, index in columns.items()}
        if not any(raw.values()):
            continue
        values, problems = check_row(raw)
        code = values.get("code")
        if code and not problems:
            if code in first_row_of_code:
                problems.append(("code", f"duplicate code, first at row {first_row_of_code[code]}"))
            else:
                first_row_of_code[code] = offset
        if problems:
            parsed.rejected.extend(Rejection(offset, name, reason) for name, reason in problems)
        else:
            parsed.rows.append(CatalogueRow(offset, values))
    return parsed


def is_xlsx(data: bytes, filename: str) -> bool:
    """XLSX files are zip archives; trust the content over the name."""
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def read_csv(data: bytes) -> list[list[str]]:
    """CSV cells; UTF-8 (with or without BOM) or else cp1251; `;` or `,` as the header shows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise CatalogueUnreadable("the file is neither UTF-8 nor cp1251 text") from exc
    if "\x00" in text:
        raise CatalogueUnreadable("the file is not a CSV or XLSX table")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") and ";" in header else ","
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise CatalogueUnreadable(f"the file is not a readable CSV table ({exc})") from exc


def check_unpacked_size(data: bytes) -> None:
    """A zip bomb is refused from the package's directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CatalogueUnreadable("the file is not a readable XLSX workbook") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise CatalogueUnreadable(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")


def read_xlsx(data: bytes) -> list[list[Any]]:
    """Cells of the first sheet of an XLSX workbook (its first MAX_COLUMNS columns)."""
    from openpyxl import load_workbook

    check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zip, XML, key errors) for a broken package
        raise CatalogueUnreadable("the file is not a readable XLSX workbook") from exc
    try:
        if not workbook.worksheets or not hasattr(workbook.worksheets[0], "iter_rows"):
            raise CatalogueUnreadable("the workbook's first sheet is not a table")
        sheet = workbook.worksheets[0]
        # openpyxl pads every row to the sheet's declared dimension: a few-KB file declaring
        # A1:XFD1048576 would make 16,384 cells a row. Ignore the declaration, cap the width.
        sheet.reset_dimensions()
        rows: list[list[Any]] = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except CatalogueUnreadable:
        raise
    except Exception as exc:  # broken XML inside the sheet part
        raise CatalogueUnreadable("the workbook's sheet cannot be read to the end") from exc
    finally:
        workbook.close()


def header_columns(header: list[Any]) -> dict[str, int]:
    """Column name → index; unknown columns are ignored, required ones must be there."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell_text(cell).lower().replace(" ", "_") if cell is not None else ""
        name = ALIASES.get(cell_text(cell).lower(), name)
        if name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise CatalogueUnreadable(f"missing column(s): {', '.join(missing)}")
    return columns


def cell_text(cell: Any) -> str:
    """A cell as trimmed text; whole floats from spreadsheets lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_number(text: str) -> float:
    """'5,6' or '5.6' → 5.6; ValueError for anything else."""
    value = float(text.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def check_row(raw: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The row's values and its problems as (field, reason)."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name in REQUIRED_COLUMNS:
        if not raw.get(name):
            problems.append((name, "is required"))
    for name, limit in MAX_LENGTHS.items():
        text = raw.get(name, "")
        if len(text) > limit:
            problems.append((name, f"longer than {limit} characters"))
        elif name not in NUMBER_COLUMNS:
            values[name] = text or None
    for name in NUMBER_COLUMNS:
        text = raw.get(name, "")
        if not text:
            values[name] = None
            continue
        try:
            values[name] = parse_number(text)
        except ValueError:
            problems.append((name, "is not a number"))
    if not problems:
        problems.extend(limit_errors(values))
    return values, problems
