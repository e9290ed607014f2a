"""Exams of an organisation through the gateway (PRO-1)."""

from __future__ import annotations

import pytest

API = "/api/profexam"


@pytest.fixture
def platform_services() -> list[str]:
    return ["profexam"]


async def test_an_exam_is_created_under_a_contract_and_listed_by_organisation(api) -> None:
    exam = await api.exam()
    assert exam["contract_id"] and exam["period_to"] == "2026-12-31"
    listed = await api.get("/exams", organization_id=exam["organization_id"])
    assert [e["id"] for e in listed["items"]] == [exam["id"]]


async def test_a_contract_of_another_organisation_is_422(api) -> None:
    exam = await api.exam()
    other = await api.organization(name="Другая")
    response = await api.client.post(
        f"{API}/exams",
        json={
            "organization_id": other["id"],
            "contract_id": exam["contract_id"],
            "name": "x",
            "period_from": "2026-01-01",
            "period_to": "2026-02-01",
        },
        headers=api.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contract_id"


async def test_an_unknown_organisation_is_422(api) -> None:
    response = await api.client.post(
        f"{API}/exams",
        json={
            "organization_id": "00000000-0000-0000-0000-000000000001",
            "name": "x",
            "period_from": "2026-01-01",
            "period_to": "2026-02-01",
        },
        headers=api.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "organization_id"


async def test_patching_keeps_the_period_in_order(api) -> None:
    exam = await api.exam()
    response = await api.client.patch(
        f"{API}/exams/{exam['id']}", json={"period_to": "2025-12-31"}, headers=api.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "period_to"
    response = await api.client.patch(
        f"{API}/exams/{exam['id']}", json={"name": "Предварительный", "kind": "preliminary"}, headers=api.headers
    )
    assert response.status_code == 200 and response.json()["name"] == "Предварительный"


async def test_an_unknown_exam_is_404(api) -> None:
    response = await api.client.get(f"{API}/exams/00000000-0000-0000-0000-000000000001", headers=api.headers)
    assert response.status_code == 404
