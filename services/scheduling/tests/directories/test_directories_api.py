"""Directories through the gateway (SCH-1): CRUD, references, uniqueness, in-use refusal."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_building_is_created_read_changed_and_deleted(build: Any) -> None:
    building = await build.item("buildings", name="Корпус А", address="ул. Ленина, 1", phone="+7 843 200-00-01")
    assert building["active"] is True
    assert (await build.get(f"/buildings/{building['id']}"))["address"] == "ул. Ленина, 1"

    changed = await build.edit(
        "PATCH", f"/buildings/{building['id']}", json={"name": "Корпус Б"}, headers=build.headers
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Корпус Б"
    assert changed.json()["address"] == "ул. Ленина, 1"

    deleted = await build.edit("DELETE", f"/buildings/{building['id']}", headers=build.headers)
    assert deleted.status_code == 204
    missing = await build.client.get(f"{API}/buildings/{building['id']}", headers=build.headers)
    assert missing.status_code == 404


async def test_every_directory_lists_items_with_a_total(build: Any) -> None:
    for directory in (
        "departments",
        "specializations",
        "appointment-kinds",
        "info-sources",
        "communication-statuses",
        "deletion-reasons",
    ):
        item = await build.item(directory)
        page = await build.get(f"/{directory}", limit=500)
        assert item["id"] in {i["id"] for i in page["items"]}
        assert page["total"] >= 1


async def test_doctor_carries_specializations_and_can_be_filtered_by_one(build: Any) -> None:
    cardiology = await build.item("specializations", name="Кардиолог")
    doctor = await build.doctor(specialization_ids=[cardiology["id"]], online_booking=True, academic_degree="к.м.н.")
    assert doctor["specialization_ids"] == [cardiology["id"]]
    assert doctor["name"] == "Смирнова Анна Сергеевна"

    page = await build.get("/doctors", specialization_id=cardiology["id"])
    assert [d["id"] for d in page["items"]] == [doctor["id"]]


async def test_doctor_with_unknown_specialization_names_the_list_item(build: Any) -> None:
    known = await build.item("specializations")
    response = await build.client.post(
        f"{API}/doctors",
        json={
            "last_name": "А",
            "first_name": "Б",
            "specialization_ids": [known["id"], "00000000-0000-0000-0000-000000000001"],
        },
        headers=build.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "specialization_ids.1", "code": "unknown", "message": "no such specialization"}
    ]


async def test_cabinet_in_an_unknown_building_is_refused_naming_the_field(build: Any) -> None:
    response = await build.client.post(
        f"{API}/cabinets",
        json={"name": "101", "building_id": "00000000-0000-0000-0000-000000000002"},
        headers=build.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "building_id"


async def test_service_codes_are_unique(build: Any) -> None:
    first = await build.service(code="UNIQ-1")
    response = await build.client.post(
        f"{API}/services", json={"code": "UNIQ-1", "name": "Другая", "price": "100"}, headers=build.headers
    )
    assert response.status_code == 409
    assert response.json()["conflicts"] == [first["id"]]


async def test_negative_price_is_refused(build: Any) -> None:
    response = await build.client.post(
        f"{API}/services", json={"code": "NEG", "name": "Приём", "price": "-1"}, headers=build.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "price"


async def test_status_colour_must_be_hex(build: Any) -> None:
    response = await build.client.post(
        f"{API}/appointment-statuses", json={"name": "Пришёл", "colour": "red"}, headers=build.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


async def test_name_cannot_be_cleared(build: Any) -> None:
    department = await build.item("departments")
    response = await build.edit("PATCH", f"/departments/{department['id']}", json={"name": None}, headers=build.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


async def test_deleting_an_item_in_use_is_refused_and_deactivating_it_works(build: Any) -> None:
    building = await build.building()
    await build.cabinet(building_id=building["id"])

    refused = await build.edit("DELETE", f"/buildings/{building['id']}", headers=build.headers)
    assert refused.status_code == 409
    assert refused.json()["uses"] == ["1 cabinets"]

    deactivated = await build.edit(
        "PATCH", f"/buildings/{building['id']}", json={"active": False}, headers=build.headers
    )
    assert deactivated.json()["active"] is False
    inactive = await build.get("/buildings", active="false", limit=500)
    assert building["id"] in {b["id"] for b in inactive["items"]}


async def test_inactive_doctor_cannot_be_booked(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.edit("PATCH", f"/doctors/{doctor['id']}", json={"active": False}, headers=build.headers)

    response = await build.try_book(doctor["id"], day, "10:00")

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "doctor_id",
        "code": "inactive",
        "message": "the doctor is inactive",
    }


async def test_system_record_types_are_seeded_and_cannot_be_deleted(build: Any) -> None:
    page = await build.get("/record-types", limit=500)
    system = {t["code"]: t for t in page["items"] if t["system"]}
    assert {"phone", "online", "ondoc", "walk_in"} <= set(system)

    response = await build.edit("DELETE", f"/record-types/{system['online']['id']}", headers=build.headers)
    assert response.status_code == 409
    recode = await build.edit(
        "PATCH", f"/record-types/{system['online']['id']}", json={"code": "web"}, headers=build.headers
    )
    assert recode.status_code == 422


async def test_unknown_item_is_404(build: Any) -> None:
    response = await build.client.get(f"{API}/doctors/00000000-0000-0000-0000-000000000003", headers=build.headers)
    assert response.status_code == 404


async def test_editing_directories_needs_the_directories_right(build: Any, reader: dict[str, str]) -> None:
    assert (await build.client.get(f"{API}/doctors", headers=reader)).status_code == 200
    response = await build.client.post(f"{API}/departments", json={"name": "Х"}, headers=reader)
    assert response.status_code == 403


async def test_directories_need_a_token(build: Any) -> None:
    assert (await build.client.get(f"{API}/doctors")).status_code == 401


RESERVED_REASONS = {"ondoc_patient": "Отменена пациентом в ONDOC", "online_patient": "Отменена пациентом на сайте"}


async def reserved_reasons(build: Any) -> dict[str, dict[str, Any]]:
    page = await build.get("/deletion-reasons", limit=500)
    return {item["code"]: item for item in page["items"] if item["reserved"]}


async def test_the_reserved_deletion_reasons_exist_on_a_fresh_database(build: Any) -> None:
    reserved = await reserved_reasons(build)
    assert {code: item["name"] for code, item in reserved.items()} == RESERVED_REASONS
    assert all(item["active"] for item in reserved.values())


async def test_a_reserved_deletion_reason_cannot_be_deleted_renamed_deactivated_or_unreserved(build: Any) -> None:
    reason = (await reserved_reasons(build))["ondoc_patient"]
    url = f"/deletion-reasons/{reason['id']}"

    deleted = await build.edit("DELETE", url, headers=build.headers)
    renamed = await build.edit("PATCH", url, json={"name": "Другое"}, headers=build.headers)
    deactivated = await build.edit("PATCH", url, json={"active": False}, headers=build.headers)
    unreserved = await build.edit("PATCH", url, json={"reserved": False}, headers=build.headers)

    for response in (deleted, renamed, deactivated, unreserved):
        assert response.status_code == 409, response.text
        assert "reserved" in response.json()["detail"]
    assert (await build.get(f"/deletion-reasons/{reason['id']}")) == reason
    # Sending what it already is changes nothing and is fine.
    same = await build.edit("PATCH", url, json={"name": reason["name"], "reserved": True}, headers=build.headers)
    assert same.status_code == 200, same.text


async def test_an_ordinary_deletion_reason_cannot_be_made_reserved(build: Any) -> None:
    reason = await build.item("deletion-reasons", name="Ошибка записи (резерв)")
    assert (reason["reserved"], reason["code"]) == (False, None)
    response = await build.edit(
        "PATCH", f"/deletion-reasons/{reason['id']}", json={"reserved": True}, headers=build.headers
    )
    assert response.status_code == 409 and "reserved" in response.json()["detail"]
    created = await build.client.post(
        f"{API}/deletion-reasons", json={"name": "Своя", "reserved": True}, headers=build.headers
    )
    assert created.status_code == 422
