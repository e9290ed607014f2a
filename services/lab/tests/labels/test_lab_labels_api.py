"""Labels through the gateway, decoded (LAB-5)."""

from __future__ import annotations

from lab_builders import API, Publish, make_lab, make_order, make_patient, make_test
from lab_zpl_reader import parse_zpl

from clinic_shared.testing.platform import Platform


async def _order(platform: Platform, publish_event: Publish, **order_fields: str) -> dict:
    patient = await make_patient(
        platform, publish_event, last_name="Сидорова", first_name="Анна", middle_name="Ильинична"
    )
    lab = await make_lab(platform)
    tests = [await make_test(platform, lab["id"]), await make_test(platform, lab["id"], container_type="urine")]
    return await make_order(platform, patient["id"], lab["id"], [t["id"] for t in tests], **order_fields)


async def test_order_labels_carry_each_samples_barcode_and_the_patient(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _order(platform, publish_event)
    response = await platform.client.get(f"{API}/orders/{order['id']}/labels.zpl", headers=platform.admin_headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.zebra-zpl")
    labels = parse_zpl(response.text)
    assert [label.barcodes[0].data for label in labels] == [s["barcode"] for s in order["samples"]]
    assert labels[0].texts == ["Сидорова А. И.", "д.р. 12.04.1985", f"{order['number']}  ЭДТА"]
    assert labels[1].texts[2] == f"{order['number']}  Моча"


async def test_tubes_are_named_in_russian_in_the_order_and_the_lab_keeps_its_codes(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _order(platform, publish_event)
    assert [(s["container_type"], s["container_name"]) for s in order["samples"]] == [
        ("EDTA", "ЭДТА"),
        ("urine", "Моча"),
    ]
    test = (
        await platform.client.get(f"{API}/tests/{order['tests'][0]['test_id']}", headers=platform.admin_headers)
    ).json()
    assert (test["container_type"], test["container_name"]) == ("EDTA", "ЭДТА")


async def test_a_tube_named_in_russian_by_the_catalogue_is_printed_as_it_is(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"], container_type="Пробирка с цитратом (голубая)")
    order = await make_order(platform, patient["id"], lab["id"], [test["id"]])
    response = await platform.client.get(f"{API}/orders/{order['id']}/labels.zpl", headers=platform.admin_headers)
    (label,) = parse_zpl(response.text)
    assert label.texts[2] == f"{order['number']}  Пробирка с цитратом (голубая)"


async def test_a_sample_label_uses_the_workstation_printer_size(platform: Platform, publish_event: Publish) -> None:
    printer = {"printer_name": "Zebra GK420t", "dpi": 300, "label_width_mm": 58, "label_height_mm": 40}
    put = await platform.client.put(f"{API}/workstations/reg-1/printer", json=printer, headers=platform.admin_headers)
    assert put.status_code == 200
    order = await _order(platform, publish_event, workstation_id="reg-1")
    sample = order["samples"][1]
    response = await platform.client.get(
        f"{API}/orders/{order['id']}/samples/{sample['id']}/label.zpl", headers=platform.admin_headers
    )
    (label,) = parse_zpl(response.text)
    assert label.barcodes[0].data == sample["barcode"]
    assert (label.param("PW"), label.param("LL")) == ("685", "472")
