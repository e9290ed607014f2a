"""Hostile catalogue files are refused as unreadable, in bounded memory, never a 500 (LAB-2).

Found by tests/fuzz: a 5 KB XLSX declaring the sheet A1:XFD1048576 took 150 s and 6.5 GB
(openpyxl padded every row to 16,384 cells); broken XML inside the package and a CSV cell over
the csv module's limit escaped as unexpected exceptions.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from lab.catalogue.parsing import CatalogueUnreadable, parse_catalogue

SHEET = "xl/worksheets/sheet1.xml"
HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def catalogue_xlsx(rows: int = 2) -> bytes:
    workbook = Workbook()
    workbook.active.append(["code", "name", "container_type"])
    for index in range(rows):
        workbook.active.append([f"T{index}", "Глюкоза", "EDTA"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(sheet: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(catalogue_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, sheet if item.filename == SHEET else source.read(item.filename))
    return out.getvalue()


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_a_sheet_declaring_the_whole_grid_is_refused_in_bounded_memory() -> None:
    header = b'<row r="1">' + cell("A1", "code") + cell("B1", "name") + cell("C1", "container_type") + b"</row>"
    far = b'<row r="1048576">' + cell("XFD1048576", "x") + b"</row>"
    data = with_sheet(
        HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>' + header + far + b"</sheetData></worksheet>"
    )
    tracemalloc.start()
    try:
        with pytest.raises(CatalogueUnreadable, match="rows"):
            parse_catalogue(data, "catalogue.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024


def test_a_sheet_whose_declared_dimension_is_stretched_by_formatting_still_reads_its_rows() -> None:
    rows = b"".join(
        f'<row r="{n}">'.encode() + cell(f"A{n}", a) + cell(f"B{n}", b) + cell(f"C{n}", c) + b"</row>"
        for n, (a, b, c) in enumerate([("code", "name", "container_type"), ("GLU", "Глюкоза", "EDTA")], start=1)
    )
    data = with_sheet(HEAD + b'<dimension ref="A1:Z100000"/><sheetData>' + rows + b"</sheetData></worksheet>")
    parsed = parse_catalogue(data, "catalogue.xlsx")
    assert [row.values["code"] for row in parsed.rows] == ["GLU"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = with_sheet(HEAD + b" " * (150 * 1024 * 1024) + b"<sheetData/></worksheet>")
    with pytest.raises(CatalogueUnreadable, match="unpacks to more than"):
        parse_catalogue(data, "catalogue.xlsx")


def test_broken_xml_inside_the_workbook_is_unreadable() -> None:
    with pytest.raises(CatalogueUnreadable):
        parse_catalogue(with_sheet(b"<worksheet><sheetData><row><c"), "catalogue.xlsx")


def test_a_csv_cell_longer_than_the_csv_reader_allows_is_unreadable() -> None:
    data = b"code;name;container_type\nGLU;" + b"x" * 200_000 + b";EDTA\n"
    with pytest.raises(CatalogueUnreadable, match="CSV"):
        parse_catalogue(data, "catalogue.csv")
