"""Reading uploaded workbooks (PRO-3): bad files are refused before anything is parsed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from profexam_builders import (
    corrupted_xlsx,
    employee_row,
    employee_rows,
    employees_xlsx,
    encrypted_xlsx,
    inline,
    legacy_xls,
    many_rows_xlsx,
    raw_xlsx,
    workbook_bytes,
    zip_bomb_xlsx,
)

from clinic_shared.errors import UnsupportedMediaType, ValidationFailed
from profexam.imports.cells import FORMULA_WITHOUT_VALUE, CellError, MergedOutside
from profexam.imports.reader import ReadLimits, SheetRows, SheetSpec, read_rows
from profexam.imports.service import open_upload

LIMITS = ReadLimits(max_rows=50_000, max_uncompressed_bytes=300 * 1024 * 1024, max_compression_ratio=200)
ALL = {"last_name": 1, "first_name": 2, "middle_name": 3, "birth_date": 4, "department": 8, "harmful_factors": 9}


def read(content: bytes, limits: ReadLimits = LIMITS, **spec: Any) -> SheetRows:
    prepared = open_upload(content, SheetSpec(columns=spec.pop("columns", ALL), **spec), limits)
    try:
        return read_rows(prepared, limits)
    finally:
        prepared.close()


def column(rows: SheetRows, name: str) -> list[Any]:
    return [rows.value(values, name) for _, values in rows.rows]


def test_rows_in_range_are_read_with_their_numbers() -> None:
    rows = read(employees_xlsx(employee_rows(3)))
    assert [number for number, _ in rows.rows] == [2, 3, 4]
    assert column(rows, "last_name")[0] == employee_row(0)[0]


def test_first_and_last_row_bound_what_is_read() -> None:
    rows = read(employees_xlsx(employee_rows(10)), first_row=4, last_row=6)
    assert [number for number, _ in rows.rows] == [4, 5, 6]


def test_empty_rows_are_skipped() -> None:
    content = employees_xlsx([employee_row(0), [None] * 11, ["", " "], employee_row(1)])
    assert [n for n, _ in read(content).rows] == [2, 5]


def test_date_cells_arrive_as_dates() -> None:
    rows = read(employees_xlsx([employee_row(0)]))
    assert isinstance(column(rows, "birth_date")[0], datetime)


def test_a_formula_with_a_cached_value_reads_the_value() -> None:
    content = raw_xlsx(['<row r="2"><c r="A2" t="str"><f>"Ива"&amp;"нов"</f><v>Иванов</v></c></row>'])
    assert column(read(content), "last_name") == ["Иванов"]


def test_a_formula_without_a_cached_value_is_marked() -> None:
    content = employees_xlsx([employee_row(0, last_name="=UPPER(B2)")])
    assert column(read(content), "last_name") == [FORMULA_WITHOUT_VALUE]


def test_excel_error_values_are_marked() -> None:
    content = raw_xlsx(['<row r="2"><c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'])
    assert column(read(content), "last_name") == [CellError("#DIV/0!")]


def test_merged_cells_read_the_top_left_value_in_every_row() -> None:
    rows = [employee_row(i, department="Цех 7" if i == 0 else None) for i in range(3)]
    content = employees_xlsx(rows, merges=["H2:H4"])
    assert column(read(content), "department") == ["Цех 7", "Цех 7", "Цех 7"]


def test_merged_cells_whose_value_is_not_imported_are_marked() -> None:
    content = employees_xlsx(employee_rows(2), merges=["H1:H3"])
    assert all(isinstance(v, MergedOutside) for v in column(read(content), "department"))


def test_hidden_sheets_are_ignored_unless_named() -> None:
    content = workbook_bytes(employee_rows(2), sheets_before=[("Скрытый", "hidden"), ("Очень скрытый", "veryHidden")])
    assert read(content).sheet == "Сотрудники"
    assert read(content, sheet="Скрытый", first_row=1).sheet == "Скрытый"


def test_sheet_by_position_counts_visible_sheets() -> None:
    content = workbook_bytes(
        employee_rows(2), sheets_before=[("Скрытый", "hidden")], sheets_after=[("Второй", "visible")]
    )
    assert read(content, sheet=1).sheet == "Сотрудники"
    assert read(content, sheet=2, first_row=1).sheet == "Второй"


def test_a_missing_sheet_is_refused_naming_the_mapping_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read(employees_xlsx(employee_rows(1)), sheet="Нет такого")
    assert caught.value.errors == [
        {"field": "mapping.sheet", "code": "unknown_sheet", "message": caught.value.errors[0]["message"]}
    ]
    assert "Сотрудники" in caught.value.errors[0]["message"]


def test_a_text_file_is_not_a_workbook() -> None:
    with pytest.raises(UnsupportedMediaType, match="not an Excel workbook"):
        read("Фамилия;Имя\nИванов;Иван\n".encode())


def test_a_legacy_xls_is_refused_naming_the_format() -> None:
    with pytest.raises(UnsupportedMediaType, match=r"Excel 97–2003 workbook \(\.xls\)"):
        read(legacy_xls())


def test_a_password_protected_file_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="password-protected"):
        read(encrypted_xlsx())


def test_a_corrupted_zip_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="damaged"):
        read(corrupted_xlsx())


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedMediaType, match="zip archive"):
        read(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    with pytest.raises(ValidationFailed, match="zip bomb"):
        read(zip_bomb_xlsx(unpacked_mb=30))


def test_a_package_declaring_more_than_the_unpacked_limit_is_refused() -> None:
    limits = ReadLimits(max_rows=50_000, max_uncompressed_bytes=10_000, max_compression_ratio=200)
    with pytest.raises(ValidationFailed, match="unpacks to"):
        read(employees_xlsx(employee_rows(200)), limits)


def test_more_rows_than_the_limit_are_refused() -> None:
    limits = ReadLimits(max_rows=100, max_uncompressed_bytes=300 * 1024 * 1024, max_compression_ratio=200)
    with pytest.raises(ValidationFailed, match="more than 100 data rows"):
        read(many_rows_xlsx(101), limits)


def test_rows_up_to_the_limit_are_read() -> None:
    limits = ReadLimits(max_rows=100, max_uncompressed_bytes=300 * 1024 * 1024, max_compression_ratio=200)
    assert len(read(many_rows_xlsx(100), limits).rows) == 100


def test_a_sheet_cut_short_is_refused_as_damaged() -> None:
    content = raw_xlsx([f'<row r="2">{inline("A2", "Иванов")}</row>'], tail="<broken")
    with pytest.raises(ValidationFailed, match="damaged"):
        read(content)


def test_the_declared_dimension_estimates_the_rows() -> None:
    prepared = open_upload(employees_xlsx(employee_rows(30)), SheetSpec(columns=ALL), LIMITS)
    try:
        assert prepared.estimated_rows() == 30
    finally:
        prepared.close()


def count(content: bytes, stop_after: int = 50_000) -> int:
    prepared = open_upload(content, SheetSpec(columns=ALL), LIMITS)
    try:
        assert prepared.estimated_rows() is None  # no <dimension>: the rows are counted
        return prepared.count_rows(stop_after=stop_after)
    finally:
        prepared.close()


def test_the_rows_of_a_sheet_without_a_dimension_are_counted() -> None:
    assert count(many_rows_xlsx(30, declare_dimension=False)) == 30


def test_empty_formatted_rows_are_not_counted_as_data() -> None:
    rows = [f'<row r="{n}">{inline(f"A{n}", "Иванов")}</row>' for n in range(2, 7)]
    rows += [f'<row r="{n}" s="1" customFormat="1"/>' for n in range(7, 300)]
    rows += [f'<row r="{n}"><c r="A{n}" s="1"/></row>' for n in range(300, 500)]
    assert count(raw_xlsx(rows), stop_after=100) == 5


def test_rows_above_the_first_row_are_not_counted() -> None:
    rows = [f'<row r="{n}">{inline(f"A{n}", "Иванов")}</row>' for n in range(1, 11)]
    prepared = open_upload(raw_xlsx(rows), SheetSpec(columns=ALL, first_row=4, last_row=8), LIMITS)
    try:
        assert prepared.count_rows(stop_after=100) == 5
    finally:
        prepared.close()


def test_text_split_into_formatted_runs_reads_as_one_text() -> None:
    runs = '<c r="A2" t="inlineStr"><is><r><t>Ива</t></r><r><rPr><b/></rPr><t>нов</t></r></is></c>'
    assert column(read(raw_xlsx([f'<row r="2">{runs}</row>'])), "last_name") == ["Иванов"]


def test_numbers_in_text_columns_read_as_numbers() -> None:
    content = raw_xlsx(['<row r="2"><c r="A2" t="inlineStr"><is><t>Иванов</t></is></c><c r="H2"><v>12</v></c></row>'])
    assert column(read(content), "department") == [12]


def test_an_entity_expansion_bomb_in_the_sheet_is_refused_as_damaged() -> None:
    # Nine levels of ten: 3 GB of text if anything expanded it.
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{level} "{f"&l{level - 1};" * 10}">' for level in range(1, 10)
    )
    content = raw_xlsx(
        ['<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>'],
        doctype=f"<!DOCTYPE worksheet [{entities}]>",
    )
    with pytest.raises(ValidationFailed, match="damaged"):
        read(content)
