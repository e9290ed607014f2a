"""Gateway, patients, scheduling and notifier as separate processes on PostgreSQL + RabbitMQ:
a booking with a "minutes before" mailing schedule sends exactly one SMS, and the
appointment's communication status is then set by scheduling (NOT-3, NOT-5, NOT-6, SCH-16)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.devcluster import Cluster


def daytime_zone() -> str:
    """A fixed-offset zone where it is now mid-morning, so a short working day fits before midnight."""
    now = dt.datetime.now(dt.UTC)
    for offset in range(-12, 15):
        if 8 <= (now.hour + offset) % 24 <= 14:
            # Etc/GMT signs are inverted: Etc/GMT-3 is UTC+3.
            return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}" if offset else "Etc/UTC"
    return "Etc/UTC"


@pytest.fixture
async def reminder_cluster(make_cluster) -> AsyncIterator[tuple[Cluster, str]]:  # type: ignore[no-untyped-def]
    zone = daytime_zone()
    env = {"CLINIC_TIMEZONE": zone, "CLINIC_NOTIFIER_FAKES": "true", "CLINIC_NOTIFIER_TICK_SECONDS": "0.5"}
    cluster = await make_cluster(["patients", "scheduling", "notifier"], env)
    try:
        yield cluster, zone
    finally:
        await asyncio.to_thread(cluster.stop)


async def until(check, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.3)
    return result


async def test_minutes_before_reminder_is_sent_once_and_sets_the_communication_status(
    reminder_cluster: tuple[Cluster, str],
) -> None:
    cluster, zone_name = reminder_cluster
    zone = ZoneInfo(zone_name)
    async with httpx.AsyncClient(base_url=cluster.base_url, timeout=30) as api:
        login = await api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

        status = await api.post(
            "/api/scheduling/communication-statuses", json={"name": "SMS отправлено"}, headers=headers
        )
        assert status.status_code == 201, status.text
        status_id = status.json()["id"]
        reminder = await api.post(
            "/api/notifier/schedules",
            json={
                "name": "За минуту",
                "type": "minutes_before_appointment",
                "channel": "sms",
                "minutes": 1,
                "set_communication_status_id": status_id,
                "template": "%Name1%, ждём вас %Date% в %Time%, врач %Doctor%",
            },
            headers=headers,
        )
        assert reminder.status_code == 201, reminder.text

        card = await api.post(
            "/api/patients/cards",
            json={"last_name": "Смирнова", "first_name": "Анна", "mobile_phone": "+7 922 111-22-33"},
            headers=headers,
        )
        assert card.status_code == 201, card.text
        doctor = await api.post(
            "/api/scheduling/doctors",
            json={"last_name": "Терапевтов", "first_name": "Иван", "specialization_ids": [], "online_booking": False},
            headers=headers,
        )
        now_local = dt.datetime.now(zone)
        schedule = await api.post(
            "/api/scheduling/schedules",
            json={
                "doctor_id": doctor.json()["id"],
                "date": now_local.date().isoformat(),
                "intervals": [{"start": "00:00", "end": "23:59"}],
            },
            headers=headers,
        )
        assert schedule.status_code == 201, schedule.text

        # Wait until scheduling knows the card (patient.created travelled through RabbitMQ).
        start = (now_local + dt.timedelta(seconds=75)).replace(microsecond=0)

        async def booked() -> httpx.Response | None:
            response = await api.post(
                "/api/scheduling/appointments",
                json={
                    "doctor_id": doctor.json()["id"],
                    "patient_id": card.json()["id"],
                    "start": start.isoformat(),
                    "duration_minutes": 15,
                },
                headers=headers,
            )
            return response if response.status_code == 201 else None

        appointment = (await until(booked)).json()

        async def sms_sent() -> list[dict] | None:
            sent = (await api.get("/api/notifier/fake/sms", headers=headers)).json()["items"]
            return [m for m in sent if m["phone"].endswith("9221112233")] or None

        messages = await until(sms_sent, timeout=60)
        assert messages[0]["text"].startswith(f"Анна, ждём вас {start:%d.%m.%Y} в {start:%H:%M}, врач Терапевтов")

        async def status_set() -> dict | None:
            current = (await api.get(f"/api/scheduling/appointments/{appointment['id']}", headers=headers)).json()
            return current if current.get("communication_status_id") == status_id else None

        await until(status_set, timeout=30)
        await asyncio.sleep(3)  # a duplicate would show up within the worker's next ticks
        assert len(await sms_sent() or []) == 1
