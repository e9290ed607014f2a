"""The template parameters (NOT-4): names, descriptions and which message kinds provide each."""

from __future__ import annotations

from dataclasses import dataclass

from notifier.schedules.kinds import APPOINTMENT_TYPES, ATTACH_CODE_KIND, MESSAGE_KINDS

_ALL = MESSAGE_KINDS
_APPOINTMENT = tuple(k for k in MESSAGE_KINDS if k in APPOINTMENT_TYPES)


@dataclass(frozen=True)
class TemplateParameter:
    name: str
    description: str
    example: str
    provided_by: tuple[str, ...]

    @property
    def token(self) -> str:
        return f"%{self.name}%"


PARAMETERS: tuple[TemplateParameter, ...] = (
    TemplateParameter("Name1", "Patient's first name", "Иван", _ALL),
    TemplateParameter("Name2", "Patient's middle name (patronymic)", "Петрович", _ALL),
    TemplateParameter("Name3", "Patient's last name", "Иванов", _ALL),
    TemplateParameter("FullName", "Last, first and middle name", "Иванов Иван Петрович", _ALL),
    TemplateParameter("Date", "Appointment date, dd.mm.yyyy (clinic time zone)", "15.03.2027", _APPOINTMENT),
    TemplateParameter("Time", "Appointment start, HH:MM (clinic time zone)", "10:30", _APPOINTMENT),
    TemplateParameter("Weekday", "Weekday of the appointment", "понедельник", _APPOINTMENT),
    TemplateParameter("Doctor", "Doctor's name", "Петров П. П.", _APPOINTMENT),
    TemplateParameter("Cabinet", "Cabinet", "101", _APPOINTMENT),
    TemplateParameter("Building", "Building (корпус)", "Главный корпус", _APPOINTMENT),
    TemplateParameter("Address", "Address of the building", "ул. Ленина, 1", _APPOINTMENT),
    TemplateParameter("AppointmentNumber", "Appointment number", "A-000123", _APPOINTMENT),
    TemplateParameter("Age", "Age the patient turns on the birthday", "40", ("days_before_birthday",)),
    TemplateParameter("DiscountCard", "Discount card number", "00000042", ("discount_card_issued",)),
    TemplateParameter("DiscountPercent", "Discount percent of the card", "5", ("discount_card_issued",)),
    TemplateParameter("Code", "ONDOC attach code", "123456789", (ATTACH_CODE_KIND,)),
    TemplateParameter("ClinicName", "Clinic name (settings)", "Клиника «Здоровье»", _ALL),
    TemplateParameter("ClinicPhone", "Clinic phone (settings)", "+7 (343) 000-00-00", _ALL),
    TemplateParameter("ClinicAddress", "Clinic address (settings)", "ул. Ленина, 1", _ALL),
)
BY_NAME: dict[str, TemplateParameter] = {p.name.lower(): p for p in PARAMETERS}


def parameter(name: str) -> TemplateParameter | None:
    """The parameter called `name` (case-insensitive), if there is one."""
    return BY_NAME.get(name.lower())


def sample_values() -> dict[str, str]:
    """Example values of every parameter, for a preview without real data."""
    return {p.name: p.example for p in PARAMETERS}
