"""Imobis's chat-bot channels (NOT-9): the route the adapter asks for, against the Imobis protocol
(respx), and through the in-process fake Imobis the notifier runs in embedded mode."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import notifier_builders as build
import pytest
import respx
from notifier_builders import ANY_VERSION, T0
from notifier_harness import API, Notifier

from notifier.config.schemas import ImobisChannelConfig
from notifier.delivery.base import PermanentError, TransientError
from notifier.delivery.imobis import ImobisProvider
from notifier.fake_imobis import FakeImobis

HYBRID = "https://imobis.test/v3/message/send"
SMS = "https://imobis.test/v3/message/sendSMS"
VIBER = ImobisChannelConfig(channel="viber", sender="Здоровье")
VK = ImobisChannelConfig(channel="vk", group_id=5965316)
TELEGRAM = ImobisChannelConfig(channel="telegram")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=2) as http:
        yield http


def imobis(client: httpx.AsyncClient, channels: list[ImobisChannelConfig], **options: Any) -> ImobisProvider:
    return ImobisProvider(
        client, base_url="https://imobis.test/v3", token="tok", sender="Clinic", channels=channels, **options
    )


def body_of(route: respx.Route) -> dict[str, Any]:
    return json.loads(route.calls.last.request.content)  # type: ignore[no-any-return]


# --- the adapter ---------------------------------------------------------------------------
@respx.mock
async def test_chat_bot_channels_go_as_one_route_with_sms_last(client: httpx.AsyncClient) -> None:
    route = respx.post(HYBRID).respond(json={"result": "success", "id": "im-7", "status": "accepted"})

    result = await imobis(client, [VIBER, VK], ttl_seconds=900).send("79229999999", "Анализы готовы", key="k1")

    assert (result.id, result.route) == ("im-7", "viber>vk>sms")
    assert route.calls.last.request.headers["Authorization"] == "Token tok"
    assert body_of(route) == {
        "ttl": 900,
        "route": [
            {
                "channel": "viber",
                "phone": "79229999999",
                "text": "Анализы готовы",
                "sender": "Здоровье",
                "custom_id": "k1",
            },
            {"channel": "vk", "phone": "79229999999", "text": "Анализы готовы", "group": 5965316, "custom_id": "k1"},
            {"channel": "sms", "phone": "79229999999", "text": "Анализы готовы", "sender": "Clinic", "custom_id": "k1"},
        ],
    }


@respx.mock
async def test_without_chat_bot_channels_it_is_a_plain_sms(client: httpx.AsyncClient) -> None:
    route = respx.post(SMS).respond(json={"result": "success", "id": "im-8"})
    disabled = ImobisChannelConfig(channel="viber", enabled=False)

    result = await imobis(client, [disabled]).send("79229999999", "Привет")

    assert (result.id, result.route, result.parts) == ("im-8", None, 1)
    assert body_of(route) == {"sender": "Clinic", "phone": "79229999999", "text": "Привет"}


@respx.mock
async def test_telegram_carries_only_a_code(client: httpx.AsyncClient) -> None:
    route = respx.post(HYBRID).respond(json={"result": "success", "id": "im-9"})
    provider = imobis(client, [TELEGRAM, VIBER])

    ordinary = await provider.send("79229999999", "Ждём вас завтра")
    code = await provider.send("79229999999", "Код для привязки: 123456789", code="123456789")

    assert (ordinary.route, code.route) == ("viber>sms", "telegram>viber>sms")
    assert body_of(route)["route"][0] == {"channel": "telegram", "phone": "79229999999", "text": "123456789"}


@respx.mock
async def test_a_route_has_at_most_three_channels_with_sms_kept_last(client: httpx.AsyncClient) -> None:
    respx.post(HYBRID).respond(json={"result": "success", "id": "im-10"})

    result = await imobis(client, [TELEGRAM, VIBER, VK]).send("79229999999", "Код 123456789", code="123456789")

    assert result.route == "telegram>viber>sms"


@respx.mock
async def test_without_sms_fallback_the_messengers_alone_are_asked(client: httpx.AsyncClient) -> None:
    route = respx.post(HYBRID).respond(json={"result": "success", "id": "im-11"})

    result = await imobis(client, [VIBER, VK], sms_fallback=False).send("79229999999", "Привет")

    assert result.route == "viber>vk"
    assert [entry["channel"] for entry in body_of(route)["route"]] == ["viber", "vk"]


async def test_no_channel_for_the_message_fails_without_a_call(client: httpx.AsyncClient) -> None:
    with pytest.raises(PermanentError, match="no channel"):
        await imobis(client, [TELEGRAM], sms_fallback=False).send("79229999999", "Ждём вас завтра")


@respx.mock
async def test_a_refused_route_is_permanent_with_imobis_reasons(client: httpx.AsyncClient) -> None:
    respx.post(HYBRID).respond(400, json={"result": "error", "desc": {"route.0.sender": ["Invalid sender"]}})
    with pytest.raises(PermanentError, match="Invalid sender"):
        await imobis(client, [VIBER]).send("79229999999", "Привет")


@respx.mock
async def test_a_busy_imobis_is_transient(client: httpx.AsyncClient) -> None:
    respx.post(HYBRID).respond(json={"result": "error", "desc": "Превышен лимит, попробуйте позже"})
    with pytest.raises(TransientError):
        await imobis(client, [VIBER]).send("79229999999", "Привет")


# --- through the fake Imobis of embedded mode -----------------------------------------------
@pytest.fixture(autouse=True)
def embedded_fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Embedded mode's fakes: the notifier reaches the fake Imobis in-process (set before the
    platform starts, whatever order a test names its fixtures in)."""
    monkeypatch.setenv("CLINIC_NOTIFIER_FAKES", "true")


@pytest.fixture
async def fake_imobis(notifier: Notifier) -> FakeImobis:
    """The notifier sending SMS through Imobis (the fake, as embedded mode sets it up) with
    Viber first, then VK, then SMS."""
    response = await notifier.client.put(
        f"{API}/settings",
        json={
            "sms_provider": "imobis",
            "imobis": {"channels": [{"channel": "viber", "sender": "Здоровье"}, {"channel": "vk", "group_id": 42}]},
        },
        headers={**notifier.headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text
    assert response.json()["imobis"]["base_url"] == "http://imobis.fake/v3"
    assert notifier.context.fake_imobis is not None
    return notifier.context.fake_imobis


async def remind(notifier: Notifier, **patient: Any) -> None:
    """A reminder two hours before an appointment, due now."""
    notifier.clock.set(T0)
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    person = build.patient(**patient)
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + timedelta(hours=2))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    await notifier.tick()


async def fake_imobis_view(notifier: Notifier) -> list[dict[str, Any]]:
    response = await notifier.client.get(f"{API}/fake/imobis", headers=notifier.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_reminder_goes_by_viber_through_the_fake_imobis(notifier: Notifier, fake_imobis: FakeImobis) -> None:
    await remind(notifier)

    [received] = await fake_imobis_view(notifier)
    assert (received["route"], received["delivered_by"]) == (["viber", "vk", "sms"], "viber")
    assert (received["phone"], received["sender"]) == ("79229999999", "Здоровье")
    assert received["text"].startswith("Иван, ждём вас")
    [message] = await notifier.messages()
    assert (message["status"], message["provider"]) == ("sent", "imobis:viber>vk>sms")
    assert message["provider_message_id"] == received["id"]
    assert await notifier.fake_sms() == []  # not the plain fake SMS provider


async def test_a_patient_without_the_messengers_gets_the_sms(notifier: Notifier, fake_imobis: FakeImobis) -> None:
    fake_imobis.unreachable = {"viber": {"79229999999"}, "vk": {"79229999999"}}

    await remind(notifier)

    [received] = await fake_imobis_view(notifier)
    assert received["delivered_by"] == "sms"


async def test_a_refusal_by_imobis_is_recorded_as_failed(notifier: Notifier, fake_imobis: FakeImobis) -> None:
    fake_imobis.failures.append((200, "Invalid sender"))

    await remind(notifier)

    [message] = await notifier.messages()
    assert message["status"] == "failed"
    assert "Invalid sender" in message["error"]
    assert await fake_imobis_view(notifier) == []
    failed = await notifier.platform.wait_for_event(
        "notification.failed", lambda e: e.data["message_id"] == message["id"]
    )
    assert "Invalid sender" in failed.data["error"]


async def test_a_busy_imobis_is_tried_again_later(notifier: Notifier, fake_imobis: FakeImobis) -> None:
    fake_imobis.failures.append((503, "maintenance"))

    await remind(notifier)

    [message] = await notifier.messages()
    assert (message["status"], message["error"]) == ("queued", "Imobis: HTTP 503")


async def test_the_ondoc_code_goes_by_telegram_as_the_code_alone(notifier: Notifier, fake_imobis: FakeImobis) -> None:
    response = await notifier.client.put(
        f"{API}/settings",
        json={"imobis": {"channels": [{"channel": "telegram"}, {"channel": "viber", "sender": "Здоровье"}]}},
        headers={**notifier.headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text
    notifier.clock.set(T0)
    person = build.patient()
    await notifier.send("patient.created", person, aggregate_id=person.id)
    await notifier.send("ondoc.attach_code_issued", build.attach_code(person.id), aggregate_id=person.id)
    await notifier.tick()

    [received] = await fake_imobis_view(notifier)
    assert (received["route"], received["delivered_by"], received["text"]) == (
        ["telegram", "viber", "sms"],
        "telegram",
        "123456789",
    )
