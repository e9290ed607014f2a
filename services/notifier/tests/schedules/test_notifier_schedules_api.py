"""/schedules, /template-parameters and the preview (NOT-2 … NOT-4)."""

from __future__ import annotations

import re
from datetime import timedelta

import notifier_builders as build
from notifier_builders import T0
from notifier_harness import API, Notifier


async def test_a_schedule_is_created_read_changed_and_deleted(notifier: Notifier) -> None:
    created = await notifier.create_schedule(build.schedule_body("days_before_appointment", days=2, send_time="13:00"))
    url = f"{API}/schedules/{created['id']}"
    assert created["days"] == 2 and created["send_time"] == "13:00" and "minutes" not in created

    patched = await notifier.client.patch(url, json={"days": 1, "name": "За день"}, headers=notifier.headers)
    listed = await notifier.client.get(
        f"{API}/schedules", params={"type": "days_before_appointment"}, headers=notifier.headers
    )
    deleted = await notifier.client.delete(url, headers=notifier.headers)
    gone = await notifier.client.get(url, headers=notifier.headers)

    assert (patched.json()["days"], patched.json()["send_time"], patched.json()["name"]) == (1, "13:00", "За день")
    assert listed.json()["total"] == 1 and listed.json()["items"][0]["id"] == created["id"]
    assert deleted.status_code == 204
    assert gone.status_code == 404


async def test_several_enabled_schedules_of_one_type_are_allowed(notifier: Notifier) -> None:
    for days in (1, 3):
        await notifier.create_schedule(build.schedule_body("days_before_appointment", days=days))
    response = await notifier.client.get(f"{API}/schedules", params={"enabled": "true"}, headers=notifier.headers)
    assert response.json()["total"] == 2


async def test_parameters_of_another_type_are_refused_naming_the_field(notifier: Notifier) -> None:
    body = build.schedule_body("days_before_appointment", minutes=30)
    response = await notifier.client.post(f"{API}/schedules", json=body, headers=notifier.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "minutes",
            "code": "not_a_parameter",
            "message": "is not a parameter of days_before_appointment schedules",
        }
    ]


async def test_changing_the_type_requires_the_new_types_parameters(notifier: Notifier) -> None:
    created = await notifier.create_schedule(build.schedule_body("days_before_appointment"))
    response = await notifier.client.patch(
        f"{API}/schedules/{created['id']}", json={"type": "minutes_before_appointment"}, headers=notifier.headers
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["minutes"]


async def test_an_unknown_template_parameter_is_refused(notifier: Notifier) -> None:
    body = build.schedule_body("days_before_appointment", template="%Name1%, ждём вас %Dat%")
    response = await notifier.client.post(f"{API}/schedules", json=body, headers=notifier.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "template", "code": "unknown_parameter", "message": "unknown parameter %Dat%"}
    ]


async def test_a_parameter_the_type_cannot_fill_is_refused(notifier: Notifier) -> None:
    body = build.schedule_body("days_before_birthday", template="%Name1%, ваш врач %Doctor% поздравляет!")
    response = await notifier.client.post(f"{API}/schedules", json=body, headers=notifier.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "template"
    assert "%Doctor%" in response.json()["errors"][0]["message"]


async def test_an_email_schedule_needs_a_subject(notifier: Notifier) -> None:
    body = build.schedule_body("days_before_appointment", channel="email")
    response = await notifier.client.post(f"{API}/schedules", json=body, headers=notifier.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "subject", "code": "required_for_email", "message": "is required for email schedules"}
    ]


async def test_editing_schedules_needs_the_schedules_right(notifier: Notifier) -> None:
    reader = await notifier.platform.headers_with(["notifier.read"])
    response = await notifier.client.post(f"{API}/schedules", json=build.schedule_body(), headers=reader)
    assert response.status_code == 403
    assert (await notifier.client.get(f"{API}/schedules", headers=reader)).status_code == 200


async def test_template_parameters_are_listed_with_the_types_that_fill_them(notifier: Notifier) -> None:
    response = await notifier.client.get(f"{API}/template-parameters", headers=notifier.headers)
    parameters = {p["name"]: p for p in response.json()["items"]}
    assert {
        "Name1",
        "Name2",
        "Name3",
        "Date",
        "Time",
        "Doctor",
        "Cabinet",
        "Building",
        "Address",
        "DiscountCard",
        "Code",
        "ClinicPhone",
    } <= parameters.keys()
    assert parameters["Name1"]["token"] == "%Name1%"
    assert "days_before_birthday" not in parameters["Doctor"]["provided_by"]
    assert parameters["DiscountCard"]["provided_by"] == ["discount_card_issued"]


async def test_template_parameters_are_described_in_russian(notifier: Notifier) -> None:
    response = await notifier.client.get(f"{API}/template-parameters", headers=notifier.headers)
    descriptions = {p["name"]: p["description"] for p in response.json()["items"]}
    assert descriptions["Name1"] == "Имя пациента"
    assert descriptions["Code"] == "Код привязки к ONDOC"
    assert all(not re.search("[A-Za-z]{3,}", text.replace("ONDOC", "")) for text in descriptions.values()), descriptions


async def test_preview_renders_a_real_appointment_and_counts_sms_parts(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    schedule = await notifier.create_schedule(
        build.schedule_body("days_before_appointment", template="%Name1%, ждём вас %Date% в %Time% 🎉 (%Weekday%)")
    )
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.appointment(patient_id=patient.id)
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    response = await notifier.client.post(
        f"{API}/schedules/{schedule['id']}/preview", json={"appointment_id": str(visit.id)}, headers=notifier.headers
    )

    body = response.json()
    assert response.status_code == 200, response.text
    assert body["text"] == "Иван, ждём вас 16.03.2027 в 12:00 🎉 (вторник)"
    assert (body["encoding"], body["characters"], body["length"], body["segments"]) == ("UCS-2", 45, 46, 1)


async def test_preview_with_sample_values_accepts_overrides(notifier: Notifier) -> None:
    schedule = await notifier.create_schedule(build.schedule_body("days_before_appointment", template="Hello %Name1%"))
    url = f"{API}/schedules/{schedule['id']}/preview"
    response = await notifier.client.post(url, json={"sample": {"name1": "Anna"}}, headers=notifier.headers)
    unknown = await notifier.client.post(url, json={"sample": {"Foo": "x"}}, headers=notifier.headers)
    missing = await notifier.client.post(
        url, json={"appointment_id": "00000000-0000-4000-8000-000000000000"}, headers=notifier.headers
    )

    assert (response.json()["text"], response.json()["encoding"], response.json()["segments"]) == (
        "Hello Anna",
        "GSM-7",
        1,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sample.Foo"
    assert missing.status_code == 404
