"""Statuses and the processed mark (SCH-8), communication status from the notifier (SCH-16)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from scheduling_test_builders import event, eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def set_status(build: Any, appointment_id: str, status_id: str) -> Any:
    return await build.edit(
        "POST", f"/appointments/{appointment_id}/status", json={"status_id": status_id}, headers=build.headers
    )


async def test_changing_the_status_shows_it_and_keeps_its_history(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    booked = await build.status(name="Записан", colour="#2F80ED")
    confirmed = await build.status(name="Подтверждён", colour="#27AE60")
    appointment = await build.book(doctor["id"], day, status_id=booked["id"])

    response = await set_status(build, appointment["id"], confirmed["id"])

    assert response.status_code == 200
    assert response.json()["status"] == {"id": confirmed["id"], "name": "Подтверждён", "colour": "#27AE60"}
    history = await build.get(f"/appointments/{appointment['id']}/status-history")
    assert [(h["status_name"], h["username"]) for h in history["items"]] == [
        ("Записан", "admin"),
        ("Подтверждён", "admin"),
    ]
    envelope = await build.platform.wait_for_event(
        "appointment.status_changed", lambda e: e.aggregate_id == appointment["id"]
    )
    assert envelope.data["status_id"] == confirmed["id"] and envelope.data["status_changed_at"]


async def test_the_configured_status_marks_the_appointment_processed_for_good(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    arrived = await build.status(name="Пришёл", sets_processed=True)
    done = await build.status(name="Завершён")
    appointment = await build.book(doctor["id"], day)

    processed = (await set_status(build, appointment["id"], arrived["id"])).json()
    later = (await set_status(build, appointment["id"], done["id"])).json()

    assert processed["marks"]["processed"] is True and processed["processed_at"]
    assert later["marks"]["processed"] is True


async def test_an_ordinary_status_does_not_mark_processed(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    status = await build.status(name="Подтверждён")
    appointment = await build.book(doctor["id"], day)
    assert (await set_status(build, appointment["id"], status["id"])).json()["processed"] is False


async def test_unknown_status_is_refused_naming_status_id(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    response = await set_status(build, appointment["id"], "00000000-0000-0000-0000-000000000077")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status_id"


async def test_status_change_is_journaled(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    status = await build.status()
    appointment = await build.book(doctor["id"], day)
    await set_status(build, appointment["id"], status["id"])

    entry = (await build.get(f"/appointments/{appointment['id']}/history"))["items"][-1]

    assert entry["action"] == "status_changed"
    assert {
        "field": "status_id",
        "from": None,
        "to": status["id"],
        "from_name": None,
        "to_name": status["name"],
    } in entry["changes"]


async def test_notifier_sets_the_communication_status_after_sending(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    sms_sent = await build.item("communication-statuses", name="Отправлено SMS")
    appointment = await build.book(doctor["id"], day)

    await build.publish(
        event(
            "notification.sent",
            {
                "message_id": str(uuid.uuid4()),
                "channel": "sms",
                "appointment_id": appointment["id"],
                "communication_status_id": sms_sent["id"],
            },
            aggregate_id=uuid.uuid4(),
        )
    )

    async def applied() -> Any:
        current = await build.get(f"/appointments/{appointment['id']}")
        return current if current["communication_status_id"] == sms_sent["id"] else None

    current = await eventually(applied)
    assert current["version"] == 2
    entry = (await build.get(f"/appointments/{appointment['id']}/history"))["items"][-1]
    assert (entry["action"], entry["username"]) == ("updated", "notifier")
    await build.platform.wait_for_event(
        "appointment.updated", lambda e: e.aggregate_id == appointment["id"] and e.aggregate_version == 2
    )


async def test_notification_without_a_status_to_set_changes_nothing(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    marker = await build.item("communication-statuses")
    message = {"message_id": str(uuid.uuid4()), "channel": "sms", "appointment_id": appointment["id"]}
    await build.publish(event("notification.sent", message, aggregate_id=uuid.uuid4()))
    # A second appointment's notification, published after, tells us the first was handled.
    other = await build.book(doctor["id"], day, "11:00")
    await build.publish(
        event(
            "notification.sent",
            {
                **message,
                "message_id": str(uuid.uuid4()),
                "appointment_id": other["id"],
                "communication_status_id": marker["id"],
            },
            aggregate_id=uuid.uuid4(),
        )
    )

    async def second_applied() -> bool:
        return (await build.get(f"/appointments/{other['id']}"))["communication_status_id"] == marker["id"]

    assert await eventually(second_applied)
    assert (await build.get(f"/appointments/{appointment['id']}"))["version"] == 1
