"""Names typed in lower case are stored with capitals per word, as on patient cards (#14):
a booking's primary patient, the website widget's patient and doctors in the directories.
A name typed with any capital is kept as typed ("де Сото")."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def widget(build: Any) -> dict[str, str]:
    created = await build.post("/online/api-keys", {"label": "website"})
    return {"X-Api-Key": created["key"]}


async def test_a_primary_patient_typed_in_lower_case_is_stored_with_capitals(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    patient = build.patient(last_name="петрова-водкина", first_name="анна мария", middle_name="сергеевна")

    booked = await build.book(doctor["id"], day, "10:00", patient=patient)

    stored = await build.get(f"/appointments/{booked['id']}")
    assert (stored["last_name"], stored["first_name"], stored["middle_name"]) == (
        "Петрова-Водкина",
        "Анна Мария",
        "Сергеевна",
    )
    assert stored["patient_name"] == "Петрова-Водкина Анна Мария Сергеевна"


async def test_a_primary_patient_typed_with_a_capital_is_kept_as_typed(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    booked = await build.book(doctor["id"], day, "10:30", patient=build.patient(last_name="де Сото", first_name="ана"))

    stored = await build.get(f"/appointments/{booked['id']}")
    assert (stored["last_name"], stored["first_name"]) == ("де Сото", "Ана")


async def test_a_primary_patient_retyped_in_lower_case_is_stored_with_capitals(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    booked = await build.book(doctor["id"], day, "11:00")

    response = await build.edit(
        "PATCH",
        f"/appointments/{booked['id']}",
        json={"patient": {"last_name": "иванова", "first_name": "мария"}},
        headers=build.headers,
    )

    assert response.status_code == 200, response.text
    assert (response.json()["last_name"], response.json()["first_name"]) == ("Иванова", "Мария")


async def test_a_website_booking_typed_in_lower_case_is_stored_with_capitals(
    build: Any, widget: dict[str, str]
) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    patient = {"last_name": "орлова-никитина", "first_name": "мария", "mobile_phone": "+7 922 123-45-67"}

    response = await build.client.post(
        f"{API}/online/appointments",
        json={"doctor_id": doctor["id"], "start": build.at(day, "12:00"), "patient": patient},
        headers=widget,
    )

    assert response.status_code == 201, response.text
    stored = await build.get(f"/appointments/{response.json()['id']}")
    assert (stored["last_name"], stored["first_name"]) == ("Орлова-Никитина", "Мария")


async def test_a_doctor_created_in_lower_case_is_stored_with_capitals(build: Any) -> None:
    doctor = await build.doctor(last_name="римская-корсакова", first_name="анна", middle_name="сергеевна")

    stored = await build.get(f"/doctors/{doctor['id']}")
    assert (stored["last_name"], stored["first_name"], stored["middle_name"]) == (
        "Римская-Корсакова",
        "Анна",
        "Сергеевна",
    )


async def test_a_doctor_renamed_in_lower_case_is_stored_with_capitals_and_mixed_case_kept(build: Any) -> None:
    doctor = await build.doctor()

    response = await build.edit(
        "PATCH",
        f"/doctors/{doctor['id']}",
        json={"last_name": "ван дер Берг", "first_name": "мамед оглы"},
        headers=build.headers,
    )

    assert response.status_code == 200, response.text
    assert (response.json()["last_name"], response.json()["first_name"]) == ("ван дер Берг", "Мамед оглы")
