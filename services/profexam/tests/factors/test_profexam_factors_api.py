"""The harmful factor dictionary and organisations' code mappings through the gateway (PRO-4)."""

from __future__ import annotations

import pytest

from clinic_shared.testing.platform import Platform

API = "/api/profexam"


@pytest.fixture
def platform_services() -> list[str]:
    return ["profexam"]


async def test_the_dictionary_of_order_29n_is_loaded(api) -> None:
    everything = await api.get("/harmful-factors", limit=500)
    assert everything["total"] == 226
    codes = [f["code"] for f in everything["items"]]
    assert codes[:2] == ["1.1", "1.2"] and "1.10" in codes and "18.2" in codes


async def test_factors_are_found_by_code_prefix_title_words_section_and_parent(api) -> None:
    assert [f["code"] for f in (await api.get("/harmful-factors", q="18."))["items"]] == ["18.1", "18.2"]
    assert (await api.get("/harmful-factors", q="шум"))["items"][0]["code"] == "4.4"
    biological = await api.get("/harmful-factors", section="biological")
    assert biological["total"] == 9
    children = await api.get("/harmful-factors", parent_code="1.8")
    assert [f["code"] for f in children["items"]] == ["1.8.1", "1.8.2", "1.8.3", "1.8.4"]


async def test_a_mapping_is_remembered_listed_and_deleted(api) -> None:
    organization = await api.organization()
    path = f"/organizations/{organization['id']}/factor-mappings"
    created = await api.post(path, {"source_code": "П. 99.1.", "factor_code": "4.4"})
    assert (created["source_code"], created["factor_code"]) == ("99.1", "4.4")
    assert [m["id"] for m in (await api.get(path))["items"]] == [created["id"]]
    response = await api.client.delete(f"{API}{path}/{created['id']}", headers=api.headers)
    assert response.status_code == 204
    assert (await api.get(path))["total"] == 0


async def test_a_mapping_is_forgotten_only_from_the_version_its_creation_answered(api) -> None:
    organization = await api.organization()
    path = f"{API}/organizations/{organization['id']}/factor-mappings"
    created = await api.client.post(path, json={"source_code": "шум", "factor_code": "4.4"}, headers=api.headers)
    assert created.status_code == 201, created.text
    url = f"{path}/{created.json()['id']}"

    stale = await api.client.delete(url, headers={**api.headers, "If-Match": '"1"'})

    assert stale.status_code == 412, stale.text
    assert stale.json()["code"] == "version-mismatch" and stale.json()["etag"] == created.headers["etag"]
    assert [m["id"] for m in (await api.get(path.removeprefix(API)))["items"]] == [created.json()["id"]]
    current = await api.client.delete(url, headers={**api.headers, "If-Match": created.headers["etag"]})
    assert current.status_code == 204, current.text
    assert (await api.get(path.removeprefix(API)))["total"] == 0


async def test_mapping_to_a_code_outside_the_dictionary_is_422(api) -> None:
    organization = await api.organization()
    response = await api.client.post(
        f"{API}/organizations/{organization['id']}/factor-mappings",
        json={"source_code": "шум", "factor_code": "99.99"},
        headers=api.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "factor_code"


async def test_the_same_source_code_twice_is_409(api) -> None:
    organization = await api.organization()
    path = f"/organizations/{organization['id']}/factor-mappings"
    first = await api.post(path, {"source_code": "шум", "factor_code": "4.4"})
    response = await api.client.post(
        f"{API}{path}", json={"source_code": "ШУМ", "factor_code": "1.1"}, headers=api.headers
    )
    assert response.status_code == 409 and response.json()["conflicts"][0]["id"] == first["id"]


async def test_mappings_need_the_directories_right(platform: Platform, api) -> None:
    organization = await api.organization()
    writer = await platform.headers_with(["profexam.read", "profexam.write"])
    response = await api.client.post(
        f"{API}/organizations/{organization['id']}/factor-mappings",
        json={"source_code": "шум", "factor_code": "4.4"},
        headers=writer,
    )
    assert response.status_code == 403 and "profexam.directories" in response.json()["detail"]
