"""Mapping our directory items to ONDOC's by hand (OND-8): /mappings/{kind}/{our_id}."""

from __future__ import annotations

import uuid

import pytest
from ondoc_testkit import ONDOC

from clinic_shared.testing.platform import Platform

MAPPINGS = f"{ONDOC}/mappings"


@pytest.fixture
def platform_services() -> list[str]:
    return ["ondoc"]


async def test_a_mapping_is_kept_and_read_back(platform: Platform) -> None:
    doctor_id = uuid.uuid4()
    response = await platform.client.put(
        f"{MAPPINGS}/doctors/{doctor_id}", json={"ondoc_id": "D-17", "note": "Петров"}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    read = await platform.client.get(f"{MAPPINGS}/doctors/{doctor_id}", headers=platform.admin_headers)
    assert (read.json()["ondoc_id"], read.json()["note"]) == ("D-17", "Петров")
    listed = await platform.client.get(f"{MAPPINGS}/doctors", headers=platform.admin_headers)
    assert [m["our_id"] for m in listed.json()["items"]] == [str(doctor_id)]


async def test_putting_again_replaces_the_ondoc_id(platform: Platform) -> None:
    service_id = uuid.uuid4()
    await platform.client.put(
        f"{MAPPINGS}/services/{service_id}", json={"ondoc_id": "S-1"}, headers=platform.admin_headers
    )
    response = await platform.client.put(
        f"{MAPPINGS}/services/{service_id}", json={"ondoc_id": "S-2"}, headers=platform.admin_headers
    )
    assert response.json()["ondoc_id"] == "S-2"


async def test_one_ondoc_item_cannot_be_mapped_to_two_of_ours(platform: Platform) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    await platform.client.put(f"{MAPPINGS}/doctors/{first}", json={"ondoc_id": "D-1"}, headers=platform.admin_headers)
    response = await platform.client.put(
        f"{MAPPINGS}/doctors/{second}", json={"ondoc_id": "D-1"}, headers=platform.admin_headers
    )
    assert response.status_code == 409 and response.json()["conflicts"][0]["our_id"] == str(first)


async def test_the_same_ondoc_id_may_be_used_in_another_directory(platform: Platform) -> None:
    await platform.client.put(
        f"{MAPPINGS}/doctors/{uuid.uuid4()}", json={"ondoc_id": "7"}, headers=platform.admin_headers
    )
    response = await platform.client.put(
        f"{MAPPINGS}/specializations/{uuid.uuid4()}", json={"ondoc_id": "7"}, headers=platform.admin_headers
    )
    assert response.status_code == 200


async def test_a_deleted_mapping_is_gone(platform: Platform) -> None:
    our_id = uuid.uuid4()
    await platform.client.put(f"{MAPPINGS}/doctors/{our_id}", json={"ondoc_id": "D-3"}, headers=platform.admin_headers)
    assert (
        await platform.client.delete(f"{MAPPINGS}/doctors/{our_id}", headers=platform.admin_headers)
    ).status_code == 204
    assert (
        await platform.client.get(f"{MAPPINGS}/doctors/{our_id}", headers=platform.admin_headers)
    ).status_code == 404


async def test_an_unknown_directory_is_refused_naming_the_field(platform: Platform) -> None:
    response = await platform.client.put(
        f"{MAPPINGS}/cabinets/{uuid.uuid4()}", json={"ondoc_id": "C-1"}, headers=platform.admin_headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"


async def test_an_empty_ondoc_id_is_refused(platform: Platform) -> None:
    response = await platform.client.put(
        f"{MAPPINGS}/doctors/{uuid.uuid4()}", json={"ondoc_id": "  "}, headers=platform.admin_headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ondoc_id"


async def test_mapping_needs_the_mappings_right(platform: Platform) -> None:
    reader = await platform.headers_with(["ondoc.read"])
    response = await platform.client.put(f"{MAPPINGS}/doctors/{uuid.uuid4()}", json={"ondoc_id": "D"}, headers=reader)
    assert response.status_code == 403
