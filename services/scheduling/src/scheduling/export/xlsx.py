"""Excel export of the search grid (SCH-11): appointment rows streamed into an .xlsx workbook.

openpyxl's write-only mode streams rows to a temporary file, so memory stays bounded
whatever the number of rows (see ``bench_export``). Dates and times become real Excel
date/time cells in the clinic's time zone, so staff can sort, filter and compute with them.
Writing is blocking work: call it from a worker thread (``run_in_threadpool``), never
directly inside ``async def``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import resource
import sys
import time as clock
import tracemalloc
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = [
    "COLUMNS",
    "XLSX_MEDIA_TYPE",
    "AppointmentExportRow",
    "appointments_xlsx",
    "bench_export",
    "write_appointments",
]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd.mm.yyyy"
TIME_FORMAT = "hh:mm"
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell


@dataclass(frozen=True, slots=True)
class AppointmentExportRow:
    """One appointment as the search grid shows it; ``start``/``end`` are aware datetimes."""

    number: int | str
    start: datetime
    end: datetime
    doctor: str
    patient_name: str
    cabinet: str | None = None
    building: str | None = None
    phone: str | None = None
    card_number: int | str | None = None
    status: str | None = None
    record_type: str | None = None
    services: Sequence[str] = ()
    note: str | None = None
    marks: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    width: float
    value: Callable[[AppointmentExportRow, datetime, datetime], Any]
    number_format: str | None = None


def _joined(parts: Sequence[str]) -> str | None:
    return ", ".join(parts) or None


COLUMNS: tuple[_Column, ...] = (
    _Column("№", 9, lambda row, start, end: row.number),
    _Column("Дата", 11, lambda row, start, end: start.date(), DATE_FORMAT),
    _Column("Начало", 8, lambda row, start, end: start, TIME_FORMAT),
    _Column("Окончание", 11, lambda row, start, end: end, TIME_FORMAT),
    _Column("Врач", 28, lambda row, start, end: row.doctor),
    _Column("Кабинет", 12, lambda row, start, end: row.cabinet),
    _Column("Корпус", 18, lambda row, start, end: row.building),
    _Column("Пациент", 32, lambda row, start, end: row.patient_name),
    _Column("Телефон", 16, lambda row, start, end: row.phone),
    _Column("№ карты", 10, lambda row, start, end: row.card_number),
    _Column("Статус", 16, lambda row, start, end: row.status),
    _Column("Тип записи", 14, lambda row, start, end: row.record_type),
    _Column("Услуги", 40, lambda row, start, end: _joined(row.services)),
    _Column("Примечание", 40, lambda row, start, end: row.note),
    _Column("Отметки", 18, lambda row, start, end: _joined(row.marks)),
)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def _local(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("appointment times must be timezone-aware")
    # Excel has no time zones: a naive wall-clock time in the clinic's zone is what staff expect.
    return moment.astimezone(zone).replace(tzinfo=None)


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> str | WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_CELL_LIMIT]
    if (len(text) > 1 and text.startswith("=")) or text in ERROR_CODES:
        # openpyxl would store "=…" as a formula and "#N/A" as an error; typed text stays text.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def _cells(sheet: WriteOnlyWorksheet, row: AppointmentExportRow, zone: tzinfo) -> list[Any]:
    start, end = _local(row.start, zone), _local(row.end, zone)
    cells: list[Any] = []
    for column in COLUMNS:
        value = column.value(row, start, end)
        if column.number_format is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = column.number_format
            cells.append(cell)
        elif isinstance(value, str):
            cells.append(_text_cell(sheet, value))
        else:
            cells.append(value)
    return cells


def _zone(timezone: tzinfo | str) -> tzinfo:
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def write_appointments(
    rows: Iterable[AppointmentExportRow],
    target: IO[bytes] | str | Path,
    *,
    timezone: tzinfo | str = "Europe/Moscow",
    title: str = "Записи на приём",
) -> int:
    """Stream appointment rows into an .xlsx file or binary file object; returns the row count."""
    zone = _zone(timezone)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])  # Excel's limit for sheet names
    # Column widths, frozen header and print settings must be set before the first row.
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    count = 0
    try:
        sheet.append([_header_cell(sheet, column.header) for column in COLUMNS])
        for row in rows:
            sheet.append(_cells(sheet, row, zone))
            count += 1
    except BaseException:
        _discard(sheet)
        raise
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    workbook.save(target)
    return count


def _discard(sheet: WriteOnlyWorksheet) -> None:
    """Close a half-written sheet and delete its temporary file (openpyxl would keep it until exit)."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = sheet._writer
    if writer is not None and isinstance(writer.out, str):
        with contextlib.suppress(Exception):
            writer.cleanup()


def _header_cell(sheet: WriteOnlyWorksheet, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
    return cell


def appointments_xlsx(rows: Iterable[AppointmentExportRow], *, timezone: tzinfo | str = "Europe/Moscow") -> bytes:
    """The .xlsx workbook of the given appointment rows, as bytes for an HTTP response."""
    buffer = io.BytesIO()
    write_appointments(rows, buffer, timezone=timezone)
    return buffer.getvalue()


def _sample_rows(n: int) -> Iterator[AppointmentExportRow]:
    """Plausible, varied rows for the benchmark (generated lazily, like a database cursor)."""
    first = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    for i in itertools.islice(itertools.count(1), n):
        start = first + timedelta(days=i % 30, minutes=15 * (i % 36))
        yield AppointmentExportRow(
            number=i,
            start=start,
            end=start + timedelta(minutes=30),
            doctor=f"Врач {i % 100:03d} Иванова Мария Петровна",
            patient_name=f"Пациент {uuid.UUID(int=i).hex[:8]} Сергеевич",
            cabinet=f"{100 + i % 40}",
            building="Главный корпус",
            phone=f"7922{i:07d}",
            card_number=str(100_000 + i),
            status="Записан",
            record_type="Телефон",
            services=["Приём терапевта первичный", f"Анализ {i % 50}"],
            note=f"Примечание к записи {i}" if i % 3 else None,
            marks=["первичный"] if i % 5 == 0 else (),
        )


def bench_export(n: int = 10_000) -> dict[str, float]:
    """Export ``n`` sample rows to memory: seconds (untraced run), file size and peak Python memory (traced run)."""
    buffer = io.BytesIO()  # the response body is held in memory too, so it counts
    began = clock.perf_counter()
    written = write_appointments(_sample_rows(n), buffer)
    elapsed = clock.perf_counter() - began
    # A second run under tracemalloc, which slows Python down several times over.
    tracemalloc.start()
    try:
        write_appointments(_sample_rows(n), io.BytesIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "rows": written,
        "seconds": round(elapsed, 3),
        "peak_traced_mb": round(peak / 2**20, 2),
        "file_mb": round(len(buffer.getvalue()) / 2**20, 2),
        # Linux reports kilobytes: the whole process's peak, interpreter and imports included.
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":  # `python -m scheduling.export.xlsx [rows]`, used by `make bench`
    print(json.dumps(bench_export(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)))
