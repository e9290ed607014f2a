"""Builders of test data, all through the gateway (as a user would): directories, schedules,
appointments, patient cards; plus clinic-time helpers and an event publisher for both buses."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EVENT_CATALOGUE, EventEnvelope
from clinic_shared.testing.platform import Platform

API = "/api/scheduling"
# POSTs that edit an existing appointment or schedule: If-Match names the version (428 without).
EDIT_ACTIONS = re.compile(
    r"^(/(?:appointments|schedules)/[0-9a-f-]{36})/(?:status|link-card|to-waitlist|restore|breaks)$"
)
DEFAULT_TZ = "Europe/Moscow"
T = TypeVar("T")


def at(day: date, clock: str, tz: str = DEFAULT_TZ) -> datetime:
    """The aware local instant of `clock` ("10:30") on `day` in the clinic's zone."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(tz))


def iso(moment: datetime) -> str:
    return moment.isoformat()


def same_instant(text: str, moment: datetime) -> bool:
    """An API timestamp denotes the same instant as `moment`."""
    return datetime.fromisoformat(text) == moment


def event(event_type: str, data: dict[str, Any], *, aggregate_id: Any, version: int = 1) -> EventEnvelope:
    """An envelope as another service would publish it (validated by the catalogue)."""
    payload = EVENT_CATALOGUE[event_type].model_validate(data).model_dump(mode="json")
    return EventEnvelope(
        type=event_type, producer="tests", aggregate_id=str(aggregate_id), aggregate_version=version, data=payload
    )


async def eventually(check: Callable[[], Awaitable[T | None]], *, timeout: float = 10.0) -> T:
    """Poll `check` until it returns something truthy (events are applied asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the expected effect did not appear in time")
        await asyncio.sleep(0.05)


class Builder:
    """Creates what a test needs through the API, as the admin unless told otherwise."""

    def __init__(self, platform: Platform, overrides: dict[str, Any]) -> None:
        self.platform = platform
        self.client: httpx.AsyncClient = platform.client
        self.headers = platform.admin_headers
        self.overrides = overrides
        self.tz = str(overrides.get("timezone", DEFAULT_TZ))

    # --- time ---------------------------------------------------------------------------
    def today(self) -> date:
        return datetime.now(UTC).astimezone(ZoneInfo(self.tz)).date()

    def day(self, offset: int = 1) -> date:
        """A clinic date `offset` days from today."""
        return self.today() + timedelta(days=offset)

    def at(self, day: date, clock: str) -> str:
        return iso(at(day, clock, self.tz))

    # --- HTTP ---------------------------------------------------------------------------
    async def post(self, path: str, body: dict[str, Any] | None = None, *, expect: int = 201) -> Any:
        """POST as the admin; an action on an existing appointment or schedule (status, link-card,
        to-waitlist, restore, breaks) names the version it was made from, as a client does."""
        edited = EDIT_ACTIONS.match(path)
        headers = await self.if_match(edited.group(1)) if edited else self.headers
        response = await self.client.post(API + path, json=body, headers=headers)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.client.get(API + path, params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def etag(self, path: str, headers: dict[str, str] | None = None) -> str:
        """The current ETag of an editable resource, GET as a client does before editing it
        (`*` when there is none to read, e.g. a 404 a test is about)."""
        response = await self.client.get(API + path, headers=headers or self.headers)
        return response.headers.get("ETag", "*")

    async def edit(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """PUT/PATCH/DELETE `path` (or POST an action on it, EDIT_ACTIONS) as a client does: GET
        its ETag first and send it as If-Match."""
        edited = EDIT_ACTIONS.match(path)
        sent = await self.if_match(edited.group(1) if edited else path, headers)
        return await self.client.request(method, API + path, json=json, headers=sent, params=params)

    async def if_match(self, path: str, headers: dict[str, str] | None = None) -> dict[str, str]:
        """`headers` (the admin's by default) with `If-Match`: the resource's current ETag."""
        return {**(headers or self.headers), "If-Match": await self.etag(path, headers)}

    # --- directories --------------------------------------------------------------------
    async def item(self, directory: str, **fields: Any) -> dict[str, Any]:
        defaults: dict[str, Any] = {"name": f"{directory} {uuid.uuid4().hex[:6]}"}
        return await self.post(f"/{directory}", {**defaults, **fields})  # type: ignore[no-any-return]

    async def building(self, **fields: Any) -> dict[str, Any]:
        return await self.item("buildings", **{"address": "г. Казань, ул. Ленина, 1", **fields})

    async def cabinet(self, **fields: Any) -> dict[str, Any]:
        return await self.item("cabinets", **fields)

    async def doctor(self, **fields: Any) -> dict[str, Any]:
        body = {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "Сергеевна", **fields}
        return await self.post("/doctors", body)  # type: ignore[no-any-return]

    async def status(self, **fields: Any) -> dict[str, Any]:
        return await self.item("appointment-statuses", **{"colour": "#2F80ED", **fields})

    async def service(self, **fields: Any) -> dict[str, Any]:
        return await self.item("services", **{"code": f"S{uuid.uuid4().hex[:6]}", "price": "1500.00", **fields})

    # --- schedules ----------------------------------------------------------------------
    async def schedule(
        self,
        *,
        day: date,
        doctor_id: str | None = None,
        cabinet_id: str | None = None,
        intervals: Sequence[tuple[str, str]] = (("09:00", "18:00"),),
        breaks: Sequence[tuple[str, str]] = (("13:00", "14:00"),),
        **fields: Any,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "date": day.isoformat(),
            "intervals": [{"start": s, "end": e} for s, e in intervals],
            "breaks": [{"start": s, "end": e} for s, e in breaks],
            **fields,
        }
        if doctor_id:
            body["doctor_id"] = doctor_id
        if cabinet_id:
            body["cabinet_id"] = cabinet_id
        return await self.post("/schedules", body)  # type: ignore[no-any-return]

    async def working_doctor(self, day: date | None = None, **fields: Any) -> dict[str, Any]:
        """A doctor working 09:00–18:00 with a 13:00–14:00 break on `day` (default tomorrow)."""
        doctor = await self.doctor(**fields)
        await self.schedule(day=day or self.day(1), doctor_id=doctor["id"])
        return doctor

    # --- appointments -------------------------------------------------------------------
    @staticmethod
    def patient(**fields: Any) -> dict[str, Any]:
        return {"last_name": "Петров", "first_name": "Пётр", "mobile_phone": "8 (922) 999-99-99", **fields}

    def booking(
        self, doctor_id: str, day: date, clock: str = "10:00", minutes: int = 30, **fields: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"doctor_id": doctor_id, "start": self.at(day, clock), "duration_minutes": minutes}
        if "patient_id" not in fields:
            body["patient"] = self.patient()
        body.update(fields)
        return body

    async def book(
        self, doctor_id: str, day: date, clock: str = "10:00", minutes: int = 30, *, expect: int = 201, **fields: Any
    ) -> Any:
        return await self.post("/appointments", self.booking(doctor_id, day, clock, minutes, **fields), expect=expect)

    async def try_book(
        self, doctor_id: str, day: date, clock: str = "10:00", minutes: int = 30, **fields: Any
    ) -> httpx.Response:
        body = self.booking(doctor_id, day, clock, minutes, **fields)
        return await self.client.post(API + "/appointments", json=body, headers=self.headers)

    # --- patients (needs the patients service) ------------------------------------------
    async def card(self, **fields: Any) -> dict[str, Any]:
        body = {
            "last_name": "Иванов",
            "first_name": "Иван",
            "middle_name": "Петрович",
            "birth_date": "1985-04-12",
            "mobile_phone": "+7 922 111-22-33",
            **fields,
        }
        response = await self.client.post("/api/patients/cards", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    # --- events -------------------------------------------------------------------------
    async def publish(self, envelope: EventEnvelope) -> None:
        """Put an event on the bus the services listen to (in-process or RabbitMQ)."""
        if self.platform.bus is not None:
            await self.platform.bus.publish(envelope)
            return
        bus = RabbitMqBus(self.overrides["amqp_url"], exchange=self.overrides["events_exchange"])
        await bus.start()
        try:
            await bus.publish(envelope)
        finally:
            await bus.close()
