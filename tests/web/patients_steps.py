"""Steps of the «Пациенты» and search tests: cards and appointments prepared through the API.

These tests book only Новиков, Фёдорова and Морозов, each test its own time, so they never collide
with the other screens' tests on the shared platform; a taken time (a platform reused between runs)
moves the booking to the next free one of the test's times.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx

NOVIKOV = "Новиков Алексей Владимирович"
FEDOROVA = "Фёдорова Наталья Олеговна"
MOROZOV = "Морозов Сергей Евгеньевич"


def clinic_zone(api: httpx.Client) -> ZoneInfo:
    response = api.get("/api/platform/settings")
    assert response.status_code == 200, response.text
    return ZoneInfo(response.json()["timezone"])


def clinic_today(api: httpx.Client) -> dt.date:
    return dt.datetime.now(clinic_zone(api)).date()


def next_weekday(api: httpx.Client) -> str:
    """The clinic's next working day after today (the demo schedules cover weekdays ahead)."""
    day = clinic_today(api) + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day.isoformat()


def ru_date(iso_date: str) -> str:
    """ "2026-12-07" → "07.12.2026", as the screens show dates."""
    return dt.date.fromisoformat(iso_date).strftime("%d.%m.%Y")


def doctor(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.get("/api/scheduling/doctors", params={"limit": 500})
    assert response.status_code == 200, response.text
    return next(d for d in response.json()["items"] if d["name"] == name)


def short_name(full: str) -> str:
    """ "Новиков Алексей Владимирович" → "Новиков А. В." (the app's doctorShortName)."""
    last, *rest = full.split()
    return " ".join([last, *(f"{part[0]}." for part in rest)])


def unique(last_name: str) -> str:
    """A surname no other test uses: the name + a random suffix in Cyrillic letters."""
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    suffix = "".join(letters[b % len(letters)] for b in uuid.uuid4().bytes[:5])
    return f"{last_name}{suffix}"


def unique_mobile() -> str:
    """A Russian mobile number no other card has: "79" + nine random digits."""
    return "79" + "".join(random.choice("0123456789") for _ in range(9))


def create_card(api: httpx.Client, last_name: str, **fields: Any) -> dict[str, Any]:
    body = {"last_name": last_name, "first_name": "Мария", "middle_name": "Петровна", **fields}
    response = api.post("/api/patients/cards", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def card(api: httpx.Client, card_id: str) -> dict[str, Any]:
    response = api.get(f"/api/patients/cards/{card_id}")
    assert response.status_code == 200, response.text
    return response.json()


def book(
    api: httpx.Client, doctor_name: str, date: str, times: list[str], *, card_id: str | None = None, last_name: str = ""
) -> dict[str, Any]:
    """An appointment at the first of `times` that is free: of a card, or of a typed-in patient."""
    zone = clinic_zone(api)
    doctor_id = doctor(api, doctor_name)["id"]
    refused = []
    for time in times:
        start = dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=zone).isoformat()
        body: dict[str, Any] = {"doctor_id": doctor_id, "start": start, "duration_minutes": 30}
        if card_id:
            body["patient_id"] = card_id
        else:
            body["patient"] = {"last_name": last_name, "first_name": "Тест", "mobile_phone": "+79001234567"}
        response = api.post("/api/scheduling/appointments", json=body)
        if response.status_code == 201:
            return response.json()
        refused.append(response.text)
        if response.status_code != 409:
            break
    raise AssertionError(f"no free time among {times} on {date}: {refused}")
