"""Provider passwords at rest (NOT-1): the settings row in the database holds no secret in clear,
the notifier still signs in to its provider with what was saved, across restarts and key rotation."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import notifier_builders as build
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from notifier_builders import ANY_VERSION, T0
from notifier_harness import API, Notifier
from pydantic import SecretStr
from sqlalchemy import text

from clinic_shared.secretbox import SecretsKeyMissing, SecretUnreadable, generate_key, key_id, key_id_of
from clinic_shared.service import ServiceRuntime
from notifier.app import create_app
from notifier.config.schemas import NotifierConfig
from notifier.config.service import load_config
from notifier.fake_sms import FakeSmsc, create_fake_sms_app
from notifier.settings import NotifierSettings

SMSC_URL = "http://fake-smsc.test"
SMSC_PASSWORD = "smsc-pw-7f3a9c"
IMOBIS_TOKEN = "imobis-token-51be"
SMTP_PASSWORD = "smtp-pw-0d42e1"
SMTP_TOKEN = "smtp-oauth-token-93ad"  # the e-mail «Токен» (NOT-9)


async def save_provider_secrets(notifier: Notifier) -> None:
    response = await notifier.client.put(
        f"{API}/settings",
        json={
            "sms_provider": "smsc",
            "smsc": {"base_url": SMSC_URL, "login": "clinic", "password": SMSC_PASSWORD},
            "imobis": {"token": IMOBIS_TOKEN},
            "smtp": {"host": "smtp.example.org", "password": SMTP_PASSWORD, "token": SMTP_TOKEN},
        },
        headers={**notifier.headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text


async def stored_row(runtime: ServiceRuntime) -> str:
    """The settings row as a database dump shows it (plain SQL, no column types)."""
    async with runtime.db.engine.connect() as connection:
        return str((await connection.execute(text("SELECT data FROM notifier_settings"))).scalar_one())


def current_key(settings: NotifierSettings) -> str:
    """The key the running notifier encrypts with (configured, or embedded mode's key file)."""
    if settings.secrets_key is not None:
        return settings.secrets_key.get_secret_value()
    return (settings.data_dir / "keys" / "secrets.key").read_text().strip()


@pytest.fixture
async def fake_smsc(notifier: Notifier) -> AsyncIterator[FakeSmsc]:
    """An SMSC that accepts only login `clinic` with SMSC_PASSWORD, reached by the notifier's HTTP client."""
    fake = FakeSmsc(login="clinic", password=SMSC_PASSWORD)
    async with notifier.sending_through(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=create_fake_sms_app(fake)))
    ):
        yield fake


@pytest.fixture
def restart(notifier: Notifier) -> Callable[..., FastAPI]:
    """Another notifier process on the same database (start it with LifespanManager), optionally with other keys."""

    def make(**changes: Any) -> FastAPI:
        settings = notifier.context.settings.model_copy(update=changes)
        return create_app(settings, bus=notifier.platform.bus)

    return make


async def config_seen_by(app: FastAPI) -> NotifierConfig:
    async with app.state.runtime.db.read_session() as session:
        return await load_config(session, fakes=False)


async def test_the_settings_row_holds_no_provider_secret_in_clear(notifier: Notifier) -> None:
    await save_provider_secrets(notifier)

    stored = await stored_row(notifier.context.require_runtime())

    for secret in (SMSC_PASSWORD, IMOBIS_TOKEN, SMTP_PASSWORD, SMTP_TOKEN):
        assert secret not in stored
    assert key_id_of(stored) is not None


async def test_an_sms_goes_out_with_the_password_saved_through_the_api(notifier: Notifier, fake_smsc: FakeSmsc) -> None:
    await save_provider_secrets(notifier)
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    person = build.patient()
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + timedelta(hours=2))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    notifier.clock.set(T0)

    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["error"]) == ("sent", None)
    assert [m.phone for m in fake_smsc.sent] == [message["recipient"]]


async def test_saved_secrets_are_read_back_after_a_restart(notifier: Notifier, restart: Callable[..., FastAPI]) -> None:
    await save_provider_secrets(notifier)

    async with LifespanManager(app := restart()):
        config = await config_seen_by(app)

    assert (config.smsc.password, config.imobis.token, config.smtp.password, config.smtp.token) == (
        SMSC_PASSWORD,
        IMOBIS_TOKEN,
        SMTP_PASSWORD,
        SMTP_TOKEN,
    )


async def test_with_a_new_key_first_the_old_row_stays_readable(
    notifier: Notifier, restart: Callable[..., FastAPI]
) -> None:
    await save_provider_secrets(notifier)
    old_key = current_key(notifier.context.settings)

    async with LifespanManager(app := restart(secrets_key=SecretStr(f"{generate_key()},{old_key}"))):
        config = await config_seen_by(app)

    assert config.smsc.password == SMSC_PASSWORD


async def test_a_save_after_rotation_reencrypts_with_the_new_key(
    notifier: Notifier, restart: Callable[..., FastAPI], make_token: Callable[..., str]
) -> None:
    await save_provider_secrets(notifier)
    old_key, new_key = current_key(notifier.context.settings), generate_key()
    headers = {"Authorization": f"Bearer {make_token(['notifier.read', 'notifier.settings'])}"}

    async with LifespanManager(rotated := restart(secrets_key=SecretStr(f"{new_key},{old_key}"))):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=rotated), base_url="http://n") as client:
            response = await client.put("/settings", json={}, headers={**headers, **ANY_VERSION})
        stored = await stored_row(rotated.state.runtime)
    async with LifespanManager(new_only := restart(secrets_key=SecretStr(new_key))):
        config = await config_seen_by(new_only)

    assert response.status_code == 200, response.text
    assert key_id_of(stored) == key_id(base64.urlsafe_b64decode(new_key))
    assert config.smsc.password == SMSC_PASSWORD


async def test_a_key_that_cannot_read_the_row_keeps_the_secret_unreadable(
    notifier: Notifier, restart: Callable[..., FastAPI]
) -> None:
    await save_provider_secrets(notifier)

    async with LifespanManager(app := restart(secrets_key=SecretStr(generate_key()))):
        with pytest.raises(SecretUnreadable, match="does not hold"):
            await config_seen_by(app)


async def test_distributed_mode_without_a_key_refuses_to_start_naming_the_variable(
    settings_overrides: dict[str, Any],
) -> None:
    settings = NotifierSettings(
        **{**settings_overrides, "database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/none", "secrets_key": None}
    )

    with pytest.raises(SecretsKeyMissing, match="CLINIC_SECRETS_KEY"):
        async with LifespanManager(create_app(settings)):
            pass
