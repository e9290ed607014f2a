"""ONDOC answering 500, then hanging, while the front desk books, moves, cancels (with a reason)
and restores appointments of patients attached to ONDOC (#9 item 4, OND-4): the bridge queues
every change and keeps retrying, and once ONDOC is back — its first answers lost on the way — it
holds the latest state of each of those appointments, each state applied once and in order, and
the bridge's outbound queue is empty."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fault_harness import ClinicApi, FakeOndocServer, FaultCluster, new_phone

pytestmark = pytest.mark.fault

PATIENTS = 3
PER_PATIENT = 2
CHANGES = 24  # moves, cancellations and restorations after the bookings
WINDOW = dt.timedelta(minutes=30)  # each appointment moves within its own window: no overlaps
REASONS = ("Пациент заболел", "Перенос по просьбе пациента")


@dataclass
class Tracked:
    """An appointment of the stream, as the test last changed it."""

    id: str
    patient_id: str
    ondoc_patient_id: str | None  # None: the patient is not attached to ONDOC
    window: dt.datetime
    deleted: bool = False


@asynccontextmanager
async def bridge_pointed_at(api: ClinicApi, fake: FakeOndocServer) -> AsyncIterator[None]:
    """The bridge talks to `fake` inside the block; afterwards its settings are as before."""
    read = await api.client.get("/api/ondoc/settings")
    before = read.json()
    response = await api.client.put(
        "/api/ondoc/settings", json=fake.bridge_settings(), headers={"If-Match": read.headers["ETag"]}
    )
    assert response.status_code == 200, response.text
    try:
        yield
    finally:
        restore: dict[str, Any] = {"enabled": before["enabled"], "server_url": before["server_url"] or ""}
        for token in ("company_token", "branch_token"):
            if not before[f"{token}_set"]:
                restore[token] = ""
        response = await api.client.put("/api/ondoc/settings", json=restore, headers={"If-Match": "*"})
        assert response.status_code == 200, response.text


async def new_card(api: ClinicApi, last_name: str) -> str:
    """A card complete enough for ONDOC."""
    response = await api.client.post(
        "/api/patients/cards",
        json={
            "last_name": last_name,
            "first_name": "Анна",
            "middle_name": "Сергеевна",
            "birth_date": "1990-02-03",
            "mobile_phone": new_phone(),
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def attach(api: ClinicApi, fake: FakeOndocServer, patient_id: str) -> str:
    """The patient types the clinic's code in ONDOC; returns the ONDOC patient id."""
    code = await api.client.post(f"/api/ondoc/patients/{patient_id}/attach-code")
    assert code.status_code == 201, code.text
    answer = await fake.control("attach", {"code": code.json()["code"]})
    assert answer["status"] == 200, answer
    return answer["ondoc_patient_id"]  # type: ignore[no-any-return]


async def deletion_reasons(api: ClinicApi) -> list[str]:
    ids = []
    for name in REASONS:
        response = await api.client.post("/api/scheduling/deletion-reasons", json={"name": f"{name} {time.time_ns()}"})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def book(api: ClinicApi, doctor_id: str, start: dt.datetime, patient_id: str) -> str:
    response = await api.client.post(
        "/api/scheduling/appointments",
        json={"doctor_id": doctor_id, "start": start.isoformat(), "duration_minutes": 5, "patient_id": patient_id},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def change(api: ClinicApi, rng: random.Random, appointment: Tracked, reasons: list[str]) -> None:
    """Move, cancel with a reason, or restore one appointment, as the desk would."""
    base = f"/api/scheduling/appointments/{appointment.id}"
    if appointment.deleted:
        response = await api.client.post(f"{base}/restore", json={})
        assert response.status_code == 200, response.text
        appointment.deleted = False
        return
    # An edit names the version it was made from, as the desk's screen does (428 otherwise).
    version = {"If-Match": (await api.client.get(base)).headers["ETag"]}
    if rng.random() < 0.4:
        response = await api.client.delete(base, params={"reason_id": rng.choice(reasons)}, headers=version)
        assert response.status_code == 204, response.text
        appointment.deleted = True
    else:
        start = appointment.window + dt.timedelta(minutes=5 * rng.randrange(5))
        response = await api.client.patch(base, json={"start": start.isoformat()}, headers=version)
        assert response.status_code == 200, response.text


async def wait_for(check: Callable[[], Awaitable[bool]], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not reached within {timeout} s")
        await asyncio.sleep(0.5)


async def outbound_of(api: ClinicApi, patient_ids: list[str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for patient_id in patient_ids:
        response = await api.client.get("/api/ondoc/outbound", params={"patient_id": patient_id, "limit": 100})
        assert response.status_code == 200, response.text
        items += response.json()["items"]
    return items


async def test_appointment_changes_made_while_ondoc_is_down_reach_it_once_in_their_latest_state(
    fault_cluster: FaultCluster, fake_ondoc: FakeOndocServer
) -> None:
    rng = random.Random(90104)
    await fake_ondoc.control("config", {"hang_seconds": 5})  # longer than the bridge's 3 s timeout
    async with fault_cluster.api() as api, bridge_pointed_at(api, fake_ondoc):
        try:
            attached = [await new_card(api, f"Ондокова-{i}") for i in range(PATIENTS)]
            ondoc_ids = {p: await attach(api, fake_ondoc, p) for p in attached}
            outsider = await new_card(api, "Неприкреплённая")
            tomorrow = dt.datetime.now(fault_cluster.zone).date() + dt.timedelta(days=1)
            doctor_id = await api.doctor([tomorrow])
            reasons = await deletion_reasons(api)
            first_window = dt.datetime.combine(tomorrow, dt.time(8, 0), fault_cluster.zone)
            owners = [(p, ondoc_ids[p]) for p in attached for _ in range(PER_PATIENT)] + [(outsider, None)]

            # ONDOC answers 500 while the appointments are booked and the first changes made …
            await fake_ondoc.control("fail", {"mode": "error", "seconds": 600})
            stream: list[Tracked] = []
            for i, (patient_id, ondoc_id) in enumerate(owners):
                window = first_window + i * WINDOW
                stream.append(Tracked(await book(api, doctor_id, window, patient_id), patient_id, ondoc_id, window))
            for n in range(CHANGES):
                if n == CHANGES // 2:  # … then hangs (the bridge gives up after its time-out)
                    await fake_ondoc.control("fail", {"mode": "timeout", "seconds": 600})
                await change(api, rng, rng.choice(stream), reasons)

            ours = [a for a in stream if a.ondoc_patient_id is not None]

            async def every_item_tried() -> bool:
                items = await outbound_of(api, attached)
                return len(items) == len(ours) and all(i["attempts"] >= 1 and i["status"] == "pending" for i in items)

            await wait_for(every_item_tried, timeout=30, what="every change queued and tried during the outage")
            down = await fake_ondoc.control("state")
            assert down["appointments"] == {} and down["failed_calls"] >= len(ours)

            # Back, but the answers to its first calls are lost after it applied them.
            await fake_ondoc.control("fail", {"mode": "apply_then_timeout", "count": 3})
            latest: dict[str, dict[str, Any]] = {}
            for appointment in stream:
                response = await api.client.get(f"/api/scheduling/appointments/{appointment.id}")
                assert response.status_code == 200, response.text
                latest[appointment.id] = response.json()

            async def ondoc_caught_up() -> bool:
                held = (await fake_ondoc.control("state"))["appointments"]
                return all(held.get(a.id, {}).get("version") == latest[a.id]["version"] for a in ours)

            await wait_for(ondoc_caught_up, timeout=40, what="ONDOC holding the latest state of every appointment")

            async def queue_drained() -> bool:
                items = await outbound_of(api, attached)
                return all(i["status"] == "sent" and i["sent_version"] == i["version"] for i in items)

            await wait_for(queue_drained, timeout=30, what="every outbound item confirmed as sent")
            held = (await fake_ondoc.control("state"))["appointments"]
        finally:
            await fake_ondoc.control("fail", {"mode": "off"})

    assert set(held) == {a.id for a in ours}, "only the attached patients' appointments reach ONDOC, once each"
    for appointment in ours:
        copy, truth = held[appointment.id], latest[appointment.id]
        assert copy["versions"] == sorted(set(copy["versions"])), "a state applied twice or out of order"
        current = copy["current"]
        assert (current["ondoc_patient_id"], current["mis_patient_id"]) == (
            appointment.ondoc_patient_id,
            appointment.patient_id,
        )
        assert dt.datetime.fromisoformat(current["start"]) == dt.datetime.fromisoformat(truth["start"])
        assert current["status"] == ("cancelled" if truth["deleted"] else "active")
        assert current["cancel_reason"] == (truth["deletion_reason"] if truth["deleted"] else None)
        assert appointment.deleted == truth["deleted"]
    assert any(a.deleted for a in ours) and any(not a.deleted for a in ours), "the stream must leave both kinds"
    async with fault_cluster.api() as api:
        summary = (await api.client.get("/api/ondoc/outbound/summary")).json()
    assert (summary["pending"], summary["failed"]) == (0, 0)
    await fault_cluster.wait_consistent({a.id: latest[a.id]["version"] for a in stream}, timeout=30)
