"""A provider that accepts a message but answers after the notifier gave up: the patient gets
one SMS. SMSC (and the in-process fake) is asked on the retry whether it has the message; a
provider that cannot be asked leaves the message `unknown` rather than texting twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import notifier_builders as build
import pytest
import respx
from notifier_builders import ANY_VERSION, T0
from notifier_harness import API, Notifier
from notifier_smsc_server import running_fake_smsc

from clinic_shared.http import make_client
from notifier.fake_sms import FakeSmsc

IMOBIS_SEND = "https://imobis.test/v3/message/sendSMS"


async def _reminder_due_now(notifier: Notifier) -> None:
    """A two-hours-before SMS reminder, planned yesterday and due at T0."""
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    person = build.patient()
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + timedelta(hours=2))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    notifier.clock.set(T0)


async def _use_sms_provider(notifier: Notifier, body: dict[str, object]) -> None:
    response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
    assert response.status_code == 200, response.text


@pytest.fixture
def settings_overrides(settings_overrides: dict[str, Any]) -> dict[str, Any]:
    """The fake SMSC of these tests listens on 127.0.0.1: the operator allows private targets."""
    return {**settings_overrides, "outbound_allow_private": True}


@pytest.fixture
async def impatient_http(notifier: Notifier) -> AsyncIterator[None]:
    """The notifier's provider client, with a timeout short enough for a test to outlast."""
    async with notifier.sending_through(make_client(timeout=0.5, retries=0)):
        yield


async def test_a_reminder_whose_answer_the_fake_provider_lost_is_sent_once(notifier: Notifier) -> None:
    await _reminder_due_now(notifier)
    assert notifier.context.fake_sms is not None
    notifier.context.fake_sms.lose_next_answers(1)

    await notifier.tick()
    [waiting] = await notifier.messages()
    notifier.clock.advance(timedelta(minutes=5))
    await notifier.tick()

    [message] = await notifier.messages()
    assert (waiting["status"], message["status"], message["attempts"]) == ("queued", "sent", 2)
    assert len(await notifier.fake_sms()) == 1


async def test_smsc_answering_after_the_timeout_sends_the_reminder_once(
    notifier: Notifier, impatient_http: None
) -> None:
    fake = FakeSmsc(login="clinic", password="smsc-password")
    fake.answer_delays.append(2.0)  # accepted at once, answered long after the 0.5 s timeout
    with running_fake_smsc(fake) as base_url:
        await _use_sms_provider(
            notifier,
            {"sms_provider": "smsc", "smsc": {"base_url": base_url, "login": "clinic", "password": "smsc-password"}},
        )
        await _reminder_due_now(notifier)

        await notifier.tick()
        [waiting] = await notifier.messages()
        notifier.clock.advance(timedelta(minutes=5))
        await notifier.tick()

        [message] = await notifier.messages()
        assert (waiting["status"], "may have been accepted" in waiting["error"]) == ("queued", True)
        assert (message["status"], message["attempts"]) == ("sent", 2)
        assert [sms.phone for sms in fake.sent] == [message["recipient"]]


@respx.mock
async def test_a_provider_that_cannot_be_asked_leaves_a_lost_answer_unknown_and_does_not_resend(
    notifier: Notifier,
) -> None:
    respx.route(host="testserver").pass_through()
    send = respx.post(IMOBIS_SEND).mock(side_effect=httpx.ReadTimeout("accepted, but the answer is late"))
    await _use_sms_provider(
        notifier, {"sms_provider": "imobis", "imobis": {"base_url": "https://imobis.test/v3", "token": "tok"}}
    )
    await _reminder_due_now(notifier)

    await notifier.tick()
    notifier.clock.advance(timedelta(hours=1))
    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["attempts"]) == ("unknown", 1)
    assert "may have been accepted" in message["error"]
    assert send.call_count == 1
    assert [m["id"] for m in await notifier.messages(status="unknown")] == [message["id"]]


@respx.mock
async def test_staff_can_send_a_message_of_unknown_delivery_again(notifier: Notifier) -> None:
    respx.route(host="testserver").pass_through()
    send = respx.post(IMOBIS_SEND).mock(
        side_effect=[httpx.ReadTimeout("late"), httpx.Response(200, json={"result": "success", "id": "im-2"})]
    )
    await _use_sms_provider(
        notifier, {"sms_provider": "imobis", "imobis": {"base_url": "https://imobis.test/v3", "token": "tok"}}
    )
    await _reminder_due_now(notifier)
    await notifier.tick()
    [unknown] = await notifier.messages(status="unknown")

    response = await notifier.client.post(f"{API}/messages/{unknown['id']}/retry", headers=notifier.headers)
    await notifier.tick()

    assert response.status_code == 200, response.text
    [message] = await notifier.messages()
    assert (message["status"], message["provider_message_id"], send.call_count) == ("sent", "im-2", 2)
