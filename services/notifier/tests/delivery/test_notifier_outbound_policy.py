"""Sending goes through the outbound address policy right before each connection: a provider
whose name resolves to a refused address by then (DNS rebinding: it resolved to a public address
when it was saved) fails the message with the policy's reason, and no connection is made."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import notifier_builders as build
import pytest
from notifier_builders import ANY_VERSION, T0
from notifier_harness import API, Notifier

from clinic_shared.testing.outbound import Listener, resolving_to


async def _save(notifier: Notifier, body: dict[str, Any]) -> None:
    response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
    assert response.status_code == 200, response.text


async def _reminder_due_now(notifier: Notifier, channel: str) -> None:
    """A two-hours-before reminder on `channel`, planned yesterday and due at T0."""
    notifier.clock.set(T0 - timedelta(days=1))
    subject = {"subject": "Напоминание о приёме"} if channel == "email" else {}
    body = build.schedule_body("minutes_before_appointment", minutes=120, channel=channel, **subject)
    await notifier.create_schedule(body)
    person = build.patient()
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + timedelta(hours=2))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    notifier.clock.set(T0)


async def test_an_sms_to_a_provider_resolving_to_loopback_fails_without_a_connection(
    notifier: Notifier, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "93.184.216.34")
    base_url = f"http://smsc-rebinding.example.test:{listener.port}"
    await _save(notifier, {"sms_provider": "smsc", "smsc": {"base_url": base_url, "login": "c", "password": "p"}})
    resolving_to(monkeypatch, "127.0.0.1")
    await _reminder_due_now(notifier, "sms")

    await notifier.tick()

    [message] = await notifier.messages()
    assert message["status"] == "failed" and message["attempts"] == 1
    assert message["error"].startswith("smsc: the provider's address was refused by the outbound address policy")
    assert "127.0.0.1, a loopback address" in message["error"]
    assert listener.connections == 0


async def test_an_email_to_an_smtp_host_resolving_to_loopback_fails_without_a_connection(
    notifier: Notifier, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "93.184.216.34")
    smtp = {"host": "mail-rebinding.example.test", "port": listener.port, "from_address": "clinic@example.org"}
    await _save(notifier, {"email_provider": "smtp", "smtp": {**smtp, "security": "none"}})
    resolving_to(monkeypatch, "127.0.0.1")
    await _reminder_due_now(notifier, "email")

    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["channel"]) == ("failed", "email")
    assert "smtp: the provider's address was refused by the outbound address policy" in message["error"]
    assert listener.connections == 0


async def test_the_in_process_smtp_sink_is_not_held_to_the_policy(notifier: Notifier) -> None:
    await _reminder_due_now(notifier, "email")  # email_provider "fake": the sink on 127.0.0.1

    await notifier.tick()

    [message] = await notifier.messages()
    assert message["status"] == "sent", message
