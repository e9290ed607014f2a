"""Steps of the «Расписание работы» and «Онлайн-запись» tests: a doctor of the test's own (a unique
surname, so no other test books on their days), clinic dates, and bookings through the API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx

LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"


def suffix() -> str:
    return "".join(LETTERS[b % len(LETTERS)] for b in uuid.uuid4().bytes[:6])


def clinic_zone(api: httpx.Client) -> ZoneInfo:
    response = api.get("/api/platform/settings")
    assert response.status_code == 200, response.text
    return ZoneInfo(response.json()["timezone"])


def clinic_today(api: httpx.Client) -> dt.date:
    return dt.datetime.now(clinic_zone(api)).date()


def next_month(api: httpx.Client) -> dt.date:
    """The first day of the clinic's next month: all of it lies ahead, so every day can be booked."""
    today = clinic_today(api)
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def weekdays_of(first: dt.date) -> list[dt.date]:
    """The Monday–Friday dates of `first`'s month."""
    days = []
    day = first
    while day.month == first.month:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def create_doctor(api: httpx.Client, last_name: str = "Графиков") -> dict[str, Any]:
    """A doctor of this test only: «<last_name><random letters> Тест Тестович»."""
    response = api.post(
        "/api/scheduling/doctors",
        json={"last_name": f"{last_name}{suffix()}", "first_name": "Тест", "middle_name": "Тестович"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def create_day(
    api: httpx.Client, doctor_id: str, day: dt.date, start: str = "09:00", end: str = "15:00"
) -> dict[str, Any]:
    response = api.post(
        "/api/scheduling/schedules",
        json={"doctor_id": doctor_id, "date": day.isoformat(), "intervals": [{"start": start, "end": end}]},
    )
    assert response.status_code == 201, response.text
    return response.json()


def schedules(api: httpx.Client, doctor_id: str, first: dt.date, last: dt.date) -> dict[str, dict[str, Any]]:
    response = api.get(
        "/api/scheduling/schedules",
        params={"doctor_id": doctor_id, "date_from": first.isoformat(), "date_to": last.isoformat(), "limit": 500},
    )
    assert response.status_code == 200, response.text
    return {item["date"]: item for item in response.json()["items"]}


def book(api: httpx.Client, doctor_id: str, day: dt.date, time: str, last_name: str) -> dict[str, Any]:
    start = dt.datetime.fromisoformat(f"{day.isoformat()}T{time}").replace(tzinfo=clinic_zone(api))
    response = api.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor_id,
            "start": start.isoformat(),
            "duration_minutes": 30,
            "patient": {"last_name": last_name, "first_name": "Тест"},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def ru_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def open_schedules(page: Any, doctor: dict[str, Any], month: dt.date) -> None:
    """«Расписание работы» of `doctor` on `month`, chosen the way a person does: menu, «Врач», month."""
    page.goto("/admin/schedules")
    page.get_by_label("Врач", exact=True).select_option(doctor["id"])
    page.get_by_label("Месяц", exact=True).fill(month.strftime("%Y-%m"))
    page.get_by_role("table").wait_for()
