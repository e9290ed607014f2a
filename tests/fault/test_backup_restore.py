"""The restore drill of docs/operations.md, on the fault cluster's real processes and PostgreSQL.

Data made through the API (a patient card, an appointment, the notifier's encrypted provider
settings) is backed up with deploy/compose/pg-backup.sh while the platform runs; then the
processes are stopped, every schema of the cluster is dropped (the disaster), the backup is
restored with the same script, the processes start again, and the API answers the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fault_harness import FaultCluster

from clinic_shared.testing.backends import drop_schemas
from gateway.devcluster import wait_healthy

pytestmark = pytest.mark.fault

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "compose" / "pg-backup.sh"


def pg_backup(*args: str) -> str:
    result = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


async def snapshot(fault: FaultCluster, card_id: str, appointment_id: str, doctor_id: str) -> dict[str, Any]:
    """What the API answers about the drill's data."""
    async with fault.api() as api:
        reads = {
            "card": await api.client.get(f"/api/patients/cards/{card_id}"),
            "appointment": await api.client.get(f"/api/scheduling/appointments/{appointment_id}"),
            "doctor": await api.client.get(f"/api/scheduling/doctors/{doctor_id}"),
            "notifier settings": await api.client.get("/api/notifier/settings"),
        }
    for name, response in reads.items():
        assert response.status_code == 200, f"{name}: {response.status_code} {response.text}"
    return {name: response.json() for name, response in reads.items()}


async def test_a_backup_restored_after_the_schemas_are_dropped_reads_back_the_same(
    fault_cluster: FaultCluster, tmp_path: Path
) -> None:
    database_url = fault_cluster.isolation.backends.database_url or ""
    prefix = fault_cluster.isolation.prefix
    async with fault_cluster.api() as api:
        card = await api.client.post(
            "/api/patients/cards",
            json={
                "last_name": "Резервова",
                "first_name": "Ольга",
                "birth_date": "1979-03-04",
                "mobile_phone": "+7 917 555-00-01",
            },
        )
        assert card.status_code == 201, card.text
        [slot] = await api.far_slots(1)
        booking = await api.book(slot)
        assert booking.status == 201, booking.error
    assert booking.appointment_id
    booked = await fault_cluster.appointments_of({slot.doctor_id})
    # A quiet point: every event published and applied, so the backup holds one consistent state.
    await fault_cluster.wait_consistent(booked)
    before = await snapshot(fault_cluster, card.json()["id"], booking.appointment_id, slot.doctor_id)

    backup = tmp_path / f"clinic-{dt.date.today():%Y-%m-%d}.dump"
    pg_backup("backup", "--url", database_url, "--schema", f"{prefix}*", str(backup))

    # The disaster: the processes stopped, every schema of the platform gone.
    fault_cluster.cluster.stop()
    await drop_schemas(database_url, prefix)
    conn = await fault_cluster.connect()
    try:
        left = await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, $1)", prefix)
    finally:
        await conn.close()
    assert left == 0

    pg_backup("restore", "--url", database_url, str(backup))
    for name in list(fault_cluster.cluster.processes):
        fault_cluster.cluster.restart(name)
    await asyncio.to_thread(wait_healthy, fault_cluster.cluster, 90)

    after = await snapshot(fault_cluster, card.json()["id"], booking.appointment_id, slot.doctor_id)
    assert after == before
    # The restored platform works on: the events it relays and consumes flow as before.
    async with fault_cluster.api() as api:
        [slot] = await api.far_slots(1)
        again = await api.book(slot)
    assert again.status == 201, again.error
    await fault_cluster.wait_consistent(await fault_cluster.appointments_of({slot.doctor_id}))
