"""Appointments of patients with cards (SCH-4, SCH-9, SCH-11 card number, SCH-15 linking)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from scheduling_test_builders import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    return ["patients", "scheduling"]


async def test_booking_a_card_copies_its_name_phone_and_birth_date(build: Any) -> None:
    card = await build.card(last_name="Сидорова", first_name="Мария", birth_date="1990-02-03")
    day = build.day(1)
    doctor = await build.working_doctor(day)

    appointment = await build.book(doctor["id"], day, patient_id=card["id"])

    assert (appointment["last_name"], appointment["first_name"]) == ("Сидорова", "Мария")
    assert appointment["birth_date"] == "1990-02-03"
    assert appointment["mobile_phone"] == card["mobile_phone"]
    assert appointment["card_number"] == card["card_number"]
    assert appointment["is_primary"] is False
    assert appointment["marks"]["primary"] is False


async def test_vip_and_minor_cards_are_marked(build: Any) -> None:
    vip = await build.card(vip=True)
    child = await build.card(birth_date=(build.today() - timedelta(days=365 * 7)).isoformat())
    day = build.day(1)
    doctor = await build.working_doctor(day)

    first = await build.book(doctor["id"], day, "10:00", patient_id=vip["id"])
    second = await build.book(doctor["id"], day, "11:00", patient_id=child["id"])

    assert (first["marks"]["vip"], first["marks"]["minor"]) == (True, False)
    assert (second["marks"]["vip"], second["marks"]["minor"]) == (False, True)


async def test_marks_follow_the_card_after_it_changes(build: Any) -> None:
    card = await build.card()
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, patient_id=card["id"])
    response = await build.client.patch(
        f"/api/patients/cards/{card['id']}", json={"vip": True}, headers={**build.headers, "If-Match": "*"}
    )
    assert response.status_code == 200

    async def vip_shown() -> bool:
        return bool((await build.get(f"/appointments/{appointment['id']}"))["marks"]["vip"])

    assert await eventually(vip_shown)


async def test_deleted_card_cannot_be_booked(build: Any) -> None:
    card = await build.card()
    await build.client.delete(f"/api/patients/cards/{card['id']}", headers={**build.headers, "If-Match": "*"})
    day = build.day(1)
    doctor = await build.working_doctor(day)

    async def refused() -> Any:
        response = await build.try_book(doctor["id"], day, patient_id=card["id"])
        return response if response.status_code == 422 else None

    response = await eventually(refused)
    assert response.json()["errors"][0] == {
        "field": "patient_id",
        "code": "card_deleted",
        "message": "the patient card is deleted",
    }


async def test_search_finds_appointments_by_card_number_without_leading_zeros(build: Any) -> None:
    card = await build.card()
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, patient_id=card["id"])

    page = await build.get("/appointments", card_number=card["card_number"].lstrip("0"))

    assert [a["id"] for a in page["items"]] == [appointment["id"]]


async def test_linking_a_primary_appointment_to_an_existing_card(build: Any) -> None:
    card = await build.card(last_name="Кузнецова", first_name="Ольга")
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)

    linked = await build.post(f"/appointments/{appointment['id']}/link-card", {"patient_id": card["id"]}, expect=200)

    assert linked["is_primary"] is False
    assert (linked["patient_id"], linked["last_name"]) == (card["id"], "Кузнецова")
    history = await build.get(f"/appointments/{appointment['id']}/history")
    assert history["items"][-1]["action"] == "linked"
    assert {"field": "patient_id", "from": None, "to": card["id"]} in history["items"][-1]["changes"]


async def test_linking_creates_the_card_from_the_appointment(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    typed = build.patient(last_name="Первичный", first_name="Пациент", birth_date="1979-09-09")
    appointment = await build.book(doctor["id"], day, patient=typed)

    linked = await build.post(f"/appointments/{appointment['id']}/link-card", {"create": True}, expect=200)

    assert linked["is_primary"] is False
    card = await build.client.get(f"/api/patients/cards/{linked['patient_id']}", headers=build.headers)
    assert card.status_code == 200
    assert (card.json()["last_name"], card.json()["birth_date"], card.json()["mobile_phone"]) == (
        "Первичный",
        "1979-09-09",
        "79229999999",
    )
    assert linked["card_number"] == card.json()["card_number"]


async def test_retrying_a_link_whose_first_try_made_the_card_reuses_that_card(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    typed = build.patient(last_name="Повторов", first_name="Пациент", birth_date="1979-09-09")
    appointment = await build.book(doctor["id"], day, patient=typed)
    # The first try created the card in patients, then failed before the appointment was linked.
    first_try = await build.client.post(
        "/api/patients/cards",
        json={"last_name": "Повторов", "first_name": "Пациент", "birth_date": "1979-09-09"},
        headers={**build.headers, "Idempotency-Key": f"scheduling.link-card.{appointment['id']}"},
    )
    assert first_try.status_code == 201

    linked = await build.post(f"/appointments/{appointment['id']}/link-card", {"create": True}, expect=200)

    assert linked["patient_id"] == first_try.json()["id"]
    same_name = await build.client.get("/api/patients/cards", params={"q": "Повторов"}, headers=build.headers)
    assert same_name.json()["total"] == 1


async def test_linking_twice_is_refused(build: Any) -> None:
    card = await build.card()
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, patient_id=card["id"])

    response = await build.edit(
        "POST", f"/appointments/{appointment['id']}/link-card", json={"create": True}, headers=build.headers
    )

    assert response.status_code == 409


async def test_creating_the_card_needs_the_callers_patients_right(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    scheduler = await build.platform.headers_with(["scheduling.read", "scheduling.write", "patients.read"])

    response = await build.edit(
        "POST", f"/appointments/{appointment['id']}/link-card", json={"create": True}, headers=scheduler
    )

    assert response.status_code == 403
    assert (await build.get(f"/appointments/{appointment['id']}"))["is_primary"] is True
