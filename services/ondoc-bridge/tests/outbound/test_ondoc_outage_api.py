"""ONDOC down during 200 appointment changes (OND-4): errors, time-outs and lost answers; once
it is back ONDOC holds the newest state of every appointment of attached patients, each state
applied at most once and never an older one over a newer one."""

from __future__ import annotations

import random
from typing import Any

from ondoc_testkit import (
    FAKE,
    ONDOC,
    Publish,
    appointment_event,
    appointment_state,
    attach_patient,
    create_card,
    fake_state,
    wait_until,
)

from clinic_shared.testing.platform import Platform

CHANGES = 200


async def test_after_an_outage_ondoc_holds_the_latest_state_of_every_appointment_without_duplicates(
    platform: Platform, publish: Publish
) -> None:
    rng = random.Random(20301)
    first, _ = await attach_patient(platform)
    second, _ = await attach_patient(platform, last_name="Орлова")
    outsider = await create_card(platform, last_name="Никитин")
    owners = [first["id"], second["id"], outsider["id"]]
    appointments = [appointment_state(owners[i % 3], number=f"A-{i:06d}") for i in range(12)]
    versions = dict.fromkeys((a.id for a in appointments), 0)
    latest: dict[Any, Any] = {}

    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "seconds": 1.0}, headers=platform.admin_headers)
    for change in range(CHANGES):
        if change == CHANGES // 3:
            await platform.client.post(
                f"{FAKE}/fail", json={"mode": "apply_then_timeout", "count": 4}, headers=platform.admin_headers
            )
        if change == 2 * CHANGES // 3:
            await platform.client.post(
                f"{FAKE}/fail", json={"mode": "timeout", "count": 4}, headers=platform.admin_headers
            )
        appointment = rng.choice(appointments)
        versions[appointment.id] += 1
        version = versions[appointment.id]
        deleted = rng.random() < 0.25
        state = appointment.model_copy(
            update={
                "cabinet_name": f"cabinet {version}",
                "deleted": deleted,
                "deletion_reason": f"reason {version}" if deleted else None,
            }
        )
        event_type = (
            "appointment.created"
            if version == 1
            else rng.choice(
                ["appointment.updated", "appointment.status_changed", "appointment.deleted", "appointment.restored"]
            )
        )
        latest[appointment.id] = (version, state)
        await publish(appointment_event(event_type, state, version))
    # A few stale deliveries at the end, as a broker may redeliver them late.
    for appointment in appointments[:4]:
        if versions[appointment.id] > 1:
            stale = appointment.model_copy(update={"cabinet_name": "stale"})
            await publish(appointment_event("appointment.updated", stale, 1))

    attached = {first["id"], second["id"]}
    expected = {str(a_id): version for a_id, (version, state) in latest.items() if str(state.patient_id) in attached}

    async def caught_up() -> bool:
        held = (await fake_state(platform))["appointments"]
        return all(held.get(a_id, {}).get("version") == version for a_id, version in expected.items())

    await wait_until(caught_up, timeout=60, step=0.2, what="ONDOC holding every latest state")
    held = (await fake_state(platform))["appointments"]
    assert set(held) == set(expected), "appointments of the non-attached patient must not reach ONDOC"
    for a_id, (_version, state) in latest.items():
        if str(a_id) not in expected:
            continue
        copy = held[str(a_id)]
        assert copy["versions"] == sorted(set(copy["versions"])), "a state applied twice or out of order"
        assert copy["current"]["cabinet"] == state.cabinet_name
        assert copy["current"]["status"] == ("cancelled" if state.deleted else "active")
        assert copy["current"]["cancel_reason"] == (state.deletion_reason if state.deleted else None)

    async def queue_drained() -> bool:
        # A state ONDOC applied but whose answer was lost is confirmed by the next attempt.
        summary = (await platform.client.get(f"{ONDOC}/outbound/summary", headers=platform.admin_headers)).json()
        return (summary["pending"], summary["failed"], summary["sent"]) == (0, 0, len(expected))

    await wait_until(queue_drained, timeout=30, step=0.2, what="every outbound item confirmed as sent")
    after = (await fake_state(platform))["appointments"]
    assert {a_id: (copy["version"], copy["versions"]) for a_id, copy in after.items()} == {
        a_id: (copy["version"], copy["versions"]) for a_id, copy in held.items()
    }, "the confirming attempts changed nothing in ONDOC"
    assert (await fake_state(platform))["failed_calls"] > 0, "the outage must really have happened"
