"""The search grid's result as .xlsx rows (SCH-11): the same filters and order as GET /appointments."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from clinic_shared.errors import ValidationFailed
from scheduling.appointments import views
from scheduling.appointments.models import Appointment
from scheduling.appointments.repository import AppointmentRepository, SearchCriteria
from scheduling.appointments.schemas import AppointmentRead, Marks
from scheduling.directories.models import Building
from scheduling.export.xlsx import AppointmentExportRow, write_appointments

CHUNK = 1000
MARK_LABELS = {"primary": "первичный", "minor": "несовершеннолетний", "vip": "VIP", "processed": "обработана"}


def mark_labels(marks: Marks) -> list[str]:
    """The set marks as words, in a fixed order."""
    return [label for name, label in MARK_LABELS.items() if getattr(marks, name)]


def export_row(item: AppointmentRead, building: str | None) -> AppointmentExportRow:
    """One presented appointment as an export row."""
    return AppointmentExportRow(
        number=int(item.number) if item.number.isdigit() else item.number,
        start=item.start,
        end=item.end,
        doctor=item.doctor_name or "",
        patient_name=item.patient_name,
        cabinet=item.cabinet_name,
        building=building,
        phone=item.phone_with_country_code,
        card_number=item.card_number,
        status=item.status.name if item.status else None,
        record_type=item.record_type_code,
        services=[line.name or line.code or str(line.service_id) for line in item.services],
        note=item.note,
        marks=mark_labels(item.marks),
    )


async def export_rows(
    session: AsyncSession, found: SearchCriteria, *, max_rows: int, today: date, minor_age: int
) -> list[AppointmentExportRow]:
    """Every appointment the filters find, as rows; 422 when there are more than `max_rows`."""
    repository = AppointmentRepository(session)
    statement = repository.search(found)
    total = (await session.execute(select(func.count()).select_from(statement.order_by(None).subquery()))).scalar_one()
    if total > max_rows:
        raise ValidationFailed.field(
            "date_from", f"{total} appointments found, at most {max_rows} can be exported: narrow the filter"
        )
    buildings = {b.id: b.name for b in (await session.execute(select(Building))).scalars()}
    rows: list[AppointmentExportRow] = []
    for offset in range(0, total, CHUNK):
        page: Sequence[Appointment] = (await session.execute(statement.limit(CHUNK).offset(offset))).scalars().all()
        for item in await views.present_many(session, page, today=today, minor_age=minor_age):
            rows.append(export_row(item, buildings.get(item.building_id) if item.building_id else None))
    return rows


def _write_file(rows: list[AppointmentExportRow], tz: ZoneInfo) -> str:
    handle, path = tempfile.mkstemp(prefix="appointments-", suffix=".xlsx")
    os.close(handle)
    try:
        write_appointments(rows, path, timezone=tz)
    except BaseException:
        os.unlink(path)
        raise
    return path


async def xlsx_file(rows: list[AppointmentExportRow], tz: ZoneInfo) -> str:
    """Write the workbook to a temporary file in a worker thread; the caller deletes it."""
    return await run_in_threadpool(_write_file, rows, tz)


def file_name(today: date) -> str:
    """The download's name."""
    return f"appointments-{today.isoformat()}-{uuid.uuid4().hex[:6]}.xlsx"
