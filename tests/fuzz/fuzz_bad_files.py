"""Bad files for every upload endpoint (the profexam issue's list): each builder returns the
bytes and the name the file is sent under."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_xlsx(rows: int = 2) -> bytes:
    """A small, real workbook (a header and `rows` rows)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "code", "name", "container_type"])
    for index in range(rows):
        sheet.append(["Иванов", "Иван", "Иванович", "01.02.1980", f"T{index}", "Глюкоза", "EDTA"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(xlsx: bytes, replace: dict[str, bytes]) -> bytes:
    """The same package with some parts replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, None) or source.read(item.filename))
        for name, content in replace.items():
            target.writestr(name, content)
    return out.getvalue()


def empty() -> tuple[bytes, str]:
    return b"", "employees.xlsx"


def text_named_xlsx() -> tuple[bytes, str]:
    return "Фамилия;Имя\nИванов;Иван\n".encode(), "employees.xlsx"


def truncated_zip() -> tuple[bytes, str]:
    data = good_xlsx()
    return data[: len(data) // 2], "employees.xlsx"


def zip_bomb() -> tuple[bytes, str]:
    """A sheet part of 200 MB of blanks, compressed about 1000:1 into a file of a few hundred KB."""
    filler = b" " * (200 * 1024 * 1024)
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sheet = head + filler + b"<sheetData/></worksheet>"
    return _rewrite(good_xlsx(), {"xl/worksheets/sheet1.xml": sheet}), "employees.xlsx"


def huge_dimension() -> tuple[bytes, str]:
    """A tiny file whose sheet claims to span A1:XFD1048576 and holds a cell in the last row.

    Readers that pad every row to the declared width, or materialise the empty rows in between,
    run out of memory on it.
    """
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>container_type</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _rewrite(good_xlsx(), {"xl/worksheets/sheet1.xml": sheet}), "employees.xlsx"


def legacy_xls() -> tuple[bytes, str]:
    """The head of an Excel 97-2003 (OLE compound) file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088, "employees.xls"


def oversized(limit: int) -> tuple[bytes, str]:
    return good_xlsx() + b"\x00" * (limit + 1), "employees.xlsx"


BAD_FILES = {
    "empty": empty,
    "text-named-xlsx": text_named_xlsx,
    "truncated-zip": truncated_zip,
    "zip-bomb": zip_bomb,
    "legacy-xls": legacy_xls,
}
