"""Printable HTML (SCH-14): GET /appointments/{id}/slip.html and /doctors/{id}/day-list.html.

Both need the catalogue's printing right (`rights.PRINT`, i.e. scheduling.export), not just
the read right: a printed slip or day list takes patients' names and phones out of the system.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from clinic_shared.auth import Principal, require
from clinic_shared.dates import ApiDate
from clinic_shared.service import SessionDep
from scheduling import rights
from scheduling.deps import SettingsDep
from scheduling.localtime import clinic_today, zone
from scheduling.printing import service
from scheduling.printing.html import render_appointment_slip, render_doctor_day_list

router = APIRouter(tags=["printing"])
Printer = Annotated[Principal, require(rights.PRINT)]
PaperQuery = Annotated[Literal["a4", "receipt"], Query(description="A4 sheet or an 80 mm receipt printer")]


@router.get("/appointments/{appointment_id}/slip.html", response_class=HTMLResponse)
async def print_appointment_slip(
    appointment_id: uuid.UUID, session: SessionDep, settings: SettingsDep, _: Printer, paper: PaperQuery = "a4"
) -> HTMLResponse:
    """The appointment slip for the patient, ready to print."""
    tz = zone(settings.timezone)
    slip = await service.appointment_slip(session, settings, appointment_id, today=clinic_today(tz))
    return HTMLResponse(render_appointment_slip(slip, timezone=tz, paper=paper))


@router.get("/doctors/{doctor_id}/day-list.html", response_class=HTMLResponse)
async def print_doctor_day_list(
    doctor_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    _: Printer,
    day: Annotated[ApiDate, Query(alias="date", description="the clinic date")],
    paper: PaperQuery = "a4",
) -> HTMLResponse:
    """A doctor's appointments and breaks of one date, ready to print."""
    tz = zone(settings.timezone)
    day_list = await service.doctor_day_list(session, settings, doctor_id, day, today=clinic_today(tz))
    return HTMLResponse(render_doctor_day_list(day_list, timezone=tz, paper=paper))
