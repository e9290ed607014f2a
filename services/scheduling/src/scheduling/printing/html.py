"""Printable documents (SCH-14): the appointment slip and a doctor's day list as standalone HTML.

Each page carries its own CSS (nothing to load), an ``@page`` size for A4 or an 80 mm receipt
printer, and prints as it looks. Every value is HTML-escaped: names and notes are typed by
people and must never become markup. Times are shown in the clinic's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "AppointmentSlip",
    "ClinicInfo",
    "DayListEntry",
    "DoctorDayList",
    "Paper",
    "SlipService",
    "TimeRange",
    "format_money",
    "render_appointment_slip",
    "render_doctor_day_list",
]

Paper = Literal["a4", "receipt"]
NBSP = "\u00a0"
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


@dataclass(frozen=True, slots=True)
class ClinicInfo:
    """The clinic and building printed in a document's heading."""

    name: str
    building: str | None = None
    address: str | None = None
    phone: str | None = None
    slip_footer: str | None = None  # e.g. "Please come 10 minutes early", printed under the slip


@dataclass(frozen=True, slots=True)
class SlipService:
    """A service of the appointment with its unit price."""

    name: str
    price: Decimal | None = None
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class AppointmentSlip:
    """What the patient takes home: when, where and to whom to come (aware datetimes)."""

    clinic: ClinicInfo
    number: int | str
    patient_name: str
    start: datetime
    end: datetime
    doctor: str
    specialization: str | None = None
    cabinet: str | None = None
    services: Sequence[SlipService] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A span of the doctor's day (working hours or a break), aware datetimes."""

    start: datetime
    end: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DayListEntry:
    """One appointment line of the doctor's day list."""

    start: datetime
    end: datetime
    patient_name: str
    phone: str | None = None
    status: str | None = None
    note: str | None = None
    card_number: str | None = None
    marks: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class DoctorDayList:
    """A doctor's appointments and breaks of one local day."""

    clinic: ClinicInfo
    doctor: str
    day: date
    entries: Sequence[DayListEntry]
    breaks: Sequence[TimeRange] = ()
    working: Sequence[TimeRange] = ()
    cabinet: str | None = None


_CSS = """
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#000;margin:0;line-height:1.35}
body.a4{font-size:11pt}
body.receipt{font-size:9pt;width:72mm}
@media screen{body.a4{max-width:190mm;margin:10mm auto}body.receipt{margin:5mm auto}}
header{border-bottom:1px solid #000;margin-bottom:3mm;padding-bottom:2mm}
.clinic{font-weight:bold;font-size:1.15em}
h1{font-size:1.3em;margin:3mm 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:1mm 4mm;margin:0 0 3mm}
dt{font-weight:bold}dd{margin:0}
table{width:100%;border-collapse:collapse;margin:2mm 0}
th,td{border:1px solid #777;padding:1mm 2mm;text-align:left;vertical-align:top}
body.receipt th,body.receipt td{border:0;border-bottom:1px dashed #777;padding:0.5mm 0}
td.money,th.money{text-align:right;white-space:nowrap}
tr.break td{font-style:italic;background:#eee}
.note{white-space:pre-line}
footer{margin-top:3mm;font-size:0.85em}
@media print{thead{display:table-header-group}tr{break-inside:avoid}tr.break td{background:none}}
"""
_PAGE = {"a4": "@page{size:A4;margin:12mm}", "receipt": "@page{size:80mm auto;margin:3mm 4mm}"}


def format_money(amount: Decimal) -> str:
    """Rubles as Russians write them: ``1 500,00 ₽`` (non-breaking spaces)."""
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, kopecks = f"{abs(rounded):,.2f}".partition(".")
    sign = "−" if rounded < 0 else ""
    return f"{sign}{whole.replace(',', NBSP)},{kopecks}{NBSP}₽"


def _text(value: object) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _zone(timezone: tzinfo | str) -> tzinfo:
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def _local(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(zone)


def _day_text(day: date) -> str:
    return f"{day:%d.%m.%Y} ({WEEKDAYS[day.weekday()]})"


def _span_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    return f"{_local(start, zone):%H:%M}–{_local(end, zone):%H:%M}"


def _document(title: str, paper: Paper, body: str) -> str:
    if paper not in _PAGE:
        raise ValueError("paper must be 'a4' or 'receipt'")
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_text(title)}</title>\n<style>{_PAGE[paper]}{_CSS}</style>\n</head>\n"
        f'<body class="{paper}">\n{body}\n</body>\n</html>\n'
    )


def _clinic_header(clinic: ClinicInfo) -> str:
    lines = [f'<div class="clinic">{_text(clinic.name)}</div>']
    lines += [f"<div>{_text(part)}</div>" for part in (clinic.building, clinic.address) if part]
    if clinic.phone:
        lines.append(f"<div>Телефон: {_text(clinic.phone)}</div>")
    return "<header>" + "".join(lines) + "</header>"


def _facts(pairs: Sequence[tuple[str, object]]) -> str:
    rows = "".join(
        f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in pairs if value not in (None, "")
    )
    return f"<dl>{rows}</dl>"


def _services_table(services: Sequence[SlipService]) -> str:
    if not services:
        return ""
    rows, total, priced = [], Decimal(0), False
    for service in services:
        amount = None if service.price is None else service.price * service.quantity
        if amount is not None:
            total, priced = total + amount, True
        rows.append(
            f"<tr><td>{_text(service.name)}</td><td class='money'>{_text(service.quantity)}</td>"
            f"<td class='money'>{_money_cell(service.price)}</td><td class='money'>{_money_cell(amount)}</td></tr>"
        )
    total_row = (
        f"<tr><th colspan='3'>Итого</th><th class='money'>{_text(format_money(total))}</th></tr>" if priced else ""
    )
    return (
        "<table class='services'><thead><tr><th>Услуга</th><th class='money'>Кол-во</th>"
        "<th class='money'>Цена</th><th class='money'>Сумма</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody><tfoot>{total_row}</tfoot></table>"
    )


def _money_cell(amount: Decimal | None) -> str:
    return "" if amount is None else _text(format_money(amount))


def render_appointment_slip(
    slip: AppointmentSlip, *, timezone: tzinfo | str = "Europe/Moscow", paper: Paper = "a4"
) -> str:
    """The appointment slip for the patient as a standalone printable HTML page."""
    zone = _zone(timezone)
    start = _local(slip.start, zone)
    doctor = f"{slip.doctor} ({slip.specialization})" if slip.specialization else slip.doctor
    facts = _facts(
        [
            ("Пациент", slip.patient_name),
            ("Дата", _day_text(start.date())),
            ("Время", _span_text(slip.start, slip.end, zone)),
            ("Врач", doctor),
            ("Кабинет", slip.cabinet),
        ]
    )
    note = f"<p class='note'><strong>Примечание:</strong> {_text(slip.note)}</p>" if slip.note else ""
    body = (
        f"{_clinic_header(slip.clinic)}<h1>Талон на приём № {_text(slip.number)}</h1>"
        f"{facts}{_services_table(slip.services)}{note}"
    )
    if slip.clinic.slip_footer:
        body += f"<footer class='note'>{_text(slip.clinic.slip_footer)}</footer>"
    return _document(f"Талон на приём № {slip.number}", paper, body)


def _entry_row(entry: DayListEntry, zone: tzinfo) -> str:
    patient = _text(entry.patient_name)
    if entry.card_number:
        patient += f"<br><small>карта № {_text(entry.card_number)}</small>"
    if entry.marks:
        patient += f"<br><small>{_text(', '.join(entry.marks))}</small>"
    return (
        f"<tr><td>{_text(_span_text(entry.start, entry.end, zone))}</td><td>{patient}</td>"
        f"<td>{_text(entry.phone)}</td><td>{_text(entry.status)}</td><td class='note'>{_text(entry.note)}</td></tr>"
    )


def _break_row(pause: TimeRange, zone: tzinfo) -> str:
    label = "Перерыв" + (f": {pause.note}" if pause.note else "")
    return (
        f"<tr class='break'><td>{_text(_span_text(pause.start, pause.end, zone))}</td>"
        f"<td colspan='4'>{_text(label)}</td></tr>"
    )


def render_doctor_day_list(
    day_list: DoctorDayList, *, timezone: tzinfo | str = "Europe/Moscow", paper: Paper = "a4"
) -> str:
    """A doctor's day (appointments and breaks in time order) as a standalone printable HTML page."""
    zone = _zone(timezone)
    # Breaks sort before an appointment starting at the same minute: that is how the day reads.
    lines = sorted(
        [(_local(p.start, zone), 0, _break_row(p, zone)) for p in day_list.breaks]
        + [(_local(e.start, zone), 1, _entry_row(e, zone)) for e in day_list.entries],
        key=lambda line: (line[0], line[1]),
    )
    hours = ", ".join(_span_text(r.start, r.end, zone) for r in sorted(day_list.working, key=lambda r: r.start))
    facts = _facts(
        [
            ("Врач", day_list.doctor),
            ("Дата", _day_text(day_list.day)),
            ("Кабинет", day_list.cabinet),
            ("Часы приёма", hours or None),
            ("Записей", len(day_list.entries)),
        ]
    )
    table = (
        "<table class='day'><thead><tr><th>Время</th><th>Пациент</th><th>Телефон</th>"
        f"<th>Статус</th><th>Примечание</th></tr></thead><tbody>{''.join(line[2] for line in lines)}</tbody></table>"
        if lines
        else "<p>Записей нет.</p>"
    )
    body = f"{_clinic_header(day_list.clinic)}<h1>Список записей на приём</h1>{facts}{table}"
    return _document(f"Список записей: {day_list.doctor}, {day_list.day:%d.%m.%Y}", paper, body)
