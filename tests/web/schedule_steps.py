"""Steps of the «Расписание» tests: the clinic's next weekday, the demo doctors, finding a slot on
the grid by the doctor's column and the time label, and bookings prepared through the API.

These tests use only Смирнова, Кузнецов and Попова, each test its own time, so they never collide
with the other screens' tests on the shared platform.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx

SMIRNOVA = "Смирнова Анна Сергеевна"
KUZNETSOV = "Кузнецов Дмитрий Иванович"
POPOVA = "Попова Елена Викторовна"


def clinic_zone(api: httpx.Client) -> ZoneInfo:
    response = api.get("/api/platform/settings")
    assert response.status_code == 200, response.text
    return ZoneInfo(response.json()["timezone"])


def next_weekday(api: httpx.Client) -> str:
    """The clinic's next working day after today (the demo schedules cover weekdays ahead)."""
    day = dt.datetime.now(clinic_zone(api)).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day.isoformat()


def doctor_id(api: httpx.Client, name: str) -> str:
    response = api.get("/api/scheduling/doctors", params={"limit": 500})
    assert response.status_code == 200, response.text
    return next(d["id"] for d in response.json()["items"] if d["name"] == name)


def unique(last_name: str) -> str:
    """A patient name no other test uses: «Тестов» + a random suffix in Cyrillic letters."""
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    suffix = "".join(letters[b % len(letters)] for b in uuid.uuid4().bytes[:5])
    return f"{last_name}{suffix}"


def iso(api: httpx.Client, date: str, time: str) -> str:
    wall = dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=clinic_zone(api))
    return wall.isoformat()


def book(api: httpx.Client, doctor: str, date: str, time: str, last_name: str, minutes: int = 30) -> dict[str, Any]:
    """An appointment of a typed-in patient, made through the API."""
    response = api.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor_id(api, doctor),
            "start": iso(api, date, time),
            "duration_minutes": minutes,
            "patient": {"last_name": last_name, "first_name": "Тест"},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def appointment(api: httpx.Client, appointment_id: str) -> dict[str, Any]:
    response = api.get(f"/api/scheduling/appointments/{appointment_id}")
    assert response.status_code == 200, response.text
    return response.json()


def find_appointment(api: httpx.Client, doctor: str, date: str, last_name: str) -> dict[str, Any] | None:
    """The doctor's appointment of `last_name` on `date`, read from the calendar."""
    response = api.get(
        "/api/scheduling/calendar",
        params={"date_from": date, "date_to": date, "doctor_id": doctor_id(api, doctor)},
    )
    assert response.status_code == 200, response.text
    for group in response.json()["groups"]:
        for column in group["columns"]:
            for item in column["appointments"]:
                if last_name in item["patient_name"]:
                    return item
    return None


def open_schedule(page: Any, date: str) -> Any:
    """The schedule of `date`; returns the grid once the demo doctors' columns are there."""
    page.goto(f"/schedule?date={date}")
    grid = page.get_by_role("region", name="Сетка расписания")
    grid.get_by_text(SMIRNOVA, exact=True).wait_for()
    return grid


def slot_point(page: Any, doctor: str, time: str) -> tuple[float, float]:
    """A point inside the grid's `time` slot of `doctor`'s column: x from the column header, y
    from the time labels (a few minutes below the label's line, still inside the slot)."""
    grid = page.get_by_role("region", name="Сетка расписания")
    header = grid.get_by_text(doctor, exact=True).bounding_box()
    hour, minute = map(int, time.split(":"))
    base = f"{hour:02d}:{minute - minute % 30:02d}"
    following = f"{hour + (minute + 30) // 60:02d}:{(minute - minute % 30 + 30) % 60:02d}"
    # the grid scrolls inside its own box: bring the hour into view first
    grid.get_by_text(following, exact=True).first.scroll_into_view_if_needed()
    grid.get_by_text(base, exact=True).first.scroll_into_view_if_needed()
    y0 = _label_y(grid, base)
    y1 = _label_y(grid, following)
    per_minute = (y1 - y0) / 30
    y = y0 + per_minute * (minute % 30 + 4)
    return header["x"] + header["width"] / 2, y


def _label_y(grid: Any, label: str) -> float:
    box = grid.get_by_text(label, exact=True).first.bounding_box()
    return box["y"] + box["height"] / 2


def click_slot(page: Any, doctor: str, time: str) -> None:
    x, y = slot_point(page, doctor, time)
    page.mouse.click(x, y)


def fill_primary_patient(dialog: Any, last_name: str, first_name: str = "Тест", phone: str = "+79001234567") -> None:
    dialog.get_by_label("Фамилия").fill(last_name)
    dialog.get_by_label("Имя", exact=True).fill(first_name)
    dialog.get_by_label("Телефон").fill(phone)
