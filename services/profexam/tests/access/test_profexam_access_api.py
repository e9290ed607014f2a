"""Per-organisation access through the gateway (PRO-8, «Права пользователей. Профосмотр»).

A user with an entry in /access sees only its organisations and everything under them; the
rest answers 404 as if it did not exist. A user without an entry sees everything.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from profexam_builders import XLSX_HEADERLESS, calculation_xlsx, employee_row, employees_xlsx

from clinic_shared.testing.platform import Platform

API = "/api/profexam"
WORK_RIGHTS = ["profexam.read", "profexam.write", "profexam.import", "patients.read", "patients.write"]
PATIENT = {"last_name": "Орлов", "first_name": "Олег", "birth_date": "1970-07-07"}


async def user(platform: Platform, rights: list[str]) -> tuple[str, dict[str, str]]:
    headers = await platform.headers_with(rights)
    me = await platform.client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200, me.text
    return me.json()["id"], headers


async def organisation_with_exam(api, name: str) -> dict[str, Any]:
    """An organisation with a contract (and its price list), an exam, an employee, a calculation, an import."""
    organization = await api.organization(name=name)
    contract = await api.contract(organization["id"])
    price = await api.post(f"/contracts/{contract['id']}/prices", {"code": "A01", "name": "Осмотр", "price": 100})
    exam = await api.post(
        "/exams",
        {
            "organization_id": organization["id"],
            "contract_id": contract["id"],
            "name": f"Осмотр {name}",
            "period_from": "2026-01-01",
            "period_to": "2026-12-31",
        },
    )
    employee = await api.post(f"/exams/{exam['id']}/employees", {"patient": {**PATIENT, "last_name": name}})
    calculation = await api.post(
        f"/exams/{exam['id']}/calculations", {"positions": [{"position": "Слесарь", "headcount": 1}]}
    )
    upload = await api.upload(exam["id"], employees_xlsx([employee_row(0, last_name=f"{name}ов")]))
    assert upload.status_code == 200, upload.text
    return {
        "organization": organization,
        "contract": contract,
        "price": price,
        "exam": exam,
        "employee": employee,
        "calculation": calculation,
        "import": upload.json(),
    }


async def limit(api, user_id: str, *organizations: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.put(
        f"{API}/access/{user_id}",
        json={"organization_ids": [o["organization"]["id"] for o in organizations], "note": "только свои"},
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
async def two(api) -> tuple[dict[str, Any], dict[str, Any]]:
    return await organisation_with_exam(api, "Альфа"), await organisation_with_exam(api, "Бета")


async def test_a_limited_user_lists_only_their_organisations_and_what_is_under_them(platform, api, two) -> None:
    mine, other = two
    user_id, headers = await user(platform, WORK_RIGHTS)
    entry = await limit(api, user_id, mine)
    assert entry["organization_ids"] == [mine["organization"]["id"]] and entry["note"] == "только свои"

    def get(path: str, **params: Any) -> Any:
        return api.client.get(API + path, params=params, headers=headers)

    organizations = (await get("/organizations")).json()
    assert [o["id"] for o in organizations["items"]] == [mine["organization"]["id"]] and organizations["total"] == 1
    exams = (await get("/exams")).json()
    assert [e["id"] for e in exams["items"]] == [mine["exam"]["id"]] and exams["total"] == 1
    assert (await get("/exams", organization_id=other["organization"]["id"])).json() == {"items": [], "total": 0}
    assert (await get("/access/me")).json() == {"limited": True, "organization_ids": [mine["organization"]["id"]]}
    # Their own organisation works as before.
    assert (await get(f"/exams/{mine['exam']['id']}/employees")).json()["total"] == 2
    assert (await get(f"/contracts/{mine['contract']['id']}/prices")).json()["total"] == 1
    assert (await get(f"/calculations/{mine['calculation']['id']}")).status_code == 200
    assert (await get(f"/imports/{mine['import']['id']}")).status_code == 200
    export = await get(f"/exams/{mine['exam']['id']}/employees/export.xlsx")
    assert export.status_code == 200
    names = [row[0].value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2)]
    assert sorted(names) == ["Альфа", "Альфаов"]


async def test_a_limited_user_cannot_read_export_or_import_another_organisations_exam(platform, api, two) -> None:
    mine, other = two
    user_id, headers = await user(platform, [*WORK_RIGHTS, "profexam.directories"])
    await limit(api, user_id, mine)
    organization_id, exam_id = other["organization"]["id"], other["exam"]["id"]
    contract_id, calculation_id = other["contract"]["id"], other["calculation"]["id"]
    refused = [
        ("GET", f"/organizations/{organization_id}", None),
        ("PATCH", f"/organizations/{organization_id}", {"name": "Чужая"}),
        ("DELETE", f"/organizations/{organization_id}", None),
        ("GET", f"/organizations/{organization_id}/contracts", None),
        (
            "POST",
            f"/organizations/{organization_id}/contracts",
            {"number": "X", "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
        ),
        ("GET", f"/organizations/{organization_id}/factor-mappings", None),
        ("POST", f"/organizations/{organization_id}/factor-mappings", {"source_code": "шум", "factor_code": "4.4"}),
        ("GET", f"/contracts/{contract_id}/prices", None),
        ("POST", f"/contracts/{contract_id}/prices", {"code": "B01", "name": "x", "price": 1}),
        ("GET", f"/contracts/{contract_id}/prices/{other['price']['id']}", None),
        ("GET", f"/exams/{exam_id}", None),
        ("PATCH", f"/exams/{exam_id}", {"name": "Чужой"}),
        ("GET", f"/exams/{exam_id}/employees", None),
        ("POST", f"/exams/{exam_id}/employees", {"patient": PATIENT}),
        ("DELETE", f"/exams/{exam_id}/employees/{other['employee']['id']}", None),
        ("GET", f"/exams/{exam_id}/employees/export.xlsx", None),
        ("GET", f"/exams/{exam_id}/calculations", None),
        ("POST", f"/exams/{exam_id}/calculations", {"positions": [{"position": "Маляр", "headcount": 1}]}),
        ("GET", f"/calculations/{calculation_id}", None),
        (
            "POST",
            f"/calculations/{calculation_id}/employees",
            {"employees": [{"patient": PATIENT, "position": "Слесарь"}]},
        ),
        ("GET", f"/imports/{other['import']['id']}", None),
    ]
    for method, path, body in refused:
        response = await api.client.request(method, API + path, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code, response.text)
    upload = await api.upload(exam_id, employees_xlsx([employee_row(5)]), headers=headers)
    assert upload.status_code == 404
    calculation_upload = await api.client.post(
        f"{API}/exams/{exam_id}/calculations/imports",
        files={"file": ("calc.xlsx", calculation_xlsx([["Маляр", None, 1, None, None]]), XLSX_HEADERLESS)},
        headers=headers,
    )
    assert calculation_upload.status_code == 404
    # Nothing of the other organisation changed.
    assert len(await api.employees(exam_id)) == 2
    assert (await api.get(f"/organizations/{organization_id}"))["name"] == "Бета"
    # Their own exam imports as usual.
    assert (await api.upload(mine["exam"]["id"], employees_xlsx([employee_row(5)]), headers=headers)).status_code == 200


async def test_a_limited_user_cannot_create_an_exam_or_an_organisation_for_others(platform, api, two) -> None:
    mine, other = two
    user_id, headers = await user(platform, WORK_RIGHTS)
    await limit(api, user_id, mine)
    body = {"name": "Новый", "period_from": "2026-01-01", "period_to": "2026-12-31"}
    foreign = await api.client.post(
        f"{API}/exams", json={**body, "organization_id": other["organization"]["id"]}, headers=headers
    )
    missing = await api.client.post(
        f"{API}/exams", json={**body, "organization_id": "00000000-0000-0000-0000-000000000001"}, headers=headers
    )
    # Answered exactly like an organisation that does not exist: its existence is not revealed.
    assert foreign.status_code == missing.status_code == 422
    assert (
        foreign.json()["errors"]
        == missing.json()["errors"]
        == [{"field": "organization_id", "code": "unknown_organization", "message": "no such organisation"}]
    )
    own = await api.client.post(
        f"{API}/exams", json={**body, "organization_id": mine["organization"]["id"]}, headers=headers
    )
    assert own.status_code == 201
    created = await api.client.post(f"{API}/organizations", json={"name": "Своя"}, headers=headers)
    assert created.status_code == 403


async def test_an_unlimited_user_sees_everything_and_lifting_a_limit_restores_it(platform, api, two) -> None:
    mine, other = two
    _, unlimited = await user(platform, ["profexam.read"])
    organizations = (await api.client.get(f"{API}/organizations", headers=unlimited)).json()
    assert {o["id"] for o in organizations["items"]} == {mine["organization"]["id"], other["organization"]["id"]}
    assert (await api.client.get(f"{API}/exams", headers=unlimited)).json()["total"] == 2
    assert (await api.client.get(f"{API}/access/me", headers=unlimited)).json() == {
        "limited": False,
        "organization_ids": None,
    }
    export = await api.client.get(f"{API}/exams/{other['exam']['id']}/employees/export.xlsx", headers=unlimited)
    assert export.status_code == 200

    user_id, limited = await user(platform, ["profexam.read"])
    await limit(api, user_id, mine)
    assert (await api.client.get(f"{API}/exams/{other['exam']['id']}", headers=limited)).status_code == 404
    response = await api.client.delete(f"{API}/access/{user_id}", headers=api.headers)
    assert response.status_code == 204
    assert (await api.client.get(f"{API}/exams/{other['exam']['id']}", headers=limited)).status_code == 200


async def test_a_user_limited_to_no_organisation_sees_none(platform, api, two) -> None:
    user_id, headers = await user(platform, ["profexam.read"])
    response = await api.client.put(f"{API}/access/{user_id}", json={"organization_ids": []}, headers=api.headers)
    assert response.status_code == 200
    assert (await api.client.get(f"{API}/organizations", headers=headers)).json() == {"items": [], "total": 0}
    assert (await api.client.get(f"{API}/exams", headers=headers)).json() == {"items": [], "total": 0}


@pytest.mark.parametrize("platform_services", [["profexam"]])
async def test_access_entries_are_managed_by_unlimited_holders_of_the_access_right(platform, api) -> None:
    organization = await api.organization()
    user_id, _ = await user(platform, ["profexam.read"])
    url = f"{API}/access/{user_id}"
    body = {"organization_ids": [organization["id"]]}
    _, writer = await user(platform, ["profexam.read", "profexam.write"])
    response = await api.client.put(url, json=body, headers=writer)
    assert response.status_code == 403 and response.json()["missing_right"] == "profexam.access"
    manager_id, manager = await user(platform, ["profexam.read", "profexam.access"])
    assert (await api.client.put(url, json=body, headers=manager)).status_code == 200
    listed = (await api.client.get(f"{API}/access", headers=manager)).json()
    assert listed["total"] == 1 and listed["items"][0]["user_id"] == user_id
    assert (await api.client.get(f"{API}/access", params={"limit": 1, "offset": 1}, headers=manager)).json() == {
        "items": [],
        "total": 1,
    }
    # A manager limited themselves cannot change anyone's limits (nor lift their own).
    await api.client.put(f"{API}/access/{manager_id}", json=body, headers=api.headers)
    for method in ("GET", "PUT", "DELETE"):
        response = await api.client.request(method, url, json=body if method == "PUT" else None, headers=manager)
        assert response.status_code == 403, (method, response.text)
    response = await api.client.delete(f"{API}/access/{manager_id}", headers=manager)
    assert response.status_code == 403


@pytest.mark.parametrize("platform_services", [["profexam"]])
async def test_bad_access_entries_are_refused_naming_the_field(platform, api) -> None:
    organization = await api.organization()
    user_id, _ = await user(platform, ["profexam.read"])
    url = f"{API}/access/{user_id}"
    missing = "00000000-0000-0000-0000-000000000001"
    response = await api.client.put(url, json={"organization_ids": [organization["id"], missing]}, headers=api.headers)
    assert response.status_code == 422 and response.json()["errors"] == [
        {"field": "organization_ids.1", "code": "unknown_organization", "message": "no such organisation"}
    ]
    for body, field in (
        ({"organization_ids": ["не-uuid"]}, "organization_ids.0"),
        ({}, "organization_ids"),
        ({"organization_ids": [], "extra": 1}, "extra"),
    ):
        response = await api.client.put(url, json=body, headers=api.headers)
        assert response.status_code == 422 and field in {e["field"] for e in response.json()["errors"]}
    assert (await api.client.get(url, headers=api.headers)).status_code == 404
    assert (await api.client.delete(url, headers=api.headers)).status_code == 404
    assert (await api.client.get(f"{API}/access/not-a-user", headers=api.headers)).status_code == 422
    twice = await api.client.put(
        url, json={"organization_ids": [organization["id"], organization["id"]]}, headers=api.headers
    )
    assert twice.status_code == 200 and twice.json()["organization_ids"] == [organization["id"]]


@pytest.mark.parametrize("platform_services", [["profexam"]])
async def test_a_deleted_organisation_leaves_every_entry_and_takes_its_price_lists(platform, api) -> None:
    kept, deleted = await api.organization(name="Остаётся"), await api.organization(name="Удаляется")
    contract = await api.contract(deleted["id"])
    await api.post(f"/contracts/{contract['id']}/prices", {"code": "A01", "name": "Осмотр", "price": 1})
    user_id, headers = await user(platform, ["profexam.read"])
    url = f"{API}/access/{user_id}"
    body = {"organization_ids": [kept["id"], deleted["id"]]}
    assert (await api.client.put(url, json=body, headers=api.headers)).status_code == 200
    assert (await api.client.delete(f"{API}/organizations/{deleted['id']}", headers=api.headers)).status_code == 204
    assert (await api.client.get(url, headers=api.headers)).json()["organization_ids"] == [kept["id"]]
    assert (await api.client.get(f"{API}/contracts/{contract['id']}/prices", headers=api.headers)).status_code == 404
    listed = (await api.client.get(f"{API}/organizations", headers=headers)).json()
    assert [o["id"] for o in listed["items"]] == [kept["id"]]
