"""Reading catalogue files: CSV in two encodings and two separators, XLSX, bad rows (LAB-2)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from lab.catalogue.parsing import CatalogueUnreadable, Rejection, parse_catalogue

HEADER = "code;name;container_type;sample_type;study_type;units;reference_low;reference_high"


def test_semicolon_csv_in_utf8_is_read_with_decimal_commas() -> None:
    data = f"{HEADER}\nHB;Гемоглобин;EDTA;кровь;гематология;г/л;120;160,5\n".encode()
    parsed = parse_catalogue(data, "catalogue.csv")
    assert parsed.rejected == []
    assert parsed.rows[0].values == {
        "code": "HB",
        "name": "Гемоглобин",
        "container_type": "EDTA",
        "sample_type": "кровь",
        "study_type": "гематология",
        "units": "г/л",
        "reference_low": 120.0,
        "reference_high": 160.5,
        "critical_low": None,
        "critical_high": None,
    }


def test_comma_csv_in_cp1251_is_read() -> None:
    data = "code,name,container_type\nGLU,Глюкоза,serum\n".encode("cp1251")
    parsed = parse_catalogue(data, "catalogue.csv")
    assert [(r.values["code"], r.values["name"]) for r in parsed.rows] == [("GLU", "Глюкоза")]


def test_utf8_with_bom_and_russian_headers_is_read() -> None:
    data = "\ufeffКод;Наименование;Контейнер;Норма от;Норма до\nHB;Гемоглобин;EDTA;120;160\n".encode()
    parsed = parse_catalogue(data, "c.csv")
    assert parsed.rows[0].values["code"] == "HB" and parsed.rows[0].values["reference_high"] == 160.0


def test_xlsx_first_sheet_is_read_and_whole_floats_lose_their_point() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "container_type", "reference_low", "reference_high"])
    sheet.append([1001, "Гемоглобин", "EDTA", 120, 160.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_catalogue(buffer.getvalue(), "catalogue.xlsx")
    assert parsed.rows[0].values["code"] == "1001"
    assert parsed.rows[0].values["reference_high"] == 160.5


def test_every_bad_row_is_reported_with_its_file_row_and_field() -> None:
    data = (
        f"{HEADER}\n"
        "HB;Гемоглобин;EDTA;;;;120;160\n"
        ";Без кода;EDTA;;;;;\n"
        "GLU;Глюкоза;serum;;;;много;6\n"
        "ALT;АЛТ;serum;;;;40;10\n"
        "HB;Дубль;EDTA;;;;;\n"
    ).encode()
    parsed = parse_catalogue(data, "c.csv")
    assert [r.values["code"] for r in parsed.rows] == ["HB"]
    assert parsed.rejected == [
        Rejection(3, "code", "is required"),
        Rejection(4, "reference_low", "is not a number"),
        Rejection(5, "reference_high", "must not be below reference_low"),
        Rejection(6, "code", "duplicate code, first at row 2"),
    ]


def test_blank_lines_are_skipped() -> None:
    data = f"{HEADER}\n\n;;;;;;;\nHB;Гемоглобин;EDTA;;;;;\n".encode()
    parsed = parse_catalogue(data, "c.csv")
    assert [r.row for r in parsed.rows] == [4] and parsed.rejected == []


def test_a_file_without_a_required_column_is_unreadable() -> None:
    with pytest.raises(CatalogueUnreadable, match="container_type"):
        parse_catalogue(b"code;name\nHB;Hb\n", "c.csv")


def test_a_broken_xlsx_is_unreadable() -> None:
    with pytest.raises(CatalogueUnreadable):
        parse_catalogue(b"PK\x03\x04 not really a zip", "c.xlsx")
