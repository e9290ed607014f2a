"""POST /patients/{id}/attach-code (OND-2, NOT-8) through the gateway."""

from __future__ import annotations

import uuid

import pytest
from ondoc_testkit import FAKE, ONDOC, create_card, issue_code

from clinic_shared.testing.platform import Platform
from ondoc_bridge.attach import rules


async def test_a_complete_card_gets_a_nine_digit_code_and_the_notifier_is_asked_to_send_it(
    platform: Platform,
) -> None:
    card = await create_card(platform)
    code = await issue_code(platform, card["id"])
    assert len(code["code"]) == 9 and code["code"].isdigit() and code["patient_id"] == card["id"]
    event = await platform.wait_for_event("ondoc.attach_code_issued", lambda e: e.data["patient_id"] == card["id"])
    assert (event.data["code"], event.data["contact_priority"]) == (code["code"], "mobile")
    assert event.data["expires_at"] is not None


async def test_a_card_without_middle_name_birth_date_or_contact_is_refused_naming_each(platform: Platform) -> None:
    card = await create_card(platform, middle_name=None, birth_date=None, mobile_phone=None)
    response = await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=platform.admin_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["middle_name", "birth_date", "contact"]
    assert platform.spy.of_type("ondoc.attach_code_issued") == []


async def test_an_unknown_card_is_not_found(platform: Platform) -> None:
    response = await platform.client.post(
        f"{ONDOC}/patients/{uuid.uuid4()}/attach-code", headers=platform.admin_headers
    )
    assert response.status_code == 404


async def test_more_than_five_codes_an_hour_for_one_card_are_refused(platform: Platform) -> None:
    card = await create_card(platform)
    for _ in range(5):
        await issue_code(platform, card["id"])
    response = await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=platform.admin_headers)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


async def test_a_new_code_makes_the_earlier_one_useless(platform: Platform) -> None:
    card = await create_card(platform)
    first = await issue_code(platform, card["id"])
    await issue_code(platform, card["id"])
    answer = (
        await platform.client.post(f"{FAKE}/attach", json={"code": first["code"]}, headers=platform.admin_headers)
    ).json()
    assert answer["status"] == 422 and answer["body"]["errors"][0]["field"] == "code"


async def test_no_code_is_issued_while_the_integration_is_switched_off(platform: Platform) -> None:
    await platform.client.put(
        f"{ONDOC}/settings", json={"enabled": False}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    card = await create_card(platform)
    response = await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=platform.admin_headers)
    assert response.status_code == 409 and "switched off" in response.json()["detail"]


async def test_issuing_a_code_needs_the_attach_right(platform: Platform) -> None:
    card = await create_card(platform)
    reader = await platform.headers_with(["ondoc.read"])
    response = await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=reader)
    assert response.status_code == 403


async def test_a_generated_code_that_clashes_with_a_live_one_is_replaced_by_a_fresh_one(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await issue_code(platform, (await create_card(platform))["id"])
    drawn = iter([first["code"], "777777777"])
    monkeypatch.setattr(rules, "generate_code", lambda: next(drawn))
    second = await issue_code(platform, (await create_card(platform, last_name="Петрова"))["id"])
    assert second["code"] == "777777777"
