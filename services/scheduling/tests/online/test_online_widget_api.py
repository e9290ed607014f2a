"""The public widget API through the gateway (SCH-13): X-Api-Key, no patient data, book, cancel."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")
PATIENT_FIELDS = {"patient", "patient_name", "last_name", "first_name", "mobile_phone", "phone", "birth_date", "email"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def widget(build: Any) -> dict[str, str]:
    """Headers of the website widget: an API key, no bearer token."""
    created = await build.post("/online/api-keys", {"label": "website"})
    return {"X-Api-Key": created["key"]}


def keys_of(value: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def online_booking(build: Any, doctor_id: str, clock: str = "10:00", **fields: Any) -> dict[str, Any]:
    patient = {"last_name": "Орлова", "first_name": "Мария", "mobile_phone": "+7 922 123-45-67"}
    return {"doctor_id": doctor_id, "start": build.at(build.day(1), clock), "patient": patient, **fields}


@pytest.mark.parametrize("path", ["/online/doctors", "/online/services", "/online/free-slots"])
async def test_the_widget_api_without_a_key_is_401(build: Any, path: str) -> None:
    response = await build.client.get(API + path)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_wrong_key_is_401_and_a_staff_token_is_not_a_key(build: Any) -> None:
    wrong = await build.client.get(f"{API}/online/doctors", headers={"X-Api-Key": "clk_nope"})
    staff = await build.client.get(f"{API}/online/doctors", headers=build.headers)
    assert wrong.status_code == 401 and staff.status_code == 401


async def test_only_online_doctors_are_listed_with_public_fields(build: Any, widget: dict[str, str]) -> None:
    building = await build.building(name="Корпус на Ленина")
    specialization = await build.item("specializations", name="Терапевт")
    online = await build.doctor(
        online_booking=True, building_id=building["id"], specialization_ids=[specialization["id"]]
    )
    offline = await build.doctor(online_booking=False)

    response = await build.client.get(f"{API}/online/doctors", headers=widget)

    assert response.status_code == 200
    listed = {d["id"]: d for d in response.json()["items"]}
    assert offline["id"] not in listed
    assert listed[online["id"]] == {
        "id": online["id"],
        "name": "Смирнова Анна Сергеевна",
        "specializations": [{"id": specialization["id"], "name": "Терапевт"}],
        "building_id": building["id"],
        "building": "Корпус на Ленина",
    }


async def test_services_show_quotes_with_the_general_discount(build: Any, widget: dict[str, str]) -> None:
    doctor, service = await build.doctor(online_booking=True), await build.service(name="Консультация")
    link = {
        "doctor_id": doctor["id"],
        "service_id": service["id"],
        "show_price": True,
        "price": "2000",
        "prepayment_required": True,
        "prepayment_amount": "500",
        "mode": "online_consultation",
    }
    await build.post("/online/links", link)
    await build.edit("PUT", "/online/settings", json={"general_discount_percent": "10"}, headers=build.headers)
    try:
        response = await build.client.get(f"{API}/online/services", headers=widget)
    finally:
        await build.edit("PUT", "/online/settings", json={"general_discount_percent": "0"}, headers=build.headers)

    [entry] = [s for s in response.json()["items"] if s["id"] == service["id"]]
    assert entry["modes"] == ["online_consultation"]
    [offer] = entry["offers"]
    assert offer["doctor_id"] == doctor["id"]
    assert offer["quote"]["full_price"] == "2000.00" and offer["quote"]["price"] == "1800.00"
    assert offer["quote"]["prepayment"] == "500.00" and offer["quote"]["due_at_clinic"] == "1300.00"


async def test_widget_free_slots_leave_out_doctors_not_booking_online(build: Any, widget: dict[str, str]) -> None:
    day = build.day(1)
    specialization = await build.item("specializations")
    online = await build.working_doctor(day, online_booking=True, specialization_ids=[specialization["id"]])
    await build.working_doctor(day, online_booking=False, specialization_ids=[specialization["id"]])

    response = await build.client.get(
        f"{API}/online/free-slots",
        params={"specialization_id": specialization["id"], "date_from": day.isoformat(), "date_to": day.isoformat()},
        headers=widget,
    )

    assert response.status_code == 200
    assert {s["doctor_id"] for s in response.json()["items"]} == {online["id"]}


async def test_listings_carry_no_patient_data(build: Any, widget: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    await build.book(doctor["id"], day, "11:00")
    documents = [
        (await build.client.get(f"{API}{path}", params=params, headers=widget)).json()
        for path, params in (
            ("/online/doctors", {}),
            ("/online/services", {}),
            ("/online/free-slots", {"doctor_id": doctor["id"]}),
        )
    ]
    assert all(not keys_of(document) & PATIENT_FIELDS for document in documents)
    assert "Петров" not in str(documents)


async def test_online_booking_is_201_with_record_type_online(build: Any, widget: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    service = await build.service(duration_minutes=45)
    await build.post(
        "/online/links", {"doctor_id": doctor["id"], "service_id": service["id"], "show_price": True, "price": "900"}
    )

    response = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"], service_id=service["id"]), headers=widget
    )

    assert response.status_code == 201, response.text
    booked = response.json()
    assert booked["doctor"]["id"] == doctor["id"] and booked["quote"]["price"] == "900.00"
    assert not keys_of(booked) & PATIENT_FIELDS
    staff_view = await build.get(f"/appointments/{booked['id']}")
    assert staff_view["record_type_code"] == "online" and staff_view["duration_minutes"] == 45
    assert staff_view["mobile_phone"] == "79221234567" and staff_view["number"] == booked["number"]


async def test_online_booking_of_taken_time_is_409(build: Any, widget: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    await build.book(doctor["id"], day, "10:00", 30)

    taken = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"]), headers=widget
    )
    outside = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"], "20:00"), headers=widget
    )

    assert taken.status_code == 409 and taken.json()["reason"] == "overlap"
    assert "conflicts" not in taken.json()
    assert outside.status_code == 409 and outside.json()["reason"] == "outside_working_hours"


async def test_the_widgets_409_says_the_slot_is_taken_and_nothing_of_the_other_appointment(
    build: Any, widget: dict[str, str]
) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    other = await build.book(doctor["id"], day, "10:00", 30, patient=build.patient(last_name="Скрытова"))

    public = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"], "10:15"), headers=widget
    )
    staff = await build.try_book(doctor["id"], day, "10:15", 30)

    assert public.status_code == 409
    body = public.json()
    assert set(body) <= {"type", "code", "title", "status", "detail", "instance", "reason"}
    assert body["reason"] == "overlap" and "taken" in body["detail"]
    # (its number is a short integer: the key set above already leaves it out)
    for secret in (other["id"], "Скрытова", other["mobile_phone"]):
        assert secret not in public.text
    # The front desk still learns which appointment is in the way.
    assert staff.status_code == 409 and staff.json()["conflicts"] == [other["id"]]


async def test_the_widgets_409_over_another_online_booking_names_nothing_either(
    build: Any, widget: dict[str, str]
) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day, online_booking=True)
    first = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"], "11:00"), headers=widget
    )
    assert first.status_code == 201, first.text

    again = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"], "11:00"), headers=widget
    )

    assert again.status_code == 409 and again.json()["reason"] == "overlap"
    assert first.json()["id"] not in again.text and "conflicts" not in again.json()


async def test_the_public_operations_declare_the_api_key_security_scheme(build: Any) -> None:
    response = await build.client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()

    schemes = document["components"]["securitySchemes"]
    [name] = [n for n, s in schemes.items() if s.get("type") == "apiKey" and s.get("name") == "X-Api-Key"]
    assert schemes[name]["in"] == "header"
    public = [
        (method, path, operation)
        for path, item in document["paths"].items()
        if path.startswith(f"{API}/online/")
        and not path.startswith((f"{API}/online/links", f"{API}/online/settings"))
        and not path.startswith(f"{API}/online/api-keys")
        for method, operation in item.items()
    ]
    assert {(m, p) for m, p, _ in public} == {
        ("get", f"{API}/online/doctors"),
        ("get", f"{API}/online/services"),
        ("get", f"{API}/online/free-slots"),
        ("post", f"{API}/online/appointments"),
        ("delete", f"{API}/online/appointments/{{appointment_id}}"),
    }
    for method, path, operation in public:
        assert {name: []} in operation.get("security", []), f"{method} {path}"


async def test_online_booking_of_a_doctor_not_booking_online_is_422(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=False)
    response = await build.client.post(
        f"{API}/online/appointments", json=online_booking(build, doctor["id"]), headers=widget
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "doctor_id"


async def test_online_booking_of_an_unlinked_service_is_422(build: Any, widget: dict[str, str]) -> None:
    doctor, service = await build.working_doctor(build.day(1), online_booking=True), await build.service()
    body = online_booking(build, doctor["id"], service_id=service["id"])
    response = await build.client.post(f"{API}/online/appointments", json=body, headers=widget)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "service_id"


async def test_cancel_with_the_booking_phone_moves_it_to_the_trash(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    booked = (
        await build.client.post(f"{API}/online/appointments", json=online_booking(build, doctor["id"]), headers=widget)
    ).json()

    response = await build.client.delete(
        f"{API}/online/appointments/{booked['id']}", params={"phone": "89221234567"}, headers=widget
    )

    assert response.status_code == 204
    assert (await build.get(f"/appointments/{booked['id']}"))["deleted"] is True


async def test_cancel_with_a_wrong_phone_is_404_and_keeps_the_booking(build: Any, widget: dict[str, str]) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    booked = (
        await build.client.post(f"{API}/online/appointments", json=online_booking(build, doctor["id"]), headers=widget)
    ).json()

    wrong = await build.client.delete(
        f"{API}/online/appointments/{booked['id']}", params={"phone": "+7 900 000-00-00"}, headers=widget
    )
    missing = await build.client.delete(f"{API}/online/appointments/{booked['id']}", headers=widget)

    assert wrong.status_code == 404 and missing.status_code == 404
    assert (await build.get(f"/appointments/{booked['id']}"))["deleted"] is False


async def test_a_front_desk_booking_cannot_be_cancelled_from_the_widget(build: Any, widget: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    response = await build.client.delete(
        f"{API}/online/appointments/{appointment['id']}", params={"phone": "8 (922) 999-99-99"}, headers=widget
    )
    assert response.status_code == 404


async def test_a_cancel_goes_through_when_a_reason_is_required_with_the_reserved_reason_and_the_patients_words(
    build: Any, widget: dict[str, str]
) -> None:
    doctor = await build.working_doctor(build.day(1), online_booking=True)
    booked = (
        await build.client.post(
            f"{API}/online/appointments", json=online_booking(build, doctor["id"], "12:00"), headers=widget
        )
    ).json()
    await build.edit("PUT", "/settings", json={"deletion_reason_required": True}, headers=build.headers)
    try:
        response = await build.client.delete(
            f"{API}/online/appointments/{booked['id']}",
            params={"phone": "89221234567", "comment": "Не смогу прийти"},
            headers=widget,
        )
    finally:
        await build.edit("PUT", "/settings", json={"deletion_reason_required": False}, headers=build.headers)

    assert response.status_code == 204, response.text
    trashed = await build.get(f"/appointments/{booked['id']}")
    assert trashed["deleted"] is True
    assert (trashed["deletion_reason"], trashed["deletion_comment"]) == (
        "Отменена пациентом на сайте",
        "Не смогу прийти",
    )


async def test_a_too_long_cancel_comment_is_422_naming_it(build: Any, widget: dict[str, str]) -> None:
    response = await build.client.delete(
        f"{API}/online/appointments/00000000-0000-0000-0000-000000000001",
        params={"phone": "89221234567", "comment": "x" * 501},
        headers=widget,
    )
    assert response.status_code == 422
    assert "comment" in response.text
