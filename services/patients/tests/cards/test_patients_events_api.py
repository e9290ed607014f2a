"""patient.* events carry the card's full state and version (PAT-5, events catalogue)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.events import PatientState
from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def test_creating_a_card_publishes_patient_created_with_its_state(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card(vip=True, birth_date="2015-06-01")
    event = await platform.wait_for_event("patient.created", lambda e: e.aggregate_id == card["id"])
    state = event.payload()
    assert isinstance(state, PatientState)
    assert (state.card_number, state.mobile_phone, state.vip, state.is_minor, state.deleted) == (
        card["card_number"],
        "79229999999",
        True,
        True,
        False,
    )
    assert event.aggregate_version == 1 and event.producer == "patients"


async def test_editing_a_card_publishes_patient_updated_with_the_new_version(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"last_name": "Петров"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    event = await platform.wait_for_event("patient.updated", lambda e: e.aggregate_id == card["id"])
    assert event.aggregate_version == 2
    assert event.data["last_name"] == "Петров"


async def test_deleting_a_card_publishes_patient_deleted(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    event = await platform.wait_for_event("patient.deleted", lambda e: e.aggregate_id == card["id"])
    assert event.data["deleted"] is True and event.aggregate_version == 2


async def test_restoring_a_card_publishes_patient_restored(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    await platform.client.post(f"{CARDS}/{card['id']}/restore", headers={**platform.admin_headers, **ANY_VERSION})
    event = await platform.wait_for_event("patient.restored", lambda e: e.aggregate_id == card["id"])
    assert event.data["deleted"] is False and event.aggregate_version == 3


async def test_a_refused_change_publishes_nothing(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.wait_for_event("patient.created", lambda e: e.aggregate_id == card["id"])
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"mobile_phone": "1"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 422
    # A later change is version 2: nothing was published (or committed) for the refused one.
    await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"note": "ok"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    event = await platform.wait_for_event("patient.updated", lambda e: e.aggregate_id == card["id"])
    assert event.aggregate_version == 2
    assert [e.aggregate_version for e in platform.spy.of_type("patient.updated")] == [2]
