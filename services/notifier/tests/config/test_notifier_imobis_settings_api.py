"""NOT-9 settings: Imobis's chat-bot channels and the e-mail «Токен» (an access token or a client
certificate), kept server-side, shown masked, refused with the field named when unusable."""

from __future__ import annotations

from typing import Any

import pytest
from notifier_builders import ANY_VERSION
from notifier_certificates import TestAuthority

from clinic_shared.testing.platform import Platform

API = "/api/notifier/settings"
IMOBIS_TOKEN = "imobis-chat-token-8c1f"
OAUTH_TOKEN = "ya29.a0AfB_byC-oauth-access-token"
CHANNELS = [
    {"channel": "viber", "sender": "Здоровье"},
    {"channel": "vk", "group_id": 5965316},
    {"channel": "telegram", "enabled": False},
]


async def put(platform: Platform, body: dict[str, Any]) -> Any:
    return await platform.client.put(API, json=body, headers={**platform.admin_headers, **ANY_VERSION})


async def test_chat_bot_channels_round_trip_and_the_token_stays_hidden(platform: Platform) -> None:
    saved = await put(
        platform,
        {
            "sms_provider": "imobis",
            "imobis": {"token": IMOBIS_TOKEN, "channels": CHANNELS, "sms_fallback": False, "ttl_seconds": 900},
        },
    )
    assert saved.status_code == 200, saved.text

    body = (await platform.client.get(API, headers=platform.admin_headers)).json()
    assert body["imobis"] == {
        "base_url": "https://api.imobis.ru/v3",
        "token_set": True,
        "channels": [
            {"channel": "viber", "enabled": True, "sender": "Здоровье", "group_id": None},
            {"channel": "vk", "enabled": True, "sender": "", "group_id": 5965316},
            {"channel": "telegram", "enabled": False, "sender": "", "group_id": None},
        ],
        "sms_fallback": False,
        "ttl_seconds": 900,
    }
    assert IMOBIS_TOKEN not in saved.text


async def test_omitted_channels_are_kept_and_an_empty_list_means_sms_only(platform: Platform) -> None:
    await put(platform, {"imobis": {"token": IMOBIS_TOKEN, "channels": CHANNELS}})

    kept = await put(platform, {"imobis": {"ttl_seconds": 120}})
    cleared = await put(platform, {"imobis": {"channels": []}})

    assert [c["channel"] for c in kept.json()["imobis"]["channels"]] == ["viber", "vk", "telegram"]
    assert cleared.json()["imobis"]["channels"] == []
    assert cleared.json()["imobis"]["token_set"] is True and cleared.json()["imobis"]["ttl_seconds"] == 120


@pytest.mark.parametrize(
    ("imobis", "field"),
    [
        ({"channels": [{"channel": "viber"}, {"channel": "viber"}]}, "imobis.channels.1.channel"),
        ({"channels": [{"channel": "vk"}]}, "imobis.channels.0.group_id"),
        ({"channels": [{"channel": "viber", "group_id": 12}]}, "imobis.channels.0.group_id"),
        ({"channels": [{"channel": "vk", "group_id": 1, "sender": "Клиника"}]}, "imobis.channels.0.sender"),
        ({"channels": [{"channel": "whatsapp"}]}, "imobis.channels.0.channel"),
        ({"channels": [{"channel": "vk", "group_id": 0}]}, "imobis.channels.0.group_id"),
        ({"channels": [{"channel": c} for c in ("viber", "telegram", "viber", "telegram")]}, "imobis.channels"),
        ({"ttl_seconds": 10}, "imobis.ttl_seconds"),
        ({"sms_fallback": "sometimes"}, "imobis.sms_fallback"),
    ],
)
async def test_unusable_chat_bot_channels_are_refused_naming_the_field(
    platform: Platform, imobis: dict[str, Any], field: str
) -> None:
    response = await put(platform, {"imobis": imobis})

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_an_access_token_for_email_is_kept_masked_and_can_be_cleared(platform: Platform) -> None:
    saved = await put(platform, {"smtp": {"host": "smtp.yandex.ru", "login": "clinic@yandex.ru", "token": OAUTH_TOKEN}})
    assert saved.status_code == 200, saved.text
    shown = (await platform.client.get(API, headers=platform.admin_headers)).json()["smtp"]
    assert (shown["token_set"], shown["token_kind"], shown["certificate_expires_at"]) == (True, "oauth_token", None)
    assert OAUTH_TOKEN not in saved.text

    cleared = (await put(platform, {"smtp": {"token": ""}})).json()["smtp"]
    assert (cleared["token_set"], cleared["token_kind"]) == (False, None)


async def test_a_client_certificate_for_email_shows_only_its_kind_and_expiry(platform: Platform) -> None:
    client = TestAuthority.create().issue("clinic-mailer")

    saved = await put(platform, {"smtp": {"host": "smtp.example.org", "security": "ssl", "token": client.pem}})

    assert saved.status_code == 200, saved.text
    smtp = saved.json()["smtp"]
    assert (smtp["token_set"], smtp["token_kind"]) == (True, "certificate")
    assert smtp["certificate_expires_at"].startswith("2035-01-01")
    assert client.key_pem.splitlines()[1] not in saved.text
    assert client.certificate_pem.splitlines()[1] not in saved.text


async def test_an_unusable_email_token_is_refused_naming_the_field(platform: Platform) -> None:
    authority = TestAuthority.create()
    client, stranger = authority.issue("clinic-mailer"), authority.issue("someone-else")
    cases = [
        ({"token": "two words"}, "smtp.token"),
        ({"token": client.certificate_pem}, "smtp.token"),  # no key
        ({"token": client.certificate_pem + stranger.key_pem}, "smtp.token"),  # another's key
        (
            {"token": "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n" + client.key_pem},
            "smtp.token",
        ),
        ({"security": "none", "token": client.pem}, "smtp.token"),
        ({"token": "x" * 20_001}, "smtp.token"),
    ]
    for smtp, field in cases:
        response = await put(platform, {"smtp": smtp})
        assert response.status_code == 422, smtp
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert client.key_pem.splitlines()[1] not in response.text and "two words" not in response.text


async def test_plain_smtp_is_refused_while_a_client_certificate_is_stored(platform: Platform) -> None:
    client = TestAuthority.create().issue("clinic-mailer")
    assert (await put(platform, {"smtp": {"security": "ssl", "token": client.pem}})).status_code == 200

    response = await put(platform, {"smtp": {"security": "none"}})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["smtp.security"]
