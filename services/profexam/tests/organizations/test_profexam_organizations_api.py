"""Organisations and contracts through the gateway (PRO-1)."""

from __future__ import annotations

import pytest

from clinic_shared.testing.platform import Platform

API = "/api/profexam"


@pytest.fixture
def platform_services() -> list[str]:
    return ["profexam"]


async def test_an_organisation_is_created_read_listed_and_changed(api) -> None:
    created = await api.organization(name="ООО «Берёзка»", address="Москва")
    assert created["inn"] == "7701234567"
    assert (await api.get(f"/organizations/{created['id']}"))["address"] == "Москва"
    found = await api.get("/organizations", q="берез")
    assert [o["id"] for o in found["items"]] == [created["id"]] and found["total"] == 1
    response = await api.client.patch(
        f"{API}/organizations/{created['id']}",
        json={"contact": "Петрова, 8 922 000-00-00", "address": None},
        headers=api.headers,
    )
    assert response.status_code == 200
    assert (response.json()["contact"], response.json()["address"]) == ("Петрова, 8 922 000-00-00", None)


async def test_a_bad_inn_is_422_naming_the_field(api) -> None:
    response = await api.client.post(f"{API}/organizations", json={"name": "X", "inn": "12345"}, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "inn"


async def test_a_contract_ending_before_it_starts_is_422(api) -> None:
    organization = await api.organization()
    response = await api.client.post(
        f"{API}/organizations/{organization['id']}/contracts",
        json={"number": "1", "valid_from": "2026-02-01", "valid_to": "2026-01-31"},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert "valid_to" in response.json()["detail"] or "valid_to" in str(response.json()["errors"])


async def test_contracts_are_listed_newest_first(api) -> None:
    organization = await api.organization()
    for start in ("2024-01-01", "2026-01-01"):
        await api.post(
            f"/organizations/{organization['id']}/contracts",
            {"number": start[:4], "valid_from": start, "valid_to": start[:4] + "-12-31"},
        )
    listed = await api.get(f"/organizations/{organization['id']}/contracts")
    assert [c["number"] for c in listed["items"]] == ["2026", "2024"] and listed["total"] == 2


async def test_an_organisation_without_exams_is_deleted(api) -> None:
    organization = await api.organization()
    response = await api.client.delete(f"{API}/organizations/{organization['id']}", headers=api.headers)
    assert response.status_code == 204
    missing = await api.client.get(f"{API}/organizations/{organization['id']}", headers=api.headers)
    assert missing.status_code == 404


async def test_an_organisation_with_exams_cannot_be_deleted(api) -> None:
    exam = await api.exam()
    response = await api.client.delete(f"{API}/organizations/{exam['organization_id']}", headers=api.headers)
    assert response.status_code == 409
    assert response.json()["conflicts"][0]["count"] == 1


async def test_reading_needs_profexam_read_and_writing_profexam_write(platform: Platform, api) -> None:
    reader = await platform.headers_with(["profexam.read"])
    assert (await api.client.get(f"{API}/organizations", headers=reader)).status_code == 200
    response = await api.client.post(f"{API}/organizations", json={"name": "X"}, headers=reader)
    assert response.status_code == 403
    assert "profexam.write" in response.json()["detail"]
