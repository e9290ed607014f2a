"""Test ↔ service links (LAB-3), with scheduling's price list answering or absent."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from lab_builders import API, make_lab, make_test

from clinic_shared.testing.platform import Platform

LINKS = f"{API}/test-service-links"


def use_fake_scheduling(platform: Platform, price_list: dict[str, dict[str, Any]]) -> None:
    """Answer lab's `GET /services/{id}` calls from `price_list` (404 for anything else)."""
    scheduling = FastAPI()

    @scheduling.get("/services/{service_id}")
    async def get_service(service_id: str) -> JSONResponse:
        if service_id in price_list:
            return JSONResponse(price_list[service_id])
        return JSONResponse({"status": 404, "detail": "not found"}, status_code=404)

    # The embedded services share one dict of peer apps: lab reaches "scheduling" through it.
    platform.app.state.embedded_apps["scheduling"] = scheduling


async def test_a_link_shows_the_price_list_name_when_scheduling_knows_the_service(platform: Platform) -> None:
    service_id = str(uuid.uuid4())
    use_fake_scheduling(platform, {service_id: {"id": service_id, "code": "B03.016", "name": "Общий анализ крови"}})
    test = await make_test(platform, (await make_lab(platform))["id"])
    response = await platform.client.post(
        LINKS, json={"test_id": test["id"], "service_id": service_id}, headers=platform.admin_headers
    )
    assert response.status_code == 201, response.text
    assert (response.json()["service_code"], response.json()["service_name"]) == ("B03.016", "Общий анализ крови")


async def test_a_service_scheduling_does_not_know_is_422_naming_service_id(platform: Platform) -> None:
    use_fake_scheduling(platform, {})
    test = await make_test(platform, (await make_lab(platform))["id"])
    response = await platform.client.post(
        LINKS, json={"test_id": test["id"], "service_id": str(uuid.uuid4())}, headers=platform.admin_headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service_id"
    listed = await platform.client.get(LINKS, params={"test_id": test["id"]}, headers=platform.admin_headers)
    assert listed.json()["total"] == 0


async def test_without_scheduling_the_link_is_stored_unverified(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"])
    service_id = str(uuid.uuid4())
    response = await platform.client.post(
        LINKS, json={"test_id": test["id"], "service_id": service_id}, headers=platform.admin_headers
    )
    assert response.status_code == 201
    assert response.json()["service_id"] == service_id and response.json()["service_name"] is None


async def test_linking_the_same_pair_twice_is_409_naming_the_link(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"])
    body = {"test_id": test["id"], "service_id": str(uuid.uuid4())}
    first = await platform.client.post(LINKS, json=body, headers=platform.admin_headers)
    second = await platform.client.post(LINKS, json=body, headers=platform.admin_headers)
    assert second.status_code == 409
    assert second.json()["conflicts"] == [{"link_id": first.json()["id"]}]


async def test_linking_an_unknown_test_is_404(platform: Platform) -> None:
    body = {"test_id": str(uuid.uuid4()), "service_id": str(uuid.uuid4())}
    response = await platform.client.post(LINKS, json=body, headers=platform.admin_headers)
    assert response.status_code == 404


async def test_bulk_links_one_test_to_many_services_and_replace_unticks_the_rest(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"])
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    response = await platform.client.post(
        f"{LINKS}/bulk", json={"test_id": test["id"], "service_ids": [a, b]}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    assert sorted(link["service_id"] for link in response.json()["items"]) == sorted([a, b])
    response = await platform.client.post(
        f"{API}/tests/{test['id']}/services",
        json={"service_ids": [b, c], "replace": True},
        headers=platform.admin_headers,
    )
    assert sorted(link["service_id"] for link in response.json()["items"]) == sorted([b, c])


async def test_one_unknown_service_in_a_bulk_link_changes_nothing(platform: Platform) -> None:
    known = str(uuid.uuid4())
    use_fake_scheduling(platform, {known: {"id": known, "code": "A1", "name": "Анализ"}})
    test = await make_test(platform, (await make_lab(platform))["id"])
    response = await platform.client.post(
        f"{LINKS}/bulk",
        json={"test_id": test["id"], "service_ids": [known, str(uuid.uuid4())]},
        headers=platform.admin_headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service_ids.1"
    listed = await platform.client.get(LINKS, params={"test_id": test["id"]}, headers=platform.admin_headers)
    assert listed.json()["total"] == 0


async def test_a_deleted_link_is_gone(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"])
    link = await platform.client.post(
        LINKS, json={"test_id": test["id"], "service_id": str(uuid.uuid4())}, headers=platform.admin_headers
    )
    deleted = await platform.client.delete(f"{LINKS}/{link.json()['id']}", headers=platform.admin_headers)
    assert deleted.status_code == 204
    listed = await platform.client.get(LINKS, params={"test_id": test["id"]}, headers=platform.admin_headers)
    assert listed.json()["total"] == 0


async def test_editing_links_needs_the_directories_right(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"])
    headers = await platform.headers_with(["lab.read"])
    response = await platform.client.post(
        LINKS, json={"test_id": test["id"], "service_id": str(uuid.uuid4())}, headers=headers
    )
    assert response.status_code == 403
