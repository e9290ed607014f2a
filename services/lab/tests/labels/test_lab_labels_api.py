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
    assert labels[0].texts == ["Сидорова А. И.", "д.р. 12.04.1985", f"{order['number']}  EDTA"]
    assert labels[1].texts[2] == f"{order['number']}  urine"


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
