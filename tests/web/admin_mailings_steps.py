"""Steps of the «Рассылки» tests: an appointment status and a doctor of the test's own (so only the
test's bookings trigger its schedule), bookings through the API, and waiting for the notifier."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import httpx
from admin_schedules_steps import clinic_today, clinic_zone, create_day, create_doctor, suffix


def next_weekday(api: httpx.Client) -> dt.date:
    day = clinic_today(api) + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def own_status(api: httpx.Client) -> dict[str, Any]:
    """An appointment status only this test books with."""
    response = api.post(
        "/api/scheduling/appointment-statuses", json={"name": f"Рассылка {suffix()}", "colour": "#3366cc"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def own_doctor_with_day(api: httpx.Client, last_name: str) -> tuple[dict[str, Any], dt.date]:
    doctor = create_doctor(api, last_name)
    day = next_weekday(api)
    create_day(api, doctor["id"], day)
    return doctor, day


def book_with_status(
    api: httpx.Client, doctor: dict[str, Any], day: dt.date, at: str, status: dict[str, Any], patient: dict[str, Any]
) -> dict[str, Any]:
    """A booking with `status` set at once: an «after the status change» schedule fires right away."""
    start = dt.datetime.fromisoformat(f"{day.isoformat()}T{at}").replace(tzinfo=clinic_zone(api))
    response = api.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor["id"],
            "start": start.isoformat(),
            "duration_minutes": 30,
            "status_id": status["id"],
            "patient": patient,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def create_schedule(api: httpx.Client, status: dict[str, Any], template: str) -> dict[str, Any]:
    response = api.post(
        "/api/notifier/schedules",
        json={
            "name": f"После статуса {status['name']}",
            "type": "after_status_change",
            "channel": "sms",
            "status_id": status["id"],
            "minutes": 0,
            "template": template,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def delete_schedule(api: httpx.Client, schedule_id: str) -> None:
    api.delete(f"/api/notifier/schedules/{schedule_id}")


def schedules_named(api: httpx.Client, name: str) -> list[dict[str, Any]]:
    response = api.get("/api/notifier/schedules", params={"limit": 500})
    assert response.status_code == 200, response.text
    return [s for s in response.json()["items"] if s["name"] == name]


def wait_for_message(
    api: httpx.Client, appointment_id: str, done: tuple[str, ...], seconds: float = 30
) -> dict[str, Any]:
    """The notifier's message for `appointment_id` once its status is one of `done`."""
    deadline = time.monotonic() + seconds
    last: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        response = api.get("/api/notifier/messages", params={"appointment_id": appointment_id})
        assert response.status_code == 200, response.text
        last = response.json()["items"]
        for message in last:
            if message["status"] in done:
                return message
        time.sleep(0.5)
    raise AssertionError(f"no message in {done} for {appointment_id}: {last}")
