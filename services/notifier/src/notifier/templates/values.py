"""The values of template parameters, computed from projections: pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from clinic_shared.events import AppointmentState, PatientState
from notifier.config.schemas import NotifierConfig
from notifier.projections.service import DiscountCard

WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


@dataclass(frozen=True)
class RenderData:
    """Everything one message can be rendered from."""

    config: NotifierConfig
    patient: PatientState | None = None
    appointment: AppointmentState | None = None
    discount_card: DiscountCard | None = None
    code: str | None = None
    birthday: date | None = None


def _percent(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def template_values(data: RenderData, timezone: ZoneInfo) -> dict[str, str | None]:
    """Parameter name → value for `data`; names come from the card, else from the appointment."""
    patient, appointment = data.patient, data.appointment
    source = patient if patient is not None else appointment
    first = source.first_name if source else None
    middle = source.middle_name if source else None
    last = source.last_name if source else None
    values: dict[str, str | None] = {
        "Name1": first,
        "Name2": middle,
        "Name3": last,
        "FullName": " ".join(part for part in (last, first, middle) if part) or None,
        "ClinicName": data.config.clinic_name,
        "ClinicPhone": data.config.clinic_phone,
        "ClinicAddress": data.config.clinic_address,
        "Code": data.code,
    }
    if appointment is not None:
        start = appointment.start.astimezone(timezone)
        values |= {
            "Date": start.strftime("%d.%m.%Y"),
            "Time": start.strftime("%H:%M"),
            "Weekday": WEEKDAYS_RU[start.weekday()],
            "Doctor": appointment.doctor_name,
            "Cabinet": appointment.cabinet_name,
            "Building": appointment.building_name,
            "Address": appointment.building_address,
            "AppointmentNumber": appointment.number,
        }
    if data.discount_card is not None:
        values |= {"DiscountCard": data.discount_card.number, "DiscountPercent": _percent(data.discount_card.percent)}
    if data.birthday is not None and patient is not None and patient.birth_date is not None:
        values["Age"] = str(data.birthday.year - patient.birth_date.year)
    return values
