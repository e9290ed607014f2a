"""Website bookings matched to cards (OND-4, SCH-13): name, birth date and phone, all three.

Exactly one card → the booking is linked to it; several, or a card sharing only part of the
data → it stays primary and is flagged for the receptionist; linking a card clears the flag.
Each test uses a phone and a birth date of its own: the module's tests share one database.
"""

from __future__ import annotations

import io
import logging
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import pytest_asyncio
from scheduling_test_builders import API

from clinic_shared.logging import configure_logging

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    return ["patients", "scheduling"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def widget(build: Any) -> dict[str, str]:
    """Headers of the website widget: an API key, no bearer token."""
    created = await build.post("/online/api-keys", {"label": "website"})
    return {"X-Api-Key": created["key"]}


def unique_phone() -> tuple[str, str]:
    """A mobile number no other test uses: (as typed on a card, as stored)."""
    digits = f"{random.randrange(10**7):07d}"
    return f"+7 922 {digits}", f"7922{digits}"


def unique_birth_date() -> str:
    return (date(1940, 1, 1) + timedelta(days=random.randrange(20000))).isoformat()


async def card_known_to_scheduling(build: Any, doctor: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A card that scheduling already holds: a desk booking reads it from the patients service at
    once, where its event might still be on the way (the usual case: the patient came before)."""
    card = await build.card(**fields)
    await build.book(doctor["id"], build.day(1), "17:00", patient_id=card["id"])
    return card


async def book_online(build: Any, widget: dict[str, str], doctor: dict[str, Any], **patient: Any) -> dict[str, Any]:
    body = {"doctor_id": doctor["id"], "start": build.at(build.day(1), "10:00"), "patient": patient}
    response = await build.client.post(f"{API}/online/appointments", json=body, headers=widget)
    assert response.status_code == 201, response.text
    booked = response.json()
    assert "patient_id" not in booked and "card_match" not in booked  # the website learns nothing of cards
    return await build.get(f"/appointments/{booked['id']}")  # type: ignore[no-any-return]


async def test_a_booking_with_one_cards_name_birth_date_and_phone_is_linked_to_it(
    build: Any, widget: dict[str, str]
) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, digits = unique_phone()
    birth_date = unique_birth_date()
    card = await card_known_to_scheduling(
        build,
        doctor,
        last_name="Семёнова",
        first_name="Алёна",
        middle_name="Петровна",
        birth_date=birth_date,
        mobile_phone=phone,
    )

    appointment = await book_online(
        build,
        widget,
        doctor,
        last_name="СЕМЕНОВА",
        first_name="алена",
        middle_name="Петровна",
        birth_date=birth_date,
        mobile_phone=f"8 (922) {digits[4:7]}-{digits[7:9]}-{digits[9:]}",
    )

    assert appointment["patient_id"] == card["id"] and appointment["card_number"] == card["card_number"]
    assert appointment["is_primary"] is False and appointment["marks"]["primary"] is False
    assert (appointment["last_name"], appointment["first_name"]) == ("Семёнова", "Алёна")
    assert appointment["record_type_code"] == "online"
    assert (appointment["needs_card_review"], appointment["card_match"]) == (False, None)
    history = (await build.get(f"/appointments/{appointment['id']}/history"))["items"]
    assert [(entry["action"], entry["username"]) for entry in history] == [("created", "online"), ("linked", "online")]
    assert {"field": "patient_id", "from": None, "to": card["id"]} in history[1]["changes"]


async def test_two_cards_matching_exactly_leave_the_booking_primary_and_flagged_ambiguous(
    build: Any, widget: dict[str, str]
) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, _ = unique_phone()
    patient = {"last_name": "Громов", "first_name": "Олег", "birth_date": unique_birth_date(), "mobile_phone": phone}
    await card_known_to_scheduling(build, doctor, **patient, middle_name=None)
    await build.book(
        doctor["id"], build.day(1), "16:00", patient_id=(await build.card(**patient, middle_name=None))["id"]
    )

    appointment = await book_online(build, widget, doctor, **patient)

    assert appointment["patient_id"] is None and appointment["is_primary"] is True
    assert (appointment["needs_card_review"], appointment["card_match"]) == (True, "ambiguous")


async def test_a_card_with_the_name_and_birth_date_but_another_phone_flags_the_booking_partial(
    build: Any, widget: dict[str, str]
) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    (card_phone, _), (typed_phone, _) = unique_phone(), unique_phone()
    birth_date = unique_birth_date()
    await card_known_to_scheduling(
        build,
        doctor,
        last_name="Белова",
        first_name="Ирина",
        middle_name=None,
        birth_date=birth_date,
        mobile_phone=card_phone,
    )

    appointment = await book_online(
        build, widget, doctor, last_name="Белова", first_name="Ирина", birth_date=birth_date, mobile_phone=typed_phone
    )

    assert appointment["patient_id"] is None
    assert (appointment["needs_card_review"], appointment["card_match"]) == (True, "partial")


async def test_the_phone_of_a_card_of_another_name_flags_the_booking_partial(
    build: Any, widget: dict[str, str]
) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, _ = unique_phone()
    await card_known_to_scheduling(
        build, doctor, last_name="Котова", first_name="Вера", birth_date=unique_birth_date(), mobile_phone=phone
    )

    appointment = await book_online(
        build, widget, doctor, last_name="Котов", first_name="Илья", birth_date=unique_birth_date(), mobile_phone=phone
    )

    assert appointment["patient_id"] is None
    assert (appointment["needs_card_review"], appointment["card_match"]) == (True, "partial")


async def test_a_booking_like_no_card_stays_primary_and_unflagged(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, _ = unique_phone()

    appointment = await book_online(
        build,
        widget,
        doctor,
        last_name="Новикова",
        first_name="Яна",
        birth_date=unique_birth_date(),
        mobile_phone=phone,
    )

    assert appointment["patient_id"] is None and appointment["is_primary"] is True
    assert (appointment["needs_card_review"], appointment["card_match"]) == (False, None)


async def test_linking_a_card_clears_the_flag(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, _ = unique_phone()
    birth_date = unique_birth_date()
    card = await card_known_to_scheduling(
        build,
        doctor,
        last_name="Лебедев",
        first_name="Антон",
        middle_name=None,
        birth_date=birth_date,
        mobile_phone=unique_phone()[0],
    )
    flagged = await book_online(
        build, widget, doctor, last_name="Лебедев", first_name="Антон", birth_date=birth_date, mobile_phone=phone
    )
    assert flagged["card_match"] == "partial"

    linked = await build.post(f"/appointments/{flagged['id']}/link-card", {"patient_id": card["id"]}, expect=200)

    assert linked["patient_id"] == card["id"]
    assert (linked["needs_card_review"], linked["card_match"]) == (False, None)


async def test_the_search_grid_finds_the_bookings_waiting_for_a_card(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, _ = unique_phone()
    await card_known_to_scheduling(
        build, doctor, last_name="Зайцева", first_name="Ольга", birth_date=unique_birth_date(), mobile_phone=phone
    )
    flagged = await book_online(
        build,
        widget,
        doctor,
        last_name="Зайцев",
        first_name="Денис",
        birth_date=unique_birth_date(),
        mobile_phone=phone,
    )

    waiting = await build.get("/appointments", doctor_id=doctor["id"], needs_card_review="true")
    others = await build.get("/appointments", doctor_id=doctor["id"], needs_card_review="false")

    assert [item["id"] for item in waiting["items"]] == [flagged["id"]]
    assert flagged["id"] not in {item["id"] for item in others["items"]} and others["total"] == 1


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    configure_logging("DEBUG", "json")
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_clinic", False))
    handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    configure_logging("WARNING", "json")


async def test_matching_logs_no_personal_data(build: Any, widget: dict[str, str], captured_logs: io.StringIO) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    phone, digits = unique_phone()
    birth_date = unique_birth_date()
    patient = {"last_name": "Шервашидзе", "first_name": "Евлампия", "birth_date": birth_date, "mobile_phone": phone}
    await card_known_to_scheduling(build, doctor, **patient, middle_name=None)

    linked = await book_online(build, widget, doctor, **patient)

    assert linked["patient_id"] is not None
    logs = captured_logs.getvalue()
    assert '"event": "scheduling.online.card_match"' in logs and '"outcome": "linked"' in logs
    assert [secret for secret in ("Шервашидзе", "Евлампия", birth_date, digits[1:]) if secret in logs] == []
