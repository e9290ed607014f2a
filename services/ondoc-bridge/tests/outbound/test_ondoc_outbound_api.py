"""Appointments of attached patients reach ONDOC (OND-4, OND-6): in order, once in effect,
with retries while ONDOC is down; the queue is visible at /outbound."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ondoc_testkit import (
    FAKE,
    ONDOC,
    Publish,
    appointment_event,
    appointment_state,
    attach_patient,
    create_card,
    fake_appointment,
    wait_for_fake_version,
    wait_until,
)

from clinic_shared.testing.platform import Platform


async def test_a_new_appointment_of_an_attached_patient_reaches_ondoc_on_the_clinic_clock(
    platform: Platform, publish: Publish
) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    state = appointment_state(card["id"], start=datetime(2030, 5, 6, 7, 0, tzinfo=UTC))
    await publish(appointment_event("appointment.created", state, 1))
    held = await wait_for_fake_version(platform, state.id, 1)
    assert held["current"]["ondoc_patient_id"] == ondoc_patient_id
    assert held["current"]["status"] == "active"
    assert held["current"]["start"] == "2030-05-06T10:00:00+03:00"


async def test_an_appointment_of_a_non_attached_patient_is_not_sent(platform: Platform, publish: Publish) -> None:
    card = await create_card(platform)
    attached, _ = await attach_patient(platform, last_name="Другой")
    skipped = appointment_state(card["id"])
    sent = appointment_state(attached["id"])
    await publish(appointment_event("appointment.created", skipped, 1))
    await publish(appointment_event("appointment.created", sent, 1))
    await wait_for_fake_version(platform, sent.id, 1)
    assert await fake_appointment(platform, skipped.id) is None
    response = await platform.client.get(f"{ONDOC}/outbound", headers=platform.admin_headers)
    assert [item["subject_id"] for item in response.json()["items"]] == [str(sent.id)]


async def test_edit_delete_and_restore_reach_ondoc_as_updated_cancelled_and_active(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))
    await wait_for_fake_version(platform, state.id, 1)
    edited = state.model_copy(update={"cabinet_name": "202"})
    await publish(appointment_event("appointment.updated", edited, 2))
    assert (await wait_for_fake_version(platform, state.id, 2))["current"]["cabinet"] == "202"
    deleted = edited.model_copy(update={"deleted": True, "deletion_reason": "Пациент заболел"})
    await publish(appointment_event("appointment.deleted", deleted, 3))
    cancelled = (await wait_for_fake_version(platform, state.id, 3))["current"]
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Пациент заболел")
    restored = edited.model_copy(update={"deleted": False})
    await publish(appointment_event("appointment.restored", restored, 4))
    held = await wait_for_fake_version(platform, state.id, 4)
    assert held["current"]["status"] == "active" and held["versions"] == [1, 2, 3, 4]


async def test_an_older_state_arriving_late_never_replaces_a_newer_one(platform: Platform, publish: Publish) -> None:
    card, _ = await attach_patient(platform)
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.updated", state.model_copy(update={"cabinet_name": "3"}), 3))
    await wait_for_fake_version(platform, state.id, 3)
    await publish(appointment_event("appointment.created", state.model_copy(update={"cabinet_name": "1"}), 1))
    await publish(appointment_event("appointment.updated", state.model_copy(update={"cabinet_name": "2"}), 2))
    later = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", later, 1))
    await wait_for_fake_version(platform, later.id, 1)  # the older ones were handled before this one
    held = await fake_appointment(platform, state.id)
    assert held is not None and held["versions"] == [3] and held["current"]["cabinet"] == "3"


async def test_appointments_booked_before_attaching_are_sent_once_attached(
    platform: Platform, publish: Publish
) -> None:
    card = await create_card(platform)
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))
    code = (
        await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=platform.admin_headers)
    ).json()["code"]
    answer = (await platform.client.post(f"{FAKE}/attach", json={"code": code}, headers=platform.admin_headers)).json()
    assert answer["body"]["upcoming_appointments"] == 1
    await wait_for_fake_version(platform, state.id, 1)


async def test_changes_made_while_ondoc_is_down_arrive_once_it_is_back(platform: Platform, publish: Publish) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "count": 3}, headers=platform.admin_headers)
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))

    async def retried() -> bool:
        response = await platform.client.get(
            f"{ONDOC}/outbound", params={"status": "pending"}, headers=platform.admin_headers
        )
        items = response.json()["items"]
        return bool(items) and items[0]["attempts"] >= 1 and "500" in (items[0]["last_error"] or "")

    await wait_until(retried, what="a failed attempt with ONDOC's error")
    held = await wait_for_fake_version(platform, state.id, 1)
    assert held["versions"] == [1]

    async def confirmed() -> bool:
        summary = (await platform.client.get(f"{ONDOC}/outbound/summary", headers=platform.admin_headers)).json()
        return (summary["pending"], summary["sent"]) == (0, 1)

    await wait_until(confirmed, what="the item marked sent")


async def test_a_refused_appointment_is_marked_failed_with_ondocs_reason_and_can_be_retried(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(
        f"{FAKE}/config", json={"branch_token": "rotated-by-ondoc"}, headers=platform.admin_headers
    )
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))

    async def failed() -> bool:
        response = await platform.client.get(
            f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers
        )
        return response.json()["total"] == 1

    await wait_until(failed, what="the item marked failed")
    [item] = (
        await platform.client.get(f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers)
    ).json()["items"]
    assert "401" in item["last_error"]
    await platform.client.post(
        f"{FAKE}/config", json={"branch_token": "fake-branch-token"}, headers=platform.admin_headers
    )
    response = await platform.client.post(f"{ONDOC}/outbound/{item['id']}/retry", headers=platform.admin_headers)
    assert response.status_code == 200 and response.json()["status"] == "pending"
    await wait_for_fake_version(platform, state.id, 1)


async def test_items_refused_for_a_wrong_token_go_out_once_the_token_is_corrected(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(
        f"{FAKE}/config", json={"branch_token": "a-new-branch-token"}, headers=platform.admin_headers
    )
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))

    async def failed() -> bool:
        params = {"status": "failed"}
        response = await platform.client.get(f"{ONDOC}/outbound", params=params, headers=platform.admin_headers)
        return response.json()["total"] == 1

    await wait_until(failed, what="the item refused for the token")
    response = await platform.client.put(
        f"{ONDOC}/settings",
        json={"branch_token": "a-new-branch-token"},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200
    await wait_for_fake_version(platform, state.id, 1)


async def test_the_queue_needs_the_read_right(platform: Platform) -> None:
    nobody = await platform.headers_with(["patients.read"])
    assert (await platform.client.get(f"{ONDOC}/outbound", headers=nobody)).status_code == 403


async def test_retrying_an_unknown_item_is_not_found(platform: Platform) -> None:
    response = await platform.client.post(f"{ONDOC}/outbound/{uuid.uuid4()}/retry", headers=platform.admin_headers)
    assert response.status_code == 404
