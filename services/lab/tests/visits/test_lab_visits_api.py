"""All results of a visit (LAB-9, «Готовность результата анализа»): with orders at two labs,
`lab_visit.results_ready` is published once, when the last of them is done."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from lab_builders import (
    API,
    Publish,
    charge_body,
    get_order,
    make_lab,
    make_order,
    make_patient,
    make_test,
    put_settings,
)

from clinic_shared.events import EventEnvelope, LabVisitResultsReady
from clinic_shared.testing.platform import Platform

VISIT_READY = "lab_visit.results_ready"


async def _post_results(platform: Platform, order: dict[str, Any], value: str = "140") -> dict[str, Any]:
    results = [{"test_id": test["test_id"], "value": value} for test in order["tests"]]
    response = await platform.client.post(
        f"{API}/orders/{order['id']}/results", json={"results": results}, headers=platform.admin_headers
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def _two_labs_one_visit(platform: Platform, publish_event: Publish) -> tuple[dict, dict, str]:
    """A patient's appointment with a blood test at one lab and a urine test at another."""
    patient = await make_patient(platform, publish_event)
    appointment_id = str(uuid.uuid4())
    orders = []
    for name, container in (("Гемотест", "EDTA"), ("Инвитро", "urine")):
        lab = await make_lab(platform, name=name)
        test = await make_test(platform, lab["id"], container_type=container)
        orders.append(await make_order(platform, patient["id"], lab["id"], [test["id"]], appointment_id=appointment_id))
    return orders[0], orders[1], appointment_id


def _announcements(platform: Platform, visit_id: str) -> list[EventEnvelope]:
    return [e for e in platform.spy.of_type(VISIT_READY) if e.data["visit_id"] == visit_id]


async def _visit(platform: Platform, visit_id: str) -> dict[str, Any]:
    response = await platform.client.get(f"{API}/visits/{visit_id}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_orders_of_one_appointment_at_two_labs_are_one_visit(platform: Platform, publish_event: Publish) -> None:
    first, second, appointment_id = await _two_labs_one_visit(platform, publish_event)

    assert first["visit_id"] == second["visit_id"] is not None
    visit = await _visit(platform, first["visit_id"])
    assert visit["appointment_id"] == appointment_id
    assert [o["id"] for o in visit["orders"]] == [first["id"], second["id"]]
    assert (visit["results_ready"], visit["announcements"]) == (False, 0)


@pytest.mark.parametrize("first_done", [0, 1], ids=["first-lab-first", "second-lab-first"])
async def test_results_ready_is_published_once_when_the_last_lab_is_done(
    platform: Platform, publish_event: Publish, first_done: int
) -> None:
    orders = await _two_labs_one_visit(platform, publish_event)
    earlier, later = orders[first_done], orders[1 - first_done]
    visit_id = earlier["visit_id"]

    assert (await _post_results(platform, earlier))["status"] == "completed"
    assert (await _visit(platform, visit_id))["results_ready"] is False
    await _post_results(platform, later)

    event = await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == visit_id)
    assert sorted(event.data["order_ids"]) == sorted([earlier["id"], later["id"]])
    assert event.data["round"] == 1
    assert event.data["patient_id"] == earlier["patient_id"]
    assert event.data["appointment_id"] == earlier["appointment_id"]
    assert len(set(event.data["lab_ids"])) == 2
    visit = await _visit(platform, visit_id)
    assert (visit["results_ready"], visit["announcements"]) == (True, 1)
    assert len(_announcements(platform, visit_id)) == 1


async def test_results_ready_is_read_by_the_shared_catalogue_model(platform: Platform, publish_event: Publish) -> None:
    first, second, _appointment = await _two_labs_one_visit(platform, publish_event)
    await _post_results(platform, first)
    await _post_results(platform, second)

    event = await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"])
    payload = event.payload()
    assert isinstance(payload, LabVisitResultsReady)
    assert sorted(map(str, payload.order_ids)) == sorted([first["id"], second["id"]])


async def test_two_labs_finishing_at_the_same_moment_announce_the_visit_once(
    platform: Platform, publish_event: Publish
) -> None:
    first, second, _appointment = await _two_labs_one_visit(platform, publish_event)
    visit_id = first["visit_id"]

    done = await asyncio.gather(_post_results(platform, first), _post_results(platform, second))

    assert [order["status"] for order in done] == ["completed", "completed"]
    await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == visit_id)
    # The counter is written with the outbox row: a second announcement would show here.
    assert (await _visit(platform, visit_id))["announcements"] == 1
    assert len(_announcements(platform, visit_id)) == 1


async def test_a_correction_after_the_announcement_does_not_announce_again(
    platform: Platform, publish_event: Publish
) -> None:
    first, second, _appointment = await _two_labs_one_visit(platform, publish_event)
    await _post_results(platform, first)
    await _post_results(platform, second)
    await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"])

    test_id = first["tests"][0]["test_id"]
    corrected = await platform.client.post(
        f"{API}/orders/{first['id']}/results/{test_id}/correction",
        json={"value": "150", "reason": "опечатка"},
        headers=platform.admin_headers,
    )
    assert corrected.status_code == 200, corrected.text
    await platform.wait_for_event(
        "lab_result.ready", lambda e: e.data["order_id"] == first["id"] and e.data["corrected"]
    )

    assert (await _visit(platform, first["visit_id"]))["announcements"] == 1
    assert len(_announcements(platform, first["visit_id"])) == 1


async def test_a_cancelled_order_does_not_hold_back_the_rest_of_the_visit(
    platform: Platform, publish_event: Publish
) -> None:
    first, second, _appointment = await _two_labs_one_visit(platform, publish_event)
    await _post_results(platform, first)
    cancelled = await platform.client.post(
        f"{API}/orders/{second['id']}/cancel", json={"reason": "пациент отказался"}, headers=platform.admin_headers
    )
    assert cancelled.status_code == 200, cancelled.text

    event = await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"])
    assert (event.data["order_ids"], event.data["cancelled_order_ids"]) == ([first["id"]], [second["id"]])


async def test_a_visit_whose_every_order_is_cancelled_announces_nothing(
    platform: Platform, publish_event: Publish
) -> None:
    first, second, _appointment = await _two_labs_one_visit(platform, publish_event)
    for order in (first, second):
        response = await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=platform.admin_headers)
        assert response.status_code == 200, response.text

    visit = await _visit(platform, first["visit_id"])
    assert (visit["results_ready"], visit["announcements"]) == (False, 0)


async def test_orders_by_hand_without_an_appointment_are_separate_visits(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    first = await make_order(platform, patient["id"], lab["id"], [test["id"]])
    second = await make_order(platform, patient["id"], lab["id"], [test["id"]])
    assert first["visit_id"] != second["visit_id"]

    await _post_results(platform, first)

    event = await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"])
    assert event.data["order_ids"] == [first["id"]]
    assert (await _visit(platform, second["visit_id"]))["announcements"] == 0


async def test_orders_of_one_charge_at_two_labs_are_one_visit(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    service_id = str(uuid.uuid4())
    labs = [await make_lab(platform, name=name) for name in ("Гемотест", "Инвитро")]
    for lab in labs:
        test = await make_test(platform, lab["id"])
        linked = await platform.client.post(
            f"{API}/test-service-links/bulk",
            json={"test_id": test["id"], "service_ids": [service_id]},
            headers=platform.admin_headers,
        )
        assert linked.status_code == 200, linked.text
    await put_settings(platform, create_on_charge=True, create_on_charge_lab_ids=[lab["id"] for lab in labs])

    charged = await platform.client.post(
        f"{API}/charges", json=charge_body(patient["id"], service_id), headers=platform.admin_headers
    )
    assert charged.status_code == 201, charged.text
    orders = [await get_order(platform, order_id) for order_id in charged.json()["order_ids"]]

    assert len(orders) == 2
    assert orders[0]["visit_id"] == orders[1]["visit_id"]
    for order in orders:
        await _post_results(platform, order)
    event = await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == orders[0]["visit_id"])
    assert event.data["charge_id"] == charged.json()["id"]
    assert sorted(event.data["order_ids"]) == sorted(order["id"] for order in orders)


async def test_an_order_added_to_an_announced_visit_is_announced_in_a_new_round(
    platform: Platform, publish_event: Publish
) -> None:
    first, second, appointment_id = await _two_labs_one_visit(platform, publish_event)
    await _post_results(platform, first)
    await _post_results(platform, second)
    await platform.wait_for_event(VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"])

    late = await make_order(
        platform, first["patient_id"], first["lab_id"], [first["tests"][0]["test_id"]], appointment_id=appointment_id
    )
    assert late["visit_id"] == first["visit_id"]
    assert (await _visit(platform, first["visit_id"]))["results_ready"] is False
    await _post_results(platform, late)

    event = await platform.wait_for_event(
        VISIT_READY, lambda e: e.data["visit_id"] == first["visit_id"] and e.data["round"] == 2
    )
    assert len(event.data["order_ids"]) == 3
    assert (await _visit(platform, first["visit_id"]))["announcements"] == 2


async def test_an_unknown_visit_is_404(platform: Platform) -> None:
    response = await platform.client.get(f"{API}/visits/{uuid.uuid4()}", headers=platform.admin_headers)
    assert response.status_code == 404


async def test_a_lab_doctor_sees_only_their_labs_orders_of_a_visit(platform: Platform, publish_event: Publish) -> None:
    first, _second, _appointment = await _two_labs_one_visit(platform, publish_event)
    own = await platform.headers_with(["lab.read"], claims={"lab_id": first["lab_id"]})
    stranger = await platform.headers_with(["lab.read"], claims={"lab_id": str(uuid.uuid4())})

    seen = await platform.client.get(f"{API}/visits/{first['visit_id']}", headers=own)
    hidden = await platform.client.get(f"{API}/visits/{first['visit_id']}", headers=stranger)

    assert [order["id"] for order in seen.json()["orders"]] == [first["id"]]
    assert hidden.status_code == 404
