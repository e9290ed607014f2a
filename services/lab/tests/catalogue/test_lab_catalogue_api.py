"""Loading a lab's catalogue through the gateway (LAB-2)."""

from __future__ import annotations

import uuid

from lab_builders import API, make_lab

from clinic_shared.testing.platform import Platform

HEADER = "code;name;container_type;units;reference_low;reference_high"


async def _load(platform: Platform, lab_id: str, text: str, **params: str) -> tuple[int, dict]:
    response = await platform.client.post(
        f"{API}/labs/{lab_id}/catalogue",
        files={"file": ("catalogue.csv", text.encode("cp1251"), "text/csv")},
        params=params,
        headers=platform.admin_headers,
    )
    return response.status_code, response.json()


async def _tests(platform: Platform, lab_id: str) -> dict[str, dict]:
    response = await platform.client.get(f"{API}/tests", params={"lab_id": lab_id}, headers=platform.admin_headers)
    return {t["code"]: t for t in response.json()["items"]}


async def test_reload_reports_added_updated_unchanged_and_keeps_ids_and_links(platform: Platform) -> None:
    lab = await make_lab(platform)
    status, report = await _load(
        platform, lab["id"], f"{HEADER}\nHB;Гемоглобин;EDTA;г/л;120;160\nGLU;Глюкоза;serum;;;\n"
    )
    assert status == 200
    assert (report["added"], report["updated"], report["unchanged"], report["rejected"]) == (2, 0, 0, [])
    before = await _tests(platform, lab["id"])
    link = await platform.client.post(
        f"{API}/test-service-links",
        json={"test_id": before["HB"]["id"], "service_id": str(uuid.uuid4())},
        headers=platform.admin_headers,
    )
    assert link.status_code == 201
    status, report = await _load(
        platform,
        lab["id"],
        f"{HEADER}\nHB;Гемоглобин;EDTA;г/л;115;165\nGLU;Глюкоза;serum;;;\nALT;АЛТ;serum;Ед/л;0;40\n",
    )
    assert (report["added"], report["updated"], report["unchanged"]) == (1, 1, 1)
    after = await _tests(platform, lab["id"])
    assert after["HB"]["id"] == before["HB"]["id"] and after["HB"]["reference_low"] == 115
    links = await platform.client.get(
        f"{API}/test-service-links", params={"test_id": before["HB"]["id"]}, headers=platform.admin_headers
    )
    assert links.json()["total"] == 1


async def test_a_rejected_row_stops_the_whole_load_and_is_reported(platform: Platform) -> None:
    lab = await make_lab(platform)
    status, body = await _load(platform, lab["id"], f"{HEADER}\nHB;Гемоглобин;EDTA;г/л;120;160\nGLU;;serum;;abc;\n")
    assert status == 422
    assert body["applied"] is False and body["added"] == 1
    assert body["rejected"] == [
        {"row": 3, "field": "name", "reason": "is required"},
        {"row": 3, "field": "reference_low", "reason": "is not a number"},
    ]
    assert await _tests(platform, lab["id"]) == {}


async def test_allow_partial_loads_the_good_rows(platform: Platform) -> None:
    lab = await make_lab(platform)
    status, body = await _load(
        platform, lab["id"], f"{HEADER}\nHB;Гемоглобин;EDTA;г/л;120;160\nGLU;;serum;;;\n", allow_partial="true"
    )
    assert status == 200 and body["applied"] is True and len(body["rejected"]) == 1
    assert list(await _tests(platform, lab["id"])) == ["HB"]


async def test_an_unreadable_file_is_422_naming_file(platform: Platform) -> None:
    lab = await make_lab(platform)
    status, body = await _load(platform, lab["id"], "code;name\nHB;Hb\n")
    assert status == 422 and body["errors"][0]["field"] == "file"
