"""Data of the printable slip and day list (SCH-14), gathered from appointments and schedules."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import NotFound
from scheduling.appointments import views
from scheduling.appointments.repository import AppointmentRepository
from scheduling.appointments.service import get_appointment
from scheduling.directories.models import Building, Doctor, PriceService
from scheduling.export.service import mark_labels
from scheduling.localtime import day_bounds_utc, zone
from scheduling.printing.html import (
    AppointmentSlip,
    ClinicInfo,
    DayListEntry,
    DoctorDayList,
    SlipService,
    TimeRange,
)
from scheduling.schedules import service as schedules
from scheduling.schedules.repository import ScheduleRepository
from scheduling.settings import SchedulingSettings


async def _clinic(session: AsyncSession, settings: SchedulingSettings, building_id: uuid.UUID | None) -> ClinicInfo:
    building = await session.get(Building, building_id) if building_id else None
    if building is None:
        return ClinicInfo(name=settings.clinic_name)
    return ClinicInfo(name=settings.clinic_name, building=building.name, address=building.address, phone=building.phone)


async def appointment_slip(
    session: AsyncSession, settings: SchedulingSettings, appointment_id: uuid.UUID, *, today: date
) -> AppointmentSlip:
    """The slip of an appointment (also one in the trash: staff may print what they restore)."""
    appointment = await get_appointment(session, appointment_id)
    [item] = await views.present_many(session, [appointment], today=today, minor_age=settings.minor_age)
    doctor = await session.get(Doctor, appointment.doctor_id)
    specialization = ", ".join(s.name for s in doctor.specializations) if doctor else None
    services = []
    for line in appointment.services:
        priced = await session.get(PriceService, line.service_id)
        services.append(SlipService(priced.name if priced else str(line.service_id), line.price, line.quantity))
    return AppointmentSlip(
        clinic=await _clinic(session, settings, appointment.building_id),
        number=item.number,
        patient_name=item.patient_name,
        start=item.start,
        end=item.end,
        doctor=item.doctor_name or "",
        specialization=specialization or None,
        cabinet=item.cabinet_name,
        services=services,
        note=item.note,
    )


async def doctor_day_list(
    session: AsyncSession, settings: SchedulingSettings, doctor_id: uuid.UUID, day: date, *, today: date
) -> DoctorDayList:
    """A doctor's active appointments, working hours and breaks of one clinic date."""
    doctor = await session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound(f"No doctor {doctor_id}.")
    tz = zone(settings.timezone)
    start, end = day_bounds_utc(day, day, tz)
    rows = await AppointmentRepository(session).active_between(start=start, end=end, doctor_ids=[doctor_id])
    items = await views.present_many(session, rows, today=today, minor_age=settings.minor_age)
    entries = [
        DayListEntry(
            start=i.start,
            end=i.end,
            patient_name=i.patient_name,
            phone=i.phone_with_country_code,
            status=i.status.name if i.status else None,
            note=i.note,
            card_number=i.card_number,
            marks=mark_labels(i.marks),
        )
        for i in items
    ]
    working: list[TimeRange] = []
    breaks: list[TimeRange] = []
    schedule = await ScheduleRepository(session).of_owner(doctor_id=doctor_id, cabinet_id=None, work_date=day)
    if schedule is not None:
        windows, pauses = schedules.windows_of(schedule, tz)
        working = [TimeRange(s, e) for s, e in windows]
        breaks = [TimeRange(s, e) for s, e in pauses]
    cabinets = sorted({i.cabinet_name for i in items if i.cabinet_name})
    return DoctorDayList(
        clinic=await _clinic(session, settings, doctor.building_id),
        doctor=doctor.name,
        day=day,
        entries=entries,
        breaks=breaks,
        working=working,
        cabinet=", ".join(cabinets) or None,
    )
