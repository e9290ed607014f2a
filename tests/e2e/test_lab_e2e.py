"""Lab on real processes (issue #7's scenario, run by issue #8): the gateway, patients, scheduling
(the price list), lab and notifier as separate processes on PostgreSQL + RabbitMQ, and the fake
external lab (`python -m lab.fake_lab`) as one more process the lab service reaches over HTTP.
Test ↔ service links are checked against scheduling's price list, orders are made by hand and
from charges (posted through the API, and published as `billing.service_charged` on the
exchange), labels are read back from the ZPL, `lab_result.ready` is watched on the exchange, and
the notifier's "lab result ready" schedule sends the patient exactly one SMS (its in-process fake
provider). One cluster serves the module; each test orders for a card of its own."""

from __future__ import annotations

import asyncio
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from e2e_flows import EventSpy, admin_headers, created, event_spy, ok, until

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import ServiceCharged, new_event
from clinic_shared.testing.backends import Isolation
from gateway.devcluster import Cluster, free_port
from lab.orders.rules import is_valid_generated_barcode

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("lab_e2e")]

LAB = "/api/lab"
ENV = {
    "CLINIC_LAB_EXCHANGE_TICK_SECONDS": "0.2",
    "CLINIC_LAB_EXCHANGE_POLL_SECONDS": "0.3",
    "CLINIC_LAB_EXCHANGE_BACKOFF_SECONDS": "0.2",
    "CLINIC_LAB_EXCHANGE_BACKOFF_CAP_SECONDS": "1",
    "CLINIC_NOTIFIER_FAKES": "true",
    "CLINIC_NOTIFIER_TICK_SECONDS": "0.5",
}


@dataclass(frozen=True)
class LabWorld:
    """The shared cluster, an admin's headers, a lab reached over HTTP with two tests (EDTA and
    serum) both linked to one price-list service, and orders on charge switched on for the lab."""

    cluster: Cluster
    headers: dict[str, str]
    lab: dict[str, Any]
    hb: dict[str, Any]
    glu: dict[str, Any]
    service: dict[str, Any]


@pytest.fixture(scope="module")
def fake_lab_url(e2e_module_isolation: Isolation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fake external lab as a process of its own, answering results a second after an order
    (after `e2e_module_isolation`, which skips the module without PostgreSQL and RabbitMQ)."""
    port = free_port()
    log = (tmp_path_factory.mktemp("fake-lab") / "fake-lab.log").open("wb")
    command = [sys.executable, "-m", "lab.fake_lab", "--port", str(port), "--delay", "1"]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"the fake lab exited; see {log.name}"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def world(make_module_cluster: Callable[..., Cluster], fake_lab_url: str) -> LabWorld:
    cluster = make_module_cluster(["patients", "scheduling", "lab", "notifier"], ENV)
    headers = admin_headers(cluster)
    with httpx.Client(base_url=cluster.base_url, headers=headers, timeout=30) as api:
        lab = created(
            api.post(f"{LAB}/labs", json={"name": "Внешняя лаборатория", "code": "EXT", "exchange_url": fake_lab_url})
        )
        common = {"lab_id": lab["id"], "sample_type": "кровь", "study_type": "биохимия"}
        hb = created(
            api.post(
                f"{LAB}/tests",
                json={**common, "code": "HB", "name": "Гемоглобин", "container_type": "EDTA", "units": "г/л"}
                | {"reference_low": 120, "reference_high": 160},
            )
        )
        glu = created(
            api.post(
                f"{LAB}/tests",
                json={**common, "code": "GLU", "name": "Глюкоза", "container_type": "serum", "units": "ммоль/л"}
                | {"reference_low": 3.3, "reference_high": 5.5},
            )
        )
        service = created(
            api.post(
                "/api/scheduling/services", json={"name": "Общий анализ крови", "code": "B03.016", "price": "900.00"}
            )
        )
        for test in (hb, glu):
            ok(api.post(f"{LAB}/test-service-links/bulk", json={"test_id": test["id"], "service_ids": [service["id"]]}))
        # Settings are changed from the version read (If-Match is required of a user, #15).
        settings_etag = api.get(f"{LAB}/settings").headers["etag"]
        ok(
            api.put(
                f"{LAB}/settings",
                json={"use_new_laboratory": True, "create_on_charge": True, "create_on_charge_lab_ids": [lab["id"]]},
                headers={"If-Match": settings_etag},
            )
        )
        created(
            api.post(
                "/api/notifier/schedules",
                json={
                    "name": "Анализы готовы",
                    "type": "lab_result_ready",
                    "channel": "sms",
                    "minutes_after": 0,
                    "only_when_all_done": True,
                    "template": "%Name1%, ваши анализы готовы.",
                },
            )
        )
    return LabWorld(cluster, headers, lab, hb, glu, service)


@pytest.fixture
async def api(world: LabWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=world.cluster.base_url, headers=world.headers, timeout=30) as client:
        yield client


@pytest.fixture
async def spy(e2e_module_isolation: Isolation) -> AsyncIterator[EventSpy]:
    async with event_spy(e2e_module_isolation, "lab_result.*") as events:
        yield events


@pytest.fixture
async def card(api: httpx.AsyncClient) -> dict[str, Any]:
    """A card made in patients, once `patient.created` has reached the lab's projection."""
    body = {
        "last_name": "Петров",
        "first_name": "Олег",
        "middle_name": "Ильич",
        "birth_date": "1970-01-31",
        "mobile_phone": f"+7 922 {secrets.randbelow(10**7):07d}",
    }
    made = created(await api.post("/api/patients/cards", json=body))

    async def projected() -> dict[str, Any] | None:
        seen = await api.get(f"{LAB}/patients/{made['id']}")
        return seen.json() if seen.status_code == 200 else None

    await until(projected, "the card in the lab's patients projection")
    return made


async def order_when(api: httpx.AsyncClient, order_id: str, status: str, what: str) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        order = ok(await api.get(f"{LAB}/orders/{order_id}"))
        return order if order["status"] == status else None

    return await until(reached, what)


async def sms_to(api: httpx.AsyncClient, phone: str) -> list[dict[str, Any]] | None:
    """What the notifier's fake SMS provider has sent to `phone` (normalised digits)."""
    sent = ok(await api.get("/api/notifier/fake/sms"))["items"]
    return [m for m in sent if m["phone"].endswith(phone[-10:])] or None


def zpl_fields(zpl: str) -> tuple[list[str], list[str]]:
    """(Code 128 barcode data, text fields) of ZPL labels, in print order."""
    barcodes: list[str] = []
    texts: list[str] = []
    for label in re.findall(r"\^XA(.*?)\^XZ", zpl, flags=re.S):
        for field in re.findall(r"\^FO[^\^]*((?:\^(?!FS)[^\^]*)*)\^FS", label):
            data = re.search(r"\^FD(.*)$", field, flags=re.S)
            if data is None:
                continue
            (barcodes if "^BC" in field else texts).append(data.group(1))
    return barcodes, texts


async def test_a_test_links_only_to_a_service_of_schedulings_price_list(
    api: httpx.AsyncClient, world: LabWorld
) -> None:
    service = created(
        await api.post(
            "/api/scheduling/services", json={"name": "Глюкоза крови", "code": "A09.05.023", "price": "300.00"}
        )
    )

    linked = await api.post(f"{LAB}/test-service-links", json={"test_id": world.glu["id"], "service_id": service["id"]})
    unknown = await api.post(
        f"{LAB}/test-service-links", json={"test_id": world.glu["id"], "service_id": str(uuid.uuid4())}
    )

    assert linked.status_code == 201, linked.text
    assert (linked.json()["service_code"], linked.json()["service_name"]) == ("A09.05.023", "Глюкоза крови")
    assert unknown.status_code == 422, unknown.text


async def test_an_order_by_hand_gets_a_barcode_per_container_and_zpl_labels(
    api: httpx.AsyncClient, world: LabWorld, card: dict[str, Any]
) -> None:
    order = created(
        await api.post(
            f"{LAB}/orders",
            json={"patient_id": card["id"], "lab_id": world.lab["id"], "test_ids": [world.hb["id"], world.glu["id"]]},
        )
    )

    assert order["status"] == "created" and order["number"]
    assert sorted(s["container_type"] for s in order["samples"]) == ["EDTA", "serum"]
    assert all(is_valid_generated_barcode(s["barcode"]) for s in order["samples"])
    labels = await api.get(f"{LAB}/orders/{order['id']}/labels.zpl")
    assert labels.status_code == 200, labels.text
    barcodes, texts = zpl_fields(labels.text)
    assert barcodes == [s["barcode"] for s in order["samples"]]
    assert texts.count("Петров О. И.") == 2 and order["number"] in " ".join(texts)


async def test_posted_results_complete_the_order_and_publish_lab_result_ready(
    api: httpx.AsyncClient, world: LabWorld, card: dict[str, Any], spy: EventSpy
) -> None:
    order = created(
        await api.post(
            f"{LAB}/orders",
            json={"patient_id": card["id"], "lab_id": world.lab["id"], "test_ids": [world.hb["id"], world.glu["id"]]},
        )
    )
    results = {"results": [{"test_id": world.hb["id"], "value": 95}, {"test_id": world.glu["id"], "value": "4.2"}]}

    done = ok(await api.post(f"{LAB}/orders/{order['id']}/results", json=results))

    assert done["status"] == "completed"
    flags = {r["test_id"]: r["flag"] for r in done["results"]}
    assert flags == {world.hb["id"]: "low", world.glu["id"]: "normal"}
    final = await spy.wait_for(
        "lab_result.ready", lambda e: e["data"]["order_id"] == order["id"] and e["data"]["all_done"]
    )
    assert final["data"]["patient_id"] == card["id"] and final["data"]["order_number"] == order["number"]
    per_test = [e for e in spy.of_type("lab_result.ready") if e["data"]["order_id"] == order["id"]]
    assert sorted(e["data"]["test_id"] for e in per_test if not e["data"]["all_done"]) == sorted(
        [world.hb["id"], world.glu["id"]]
    )


async def test_a_charge_posted_through_the_api_orders_the_services_linked_tests(
    api: httpx.AsyncClient, world: LabWorld, card: dict[str, Any]
) -> None:
    charge = {"id": str(uuid.uuid4()), "patient_id": card["id"], "service_id": world.service["id"]}

    first = await api.post(f"{LAB}/charges", json=charge)
    again = await api.post(f"{LAB}/charges", json=charge)

    assert first.status_code == 201, first.text
    (order_id,) = first.json()["order_ids"]
    assert again.json()["order_ids"] == [order_id]
    order = ok(await api.get(f"{LAB}/orders/{order_id}"))
    assert sorted(t["code"] for t in order["tests"]) == ["GLU", "HB"] and order["charge_id"] == charge["id"]


async def test_a_billing_event_makes_an_order_the_fake_lab_completes_and_the_patient_gets_one_sms(
    api: httpx.AsyncClient, world: LabWorld, card: dict[str, Any], spy: EventSpy, e2e_module_isolation: Isolation
) -> None:
    charge_id = uuid.uuid4()
    data = ServiceCharged(
        id=charge_id, patient_id=card["id"], service_id=world.service["id"], charged_at=datetime.now(UTC)
    )
    bus = RabbitMqBus(e2e_module_isolation.backends.amqp_url or "", exchange=e2e_module_isolation.exchange)
    await bus.start()
    try:
        await bus.publish(
            new_event("billing.service_charged", data, producer="billing", aggregate_id=charge_id, aggregate_version=1)
        )
    finally:
        await bus.close()

    async def recorded() -> dict[str, Any] | None:
        seen = await api.get(f"{LAB}/charges/{charge_id}")
        return seen.json() if seen.status_code == 200 else None

    charge = await until(recorded, "billing.service_charged consumed by the lab")
    assert charge["source"] == "event" and charge["outcome"] == "orders_created"
    (order_id,) = charge["order_ids"]
    sent = await api.post(f"{LAB}/orders/{order_id}/send")
    assert sent.status_code == 202, sent.text

    done = await order_when(api, order_id, "completed", "the fake lab's results completing the order")

    assert {r["test_id"] for r in done["results"]} == {world.hb["id"], world.glu["id"]}
    await spy.wait_for("lab_result.ready", lambda e: e["data"]["order_id"] == order_id and e["data"]["all_done"])
    messages = await until(lambda: sms_to(api, card["mobile_phone"]), "the notifier's 'lab result ready' SMS", 60)
    assert messages[0]["text"] == "Олег, ваши анализы готовы."
    await asyncio.sleep(2)  # a second message would be sent within the notifier's next ticks
    assert len(await sms_to(api, card["mobile_phone"]) or []) == 1
