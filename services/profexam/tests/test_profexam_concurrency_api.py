"""Safe concurrent edits (#15): ETags on organisations, prices, exams, employees and access
entries, If-Match on their changes (412, not required); errors with codes in the client's language."""

from __future__ import annotations

import uuid
from typing import Any

API = "/api/profexam"
STALE = '"1"'
NEW_PATIENT = {"last_name": "Смирнова", "first_name": "Анна", "birth_date": "1990-05-06"}


async def _etag(api: Any, path: str) -> str:
    response = await api.client.get(API + path, headers=api.headers)
    assert response.status_code == 200, response.text
    return response.headers["etag"]  # type: ignore[no-any-return]


async def _patch_then_delete(api: Any, path: str, change: dict[str, Any], *, delete: bool = True) -> None:
    """A stale If-Match is 412 (nothing changes), the current one goes through with a new ETag."""
    etag = await _etag(api, path)
    stale = await api.client.patch(API + path, json=change, headers={**api.headers, "If-Match": STALE})
    assert stale.status_code == 412, stale.text
    assert stale.json()["code"] == "version-mismatch" and stale.json()["etag"] == etag
    changed = await api.client.patch(API + path, json=change, headers={**api.headers, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != etag and changed.headers["etag"] == await _etag(api, path)
    # Another user still holding the old version is refused.
    assert (
        await api.client.patch(API + path, json=change, headers={**api.headers, "If-Match": etag})
    ).status_code == 412
    if delete:
        refused = await api.client.delete(API + path, headers={**api.headers, "If-Match": etag})
        assert refused.status_code == 412
        deleted = await api.client.delete(API + path, headers={**api.headers, "If-Match": changed.headers["etag"]})
        assert deleted.status_code == 204, deleted.text


async def test_an_organisation_is_changed_and_deleted_from_its_current_version(api: Any) -> None:
    organization = await api.organization()
    await _patch_then_delete(api, f"/organizations/{organization['id']}", {"contact": "Иванова, 8 800"})


async def test_a_price_is_changed_and_deleted_from_its_current_version(api: Any) -> None:
    organization = await api.organization()
    contract = await api.contract(organization["id"])
    price = await api.post(
        f"/contracts/{contract['id']}/prices", {"code": "B01.047.001", "name": "Приём терапевта", "price": "900"}
    )
    await _patch_then_delete(api, f"/contracts/{contract['id']}/prices/{price['id']}", {"price": "950"})


async def test_an_exam_is_changed_from_its_current_version(api: Any) -> None:
    exam = await api.exam()
    await _patch_then_delete(api, f"/exams/{exam['id']}", {"name": "Предварительный осмотр"}, delete=False)


async def test_an_edit_without_if_match_still_goes_through(api: Any) -> None:
    exam = await api.exam()
    response = await api.client.patch(f"{API}/exams/{exam['id']}", json={"kind": "periodic"}, headers=api.headers)
    assert response.status_code == 200 and response.headers["etag"]


async def test_an_employee_is_removed_only_from_the_version_its_addition_answered(api: Any) -> None:
    exam = await api.exam()
    added = await api.client.post(
        f"{API}/exams/{exam['id']}/employees", json={"patient": NEW_PATIENT}, headers=api.headers
    )
    assert added.status_code == 201, added.text
    url = f"{API}/exams/{exam['id']}/employees/{added.json()['id']}"
    assert (await api.client.delete(url, headers={**api.headers, "If-Match": STALE})).status_code == 412
    removed = await api.client.delete(url, headers={**api.headers, "If-Match": added.headers["etag"]})
    assert removed.status_code == 204


async def test_an_access_entry_is_replaced_and_lifted_from_its_current_version(api: Any) -> None:
    organization = await api.organization()
    url = f"{API}/access/{uuid.uuid4()}"
    body = {"organization_ids": [organization["id"]]}
    stale_for_new = await api.client.put(url, json=body, headers={**api.headers, "If-Match": STALE})
    assert stale_for_new.status_code == 412  # no entry: a version named for it was deleted since
    created = await api.client.put(url, json=body, headers=api.headers)
    assert created.status_code == 200, created.text
    etag = created.headers["etag"]
    assert etag == (await api.client.get(url, headers=api.headers)).headers["etag"]
    assert (await api.client.put(url, json=body, headers={**api.headers, "If-Match": STALE})).status_code == 412
    replaced = await api.client.put(
        url, json={**body, "note": "только Ромашка"}, headers={**api.headers, "If-Match": etag}
    )
    assert replaced.status_code == 200, replaced.text
    assert (await api.client.delete(url, headers={**api.headers, "If-Match": etag})).status_code == 412
    lifted = await api.client.delete(url, headers={**api.headers, "If-Match": replaced.headers["etag"]})
    assert lifted.status_code == 204


async def test_a_profexam_error_is_in_russian_by_default_and_in_english_on_request(api: Any) -> None:
    exam = await api.exam()
    url = f"{API}/organizations/{exam['organization_id']}"
    russian = await api.client.delete(url, headers={**api.headers, "Accept-Language": ""})
    body = russian.json()
    assert russian.status_code == 409 and body["code"] == "organization-has-exams"
    assert body["type"] == "/problems/organization-has-exams" and body["instance"] == url
    assert body["detail"] == "У организации есть профосмотры (1): её нельзя удалить."
    assert russian.headers["content-language"] == "ru"
    english = await api.client.delete(url, headers={**api.headers, "Accept-Language": "en"})
    assert english.json()["detail"] == "The organisation has 1 exam(s); it cannot be deleted."
    missing = await api.client.get(f"{API}/exams/{uuid.uuid4()}", headers={**api.headers, "Accept-Language": "ru"})
    assert missing.status_code == 404 and missing.json()["detail"].startswith("Профосмотр ")


async def test_a_price_code_listed_twice_is_409_with_its_code(api: Any) -> None:
    organization = await api.organization()
    contract = await api.contract(organization["id"])
    body = {"code": "B01.047.001", "name": "Приём терапевта", "price": "900"}
    await api.post(f"/contracts/{contract['id']}/prices", body)
    again = await api.client.post(f"{API}/contracts/{contract['id']}/prices", json=body, headers=api.headers)
    assert again.status_code == 409 and again.json()["code"] == "price-code-taken"
