"""Builders of profexam test data: real .xlsx files (openpyxl), raw packages and bad files.

Imported by the tests as `profexam_builders` (registered by conftest.py under that unique
name, since every service's tests/ directory sits on sys.path side by side).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "Телефон",
    "Должность",
    "Подразделение",
    "Вредные факторы",
    "Вид осмотра",
    "Условия труда",
]
_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"
XLSX_HEADERLESS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def letters_for(number: int) -> str:
    """A unique Cyrillic suffix for a number (names must not contain digits)."""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(_LETTERS))
        text = _LETTERS[rest] + text
    return text


def employee_row(index: int = 0, **overrides: Any) -> list[Any]:
    """A valid employee in the template's layout (A … K); override a field by its name."""
    fields: dict[str, Any] = {
        "last_name": f"Сотрудник{letters_for(index)}",
        "first_name": "Иван",
        "middle_name": "Петрович",
        "birth_date": date(1980, 1, 1 + index % 28),
        "sex": None,
        "phone": None,
        "position": "Слесарь",
        "department": "Цех 1",
        "harmful_factors": "4.2.5",
        "exam_type": 1,
        "working_conditions": 2,
    }
    unknown = set(overrides) - set(fields)
    assert not unknown, unknown
    fields.update(overrides)
    return list(fields.values())


def employee_rows(count: int, *, start: int = 0) -> list[list[Any]]:
    return [employee_row(start + i) for i in range(count)]


def workbook_bytes(
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[Any] | None = HEADER,
    title: str = "Сотрудники",
    number_formats: dict[str, str] | None = None,
    merges: Sequence[str] = (),
    sheets_before: Sequence[tuple[str, str]] = (),
    sheets_after: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An xlsx with one data sheet; `sheets_before/after` add (title, state) sheets around it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, state in sheets_before:
        extra = workbook.create_sheet(name)
        extra.append(["not", "the", "data"])
        extra.sheet_state = state
    sheet = workbook.create_sheet(title)
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    for ref in merges:
        sheet.merge_cells(ref)
    for name, state in sheets_after:
        extra = workbook.create_sheet(name)
        extra.append(["not", "the", "data"])
        extra.sheet_state = state
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def employees_xlsx(rows: Iterable[Sequence[Any]], **kwargs: Any) -> bytes:
    """An employee list in the template's layout with a header row."""
    return workbook_bytes(rows, **kwargs)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_SHEET_ROOT = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def inline(ref: str, text: str) -> str:
    """A text cell of raw sheet XML."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_xlsx(rows_xml: Iterable[str], *, dimension: str | None = None, tail: str = "", doctype: str = "") -> bytes:
    """A minimal xlsx package written by hand: full control over the sheet XML (`doctype`: a DTD before the root)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((_XML_DECLARATION + doctype + _SHEET_ROOT).encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            chunk: list[str] = []
            for row in rows_xml:
                chunk.append(row)
                if len(chunk) >= 5000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(f"</sheetData>{tail}</worksheet>".encode())
    return buffer.getvalue()


def many_rows_xlsx(count: int, *, declare_dimension: bool = True) -> bytes:
    """A real package with `count` employee rows (written by hand: openpyxl would take too long)."""

    def rows() -> Iterable[str]:
        for number in range(2, count + 2):
            yield (
                f'<row r="{number}">{inline(f"A{number}", "Петров")}{inline(f"B{number}", "Пётр")}'
                f"{inline(f'D{number}', '01.02.1990')}</row>"
            )

    return raw_xlsx(rows(), dimension=f"A1:D{count + 1}" if declare_dimension else None)


def zip_bomb_xlsx(unpacked_mb: int = 120) -> bytes:
    """An xlsx whose sheet XML is a huge run of spaces: tiny packed, enormous unpacked."""
    buffer = io.BytesIO()
    block = b" " * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_XML_DECLARATION + _SHEET_ROOT).encode())
            for _ in range(unpacked_mb):
                sheet.write(block)
            sheet.write(b"<sheetData/></worksheet>")
    return buffer.getvalue()


def ole2_file(*stream_names: str) -> bytes:
    """An OLE2 compound file header whose directory names the given streams (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b""
    for name in ("Root Entry", *stream_names):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory += encoded + b"\x00" * (128 - len(encoded))
    return header + directory + b"\x00" * 1024


def encrypted_xlsx() -> bytes:
    """What Excel saves for a password-protected xlsx: an OLE2 file with an encrypted package."""
    return ole2_file("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")


def legacy_xls() -> bytes:
    """An Excel 97–2003 workbook's container (a 'Workbook' stream in an OLE2 file)."""
    return ole2_file("Workbook", "\x05SummaryInformation")


def corrupted_xlsx() -> bytes:
    """A real xlsx cut in half: the zip directory is gone."""
    content = employees_xlsx(employee_rows(3))
    return content[: len(content) // 2]


def calculation_xlsx(rows: Iterable[Sequence[Any]]) -> bytes:
    """A calculation sheet: position, department, headcount, factors, price."""
    return workbook_bytes(rows, header=["Должность", "Подразделение", "Численность", "Вредные факторы", "Цена"])
