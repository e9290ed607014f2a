"""Printable slip and day list (SCH-14): the text a person sees on the printed page."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from scheduling.printing.html import (
    AppointmentSlip,
    ClinicInfo,
    DayListEntry,
    DoctorDayList,
    SlipService,
    TimeRange,
    format_money,
    render_appointment_slip,
    render_doctor_day_list,
)

CLINIC = ClinicInfo(
    name="Клиника «Здоровье»", building="Корпус на Ленина", address="ул. Ленина, 1", phone="+7 343 000-00-00"
)
NBSP = "\u00a0"


def utc(hhmm: str, day: date = date(2026, 3, 2)) -> datetime:
    """A UTC instant; Moscow is three hours ahead."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC)


def slip(**overrides: object) -> AppointmentSlip:
    base = AppointmentSlip(
        clinic=CLINIC,
        number=1042,
        patient_name="Иванов Иван Иванович",
        start=utc("06:00"),
        end=utc("06:30"),
        doctor="Петрова Анна Сергеевна",
        specialization="терапевт",
        cabinet="12",
        services=[SlipService("Приём терапевта", Decimal("1500"), 1), SlipService("Анализ крови", Decimal("350.5"), 2)],
        note="Натощак",
    )
    return replace(base, **overrides)


def entry(start: str, end: str, patient: str = "Иванов Иван", **overrides: object) -> DayListEntry:
    return replace(DayListEntry(start=utc(start), end=utc(end), patient_name=patient), **overrides)


def day_list(**overrides: object) -> DoctorDayList:
    base = DoctorDayList(
        clinic=CLINIC,
        doctor="Петрова Анна Сергеевна",
        day=date(2026, 3, 2),
        entries=[
            entry("11:00", "11:30", "Сидоров Пётр", phone="79220000002", status="Записан"),
            entry("06:00", "06:30", "Иванов Иван", phone="79220000001", status="Пришёл", note="Первичный"),
        ],
        breaks=[TimeRange(utc("09:00"), utc("10:00"), "обед")],
        working=[TimeRange(utc("11:00"), utc("15:00")), TimeRange(utc("06:00"), utc("10:00"))],
        cabinet="12",
    )
    return replace(base, **overrides)


def _collapse(text: str) -> str:
    # Only ordinary whitespace: the non-breaking spaces inside amounts are part of what is printed.
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class _Page(HTMLParser):
    """Collects the visible text of a page and the cells of its table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._skip = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "title", "script"):
            self._skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" / ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(_collapse("".join(self._cell)))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page(document: str) -> _Page:
    parsed = _Page()
    parsed.feed(document)
    return parsed


def visible(document: str) -> str:
    """The page's text as a reader sees it, whitespace collapsed."""
    return _collapse(" ".join(page(document).text))


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1500"), f"1{NBSP}500,00{NBSP}₽"),
        (Decimal("0.5"), f"0,50{NBSP}₽"),
        (Decimal("1234567.891"), f"1{NBSP}234{NBSP}567,89{NBSP}₽"),
        (Decimal("0.005"), f"0,01{NBSP}₽"),
        (Decimal("-20"), f"−20,00{NBSP}₽"),
    ],
)
def test_money_is_written_the_russian_way(amount, shown):
    assert format_money(amount) == shown


# --- appointment slip ------------------------------------------------------------------------


def test_slip_heading_shows_the_clinic_building_address_and_phone():
    text = visible(render_appointment_slip(slip()))
    assert "Клиника «Здоровье» Корпус на Ленина ул. Ленина, 1 Телефон: +7 343 000-00-00" in text


def test_slip_title_carries_the_appointment_number():
    assert "Талон на приём № 1042" in visible(render_appointment_slip(slip()))


def test_slip_shows_patient_date_time_doctor_and_cabinet_in_clinic_time():
    text = visible(render_appointment_slip(slip()))
    assert (
        "Пациент Иванов Иван Иванович Дата 02.03.2026 (понедельник) Время 09:00–09:30 "
        "Врач Петрова Анна Сергеевна (терапевт) Кабинет 12"
    ) in text


def test_slip_uses_the_given_time_zone():
    assert "Время 11:00–11:30" in visible(render_appointment_slip(slip(), timezone="Asia/Yekaterinburg"))


def test_slip_shows_the_local_date_when_utc_is_still_the_day_before():
    late = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)
    text = visible(render_appointment_slip(slip(start=late, end=late + timedelta(minutes=30))))
    assert "Дата 02.03.2026 (понедельник) Время 00:30–01:00" in text


def test_slip_without_cabinet_or_specialization_leaves_them_out():
    text = visible(render_appointment_slip(slip(cabinet=None, specialization=None)))
    assert "Кабинет" not in text
    assert "Врач Петрова Анна Сергеевна" in text and "(терапевт)" not in text


def test_slip_lists_services_with_quantity_price_sum_and_total():
    rows = page(render_appointment_slip(slip())).rows
    assert rows == [
        ["Услуга", "Кол-во", "Цена", "Сумма"],
        ["Приём терапевта", "1", f"1{NBSP}500,00{NBSP}₽", f"1{NBSP}500,00{NBSP}₽"],
        ["Анализ крови", "2", f"350,50{NBSP}₽", f"701,00{NBSP}₽"],
        ["Итого", f"2{NBSP}201,00{NBSP}₽"],
    ]


def test_slip_services_without_prices_have_no_total():
    rows = page(render_appointment_slip(slip(services=[SlipService("Консультация")]))).rows
    assert rows == [["Услуга", "Кол-во", "Цена", "Сумма"], ["Консультация", "1", "", ""]]


def test_slip_without_services_has_no_services_table():
    assert page(render_appointment_slip(slip(services=[]))).rows == []


def test_slip_shows_the_note():
    assert "Примечание: Натощак" in visible(render_appointment_slip(slip()))


def test_slip_shows_the_clinic_footer_when_configured():
    clinic = replace(CLINIC, slip_footer="Приходите за 10 минут до приёма")
    assert visible(render_appointment_slip(slip(clinic=clinic))).endswith("Приходите за 10 минут до приёма")


def test_script_in_the_patient_name_is_printed_as_text_not_run():
    document = render_appointment_slip(slip(patient_name="<script>alert(1)</script>"))
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Пациент <script>alert(1)</script>" in visible(document)


def test_quotes_and_ampersands_are_escaped_everywhere():
    document = render_appointment_slip(
        slip(
            clinic=replace(CLINIC, name='A&B "clinic"'),
            doctor="<b>Dr</b>",
            note="<img src=x onerror=alert(1)>",
            services=[SlipService("<i>x</i>", Decimal(1))],
        )
    )
    assert not re.search(r"<(b|i|img)[ >]", document)
    assert "A&amp;B &quot;clinic&quot;" in document


def test_slip_is_a_standalone_page_with_print_styles():
    document = render_appointment_slip(slip())
    assert document.startswith("<!DOCTYPE html>")
    assert "@media print" in document and "@page{size:A4" in document
    assert not re.search(r"<link|<script|https?://", document)


def test_slip_for_a_receipt_printer_is_80_mm_wide():
    document = render_appointment_slip(slip(), paper="receipt")
    assert "@page{size:80mm auto" in document and '<body class="receipt">' in document


def test_unknown_paper_is_refused():
    with pytest.raises(ValueError, match="paper"):
        render_appointment_slip(slip(), paper="letter")


def test_naive_appointment_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        render_appointment_slip(slip(start=datetime(2026, 3, 2, 9, 0)))


# --- doctor's day list ---------------------------------------------------------------------


def test_day_list_heading_shows_doctor_date_cabinet_hours_and_count():
    text = visible(render_doctor_day_list(day_list()))
    assert (
        "Список записей на приём Врач Петрова Анна Сергеевна Дата 02.03.2026 (понедельник) Кабинет 12 "
        "Часы приёма 09:00–13:00, 14:00–18:00 Записей 2"
    ) in text


def test_day_list_rows_are_appointments_and_breaks_in_time_order():
    assert page(render_doctor_day_list(day_list())).rows == [
        ["Время", "Пациент", "Телефон", "Статус", "Примечание"],
        ["09:00–09:30", "Иванов Иван", "79220000001", "Пришёл", "Первичный"],
        ["12:00–13:00", "Перерыв: обед"],
        ["14:00–14:30", "Сидоров Пётр", "79220000002", "Записан", ""],
    ]


def test_break_starting_with_an_appointment_is_listed_first():
    rows = page(
        render_doctor_day_list(
            day_list(entries=[entry("09:00", "09:30")], breaks=[TimeRange(utc("09:00"), utc("09:15"))])
        )
    ).rows
    assert [row[1] for row in rows[1:]] == ["Перерыв", "Иванов Иван"]


def test_day_list_shows_card_number_and_marks_under_the_patient():
    listed = day_list(
        entries=[entry("06:00", "06:30", card_number="000123", marks=["VIP", "несовершеннолетний"])], breaks=[]
    )
    assert page(render_doctor_day_list(listed)).rows[1][1] == "Иванов Иван / карта № 000123 / VIP, несовершеннолетний"


def test_empty_day_says_there_are_no_appointments():
    text = visible(render_doctor_day_list(day_list(entries=[], breaks=[], working=[])))
    assert text.endswith("Записей 0 Записей нет.")


def test_day_list_without_working_hours_leaves_them_out():
    assert "Часы приёма" not in visible(render_doctor_day_list(day_list(working=[])))


def test_script_in_a_day_list_note_or_doctor_name_is_escaped():
    document = render_doctor_day_list(
        day_list(doctor="<script>x()</script>", entries=[entry("06:00", "06:30", note="<script>alert(1)</script>")])
    )
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def test_day_list_for_a_receipt_printer_is_80_mm_wide():
    assert "@page{size:80mm auto" in render_doctor_day_list(day_list(), paper="receipt")
