"""Schedule search by patient (SCH-18): a patient's past and future appointments by name or
phone, from the calendar, with the clinic date and doctor to jump to."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")
SEARCH = "/calendar/patient-search"


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    return ["patients", "scheduling"]


def unique(word: str) -> str:
    """A name no other test of the module books: tests share the module's database."""
    return f"{word}{uuid.uuid4().hex[:6]}"


def unique_phone() -> str:
    digits = f"{random.randrange(10**7):07d}"
    return f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}"


async def search(build: Any, q: str, **params: Any) -> Any:
    return await build.get(SEARCH, q=q, **params)


def found_ids(result: dict[str, Any]) -> list[list[str]]:
    """Per patient, the ids of the listed appointments (upcoming, then past)."""
    return [[v["id"] for v in p["upcoming"] + p["past"]] for p in result["patients"]]


async def test_each_part_of_a_double_surname_finds_the_patient(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    first_part, second_part = unique("Римская"), unique("Корсакова")
    patient = build.patient(last_name=f"{first_part}-{second_part}", first_name="Ольга")
    appointment = await build.book(doctor["id"], day, "10:00", patient=patient)

    for q in (first_part, second_part.lower(), f"{second_part[:-2]} ол"):
        result = await search(build, q)
        assert found_ids(result) == [[appointment["id"]]], q
        assert result["patients"][0]["patient_name"] == f"{first_part}-{second_part} Ольга"


async def test_phone_in_any_format_or_its_last_digits_finds_the_patient(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    phone = unique_phone()
    appointment = await build.book(doctor["id"], day, "10:00", patient=build.patient(mobile_phone=phone))
    digits = "".join(c for c in phone if c.isdigit())

    for q in (phone, f"8 ({digits[1:4]}) {digits[4:7]} {digits[7:9]} {digits[9:]}", digits[1:]):
        result = await search(build, q)
        assert result["match"] == "phone"
        assert found_ids(result) == [[appointment["id"]]], q
    by_ending = await search(build, digits[-6:], patients_limit=50)
    assert [appointment["id"]] in found_ids(by_ending)


async def test_past_and_future_visits_carry_the_clinic_date_and_doctor_to_jump_to(build: Any) -> None:
    yesterday, soon, later = build.day(-1), build.day(3), build.day(6)
    doctor = await build.doctor()
    await build.schedule(day=yesterday, doctor_id=doctor["id"])
    for day in (soon, later):  # from midnight: 00:30 in Moscow is the previous day in UTC
        await build.schedule(day=day, doctor_id=doctor["id"], intervals=(("00:00", "12:00"),), breaks=())
    card = await build.card(last_name=unique("Карточкин"), birth_date="1980-05-06", mobile_phone=unique_phone())
    past = await build.book(doctor["id"], yesterday, "10:00", patient_id=card["id"])
    next_one = await build.book(doctor["id"], soon, "00:30", patient_id=card["id"])
    after = await build.book(doctor["id"], later, "09:00", patient_id=card["id"])

    [patient] = (await search(build, card["last_name"]))["patients"]

    assert (patient["patient_id"], patient["card_number"], patient["birth_date"]) == (
        card["id"],
        card["card_number"],
        "1980-05-06",
    )
    assert patient["is_primary"] is False
    assert [v["id"] for v in patient["upcoming"]] == [next_one["id"], after["id"]]
    assert [v["id"] for v in patient["past"]] == [past["id"]]
    assert (patient["upcoming_total"], patient["past_total"]) == (2, 1)
    visit = patient["next_visit"]
    assert (visit["id"], visit["date"], visit["doctor_id"]) == (next_one["id"], soon.isoformat(), doctor["id"])
    assert visit["doctor_name"] == doctor["name"] and visit["start"].endswith("+03:00")
    assert visit["start"].startswith(f"{soon.isoformat()}T00:30")
    assert (patient["last_visit"]["id"], patient["last_visit"]["date"]) == (past["id"], yesterday.isoformat())


async def test_limit_keeps_the_nearest_upcoming_and_the_latest_past(build: Any) -> None:
    days = [build.day(n) for n in (2, 3, 4)]
    doctor = await build.doctor()
    for day in days:
        await build.schedule(day=day, doctor_id=doctor["id"])
    patient = build.patient(last_name=unique("Частый"))
    booked = [await build.book(doctor["id"], day, "10:00", patient=patient) for day in days]

    [found] = (await search(build, patient["last_name"], limit=2))["patients"]

    assert [v["id"] for v in found["upcoming"]] == [booked[0]["id"], booked[1]["id"]]
    assert found["upcoming_total"] == 3


async def test_primary_appointments_are_one_patient_per_name_and_phone(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    surname, phone = unique("Первичный"), unique_phone()
    same = [
        await build.book(doctor["id"], day, clock, patient=build.patient(last_name=surname, mobile_phone=phone))
        for clock in ("10:00", "11:00")
    ]
    other_phone = await build.book(doctor["id"], day, "12:00", patient=build.patient(last_name=surname))

    result = await search(build, surname)

    assert sorted(found_ids(result)) == sorted([[same[0]["id"], same[1]["id"]], [other_phone["id"]]])
    assert all(p["is_primary"] and p["patient_id"] is None and p["card_number"] is None for p in result["patients"])


async def test_patients_with_an_upcoming_visit_come_first_and_the_list_is_cut(build: Any) -> None:
    yesterday, soon, later = build.day(-1), build.day(2), build.day(5)
    doctor = await build.doctor()
    for day in (yesterday, soon, later):
        await build.schedule(day=day, doctor_id=doctor["id"])
    surname = unique("Очередной")
    only_past = await build.book(doctor["id"], yesterday, "10:00", patient=build.patient(last_name=surname))
    later_visit = await build.book(
        doctor["id"], later, "10:00", patient=build.patient(last_name=surname, first_name="Борис")
    )
    soon_visit = await build.book(
        doctor["id"], soon, "10:00", patient=build.patient(last_name=surname, first_name="Глеб")
    )

    everyone = await search(build, surname)
    cut = await search(build, surname, patients_limit=2)

    assert found_ids(everyone) == [[soon_visit["id"]], [later_visit["id"]], [only_past["id"]]]
    assert everyone["truncated"] is False
    assert found_ids(cut) == [[soon_visit["id"]], [later_visit["id"]]] and cut["truncated"] is True


async def test_deleted_appointments_are_left_out_unless_asked_for(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    patient = build.patient(last_name=unique("Удалённый"))
    kept = await build.book(doctor["id"], day, "10:00", patient=patient)
    deleted = await build.book(doctor["id"], day, "11:00", patient=patient)
    response = await build.edit("DELETE", f"/appointments/{deleted['id']}", headers=build.headers)
    assert response.status_code == 204, response.text

    default = await search(build, patient["last_name"])
    with_trash = await search(build, patient["last_name"], include_deleted="true")

    assert found_ids(default) == [[kept["id"]]]
    [everything] = with_trash["patients"]
    assert [(v["id"], v["deleted"]) for v in everything["upcoming"]] == [(kept["id"], False), (deleted["id"], True)]


@pytest.mark.parametrize("q", ["И", "  и ", "12", "--"])
async def test_a_query_too_short_to_search_is_refused_naming_q(build: Any, q: str) -> None:
    response = await build.client.get(f"{API}{SEARCH}", params={"q": q}, headers=build.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "q"


async def test_reading_the_calendar_is_enough_and_needed(build: Any, module_platform: Any, reader: Any) -> None:
    allowed = await build.client.get(f"{API}{SEARCH}", params={"q": "Петров"}, headers=reader)
    nobody = await module_platform.headers_with([])
    refused = await build.client.get(f"{API}{SEARCH}", params={"q": "Петров"}, headers=nobody)
    assert allowed.status_code == 200 and refused.status_code == 403
