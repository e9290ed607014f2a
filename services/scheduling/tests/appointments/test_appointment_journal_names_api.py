"""The change journal is readable (SCH-10): names as they were next to ids, times in the clinic's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scheduling_test_builders import at

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def patch(build: Any, path: str, body: dict[str, Any]) -> Any:
    response = await build.edit("PATCH", f"{path}", json=body, headers=build.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def history(build: Any, appointment_id: str) -> list[dict[str, Any]]:
    return (await build.get(f"/appointments/{appointment_id}/history"))["items"]  # type: ignore[no-any-return]


def change(entry: dict[str, Any], field: str) -> dict[str, Any]:
    return next(c for c in entry["changes"] if c["field"] == field)


async def test_moving_to_another_doctor_shows_both_doctors_names_and_keeps_them_after_a_rename(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, last_name="Смирнова", first_name="Анна", middle_name="Сергеевна")
    colleague = await build.working_doctor(day, last_name="Кузнецов", first_name="Дмитрий", middle_name=None)
    appointment = await build.book(doctor["id"], day, "10:00")

    await patch(build, f"/appointments/{appointment['id']}", {"doctor_id": colleague["id"]})
    await patch(build, f"/doctors/{colleague['id']}", {"last_name": "Кузнецов-Новый"})
    await patch(build, f"/doctors/{doctor['id']}", {"first_name": "Мария"})

    entries = await history(build, appointment["id"])
    moved = change(entries[-1], "doctor_id")
    assert moved == {
        "field": "doctor_id",
        "from": doctor["id"],
        "to": colleague["id"],
        "from_name": "Смирнова Анна Сергеевна",
        "to_name": "Кузнецов Дмитрий",
    }
    created = change(entries[0], "doctor_id")
    assert (created["from_name"], created["to_name"]) == (None, "Смирнова Анна Сергеевна")


async def test_a_time_change_shows_both_times_in_the_clinic_zone(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    # Booked with a UTC start: the journal still shows the clinic's wall clock.
    start = at(day, "10:00").astimezone(UTC).isoformat()
    appointment = await build.post("/appointments", {**build.booking(doctor["id"], day, "10:00", 30), "start": start})

    await patch(build, f"/appointments/{appointment['id']}", {"start": build.at(day, "15:15")})

    entries = await history(build, appointment["id"])
    moved = change(entries[-1], "start")
    assert moved["from"] == f"{day.isoformat()}T10:00:00+03:00"
    assert moved["to"] == f"{day.isoformat()}T15:15:00+03:00"
    assert change(entries[-1], "end")["to"] == f"{day.isoformat()}T15:45:00+03:00"
    assert change(entries[0], "start")["to"] == f"{day.isoformat()}T10:00:00+03:00"
    times = [
        c[side] for e in entries for c in e["changes"] if c["field"] in ("start", "end") for side in ("from", "to")
    ]
    assert not any(t and t.endswith("+00:00") for t in times)
    assert all(datetime.fromisoformat(e["at"]).utcoffset() is not None for e in entries)


async def test_reference_changes_keep_the_names_of_status_kind_cabinet_and_services(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    cabinet = await build.cabinet(name="Кабинет 101")
    kind = await build.item("appointment-kinds", name="Первичный")
    service = await build.service(name="Приём терапевта")
    status = await build.status(name="Пришёл")
    appointment = await build.book(doctor["id"], day, "10:00")

    await patch(
        build,
        f"/appointments/{appointment['id']}",
        {"cabinet_id": cabinet["id"], "kind_id": kind["id"], "services": [{"service_id": service["id"]}]},
    )
    response = await build.edit(
        "POST", f"/appointments/{appointment['id']}/status", json={"status_id": status["id"]}, headers=build.headers
    )
    assert response.status_code == 200, response.text
    for path, item in (("cabinets", cabinet), ("appointment-kinds", kind), ("services", service)):
        await patch(build, f"/{path}/{item['id']}", {"name": "переименовано"})
    await patch(build, f"/appointment-statuses/{status['id']}", {"name": "переименовано"})

    entries = await history(build, appointment["id"])
    edited = next(e for e in entries if e["action"] == "updated" or e["action"] == "moved")
    assert change(edited, "cabinet_id")["to_name"] == "Кабинет 101"
    assert change(edited, "kind_id")["to_name"] == "Первичный"
    assert [line["name"] for line in change(edited, "services")["to"]] == ["Приём терапевта"]
    assert change(entries[-1], "status_id")["to_name"] == "Пришёл"
