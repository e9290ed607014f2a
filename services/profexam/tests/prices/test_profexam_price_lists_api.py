"""Contract price lists through the gateway (PRO-7): CRUD, refusals, and calculations priced by them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from profexam_builders import XLSX_HEADERLESS, workbook_bytes

API = "/api/profexam"
PROFEXAM_ONLY = pytest.mark.parametrize("platform_services", [["profexam"]])
EXAM_PERIOD = {"period_from": "2026-03-01", "period_to": "2026-05-31"}


async def organization_with_contracts(api, *periods: tuple[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    organization = await api.organization()
    contracts = [
        await api.post(
            f"/organizations/{organization['id']}/contracts",
            {"number": f"Д-{index}", "valid_from": start, "valid_to": end},
        )
        for index, (start, end) in enumerate(periods, start=1)
    ]
    return organization, contracts


async def new_exam(
    api, organization: dict[str, Any], contract: dict[str, Any] | None = None, **period: str
) -> dict[str, Any]:
    body = {
        "organization_id": organization["id"],
        "contract_id": contract["id"] if contract else None,
        "name": "Периодический осмотр",
        **EXAM_PERIOD,
        **period,
    }
    return await api.post("/exams", body)


async def add_price(api, contract_id: str, **fields: Any) -> dict[str, Any]:
    return await api.post(f"/contracts/{contract_id}/prices", {"name": "Осмотр терапевта", **fields})


@PROFEXAM_ONLY
async def test_a_contract_price_list_is_created_listed_changed_and_deleted(api) -> None:
    _, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    url = f"/contracts/{contract['id']}/prices"
    first = await add_price(api, contract["id"], code="B04.047.002", price="1500.50", group="Профосмотр")
    second = await add_price(api, contract["id"], code="A09.05.023", name="Глюкоза крови", price=320)
    assert (first["code"], first["price"], first["group"], first["contract_id"]) == (
        "B04.047.002",
        "1500.50",
        "Профосмотр",
        contract["id"],
    )
    listed = await api.get(url)
    assert listed["total"] == 2 and [p["code"] for p in listed["items"]] == ["A09.05.023", "B04.047.002"]
    page = await api.get(url, limit=1, offset=1)
    assert page["total"] == 2 and [p["id"] for p in page["items"]] == [first["id"]]
    assert [p["id"] for p in (await api.get(url, q="глюкоза"))["items"]] == [second["id"]]
    assert (await api.get(f"{url}/{first['id']}"))["name"] == "Осмотр терапевта"
    response = await api.client.patch(
        f"{API}{url}/{first['id']}", json={"price": "1700", "group": None}, headers=api.headers
    )
    assert response.status_code == 200 and (response.json()["price"], response.json()["group"]) == ("1700.00", None)
    response = await api.client.delete(f"{API}{url}/{second['id']}", headers=api.headers)
    assert response.status_code == 204
    assert (await api.get(url))["total"] == 1
    response = await api.client.get(f"{API}{url}/{second['id']}", headers=api.headers)
    assert response.status_code == 404


@PROFEXAM_ONLY
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "A01", "price": -1}, "price"),
        ({"code": "A01", "price": "10.005"}, "price"),
        ({"code": "A01", "price": "10000000000"}, "price"),
        ({"code": "A01", "price": "NaN"}, "price"),
        ({"code": "A01", "price": "дорого"}, "price"),
        ({"code": "A01"}, "price"),
        ({"code": "  ", "price": 1}, "code"),
        ({"code": "A" * 51, "price": 1}, "code"),
        ({"code": "A\x0001", "price": 1}, "code"),
        ({"code": "A01", "price": 1, "name": ""}, "name"),
        ({"code": "A01", "price": 1, "discount": 5}, "discount"),
    ],
)
async def test_a_bad_price_list_entry_is_422_naming_the_field(api, body: dict[str, Any], field: str) -> None:
    _, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    response = await api.client.post(
        f"{API}/contracts/{contract['id']}/prices", json={"name": "Осмотр", **body}, headers=api.headers
    )
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


@PROFEXAM_ONLY
async def test_a_service_is_listed_once_per_contract(api) -> None:
    _, (contract, other) = await organization_with_contracts(
        api, ("2026-01-01", "2026-12-31"), ("2027-01-01", "2027-12-31")
    )
    first = await add_price(api, contract["id"], code="A01.001", price=100)
    url = f"{API}/contracts/{contract['id']}/prices"
    again = await api.client.post(url, json={"code": " a01.001 ", "name": "Другое", "price": 5}, headers=api.headers)
    assert again.status_code == 409 and again.json()["conflicts"] == [{"id": first["id"], "code": "A01.001"}]
    await add_price(api, other["id"], code="A01.001", price=120)  # another contract may list it
    second = await add_price(api, contract["id"], code="A01.002", price=100)
    renamed = await api.client.patch(f"{url}/{second['id']}", json={"code": "A01.001"}, headers=api.headers)
    assert renamed.status_code == 409
    cleared = await api.client.patch(f"{url}/{second['id']}", json={"price": None}, headers=api.headers)
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "price"


@PROFEXAM_ONLY
async def test_unknown_contracts_and_entries_of_another_contract_are_404(api) -> None:
    _, (contract, other) = await organization_with_contracts(
        api, ("2026-01-01", "2026-12-31"), ("2027-01-01", "2027-12-31")
    )
    price = await add_price(api, contract["id"], code="A01", price=1)
    missing = "00000000-0000-0000-0000-000000000001"
    for method, path, body in (
        ("GET", f"/contracts/{missing}/prices", None),
        ("POST", f"/contracts/{missing}/prices", {"code": "A01", "name": "x", "price": 1}),
        ("GET", f"/contracts/{other['id']}/prices/{price['id']}", None),
        ("PATCH", f"/contracts/{other['id']}/prices/{price['id']}", {"price": 2}),
        ("DELETE", f"/contracts/{other['id']}/prices/{price['id']}", None),
    ):
        response = await api.client.request(method, API + path, json=body, headers=api.headers)
        assert response.status_code == 404, (method, path, response.text)


async def test_price_lists_need_the_profexam_rights(platform, api) -> None:
    _, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    reader = await platform.headers_with(["profexam.read"])
    url = f"{API}/contracts/{contract['id']}/prices"
    assert (await api.client.get(url, headers=reader)).status_code == 200
    response = await api.client.post(url, json={"code": "A01", "name": "x", "price": 1}, headers=reader)
    assert response.status_code == 403 and response.json()["missing_right"] == "profexam.write"


POSITIONS = [
    {"position": "Слесарь", "headcount": 2, "service_code": "b04.047.002", "price": "1000"},
    {"position": "Маляр", "headcount": 1, "service_code": "X99", "price": "900"},
    {"position": "Токарь", "headcount": 1},
]


@PROFEXAM_ONLY
async def test_a_calculation_takes_the_contract_price_of_its_services(api) -> None:
    organization, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    await add_price(api, contract["id"], code="B04.047.002", price="1500.50")
    exam = await new_exam(api, organization, contract)
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS})
    assert calculation["contract_id"] == contract["id"]
    lines = [(p["service_code"], p["price"], p["price_source"], p["line_total"]) for p in calculation["positions"]]
    assert lines == [
        ("b04.047.002", "1500.50", "contract", "3001.00"),
        ("X99", "900.00", "line", "900.00"),
        (None, None, None, "0.00"),
    ]
    assert calculation["total_price"] == "3901.00"
    summary = (await api.get(f"/exams/{exam['id']}/calculations"))["items"][0]
    assert (summary["total_price"], summary["contract_id"]) == ("3901.00", contract["id"])


@PROFEXAM_ONLY
async def test_without_a_bound_contract_the_one_in_force_on_the_first_day_applies(api) -> None:
    organization, (old, current) = await organization_with_contracts(
        api, ("2025-01-01", "2025-12-31"), ("2026-01-01", "2026-12-31")
    )
    await add_price(api, old["id"], code="B04.047.002", price=800)
    await add_price(api, current["id"], code="B04.047.002", price=1200)
    exam = await new_exam(api, organization)
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS[:1]})
    assert (calculation["contract_id"], calculation["positions"][0]["price"]) == (current["id"], "1200.00")
    last_year = await new_exam(api, organization, period_from="2025-11-01", period_to="2026-02-28")
    calculation = await api.post(f"/exams/{last_year['id']}/calculations", {"positions": POSITIONS[:1]})
    assert (calculation["contract_id"], calculation["positions"][0]["price"]) == (old["id"], "800.00")


@PROFEXAM_ONLY
async def test_without_a_contract_in_force_the_line_prices_stay(api) -> None:
    organization, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    await add_price(api, contract["id"], code="B04.047.002", price="1500")
    exam = await new_exam(api, organization, period_from="2030-01-01", period_to="2030-12-31")
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS[:1]})
    assert calculation["contract_id"] is None
    assert (calculation["positions"][0]["price"], calculation["positions"][0]["price_source"]) == ("1000.00", "line")
    assert calculation["total_price"] == "2000.00"


@PROFEXAM_ONLY
async def test_a_saved_calculation_keeps_its_prices_when_the_list_changes(api) -> None:
    organization, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    price = await add_price(api, contract["id"], code="B04.047.002", price="1500")
    exam = await new_exam(api, organization, contract)
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS[:1]})
    response = await api.client.patch(
        f"{API}/contracts/{contract['id']}/prices/{price['id']}", json={"price": "10"}, headers=api.headers
    )
    assert response.status_code == 200
    assert (await api.get(f"/calculations/{calculation['id']}"))["total_price"] == "3000.00"
    again = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS[:1]})
    assert again["total_price"] == "20.00"


@PROFEXAM_ONLY
async def test_an_imported_calculation_is_priced_by_the_mapped_service_column(api) -> None:
    organization, (contract,) = await organization_with_contracts(api, ("2026-01-01", "2026-12-31"))
    await add_price(api, contract["id"], code="B04.047.002", price="1500")
    exam = await new_exam(api, organization, contract)
    rows = [["Слесарь", None, 2, "4.4", "1 000,00", "B04.047.002"], ["Маляр", None, 1, None, 700, None]]
    content = workbook_bytes(
        rows, header=["Должность", "Подразделение", "Численность", "Факторы", "Цена", "Код услуги"]
    )
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/calculations/imports",
        files={"file": ("calc.xlsx", content, XLSX_HEADERLESS)},
        data={"mapping": json.dumps({"service_code": "F"})},
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    calculation = response.json()["calculation"]
    assert [(p["service_code"], p["price"], p["price_source"]) for p in calculation["positions"]] == [
        ("B04.047.002", "1500.00", "contract"),
        (None, "700.00", "line"),
    ]
    assert calculation["total_price"] == "3700.00"
