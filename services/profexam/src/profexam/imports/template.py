"""The downloadable import template and the exam list export share one column layout (PRO-6)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from profexam.imports.cells import WORKING_CONDITIONS

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class TemplateColumn:
    field: str
    letter: str
    header: str
    width: int
    required: bool
    help: str


COLUMNS = (
    TemplateColumn("last_name", "A", "Фамилия", 18, True, "Фамилия сотрудника."),
    TemplateColumn("first_name", "B", "Имя", 14, True, "Имя сотрудника."),
    TemplateColumn(
        "middle_name", "C", "Отчество", 18, False, "Отчество; по нему определяется пол, если пол не указан."
    ),
    TemplateColumn(
        "birth_date", "D", "Дата рождения", 14, True, "Дата в формате ДД.ММ.ГГГГ (например 05.03.1984) или ячейка-дата."
    ),
    TemplateColumn("sex", "E", "Пол", 6, False, "м/ж, муж/жен или male/female; пусто — по отчеству."),
    TemplateColumn("phone", "F", "Телефон", 16, False, "Мобильный телефон в любом формате, например 8 922 999-99-99."),
    TemplateColumn("position", "G", "Должность", 24, False, "Должность сотрудника."),
    TemplateColumn("department", "H", "Подразделение", 20, False, "Подразделение (отдел, цех)."),
    TemplateColumn(
        "harmful_factors",
        "I",
        "Вредные факторы",
        22,
        False,
        "Коды пунктов приложения к приказу 29н через «;» или «,», например «1.1; 4.2.5, п.18». "
        "Ячейка должна быть текстовой: число 1.10 Excel превращает в 1.1.",
    ),
    TemplateColumn(
        "exam_type", "J", "Вид осмотра", 12, False, "-1 — не выбран, 0 — предварительный, 1 — периодический; пусто — 1."
    ),
    TemplateColumn(
        "working_conditions",
        "K",
        "Условия труда",
        14,
        False,
        "1 — класс 1; 2 — класс 2; 31, 32, 33, 34 — класс 3 подкласс 1–4; 4 — класс 4; пусто — не указано.",
    ),
)
CODE_OF_CLASS = {cls: code for code, cls in WORKING_CONDITIONS.items()}


def _header(sheet: Worksheet, headers: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cell(sheet: Worksheet, value: Any, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell


def _setup_columns(sheet: Worksheet, extra: Iterable[tuple[str, int]] = ()) -> None:
    for column in COLUMNS:
        sheet.column_dimensions[column.letter].width = column.width
    for letter, width in extra:
        sheet.column_dimensions[letter].width = width


def build_template() -> bytes:
    """The empty employee list with a help sheet explaining every column and code."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Сотрудники")
    _setup_columns(sheet)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, (c.header for c in COLUMNS)))
    help_sheet = workbook.create_sheet("Справка")
    help_sheet.column_dimensions["A"].width = 9
    help_sheet.column_dimensions["B"].width = 20
    help_sheet.column_dimensions["C"].width = 14
    help_sheet.column_dimensions["D"].width = 100
    help_sheet.append(_header(help_sheet, ("Столбец", "Поле", "Обязательное", "Что вписывать")))
    for column in COLUMNS:
        help_sheet.append([column.letter, column.header, "да" if column.required else "нет", column.help])
    help_sheet.append([])
    help_sheet.append(_header(help_sheet, ("Код", "Вид осмотра")))
    for code, title in (("-1", "не выбран"), ("0", "предварительный"), ("1", "периодический (по умолчанию)")):
        help_sheet.append([code, title])
    help_sheet.append([])
    help_sheet.append(_header(help_sheet, ("Код", "Условия труда")))
    for code, cls in WORKING_CONDITIONS.items():
        help_sheet.append([code, f"класс {cls}" if "." not in cls else f"класс 3 подкласс {cls[-1]}"])
    help_sheet.append([])
    help_sheet.append(["", "Даты: ДД.ММ.ГГГГ (также Д.М.ГГГГ) или ячейка с форматом даты."])
    help_sheet.append(["", "Данные начинаются со 2-й строки; пустые строки пропускаются; лист «Справка» не читается."])
    return _save(workbook)


def build_employee_list(employees: Iterable[Any], card_numbers: Mapping[Any, str] | None = None) -> bytes:
    """An exam's employees in the template's layout (so the file can be imported again) plus the card number.

    `card_numbers` (patient id → number) fills rows whose own `card_number` is not known yet;
    a number nobody knows leaves the cell empty. The number is written as text (leading zeros stay).
    """
    numbers = card_numbers or {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Сотрудники")
    _setup_columns(sheet, extra=[("L", 16)])
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, [*(c.header for c in COLUMNS), "Номер карты"]))
    for employee in employees:
        number = employee.card_number or numbers.get(employee.patient_id)
        sheet.append(
            [
                employee.last_name,
                employee.first_name,
                employee.middle_name,
                _cell(sheet, employee.birth_date, DATE_FORMAT) if isinstance(employee.birth_date, date) else None,
                {"male": "м", "female": "ж"}.get(employee.sex or ""),
                employee.phone,
                employee.position,
                employee.department,
                _cell(sheet, "; ".join(employee.harmful_factor_codes or []), TEXT_FORMAT),
                employee.exam_type,
                int(CODE_OF_CLASS[employee.working_conditions]) if employee.working_conditions else None,
                _cell(sheet, number, TEXT_FORMAT) if number else None,
            ]
        )
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(filename: str) -> dict[str, str]:
    """Headers that make a browser save the file under `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
