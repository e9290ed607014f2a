"""Excel export of the search grid (SCH-11): the produced workbook, read back with openpyxl."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.worksheet.worksheet import Worksheet

from scheduling.export.xlsx import (
    COLUMNS,
    AppointmentExportRow,
    appointments_xlsx,
    bench_export,
    write_appointments,
)

HEADERS = [
    "№",
    "Дата",
    "Начало",
    "Окончание",
    "Врач",
    "Кабинет",
    "Корпус",
    "Пациент",
    "Телефон",
    "№ карты",
    "Статус",
    "Тип записи",
    "Услуги",
    "Примечание",
    "Отметки",
]


def appointment(**overrides: object) -> AppointmentExportRow:
    """A fully filled appointment at 09:00–09:30 Moscow time on 2 March 2026."""
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    row = AppointmentExportRow(
        number=1042,
        start=start,
        end=start + timedelta(minutes=30),
        doctor="Петрова Анна Сергеевна",
        patient_name="Иванов Иван Иванович",
        cabinet="12",
        building="Главный корпус",
        phone="79229999999",
        card_number="000123",
        status="Записан",
        record_type="Телефон",
        services=["Приём терапевта", "ЭКГ"],
        note="Просит перезвонить",
        marks=["первичный", "VIP"],
    )
    return replace(row, **overrides)


def sheet_of(rows: list[AppointmentExportRow], **options: object) -> Worksheet:
    return load_workbook(io.BytesIO(appointments_xlsx(rows, **options))).active


def values(sheet: Worksheet, row: int = 2) -> dict[str, object]:
    """A data row keyed by its column header, as a user reads it."""
    return {header: cell.value for header, cell in zip(HEADERS, sheet[row], strict=True)}


def cell(sheet: Worksheet, header: str, row: int = 2):
    return sheet.cell(row=row, column=HEADERS.index(header) + 1)


# --- layout --------------------------------------------------------------------------------


def test_first_row_holds_the_column_headers_in_order():
    sheet = sheet_of([appointment()])
    assert [c.value for c in sheet[1]] == HEADERS


def test_header_row_is_bold():
    sheet = sheet_of([appointment()])
    assert all(c.font.bold for c in sheet[1])


def test_header_row_is_frozen():
    assert sheet_of([appointment()]).freeze_panes == "A2"


def test_autofilter_covers_the_header_and_every_row():
    assert sheet_of([appointment(), appointment(number=1043)]).auto_filter.ref == "A1:O3"


def test_columns_have_widths_fit_for_their_content():
    sheet = sheet_of([appointment()])
    widths = {
        header: sheet.column_dimensions[c.column_letter].width for header, c in zip(HEADERS, sheet[1], strict=True)
    }
    assert all(width >= 8 for width in widths.values())
    assert widths["Пациент"] > widths["Телефон"] > widths["Начало"]


def test_empty_export_has_only_the_header():
    sheet = sheet_of([])
    assert (sheet.max_row, sheet.auto_filter.ref) == (1, "A1:O1")


def test_columns_constant_matches_the_headers():
    assert [column.header for column in COLUMNS] == HEADERS


# --- values --------------------------------------------------------------------------------


def test_row_holds_the_appointment_as_the_grid_shows_it():
    row = values(sheet_of([appointment()]))
    assert row == {
        "№": 1042,
        "Дата": datetime(2026, 3, 2),
        "Начало": datetime(2026, 3, 2, 9, 0),
        "Окончание": datetime(2026, 3, 2, 9, 30),
        "Врач": "Петрова Анна Сергеевна",
        "Кабинет": "12",
        "Корпус": "Главный корпус",
        "Пациент": "Иванов Иван Иванович",
        "Телефон": "79229999999",
        "№ карты": "000123",
        "Статус": "Записан",
        "Тип записи": "Телефон",
        "Услуги": "Приём терапевта, ЭКГ",
        "Примечание": "Просит перезвонить",
        "Отметки": "первичный, VIP",
    }


def test_date_is_a_real_excel_date_shown_as_day_month_year():
    date_cell = cell(sheet_of([appointment()]), "Дата")
    assert (date_cell.is_date, date_cell.number_format) == (True, "dd.mm.yyyy")


@pytest.mark.parametrize("header", ["Начало", "Окончание"])
def test_start_and_end_are_real_excel_times_shown_as_hours_and_minutes(header):
    time_cell = cell(sheet_of([appointment()]), header)
    assert (time_cell.is_date, time_cell.number_format) == (True, "hh:mm")


def test_times_are_written_in_the_given_clinic_time_zone():
    row = values(sheet_of([appointment()], timezone=ZoneInfo("Asia/Yekaterinburg")))
    assert (row["Начало"], row["Окончание"]) == (datetime(2026, 3, 2, 11, 0), datetime(2026, 3, 2, 11, 30))


def test_time_zone_may_be_given_by_name():
    assert values(sheet_of([appointment()], timezone="Asia/Vladivostok"))["Начало"] == datetime(2026, 3, 2, 16, 0)


def test_date_is_the_local_date_when_utc_is_still_the_day_before():
    late = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)  # 00:30 on 2 March in Moscow
    row = values(sheet_of([appointment(start=late, end=late + timedelta(minutes=30))]))
    assert (row["Дата"], row["Начало"]) == (datetime(2026, 3, 2), datetime(2026, 3, 2, 0, 30))


def test_phone_and_card_number_stay_text_with_their_leading_digits():
    row = values(sheet_of([appointment(phone="+7 922 000-00-01", card_number="000007")]))
    assert (row["Телефон"], row["№ карты"]) == ("+7 922 000-00-01", "000007")


def test_missing_optional_fields_are_empty_cells():
    bare = AppointmentExportRow(
        number=7, start=appointment().start, end=appointment().end, doctor="Петрова", patient_name="Иванов"
    )
    row = values(sheet_of([bare]))
    empty = ["Кабинет", "Корпус", "Телефон", "№ карты", "Статус", "Тип записи", "Услуги", "Примечание", "Отметки"]
    assert [row[header] for header in empty] == [None] * len(empty)


def test_rows_keep_the_given_order():
    sheet = sheet_of([appointment(number=3), appointment(number=1), appointment(number=2)])
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == [3, 1, 2]


# --- text that Excel would misread -----------------------------------------------------------


def test_text_starting_with_equals_stays_text_not_a_formula():
    sheet = sheet_of([appointment(patient_name='=HYPERLINK("http://evil","click")')])
    name = cell(sheet, "Пациент")
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil","click")', "s")


def test_text_that_looks_like_an_excel_error_stays_text():
    note = cell(sheet_of([appointment(note="#N/A")]), "Примечание")
    assert (note.value, note.data_type) == ("#N/A", "s")


def test_control_characters_are_dropped_from_text():
    assert values(sheet_of([appointment(note="звонок\x07 в 10\x00")]))["Примечание"] == "звонок в 10"


def test_text_longer_than_an_excel_cell_is_cut_to_its_limit():
    assert len(values(sheet_of([appointment(note="я" * 40_000)]))["Примечание"]) == 32_767


# --- targets and arguments -------------------------------------------------------------------


def test_write_to_a_file_returns_the_number_of_rows(tmp_path):
    target = tmp_path / "grid.xlsx"
    written = write_appointments((appointment(number=n) for n in range(5)), target)
    assert (written, load_workbook(target).active.max_row) == (5, 6)


def test_write_to_a_binary_stream():
    stream = io.BytesIO()
    write_appointments([appointment()], stream)
    assert values(load_workbook(io.BytesIO(stream.getvalue())).active)["№"] == 1042


def test_naive_appointment_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        appointments_xlsx([appointment(start=datetime(2026, 3, 2, 9, 0))])


def test_failing_row_source_propagates_its_error_and_leaves_no_temporary_file():
    def rows_then_failure():
        yield appointment()
        raise RuntimeError("database went away")

    before = list(ALL_TEMP_FILES)
    with pytest.raises(RuntimeError, match="database went away"):
        appointments_xlsx(rows_then_failure())
    assert ALL_TEMP_FILES == before


def test_bench_reports_rows_time_size_and_peak_memory():
    report = bench_export(n=50)
    assert report["rows"] == 50
    assert report["peak_traced_mb"] > 0
    assert report["file_mb"] > 0
