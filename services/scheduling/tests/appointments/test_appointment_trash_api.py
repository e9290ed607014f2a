"""Delete into the trash with a reason, trash search, restore with the checks (SCH-6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from scheduling_test_builders import same_instant

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def delete(build: Any, appointment_id: str, **params: Any) -> Any:
    return await build.edit("DELETE", f"/appointments/{appointment_id}", params=params, headers=build.headers)


async def restore(build: Any, appointment_id: str, body: dict[str, Any] | None = None) -> Any:
    return await build.edit("POST", f"/appointments/{appointment_id}/restore", json=body or {}, headers=build.headers)


async def test_deleting_moves_the_appointment_to_the_trash_with_its_reason(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    reason = await build.item("deletion-reasons", name="Пациент отменил запись")
    appointment = await build.book(doctor["id"], day)

    assert (await delete(build, appointment["id"], reason_id=reason["id"])).status_code == 204

    trashed = await build.get(f"/appointments/{appointment['id']}")
    assert trashed["deleted"] is True and trashed["deletion_reason"] == "Пациент отменил запись"
    assert trashed["deleted_by_username"] == "admin"
    envelope = await build.platform.wait_for_event("appointment.deleted", lambda e: e.aggregate_id == appointment["id"])
    assert envelope.data["deleted"] is True and envelope.data["deletion_reason"] == "Пациент отменил запись"


async def test_trash_search_shows_deleted_appointments_and_the_schedule_does_not(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    await delete(build, appointment["id"])

    trash = await build.get("/appointments", deleted="true", doctor_id=doctor["id"])
    active = await build.get("/appointments", doctor_id=doctor["id"])

    assert [a["id"] for a in trash["items"]] == [appointment["id"]]
    assert active["items"] == []


async def test_a_deleted_appointment_frees_its_slot(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    await delete(build, appointment["id"])
    assert (await build.try_book(doctor["id"], day, "10:00")).status_code == 201


async def test_reason_is_required_when_the_setting_says_so(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    await build.edit("PUT", "/settings", json={"deletion_reason_required": True}, headers=build.headers)
    try:
        response = await delete(build, appointment["id"])
    finally:
        await build.edit("PUT", "/settings", json={"deletion_reason_required": False}, headers=build.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason_id"


async def test_unknown_reason_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    response = await delete(build, appointment["id"], reason_id="00000000-0000-0000-0000-000000000009")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason_id"


async def test_deleting_needs_the_delete_right(build: Any, writer: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    response = await build.edit("DELETE", f"/appointments/{appointment['id']}", headers=writer)
    assert response.status_code == 403


async def test_restoring_puts_it_back_into_its_slot(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    await delete(build, appointment["id"])

    response = await restore(build, appointment["id"])

    assert response.status_code == 200
    assert response.json()["deleted"] is False and response.json()["deletion_reason"] is None
    await build.platform.wait_for_event("appointment.restored", lambda e: e.aggregate_id == appointment["id"])
    actions = [e["action"] for e in (await build.get(f"/appointments/{appointment['id']}/history"))["items"]]
    assert actions == ["created", "deleted", "restored"]


async def test_restoring_into_a_taken_slot_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    await delete(build, appointment["id"])
    newcomer = await build.book(doctor["id"], day, "10:00")

    response = await restore(build, appointment["id"])

    assert response.status_code == 409
    assert response.json()["conflicts"] == [newcomer["id"]]


async def test_restoring_to_another_time_and_doctor(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    colleague = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    await delete(build, appointment["id"])

    response = await restore(build, appointment["id"], {"start": build.at(day, "15:00"), "doctor_id": colleague["id"]})

    assert response.status_code == 200
    assert response.json()["doctor_id"] == colleague["id"]
    assert same_instant(response.json()["start"], datetime.fromisoformat(build.at(day, "15:00")))


async def test_restoring_into_a_break_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    await delete(build, appointment["id"])
    response = await restore(build, appointment["id"], {"start": build.at(day, "13:15")})
    assert response.status_code == 409 and response.json()["reason"] == "in_break"


async def test_restoring_an_appointment_not_in_the_trash_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    assert (await restore(build, appointment["id"])).status_code == 409


async def test_a_deleted_appointment_cannot_be_edited(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    await delete(build, appointment["id"])
    response = await build.edit(
        "PATCH", f"/appointments/{appointment['id']}", json={"note": "x"}, headers=build.headers
    )
    assert response.status_code == 409


async def test_the_patients_own_words_are_kept_next_to_the_reason_and_shown_in_the_trash(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    reason = await build.item("deletion-reasons", name="Пациент отменил запись (звонок)")
    appointment = await build.book(doctor["id"], day, "11:00")

    response = await delete(build, appointment["id"], reason_id=reason["id"], comment="Не смогу прийти")
    assert response.status_code == 204, response.text

    trashed = await build.get(f"/appointments/{appointment['id']}")
    assert (trashed["deletion_reason"], trashed["deletion_comment"]) == (
        "Пациент отменил запись (звонок)",
        "Не смогу прийти",
    )
    listed = await build.get("/appointments", deleted="true", doctor_id=doctor["id"])
    assert [(a["id"], a["deletion_comment"]) for a in listed["items"]] == [(appointment["id"], "Не смогу прийти")]
    envelope = await build.platform.wait_for_event("appointment.deleted", lambda e: e.aggregate_id == appointment["id"])
    assert envelope.data["deletion_comment"] == "Не смогу прийти"

    restored = await restore(build, appointment["id"])
    assert restored.status_code == 200 and restored.json()["deletion_comment"] is None


async def test_a_too_long_deletion_comment_is_422_naming_it(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "15:00")
    response = await delete(build, appointment["id"], comment="x" * 501)
    assert response.status_code == 422 and "comment" in response.text
    assert (await build.get(f"/appointments/{appointment['id']}"))["deleted"] is False
