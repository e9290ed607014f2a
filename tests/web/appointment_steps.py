"""Steps for the appointment card, «Корзина» and «Лист ожидания» tests: data prepared through the API.

Only the doctors assigned to these tests are used (Васильев, Петрова, Соколов, Михайлова), each
test on its own times, so tests of other files never meet them on a slot.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

VASILIEV = "Васильев Игорь Петрович"
PETROVA = "Петрова Ольга Николаевна"
SOKOLOV = "Соколов Михаил Андреевич"
MIKHAILOVA = "Михайлова Татьяна Александровна"

LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"


def unique_last_name(stem: str = "Проверкин") -> str:
    """A last name no other test uses (tests share one platform)."""
    return stem + "".join(random.choice(LETTERS) for _ in range(6))


def clinic_zone(api: httpx.Client) -> ZoneInfo:
    response = api.get("/api/platform/settings")
    response.raise_for_status()
    return ZoneInfo(response.json()["timezone"])


def next_weekday(api: httpx.Client) -> date:
    """The clinic's first weekday after today (the demo schedules run Mon–Fri, 09:00–18:00)."""
    day = datetime.now(clinic_zone(api)).date() + timedelta(days=1)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def at(api: httpx.Client, day: date, hhmm: str) -> str:
    """The instant of a clinic wall time, as the API takes it."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clinic_zone(api)).isoformat()


def doctor(api: httpx.Client, full_name: str) -> dict[str, Any]:
    response = api.get("/api/scheduling/doctors", params={"limit": 500})
    response.raise_for_status()
    for item in response.json()["items"]:
        if " ".join(filter(None, [item["last_name"], item["first_name"], item["middle_name"]])) == full_name:
            return item
    raise AssertionError(f"no demo doctor {full_name}")


def short_name(item: dict[str, Any]) -> str:
    """ "Васильев И. П." as the app's selects name a doctor."""
    return f"{item['last_name']} {item['first_name'][0]}. {item['middle_name'][0]}."


def book(api: httpx.Client, doctor_name: str, day: date, hhmm: str, last_name: str | None = None) -> dict[str, Any]:
    """A 30-minute appointment of a typed-in primary patient."""
    body = {
        "doctor_id": doctor(api, doctor_name)["id"],
        "start": at(api, day, hhmm),
        "duration_minutes": 30,
        "patient": {
            "last_name": last_name or unique_last_name(),
            "first_name": "Анна",
            "middle_name": "Сергеевна",
            "mobile_phone": "79161234567",
        },
    }
    response = api.post("/api/scheduling/appointments", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def appointment(api: httpx.Client, appointment_id: str) -> dict[str, Any]:
    response = api.get(f"/api/scheduling/appointments/{appointment_id}")
    response.raise_for_status()
    return response.json()


def delete(api: httpx.Client, item: dict[str, Any], reason: str | None = None) -> None:
    params = {"reason_id": deletion_reason(api, reason)["id"]} if reason else {}
    response = api.delete(
        f"/api/scheduling/appointments/{item['id']}", params=params, headers={"If-Match": f'"{item["version"]}"'}
    )
    assert response.status_code == 204, response.text


def deletion_reason(api: httpx.Client, name: str | None = None) -> dict[str, Any]:
    response = api.get("/api/scheduling/deletion-reasons", params={"limit": 500})
    response.raise_for_status()
    reasons = [r for r in response.json()["items"] if r["active"] and not r["reserved"]]
    return next(r for r in reasons if name is None or r["name"] == name)


def status_named(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.get("/api/scheduling/appointment-statuses", params={"limit": 500})
    response.raise_for_status()
    return next(s for s in response.json()["items"] if s["name"] == name)


def waitlist(api: httpx.Client) -> list[dict[str, Any]]:
    response = api.get("/api/scheduling/waitlist", params={"limit": 500})
    response.raise_for_status()
    return response.json()["items"]


def open_appointment(page: Any, appointment_id: str) -> None:
    """The appointment's card as a page (/appointments/<id>), loaded."""
    page.goto(f"/appointments/{appointment_id}")
    page.get_by_role("heading", name="Журнал изменений").wait_for()
