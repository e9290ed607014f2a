"""Birthdays, services, status changes, lab results, discount cards and ONDOC codes (NOT-3, NOT-8)."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, date, datetime, timedelta

import notifier_builders as build
from notifier_builders import T0
from notifier_harness import Notifier


def as_utc(instant: str) -> str:
    """An answer's instant (written in the clinic's zone) as UTC text, to compare with UTC literals."""
    return dt.datetime.fromisoformat(instant).astimezone(dt.UTC).isoformat()


async def test_a_29_february_birthday_is_greeted_on_28_february_in_a_common_year(notifier: Notifier) -> None:
    notifier.clock.set(datetime(2027, 2, 27, 6, 0, tzinfo=UTC))
    await notifier.create_schedule(build.schedule_body("days_before_birthday", days=0, send_time="12:00"))
    leapling = build.patient(birth_date=date(2000, 2, 29))
    other = build.patient(birth_date=date(1990, 3, 1), mobile_phone="+7 912 000-11-22")
    for patient in (leapling, other):
        await notifier.send("patient.created", patient, aggregate_id=patient.id)

    notifier.clock.set(datetime(2027, 2, 28, 9, 0, tzinfo=UTC))  # 12:00 Moscow on 28 February
    await notifier.tick()

    sms = await notifier.fake_sms()
    assert [(m["phone"], m["text"]) for m in sms] == [("79229999999", "Иван, с днём рождения! Клиника Здоровье")]
    [message] = await notifier.messages(patient_id=leapling.id)
    assert as_utc(message["due_at"]).startswith("2027-02-28T09:00:00")


async def test_a_birthday_greeting_is_sent_once_however_often_the_planner_runs(notifier: Notifier) -> None:
    notifier.clock.set(datetime(2027, 4, 11, 9, 0, tzinfo=UTC))
    await notifier.create_schedule(build.schedule_body("days_before_birthday", days=1, send_time="12:00"))
    patient = build.patient(birth_date=date(1985, 4, 12))
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    for _ in range(3):
        await notifier.tick()
        notifier.clock.advance(timedelta(minutes=30))

    assert len(await notifier.fake_sms()) == 1
    assert [m["status"] for m in await notifier.messages(patient_id=patient.id)] == ["sent"]


async def test_patients_who_had_the_services_get_the_message_days_after(notifier: Notifier) -> None:
    service = uuid.uuid4()
    notifier.clock.set(datetime(2027, 3, 1, 5, 0, tzinfo=UTC))
    await notifier.create_schedule(
        build.schedule_body(
            "after_services",
            service_ids=[str(service)],
            days_after=14,
            send_time="13:00",
            template="%Name1%, как вы себя чувствуете после приёма %Date%?",
        )
    )
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    had_it = build.appointment(
        patient_id=patient.id, start=datetime(2027, 3, 1, 6, 0, tzinfo=UTC), service_ids=[service]
    )
    other = build.appointment(
        patient_id=patient.id, start=datetime(2027, 3, 1, 7, 0, tzinfo=UTC), service_ids=[uuid.uuid4()]
    )
    for visit in (had_it, other):
        await notifier.send("appointment.created", visit, aggregate_id=visit.id)

    notifier.clock.set(datetime(2027, 3, 15, 10, 0, tzinfo=UTC))  # 13:00 Moscow, 14 days later
    await notifier.tick()

    assert [m["text"] for m in await notifier.fake_sms()] == ["Иван, как вы себя чувствуете после приёма 01.03.2027?"]


async def test_a_status_change_triggers_the_message_minutes_later(notifier: Notifier) -> None:
    done = uuid.uuid4()
    notifier.clock.set(T0)
    await notifier.create_schedule(
        build.schedule_body("after_status_change", minutes=180, status_id=str(done), template="%Name1%, оцените приём")
    )
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.appointment(patient_id=patient.id, start=T0 - timedelta(hours=1))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    finished = visit.model_copy(update={"status_id": done, "status_changed_at": T0})
    await notifier.send("appointment.status_changed", finished, aggregate_id=visit.id, version=2)

    notifier.clock.set(T0 + timedelta(hours=3) - timedelta(seconds=1))
    await notifier.tick()
    assert await notifier.fake_sms() == []
    notifier.clock.set(T0 + timedelta(hours=3))
    await notifier.tick()
    assert [m["text"] for m in await notifier.fake_sms()] == ["Иван, оцените приём"]


async def test_lab_results_message_waits_for_all_results_of_the_visit_when_asked(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("lab_result_ready", minutes_after=0, only_when_all_done=True))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    first_lab, second_lab = uuid.uuid4(), uuid.uuid4()
    await notifier.send("lab_result.ready", build.lab_result(patient.id, order_id=first_lab), aggregate_id=first_lab)
    done = build.lab_result(patient.id, order_id=first_lab, all_done=True)
    await notifier.send("lab_result.ready", done, aggregate_id=first_lab, version=2)  # one lab of two is done
    await notifier.tick()
    assert await notifier.fake_sms() == []

    visit = build.visit_results(patient.id, order_ids=[first_lab, second_lab])
    await notifier.send("lab_visit.results_ready", visit, aggregate_id=visit.visit_id, version=2)
    await notifier.send("lab_visit.results_ready", visit, aggregate_id=visit.visit_id, version=2)  # redelivered
    await notifier.tick()

    assert [m["text"] for m in await notifier.fake_sms()] == ["Иван, ваши анализы готовы."]


async def test_the_same_visit_news_published_twice_sends_one_message(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("lab_result_ready", minutes_after=0, only_when_all_done=True))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.visit_results(patient.id)
    for _ in range(2):  # two envelopes (new event ids) with the same news: the occasion is the visit's
        await notifier.send("lab_visit.results_ready", visit, aggregate_id=visit.visit_id, version=2)
    await notifier.tick()

    assert len(await notifier.fake_sms()) == 1
    [message] = await notifier.messages(patient_id=patient.id)
    assert message["status"] == "sent"


async def test_orders_added_to_a_visit_later_bring_a_second_message(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("lab_result_ready", minutes_after=0, only_when_all_done=True))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    first = build.visit_results(patient.id)
    second = first.model_copy(update={"round": 2, "order_ids": [*first.order_ids, uuid.uuid4()]})
    await notifier.send("lab_visit.results_ready", first, aggregate_id=first.visit_id, version=2)
    await notifier.send("lab_visit.results_ready", second, aggregate_id=first.visit_id, version=3)
    await notifier.tick()

    assert len(await notifier.fake_sms()) == 2


async def test_without_waiting_for_the_visit_each_completed_order_sends_one_message(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("lab_result_ready", minutes_after=0))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    order = uuid.uuid4()
    for version, test_id in enumerate((uuid.uuid4(), uuid.uuid4()), start=1):
        result = build.lab_result(patient.id, order_id=order, test_id=test_id)
        await notifier.send("lab_result.ready", result, aggregate_id=order, version=version)
    await notifier.tick()
    assert await notifier.fake_sms() == []  # a test's result is not «Выполнено» for the study

    done = build.lab_result(patient.id, order_id=order, test_id=None, all_done=True)
    await notifier.send("lab_result.ready", done, aggregate_id=order, version=3)
    visit = build.visit_results(patient.id, order_ids=[order])
    await notifier.send("lab_visit.results_ready", visit, aggregate_id=visit.visit_id, version=2)
    await notifier.tick()

    assert [m["text"] for m in await notifier.fake_sms()] == ["Иван, ваши анализы готовы."]


async def test_a_new_discount_card_is_announced_with_its_number_and_percent(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("discount_card_issued", minutes_after=10))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    card = build.discount_card(patient.id, issued_at=T0)
    await notifier.send("discount_card.issued", card, aggregate_id=card.id)
    notifier.clock.set(T0 + timedelta(minutes=10))
    await notifier.tick()

    assert [m["text"] for m in await notifier.fake_sms()] == ["Иван, ваша карта 00000042 даёт скидку 5%."]


async def test_the_ondoc_code_falls_back_to_email_when_the_patient_has_no_mobile(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    patient = build.patient(mobile_phone=None)
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    await notifier.send("ondoc.attach_code_issued", build.attach_code(patient.id), aggregate_id=patient.id)
    await notifier.tick()

    [mail] = await notifier.fake_emails()
    assert mail["to"] == ["ivanov@example.org"]
    assert "123456789" in mail["text"]
    outcomes = sorted((m["channel"], m["status"], m["error"]) for m in await notifier.messages(patient_id=patient.id))
    assert outcomes == [("email", "sent", None), ("sms", "failed", "the patient has no mobile phone")]


async def test_the_ondoc_code_goes_by_sms_first_when_mobile_is_preferred(notifier: Notifier) -> None:
    notifier.clock.set(T0)
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    await notifier.send("ondoc.attach_code_issued", build.attach_code(patient.id), aggregate_id=patient.id)
    await notifier.tick()

    assert [m["text"] for m in await notifier.fake_sms()] == [
        "Код для привязки медицинской карты в ONDOC: 123456789. Клиника Здоровье"
    ]
    assert await notifier.fake_emails() == []
