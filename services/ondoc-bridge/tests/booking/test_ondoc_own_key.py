"""The bridge signs its own calls with a key of its own: the platform accepts them with the bridge's
rights only, and that key cannot mint a user's (an administrator's) token."""

from __future__ import annotations

import uuid

from ondoc_testkit import needs_scheduling

from clinic_shared.auth import sign_service_token, sign_token
from clinic_shared.testing.platform import Platform
from ondoc_bridge.app import PEER_RIGHTS

pytestmark = needs_scheduling


def bridge_key(platform: Platform) -> str:
    """The private key the running bridge signs its own calls with."""
    settings = platform.app.state.embedded_apps["ondoc"].state.settings
    return settings.service_private_key.get_secret_value()  # type: ignore[no-any-return]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_bridge_is_not_given_the_gateway_signing_key(platform: Platform) -> None:
    bridge_settings = platform.app.state.embedded_apps["ondoc"].state.settings
    gateway_key = platform.app.state.settings.jwt_private_key.get_secret_value()

    assert "jwt_private_key" not in type(bridge_settings).model_fields
    assert bridge_key(platform) != gateway_key


async def test_a_call_the_bridge_signs_for_itself_is_accepted_by_scheduling(platform: Platform) -> None:
    runtime = platform.app.state.embedded_apps["ondoc"].state.runtime

    response = await platform.client.get("/api/scheduling/buildings", headers=bearer(runtime.service_token()))

    assert response.status_code == 200, response.text


async def test_a_bridge_token_claiming_more_than_the_bridge_needs_is_refused(platform: Platform) -> None:
    token = sign_service_token(
        bridge_key(platform), service="ondoc", rights=[*PEER_RIGHTS, "scheduling.*"], audience="clinic-api"
    )

    response = await platform.client.get("/api/scheduling/buildings", headers=bearer(token))

    assert response.status_code == 401, response.text


async def test_the_bridge_key_cannot_mint_an_administrator_token(platform: Platform) -> None:
    token = sign_token(
        bridge_key(platform),
        user_id=uuid.uuid4(),
        username="admin",
        rights=["*"],
        issuer="clinic-gateway",
        audience="clinic-api",
    )

    for path in ("/api/auth/users", "/api/scheduling/buildings", "/api/patients/cards"):
        response = await platform.client.get(path, headers=bearer(token))
        assert response.status_code == 401, (path, response.text)
