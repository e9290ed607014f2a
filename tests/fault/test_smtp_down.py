"""The mail server unreachable (connections refused) while e-mail reminders fall due: the
notifier keeps retrying, and after the server returns every reminder is delivered exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from fault_harness import ClinicApi, FaultCluster, new_email, new_phone

pytestmark = pytest.mark.fault

REMINDERS = 6
LEAD = dt.timedelta(seconds=80)  # the reminder (1 minute before) falls due ~20 s after booking
SCHEDULE = "Сбой: письмо"


async def email_reminder_schedule(api: ClinicApi) -> str:
    """A one-minute-before e-mail reminder for every appointment (deleted after the test: the
    other tests count the messages of their appointments)."""
    response = await api.client.post(
        "/api/notifier/schedules",
        json={
            "name": SCHEDULE,
            "type": "minutes_before_appointment",
            "channel": "email",
            "minutes": 1,
            "subject": "Напоминание о приёме",
            "template": "%Name1%, ждём вас в %Time%",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def card_with_email(api: ClinicApi, email: str) -> str:
    response = await api.client.post(
        "/api/patients/cards",
        json={
            "last_name": "Почтова",
            "first_name": "Анна",
            "middle_name": "Сергеевна",
            "birth_date": "1990-04-01",
            "mobile_phone": new_phone(),
            "email": email,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def book_card(api: ClinicApi, doctor_id: str, start: dt.datetime, patient_id: str) -> str:
    response = await api.client.post(
        "/api/scheduling/appointments",
        json={"doctor_id": doctor_id, "start": start.isoformat(), "duration_minutes": 5, "patient_id": patient_id},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def test_email_reminders_due_while_the_mail_server_is_down_are_delivered_once_after_it_returns(
    fault_cluster: FaultCluster,
) -> None:
    smtp = fault_cluster.smtp
    assert smtp is not None
    async with fault_cluster.api() as api:
        schedule_id = await email_reminder_schedule(api)
        try:
            emails = [new_email() for _ in range(REMINDERS)]
            cards = [await card_with_email(api, email) for email in emails]
            await asyncio.to_thread(smtp.down)
            slots = await api.soon_slots(REMINDERS, lead=LEAD)
            ids = [await book_card(api, s.doctor_id, s.start, card) for s, card in zip(slots, cards, strict=True)]

            async def email_reminders() -> list[dict[str, object]]:
                return [m for i in ids for m in await api.messages(i) if m["channel"] == "email"]

            async with asyncio.timeout(70):
                while True:
                    messages = await email_reminders()
                    if len(messages) == REMINDERS and all(int(m["attempts"]) >= 2 for m in messages):  # type: ignore[call-overload]
                        break
                    await asyncio.sleep(1)
            assert sum(smtp.received_by(emails).values()) == 0

            await asyncio.to_thread(smtp.up)
            deadline = time.monotonic() + 40
            while len(smtp.received_by(emails)) < REMINDERS and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # a duplicate would show up within the worker's next ticks
            assert smtp.received_by(emails) == dict.fromkeys(emails, 1)
            assert {m["status"] for m in await email_reminders()} == {"sent"}
        finally:
            if not smtp.is_up:
                await asyncio.to_thread(smtp.up)
            deleted = await api.client.delete(f"/api/notifier/schedules/{schedule_id}")
            assert deleted.status_code in (200, 204), deleted.text
