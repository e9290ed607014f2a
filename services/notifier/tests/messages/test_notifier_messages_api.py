"""GET /messages (NOT-5): the log, filtered, for staff with the right."""

from __future__ import annotations

from datetime import timedelta

import notifier_builders as build
from notifier_builders import T0
from notifier_harness import API, Notifier


async def test_the_log_is_filtered_by_status_and_patient(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    reached, unreachable = build.patient(), build.patient(mobile_phone=None)
    for patient in (reached, unreachable):
        await notifier.send("patient.created", patient, aggregate_id=patient.id)
        visit = build.appointment(patient_id=patient.id, start=T0 + timedelta(hours=1))
        await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    notifier.clock.set(T0)
    await notifier.tick()

    sent = await notifier.messages(status="sent")
    failed = await notifier.messages(status="failed", patient_id=unreachable.id)
    assert [(m["patient_id"], m["recipient"], m["provider"]) for m in sent] == [
        (str(reached.id), "79229999999", "fake")
    ]
    assert sent[0]["text"] == "Иван, ждём вас 15.03.2027 в 11:00, врач Петров П. П."
    assert sent[0]["sent_at"] is not None and sent[0]["provider_message_id"]
    assert [(m["error"], m["attempts"]) for m in failed] == [("the patient has no mobile phone", 1)]
    assert failed[0]["error_text"] == "У пациента не указан мобильный телефон"
    assert sent[0]["error"] is None and sent[0]["error_text"] is None
    assert await notifier.messages(status="failed", patient_id=reached.id) == []
    retry_sent = await notifier.client.post(f"{API}/messages/{sent[0]['id']}/retry", headers=notifier.headers)
    assert retry_sent.status_code == 409


async def test_a_deleted_patient_gets_no_more_messages(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.appointment(patient_id=patient.id, start=T0 + timedelta(hours=1))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    deleted = patient.model_copy(update={"deleted": True})
    await notifier.send("patient.deleted", deleted, aggregate_id=patient.id, version=2)
    notifier.clock.set(T0)
    await notifier.tick()

    assert await notifier.fake_sms() == []
    assert [(m["status"], m["error"], m["error_text"]) for m in await notifier.messages()] == [
        ("cancelled", "patient card deleted", "Карта пациента удалена")
    ]


async def test_the_log_needs_the_read_right(notifier: Notifier) -> None:
    outsider = await notifier.platform.headers_with(["notifier.schedules"])
    response = await notifier.client.get(f"{API}/messages", headers=outsider)
    assert response.status_code == 403
    assert "notifier.read" in response.json()["detail"]


async def test_an_unknown_status_filter_is_refused(notifier: Notifier) -> None:
    response = await notifier.client.get(f"{API}/messages", params={"status": "lost"}, headers=notifier.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
