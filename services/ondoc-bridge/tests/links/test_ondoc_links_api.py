"""Linked patients (OND-3) and detaching (OND-7) through the gateway."""

from __future__ import annotations

from ondoc_testkit import CARDS, FAKE, ONDOC, attach_patient, fake_state, issue_code, links, wait_until

from clinic_shared.testing.platform import Platform


async def test_an_attached_patient_is_listed_with_the_card_number_as_mis_id(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    [link] = await links(platform)
    assert (link["patient_id"], link["mis_id"], link["ondoc_patient_id"], link["status"]) == (
        card["id"],
        card["card_number"],
        ondoc_patient_id,
        "attached",
    )


async def test_deleting_the_card_detaches_the_patient_in_ondoc(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    response = await platform.client.delete(
        f"{CARDS}/{card['id']}", headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 204

    async def detached_in_ondoc() -> bool:
        patient = (await fake_state(platform))["patients"].get(ondoc_patient_id)
        return patient is not None and patient["status"] == "detached"

    await wait_until(detached_in_ondoc, what="the detach call to ONDOC")
    [link] = await links(platform)
    assert (link["status"], link["mis_id"], link["detached_by"]) == ("detached", "-", "clinic")


async def test_a_detached_patient_needs_a_new_code_to_attach_again(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    await platform.client.post(
        f"{FAKE}/detach", json={"ondoc_patient_id": ondoc_patient_id}, headers=platform.admin_headers
    )
    code = await issue_code(platform, card["id"])
    again = (
        await platform.client.post(f"{FAKE}/attach", json={"code": code["code"]}, headers=platform.admin_headers)
    ).json()
    assert again["status"] == 200
    statuses = sorted(link["status"] for link in await links(platform, patient_id=card["id"]))
    assert statuses == ["attached", "detached"]


async def test_an_attached_patient_gets_no_new_code(platform: Platform) -> None:
    card, _ = await attach_patient(platform)
    response = await platform.client.post(f"{ONDOC}/patients/{card['id']}/attach-code", headers=platform.admin_headers)
    assert response.status_code == 409


async def test_staff_can_detach_a_patient_and_ondoc_is_told(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    response = await platform.client.post(
        f"{ONDOC}/patients/{card['id']}/detach", json={"reason": "По просьбе пациента"}, headers=platform.admin_headers
    )
    assert response.status_code == 200 and response.json()["mis_id"] == "-"

    async def told() -> bool:
        patient = (await fake_state(platform))["patients"].get(ondoc_patient_id, {})
        return patient.get("detach_reason") == "По просьбе пациента"

    await wait_until(told, what="the detach call to ONDOC")


async def test_the_list_needs_the_read_right(platform: Platform) -> None:
    nobody = await platform.headers_with(["patients.read"])
    assert (await platform.client.get(f"{ONDOC}/links", headers=nobody)).status_code == 403
