"""ONDOC tokens and callback secrets at rest (OND-1): the settings row in the database holds them
only encrypted, and the bridge still signs in to ONDOC and checks callbacks with what was saved."""

from __future__ import annotations

from typing import Any

import pytest
from ondoc_testkit import FAKE, ONDOC, attach_patient, create_card, issue_code, links, needs_scheduling
from sqlalchemy import text

from clinic_shared.secretbox import key_id_of
from clinic_shared.service import ServiceRuntime
from clinic_shared.testing.platform import Platform
from ondoc_bridge.config.service import FAKE_BRANCH_TOKEN, FAKE_CALLBACK_SECRET, FAKE_COMPANY_TOKEN

SETTINGS = f"{ONDOC}/settings"
COMPANY_TOKEN = "company-token-8c1f2e"
BRANCH_TOKEN = "branch-token-4a9d70"
CALLBACK_SECRET = "callback-secret-e03b5d"


def bridge(platform: Platform) -> ServiceRuntime:
    return platform.app.state.embedded_apps["ondoc"].state.runtime  # type: ignore[no-any-return]


async def stored_row(platform: Platform) -> dict[str, Any]:
    """The settings row as a database dump shows it (plain SQL, no column types)."""
    async with bridge(platform).db.engine.connect() as connection:
        result = await connection.execute(
            text("SELECT company_token, branch_token, callback_secrets FROM ondoc_config")
        )
        return dict(result.mappings().one())


async def use_new_credentials(platform: Platform) -> None:
    """ONDOC issues new tokens and a new callback secret; the administrator saves them."""
    changed = await platform.client.post(
        f"{FAKE}/config",
        json={"company_token": COMPANY_TOKEN, "branch_token": BRANCH_TOKEN, "callback_secret": CALLBACK_SECRET},
        headers=platform.admin_headers,
    )
    assert changed.status_code == 200, changed.text
    saved = await platform.client.put(
        SETTINGS,
        json={"company_token": COMPANY_TOKEN, "branch_token": BRANCH_TOKEN, "callback_secrets": [CALLBACK_SECRET]},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert saved.status_code == 200, saved.text


async def test_the_seeded_fake_credentials_are_stored_encrypted(platform: Platform) -> None:
    row = await stored_row(platform)

    assert FAKE_COMPANY_TOKEN not in str(row) and FAKE_BRANCH_TOKEN not in str(row)
    assert FAKE_CALLBACK_SECRET not in str(row)
    assert all(key_id_of(value) is not None for value in row.values())


async def test_saved_tokens_and_callback_secrets_are_not_in_the_row_in_clear(platform: Platform) -> None:
    await use_new_credentials(platform)

    row = await stored_row(platform)

    for secret in (COMPANY_TOKEN, BRANCH_TOKEN, CALLBACK_SECRET):
        assert secret not in str(row)
    assert all(key_id_of(value) is not None for value in row.values())


async def test_cleared_tokens_are_stored_as_null(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS,
        json={"enabled": False, "company_token": "", "branch_token": ""},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200, response.text

    row = await stored_row(platform)

    assert (row["company_token"], row["branch_token"]) == (None, None)
    assert response.json()["company_token_set"] is False


class TestWithScheduling:
    @pytest.fixture
    def platform_services(self) -> list[str]:
        return ["scheduling", "ondoc"]

    @needs_scheduling
    async def test_sync_now_signs_in_to_ondoc_with_the_saved_tokens(self, platform: Platform) -> None:
        await use_new_credentials(platform)

        response = await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)

        assert response.status_code == 200, response.text
        assert {item["status"] for item in response.json()["items"]} == {"uploaded"}

    @needs_scheduling
    async def test_sync_with_tokens_ondoc_does_not_accept_is_refused(self, platform: Platform) -> None:
        await use_new_credentials(platform)
        await platform.client.post(
            f"{FAKE}/config", json={"company_token": "rotated-in-ondoc"}, headers=platform.admin_headers
        )

        response = await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)

        assert response.status_code == 502


class TestWithPatients:
    @pytest.fixture
    def platform_services(self) -> list[str]:
        return ["patients", "ondoc"]

    async def test_a_callback_signed_with_the_saved_secret_is_accepted(self, platform: Platform) -> None:
        await use_new_credentials(platform)

        card, ondoc_patient_id = await attach_patient(platform)

        assert [link["ondoc_patient_id"] for link in await links(platform, patient_id=card["id"])] == [ondoc_patient_id]

    async def test_a_callback_signed_with_another_secret_is_refused(self, platform: Platform) -> None:
        await use_new_credentials(platform)
        await platform.client.post(
            f"{FAKE}/config", json={"callback_secret": "not-the-saved-one"}, headers=platform.admin_headers
        )
        card = await create_card(platform)
        code = await issue_code(platform, card["id"])

        response = await platform.client.post(
            f"{FAKE}/attach", json={"code": code["code"]}, headers=platform.admin_headers
        )

        assert response.json()["status"] == 401
        assert await links(platform, patient_id=card["id"]) == []
