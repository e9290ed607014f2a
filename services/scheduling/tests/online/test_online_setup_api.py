"""Online-booking setup through the gateway (SCH-13): links, the general discount, API keys."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def link_body(build: Any, **fields: Any) -> dict[str, Any]:
    doctor, service = await build.doctor(online_booking=True), await build.service()
    return {"doctor_id": doctor["id"], "service_id": service["id"], **fields}


async def test_a_link_is_created_read_and_listed_by_doctor(build: Any) -> None:
    body = await link_body(build, show_price=True, price="2000.00", mode="online_consultation")

    link = await build.post("/online/links", body)

    assert link["mode"] == "online_consultation" and link["price"] == "2000.00"
    assert await build.get(f"/online/links/{link['id']}") == link
    assert await build.get("/online/links", doctor_id=body["doctor_id"]) == {"items": [link], "total": 1}


async def test_linking_the_same_doctor_and_service_twice_is_409(build: Any) -> None:
    body = await link_body(build)
    await build.post("/online/links", body)
    await build.post("/online/links", body, expect=409)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"show_price": True}, "price"),
        ({"prepayment_required": True, "price": "1000"}, "prepayment_amount"),
        ({"prepayment_required": True, "price": "1000", "prepayment_amount": "1500"}, "prepayment_amount"),
        ({"discount_on_prepayment": True, "discount_percent": "10", "price": "100"}, "discount_on_prepayment"),
        ({"discount_percent": "120"}, "discount_percent"),
        ({"price": "-1"}, "price"),
        ({"price": "10.005"}, "price"),
    ],
)
async def test_invalid_link_settings_are_422_naming_the_field(build: Any, fields: dict[str, Any], field: str) -> None:
    response = await build.client.post(
        f"{API}/online/links", json=await link_body(build, **fields), headers=build.headers
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_link_to_an_unknown_service_is_422(build: Any) -> None:
    doctor = await build.doctor()
    body = {"doctor_id": doctor["id"], "service_id": "00000000-0000-0000-0000-00000000abcd"}
    response = await build.client.post(f"{API}/online/links", json=body, headers=build.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "service_id"


async def test_patch_validates_the_link_as_a_whole(build: Any) -> None:
    link = await build.post("/online/links", await link_body(build, price="1000.00"))

    bad = await build.edit(
        "PATCH", f"/online/links/{link['id']}", json={"prepayment_required": True}, headers=build.headers
    )
    good = await build.edit(
        "PATCH",
        f"/online/links/{link['id']}",
        json={"prepayment_required": True, "prepayment_amount": "300"},
        headers=build.headers,
    )

    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "prepayment_amount"
    assert good.status_code == 200 and good.json()["prepayment_amount"] == "300.00"


async def test_a_deleted_link_is_gone(build: Any) -> None:
    link = await build.post("/online/links", await link_body(build))
    deleted = await build.edit("DELETE", f"/online/links/{link['id']}", headers=build.headers)
    missing = await build.client.get(f"{API}/online/links/{link['id']}", headers=build.headers)
    assert deleted.status_code == 204 and missing.status_code == 404


async def test_editing_links_needs_the_directories_right(build: Any, reader: dict[str, str]) -> None:
    response = await build.client.post(f"{API}/online/links", json=await link_body(build), headers=reader)
    assert response.status_code == 403


async def test_the_general_discount_is_set_and_validated(build: Any) -> None:
    try:
        response = await build.edit(
            "PUT", "/online/settings", json={"general_discount_percent": "7.5"}, headers=build.headers
        )
        bad = await build.edit(
            "PUT", "/online/settings", json={"general_discount_percent": "101"}, headers=build.headers
        )
        assert response.status_code == 200 and response.json()["general_discount_percent"] == "7.50"
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "general_discount_percent"
        assert (await build.get("/online/settings"))["general_discount_percent"] == "7.50"
    finally:
        await build.edit("PUT", "/online/settings", json={"general_discount_percent": "0"}, headers=build.headers)


async def test_an_api_key_is_shown_once_and_listed_without_the_secret(build: Any) -> None:
    created = await build.post("/online/api-keys", {"label": "website"})

    listed = await build.get("/online/api-keys")

    assert created["key"].startswith("clk_") and len(created["key"]) > 40
    [entry] = [k for k in listed["items"] if k["id"] == created["id"]]
    assert entry["label"] == "website" and "key" not in entry
    assert created["key"] not in str(listed)


async def test_a_revoked_key_no_longer_opens_the_widget_api(build: Any) -> None:
    created = await build.post("/online/api-keys", {"label": "old site"})
    before = await build.client.get(f"{API}/online/doctors", headers={"X-Api-Key": created["key"]})

    revoked = await build.client.delete(f"{API}/online/api-keys/{created['id']}", headers=build.headers)
    after = await build.client.get(f"{API}/online/doctors", headers={"X-Api-Key": created["key"]})

    assert before.status_code == 200 and revoked.status_code == 204 and after.status_code == 401


async def test_a_key_is_revoked_only_from_the_version_its_creation_answered(build: Any) -> None:
    created = await build.client.post(f"{API}/online/api-keys", json={"label": "site"}, headers=build.headers)
    assert created.status_code == 201, created.text
    url = f"{API}/online/api-keys/{created.json()['id']}"

    stale = await build.client.delete(url, headers={**build.headers, "If-Match": '"1"'})

    assert stale.status_code == 412, stale.text
    assert stale.json()["code"] == "version-mismatch" and stale.json()["etag"] == created.headers["etag"]
    opened = await build.client.get(f"{API}/online/doctors", headers={"X-Api-Key": created.json()["key"]})
    assert opened.status_code == 200  # the key still works
    current = await build.client.delete(url, headers={**build.headers, "If-Match": created.headers["etag"]})
    assert current.status_code == 204, current.text


async def test_managing_api_keys_needs_the_settings_right(build: Any, reader: dict[str, str]) -> None:
    response = await build.client.post(f"{API}/online/api-keys", json={"label": "x"}, headers=reader)
    assert response.status_code == 403
