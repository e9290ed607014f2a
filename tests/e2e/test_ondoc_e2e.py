"""The ONDOC flow on real processes (issue #5's "done when"): gateway, patients, scheduling,
notifier and the ONDOC bridge on PostgreSQL + RabbitMQ, with the fake ONDOC, the fake SMS
provider (SMSC protocol) and the SMTP sink as processes of their own, wired the way `make up`
wires them (the services' settings APIs, as admin). One cluster serves the whole module; each
test attaches its own patient and uses its own time on the doctor's day, so the tests do not
depend on each other (OND-2 … OND-7, NOT-8)."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.devcluster import Cluster

# One cluster serves the module, so its tests belong on one xdist worker: `--dist loadscope` does
# that; `loadgroup` would too, but ignores xdist_group on pytest 9.2 (pytest-dev/pytest-xdist#1386).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("ondoc_e2e")]

ZONE = ZoneInfo("Europe/Moscow")
ENV = {
    "CLINIC_TIMEZONE": "Europe/Moscow",
    "CLINIC_NOTIFIER_TICK_SECONDS": "0.5",
    "CLINIC_ONDOC_WORKER_POLL_SECONDS": "0.2",
    "CLINIC_ONDOC_BACKOFF_BASE_SECONDS": "0.2",
    "CLINIC_ONDOC_BACKOFF_CAP_SECONDS": "2",
    "CLINIC_ONDOC_FIRST_SYNC_DELAY_SECONDS": "3600",
}
T = TypeVar("T")


@dataclass(frozen=True)
class OndocWorld:
    """The shared cluster, an admin's headers, and a doctor working 09:00–18:00 on `day`."""

    cluster: Cluster
    headers: dict[str, str]
    doctor_id: str
    day: date

    @property
    def fake_ondoc(self) -> str:
        return self.cluster.fakes["fake-ondoc"]

    def at(self, clock: str) -> str:
        """`clock` on the doctor's day, clinic time, ISO 8601 with offset (as ONDOC receives it)."""
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(self.day, time(hours, minutes), tzinfo=ZONE).isoformat()


@dataclass(frozen=True)
class AttachedPatient:
    card: dict[str, Any]
    ondoc_patient_id: str


@pytest.fixture(scope="module")
def ondoc_world(make_module_cluster: Callable[..., Cluster]) -> OndocWorld:
    cluster = make_module_cluster(["patients", "scheduling", "notifier", "ondoc"], ENV, fakes=True)
    with httpx.Client(base_url=cluster.base_url, timeout=30) as api:
        login = api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        day = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=3)
        specialization = _created(
            api.post("/api/scheduling/specializations", json={"name": "Терапевт"}, headers=headers)
        )
        doctor = _created(
            api.post(
                "/api/scheduling/doctors",
                json={
                    "last_name": "Петров",
                    "first_name": "Пётр",
                    "middle_name": "Петрович",
                    "specialization_ids": [specialization["id"]],
                    "online_booking": True,
                },
                headers=headers,
            )
        )
        _created(
            api.post(
                "/api/scheduling/schedules",
                json={
                    "doctor_id": doctor["id"],
                    "date": day.isoformat(),
                    "intervals": [{"start": "09:00", "end": "18:00"}],
                },
                headers=headers,
            )
        )
    return OndocWorld(cluster, headers, doctor["id"], day)


@pytest.fixture
async def api(ondoc_world: OndocWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=ondoc_world.cluster.base_url, headers=ondoc_world.headers, timeout=30
    ) as client:
        yield client


@pytest.fixture
async def fake(ondoc_world: OndocWorld) -> AsyncIterator[httpx.AsyncClient]:
    """The fake ONDOC's control API (its own process)."""
    async with httpx.AsyncClient(base_url=f"{ondoc_world.fake_ondoc}/_control", timeout=30) as client:
        yield client


@pytest.fixture
async def attached(api: httpx.AsyncClient, fake: httpx.AsyncClient) -> AttachedPatient:
    """A new card whose patient typed the clinic's code in ONDOC."""
    card = await create_card(api)
    code = await issue_code(api, card["id"])
    answer = (await fake.post("/attach", json={"code": code})).json()
    assert answer["status"] == 200, answer
    return AttachedPatient(card, answer["ondoc_patient_id"])


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def until(check: Callable[[], Awaitable[T | None]], what: str, timeout: float = 30.0) -> T:
    """Poll `check` until it returns something; fail naming `what` after `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            while (result := await check()) is None:
                await asyncio.sleep(0.2)
    except TimeoutError:
        pytest.fail(f"{what}: not within {timeout:.0f} s")
    return result


async def create_card(api: httpx.AsyncClient) -> dict[str, Any]:
    """A card complete enough for ONDOC, with a phone of its own."""
    phone = f"+7 922 {secrets.randbelow(10**7):07d}"
    body = {
        "last_name": "Смирнова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "birth_date": "1990-02-03",
        "mobile_phone": phone,
    }
    return _created(await api.post("/api/patients/cards", json=body))


async def issue_code(api: httpx.AsyncClient, patient_id: str) -> str:
    """An attach code, once the bridge knows the card (patient.created travels through RabbitMQ)."""

    async def issued() -> str | None:
        response = await api.post(f"/api/ondoc/patients/{patient_id}/attach-code")
        assert response.status_code in (201, 404), response.text
        return response.json()["code"] if response.status_code == 201 else None

    return await until(issued, "an attach code for the new card")


async def book(api: httpx.AsyncClient, world: OndocWorld, patient_id: str, clock: str) -> dict[str, Any]:
    """An appointment booked at the desk, once scheduling knows the card."""
    body = {"doctor_id": world.doctor_id, "patient_id": patient_id, "start": world.at(clock), "duration_minutes": 30}

    async def booked() -> dict[str, Any] | None:
        response = await api.post("/api/scheduling/appointments", json=body)
        assert response.status_code in (201, 404, 422), response.text
        return response.json() if response.status_code == 201 else None

    return await until(booked, f"booking {clock} in scheduling")


async def held_by_ondoc(
    fake: httpx.AsyncClient, appointment_id: str, check: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    """The fake ONDOC's copy of an appointment once `check` holds for its current state."""

    async def arrived() -> dict[str, Any] | None:
        held = (await fake.get("/state")).json()["appointments"].get(appointment_id)
        return held if held is not None and check(held["current"]) else None

    return await until(arrived, what)


async def delete_with_reason(api: httpx.AsyncClient, appointment_id: str, reason_name: str) -> None:
    reason = _created(await api.post("/api/scheduling/deletion-reasons", json={"name": reason_name}))
    url = f"/api/scheduling/appointments/{appointment_id}"
    etag = (await api.get(url)).headers["etag"]  # an appointment edit names its version
    response = await api.delete(url, params={"reason_id": reason["id"]}, headers={"If-Match": etag})
    assert response.status_code == 204, response.text


def is_active(state: dict[str, Any]) -> bool:
    return state["status"] == "active"


def is_cancelled(state: dict[str, Any]) -> bool:
    return state["status"] == "cancelled"


# --- attaching ----------------------------------------------------------------------------
async def test_the_attach_code_reaches_the_patient_by_sms_through_the_sms_provider(
    ondoc_world: OndocWorld, api: httpx.AsyncClient
) -> None:
    card = await create_card(api)
    code = await issue_code(api, card["id"])

    async def delivered() -> list[dict[str, Any]] | None:
        async with httpx.AsyncClient(base_url=ondoc_world.cluster.fakes["fake-sms"], timeout=10) as sms:
            sent = (await sms.get("/_control/messages")).json()["items"]
        return [m for m in sent if m["phone"] == card["mobile_phone"]] or None

    messages = await until(delivered, "the attach code SMS at the SMS provider")
    assert [code in m["text"] for m in messages] == [True]


async def test_a_code_typed_in_ondoc_attaches_the_patient(
    api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    links = (await api.get("/api/ondoc/links")).json()["items"]
    link = next(item for item in links if item["patient_id"] == attached.card["id"])
    assert (link["status"], link["ondoc_patient_id"]) == ("attached", attached.ondoc_patient_id)
    assert link["mis_id"] == attached.card["card_number"]
    patient = (await fake.get("/state")).json()["patients"][attached.ondoc_patient_id]
    assert (patient["status"], patient["mis_patient_id"]) == ("attached", attached.card["id"])


async def test_a_wrong_code_typed_in_ondoc_attaches_nobody(api: httpx.AsyncClient, fake: httpx.AsyncClient) -> None:
    answer = (await fake.post("/attach", json={"code": "000000000"})).json()
    assert answer["status"] == 422
    assert [error["field"] for error in answer["body"]["errors"]] == ["code"]
    ondoc_ids = {item["ondoc_patient_id"] for item in (await api.get("/api/ondoc/links")).json()["items"]}
    assert answer["ondoc_patient_id"] not in ondoc_ids


# --- appointments made in the clinic go to ONDOC -------------------------------------------
async def test_an_appointment_booked_in_scheduling_is_held_by_ondoc(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    booked = await book(api, ondoc_world, attached.card["id"], "09:00")
    held = await held_by_ondoc(fake, booked["id"], is_active, "the booking in ONDOC")
    current = held["current"]
    assert (current["ondoc_patient_id"], current["mis_patient_id"]) == (attached.ondoc_patient_id, attached.card["id"])
    assert (current["start"], current["end"]) == (ondoc_world.at("09:00"), ondoc_world.at("09:30"))
    assert current["doctor"]["mis_id"] == ondoc_world.doctor_id


async def test_an_edited_appointment_is_updated_in_ondoc(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    booked = await book(api, ondoc_world, attached.card["id"], "10:00")
    await held_by_ondoc(fake, booked["id"], is_active, "the booking in ONDOC")
    url = f"/api/scheduling/appointments/{booked['id']}"
    etag = (await api.get(url)).headers["etag"]
    moved = await api.patch(url, json={"start": ondoc_world.at("10:30")}, headers={"If-Match": etag})
    assert moved.status_code == 200, moved.text
    held = await held_by_ondoc(
        fake, booked["id"], lambda c: c["start"] == ondoc_world.at("10:30"), "the new time in ONDOC"
    )
    assert is_active(held["current"])
    assert held["versions"] == sorted(held["versions"]) and len(held["versions"]) >= 2


async def test_an_appointment_deleted_with_a_reason_is_cancelled_in_ondoc_with_that_reason(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    booked = await book(api, ondoc_world, attached.card["id"], "11:00")
    await held_by_ondoc(fake, booked["id"], is_active, "the booking in ONDOC")
    reason = f"Пациент заболел {uuid.uuid4().hex[:6]}"
    await delete_with_reason(api, booked["id"], reason)
    held = await held_by_ondoc(fake, booked["id"], is_cancelled, "the cancellation in ONDOC")
    assert held["current"]["cancel_reason"] == reason


async def test_a_restored_appointment_is_active_in_ondoc_again(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    booked = await book(api, ondoc_world, attached.card["id"], "12:00")
    await delete_with_reason(api, booked["id"], f"Ошибка записи {uuid.uuid4().hex[:6]}")
    cancelled = await held_by_ondoc(fake, booked["id"], is_cancelled, "the cancellation in ONDOC")
    restored = await api.post(f"/api/scheduling/appointments/{booked['id']}/restore", json={})
    assert restored.status_code == 200, restored.text
    held = await held_by_ondoc(fake, booked["id"], is_active, "the restored appointment in ONDOC")
    assert held["version"] > cancelled["version"]
    assert held["current"]["cancel_reason"] is None


# --- appointments made in ONDOC come to the clinic -----------------------------------------
async def test_an_appointment_booked_in_ondoc_appears_in_scheduling(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    request = {
        "ondoc_patient_id": attached.ondoc_patient_id,
        "doctor_mis_id": ondoc_world.doctor_id,
        "start": ondoc_world.at("14:00"),
        "duration_minutes": 30,
    }
    answer = (await fake.post("/book", json=request)).json()
    assert answer["status"] == 201, answer
    appointment = (await api.get(f"/api/scheduling/appointments/{answer['body']['appointment_id']}")).json()
    assert (appointment["patient_id"], appointment["doctor_id"]) == (attached.card["id"], ondoc_world.doctor_id)
    assert appointment["record_type_code"] == "ondoc"
    assert datetime.fromisoformat(appointment["start"]) == datetime.fromisoformat(ondoc_world.at("14:00"))
    echoed = await held_by_ondoc(
        fake,
        appointment["id"],
        lambda c: c["ondoc_appointment_id"] == answer["ondoc_appointment_id"],
        "the ONDOC booking echoed back under ONDOC's id",
    )
    assert is_active(echoed["current"])


async def test_ondoc_booking_a_taken_slot_is_refused(
    ondoc_world: OndocWorld, api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    someone_else = await create_card(api)
    await book(api, ondoc_world, someone_else["id"], "15:00")
    request = {
        "ondoc_patient_id": attached.ondoc_patient_id,
        "doctor_mis_id": ondoc_world.doctor_id,
        "start": ondoc_world.at("15:00"),
        "duration_minutes": 30,
    }
    answer = (await fake.post("/book", json=request)).json()
    assert answer["status"] == 409, answer
    assert answer["body"]["reason"] == "slot_unavailable"
    theirs = (await api.get("/api/scheduling/appointments", params={"patient_id": attached.card["id"]})).json()
    assert theirs["total"] == 0


def test_the_bridge_books_with_a_key_of_its_own_never_the_gateways(ondoc_world: OndocWorld) -> None:
    envs = ondoc_world.cluster.envs
    assert "CLINIC_JWT_PRIVATE_KEY" not in envs["ondoc"]
    assert envs["ondoc"]["CLINIC_SERVICE_PRIVATE_KEY"] != envs["gateway"]["CLINIC_JWT_PRIVATE_KEY"]
    trusted = json.loads(envs["scheduling"]["CLINIC_SERVICE_KEYS"])
    assert list(trusted) == ["ondoc"]


# --- detaching -----------------------------------------------------------------------------
async def test_a_deleted_card_is_detached_in_ondoc(
    api: httpx.AsyncClient, fake: httpx.AsyncClient, attached: AttachedPatient
) -> None:
    etag = (await api.get(f"/api/patients/cards/{attached.card['id']}")).headers["etag"]
    deleted = await api.delete(f"/api/patients/cards/{attached.card['id']}", headers={"If-Match": etag})
    assert deleted.status_code == 204, deleted.text

    async def detached() -> dict[str, Any] | None:
        patient = (await fake.get("/state")).json()["patients"][attached.ondoc_patient_id]
        return patient if patient["status"] == "detached" else None

    await until(detached, "the patient detached in ONDOC")
    links = (await api.get("/api/ondoc/links")).json()["items"]
    link = next(item for item in links if item["ondoc_patient_id"] == attached.ondoc_patient_id)
    assert link["status"] == "detached"
