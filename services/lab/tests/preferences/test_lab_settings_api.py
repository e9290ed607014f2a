"""Lab settings and workstation printers (LAB-1)."""

from __future__ import annotations

import uuid

from lab_builders import API, make_lab

from clinic_shared.testing.platform import Platform


async def test_settings_start_with_the_lab_on_and_charges_off(platform: Platform) -> None:
    response = await platform.client.get(f"{API}/settings", headers=platform.admin_headers)
    body = response.json()
    assert (body["use_new_laboratory"], body["create_on_charge"], body["create_on_charge_lab_ids"]) == (True, False, [])


async def test_put_changes_the_fields_sent_and_keeps_the_rest(platform: Platform) -> None:
    lab = await make_lab(platform)
    await platform.client.put(
        f"{API}/settings",
        json={"default_case": {"department": "КДЛ"}},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    response = await platform.client.put(
        f"{API}/settings",
        json={"create_on_charge": True, "create_on_charge_lab_ids": [lab["id"]]},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    body = response.json()
    assert (body["create_on_charge"], body["create_on_charge_lab_ids"]) == (True, [lab["id"]])
    assert body["default_case"]["department"] == "КДЛ" and body["updated_by_username"] == "admin"


async def test_an_unknown_lab_for_charges_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.put(
        f"{API}/settings",
        json={"create_on_charge_lab_ids": [str(uuid.uuid4())]},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "create_on_charge_lab_ids.0"


async def test_a_printer_dpi_other_than_203_or_300_is_refused(platform: Platform) -> None:
    response = await platform.client.put(
        f"{API}/workstations/ws-1/printer", json={"printer_name": "Zebra", "dpi": 600}, headers=platform.admin_headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "dpi"


async def test_a_workstation_without_a_printer_is_404(platform: Platform) -> None:
    response = await platform.client.get(f"{API}/workstations/nowhere/printer", headers=platform.admin_headers)
    assert response.status_code == 404


async def test_changing_settings_needs_the_settings_right(platform: Platform) -> None:
    headers = await platform.headers_with(["lab.read"])
    response = await platform.client.put(
        f"{API}/settings", json={"create_on_charge": True}, headers={**headers, "If-Match": "*"}
    )
    assert response.status_code == 403
