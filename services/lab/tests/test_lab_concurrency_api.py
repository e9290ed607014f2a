"""Safe concurrent edits (#15): ETags on the lab's resources, If-Match on their edits (412),
required on the settings (428); `updated_since` on the order list; errors with codes, in the
client's language."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lab_builders import API, Publish, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.auth import Principal
from clinic_shared.concurrency import PreconditionFailed, PreconditionRequired
from clinic_shared.concurrency import check_if_match_or_absent as check_put
from clinic_shared.testing.platform import Platform

STALE = '"999999"'


async def _order(platform: Platform, publish_event: Publish) -> dict[str, Any]:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    return await make_order(platform, patient["id"], lab["id"], [test["id"]])


async def _etag(platform: Platform, path: str) -> str:
    response = await platform.client.get(f"{API}{path}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


async def test_an_order_answers_its_version_as_etag_and_every_change_moves_it(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _order(platform, publish_event)
    first = await _etag(platform, f"/orders/{order['id']}")
    assert first == f'"{order["version"]}"'
    sample = order["samples"][0]
    changed = await platform.client.put(
        f"{API}/orders/{order['id']}/samples/{sample['id']}/barcode",
        json={"barcode": "4607001234567"},
        headers={**platform.admin_headers, "If-Match": first},
    )
    assert changed.status_code == 200, changed.text
    second = changed.headers["etag"]
    assert second != first and second == await _etag(platform, f"/orders/{order['id']}")
    sent = await platform.client.post(
        f"{API}/orders/{order['id']}/send", headers={**platform.admin_headers, "If-Match": second}
    )
    assert sent.status_code == 202, sent.text
    assert sent.headers["etag"] not in (first, second)


async def test_two_users_changing_the_same_order_the_second_gets_412(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _order(platform, publish_event)
    etag = await _etag(platform, f"/orders/{order['id']}")
    front_desk = {**platform.admin_headers, "If-Match": etag}
    lab_doctor = {**(await platform.headers_with(["lab.read", "lab.results"])), "If-Match": etag}
    test_id = order["tests"][0]["test_id"]
    cancelled = await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=front_desk)
    assert cancelled.status_code == 200, cancelled.text
    late = await platform.client.post(
        f"{API}/orders/{order['id']}/results", json={"results": [{"test_id": test_id, "value": 5}]}, headers=lab_doctor
    )
    assert late.status_code == 412
    body = late.json()
    assert body["code"] == "version-mismatch" and body["current_version"] == str(cancelled.json()["version"])
    assert body["etag"] == cancelled.headers["etag"]
    assert (await get_order(platform, order["id"]))["status"] == "cancelled"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/status", {"status": "sent"}),
        ("post", "/cancel", None),
        ("post", "/send", None),
        ("put", "/samples/{sample}/barcode", {"barcode": "4607001234567"}),
        ("post", "/results", {"results": [{"test_id": "{test}", "value": 5}]}),
        ("post", "/results/{test}/correction", {"value": 6, "reason": "опечатка"}),
    ],
)
async def test_every_order_change_refuses_a_stale_version(
    platform: Platform, publish_event: Publish, method: str, path: str, body: dict[str, Any] | None
) -> None:
    order = await _order(platform, publish_event)
    test_id, sample_id = order["tests"][0]["test_id"], order["samples"][0]["id"]
    if "correction" in path:
        recorded = await platform.client.post(
            f"{API}/orders/{order['id']}/results",
            json={"results": [{"test_id": test_id, "value": 5}]},
            headers=platform.admin_headers,
        )
        assert recorded.status_code == 200, recorded.text
    url = f"{API}/orders/{order['id']}" + path.format(sample=sample_id, test=test_id)
    payload = None if body is None else _fill(body, test_id)
    before = await get_order(platform, order["id"])
    response = await platform.client.request(
        method.upper(), url, json=payload, headers={**platform.admin_headers, "If-Match": STALE}
    )
    assert response.status_code == 412, response.text
    assert response.json()["current_version"] == str(before["version"])
    assert (await get_order(platform, order["id"]))["version"] == before["version"]
    # Without If-Match an order change goes through (the precondition is not required there).
    response = await platform.client.request(method.upper(), url, json=payload, headers=platform.admin_headers)
    assert response.status_code in (200, 202), response.text


def _fill(body: dict[str, Any], test_id: str) -> dict[str, Any]:
    if "results" in body:
        return {"results": [{**entry, "test_id": test_id} for entry in body["results"]]}
    return body


async def test_the_settings_need_if_match_from_a_user(platform: Platform) -> None:
    headers = platform.admin_headers
    missing = await platform.client.put(f"{API}/settings", json={"send_automatically": True}, headers=headers)
    assert missing.status_code == 428
    assert missing.json()["code"] == "if-match-required"
    etag = await _etag(platform, "/settings")
    assert missing.json()["etag"] == etag
    changed = await platform.client.put(
        f"{API}/settings", json={"send_automatically": True}, headers={**headers, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != etag and changed.headers["etag"] == await _etag(platform, "/settings")
    stale = await platform.client.put(
        f"{API}/settings", json={"send_automatically": False}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert (await platform.client.get(f"{API}/settings", headers=headers)).json()["send_automatically"] is True


async def test_two_admins_editing_the_settings_at_once_one_wins(platform: Platform) -> None:
    etag = await _etag(platform, "/settings")
    headers = {**platform.admin_headers, "If-Match": etag}
    answers = await asyncio.gather(
        platform.client.put(f"{API}/settings", json={"create_on_charge": True}, headers=headers),
        platform.client.put(f"{API}/settings", json={"send_automatically": True}, headers=headers),
    )
    assert sorted(a.status_code for a in answers) == [200, 412]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/workstations/ws-{n}/printer", {"printer_name": "Zebra GK420t"}),
        ("/lab-doctors/{n}", {"has_access": True}),
    ],
)
async def test_a_printer_and_a_lab_doctor_need_if_match_once_they_exist(
    platform: Platform, path: str, body: dict[str, Any]
) -> None:
    url = API + path.format(n=uuid.uuid4())
    headers = platform.admin_headers
    created = await platform.client.put(url, json=body, headers=headers)
    assert created.status_code == 200, created.text  # the first one: nothing to lose yet
    etag = created.headers["etag"]
    assert etag == (await platform.client.get(url, headers=headers)).headers["etag"]
    assert (await platform.client.put(url, json=body, headers=headers)).status_code == 428
    assert (await platform.client.put(url, json=body, headers={**headers, "If-Match": STALE})).status_code == 412
    replaced = await platform.client.put(url, json=body, headers={**headers, "If-Match": etag})
    assert replaced.status_code == 200, replaced.text
    assert replaced.headers["etag"] != etag
    if "lab-doctors" in path:
        assert (await platform.client.delete(url, headers=headers)).status_code == 428
        assert (await platform.client.delete(url, headers={**headers, "If-Match": etag})).status_code == 412
        gone = await platform.client.delete(url, headers={**headers, "If-Match": replaced.headers["etag"]})
        assert gone.status_code == 204


async def test_a_new_row_with_a_stale_version_is_412_and_a_service_needs_no_if_match() -> None:
    with pytest.raises(PreconditionFailed):
        check_put(STALE, None, None, required=True)
    check_put("*", None, None, required=True)
    row = type("Row", (), {"version": 3})()
    user = Principal(user_id=uuid.uuid4(), username="admin")
    with pytest.raises(PreconditionRequired):
        check_put(None, row, user, required=True)
    check_put(None, row, Principal(user_id=uuid.uuid4(), username="billing", service="billing"), required=True)


async def test_labs_tests_and_links_refuse_a_stale_version(platform: Platform) -> None:
    headers = platform.admin_headers
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    link = await platform.client.post(
        f"{API}/test-service-links", json={"test_id": test["id"], "service_id": str(uuid.uuid4())}, headers=headers
    )
    assert link.status_code == 201, link.text
    stale = {**headers, "If-Match": STALE}
    for path, change in ((f"/labs/{lab['id']}", {"name": "Инвитро"}), (f"/tests/{test['id']}", {"name": "ОАК"})):
        etag = await _etag(platform, path)
        assert (await platform.client.patch(f"{API}{path}", json=change, headers=stale)).status_code == 412
        changed = await platform.client.patch(f"{API}{path}", json=change, headers={**headers, "If-Match": etag})
        assert changed.status_code == 200, changed.text
        assert changed.headers["etag"] != etag
        assert (await platform.client.delete(f"{API}{path}", headers={**headers, "If-Match": etag})).status_code == 412
        archived = await platform.client.delete(
            f"{API}{path}", headers={**headers, "If-Match": changed.headers["etag"]}
        )
        assert archived.status_code == 204
    link_url = f"{API}/test-service-links/{link.json()['id']}"
    assert (await platform.client.delete(link_url, headers=stale)).status_code == 412
    deleted = await platform.client.delete(link_url, headers={**headers, "If-Match": link.headers["etag"]})
    assert deleted.status_code == 204


async def test_updated_since_lists_the_orders_changed_since(platform: Platform, publish_event: Publish) -> None:
    old, changed = await _order(platform, publish_event), await _order(platform, publish_event)
    await asyncio.sleep(0.01)
    since = datetime.now(UTC)
    cancelled = await platform.client.post(f"{API}/orders/{changed['id']}/cancel", headers=platform.admin_headers)
    assert cancelled.status_code == 200
    new = await _order(platform, publish_event)
    response = await platform.client.get(
        f"{API}/orders", params={"updated_since": since.isoformat()}, headers=platform.admin_headers
    )
    assert response.status_code == 200, response.text
    ids = {o["id"] for o in response.json()["items"]}
    assert ids == {changed["id"], new["id"]} and old["id"] not in ids
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    nothing = await platform.client.get(
        f"{API}/orders", params={"updated_since": later}, headers=platform.admin_headers
    )
    assert nothing.json()["items"] == []
    naive = await platform.client.get(
        f"{API}/orders", params={"updated_since": "2026-12-01T10:00:00"}, headers=platform.admin_headers
    )
    assert naive.status_code == 422


async def test_a_lab_error_is_in_russian_by_default_and_in_english_on_request(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _order(platform, publish_event)
    url = f"{API}/orders/{order['id']}/status"
    russian = await platform.client.post(
        url, json={"status": "completed"}, headers={**platform.admin_headers, "Accept-Language": "ru"}
    )
    body = russian.json()
    assert russian.status_code == 409 and body["code"] == "illegal-transition"
    assert body["type"] == "/problems/illegal-transition" and body["instance"] == url
    assert body["title"] == "Недопустимая смена статуса"  # the code's own title
    assert body["detail"] == "Заказ нельзя перевести из статуса created в completed."
    assert (body["from_status"], body["to_status"]) == ("created", "completed")
    english = await platform.client.post(
        url, json={"status": "completed"}, headers={**platform.admin_headers, "Accept-Language": "en"}
    )
    assert english.json()["title"] == "Illegal status change"
    assert english.json()["detail"] == "An order cannot go from created to completed."
    unknown = await platform.client.get(
        f"{API}/orders/{uuid.uuid4()}", headers={**platform.admin_headers, "Accept-Language": ""}
    )
    assert unknown.json()["detail"].startswith("Лабораторный заказ ")


async def test_a_taken_barcode_is_409_with_its_code_and_a_field_error(
    platform: Platform, publish_event: Publish
) -> None:
    first, second = await _order(platform, publish_event), await _order(platform, publish_event)
    barcode = first["samples"][0]["barcode"]
    response = await platform.client.put(
        f"{API}/orders/{second['id']}/samples/{second['samples'][0]['id']}/barcode",
        json={"barcode": barcode},
        headers={**platform.admin_headers, "Accept-Language": "ru"},
    )
    body = response.json()
    assert response.status_code == 409 and body["code"] == "barcode-taken"
    assert body["errors"] == [{"field": "barcode", "code": "duplicate_barcode", "message": "штрихкод уже используется"}]
