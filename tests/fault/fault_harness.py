"""What the fault tests share: the cluster handle, a booking stream through the gateway, the
fake SMS provider they can switch off, the fake ONDOC they can make fail, and the end-state
checks read straight from PostgreSQL and the private broker.

End state after a fault (`FaultCluster.wait_consistent`): every booking the API confirmed is in
scheduling and, at the same version, in the notifier's and the ONDOC bridge's projections; no
outbox row of any service is left unpublished; every queue is drained and every dead-letter queue
is empty. SMS are counted at the provider, where a duplicate would really cost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import uvicorn
from fault_broker import PrivateBroker

from clinic_shared.testing.backends import Isolation, asyncpg_dsn
from gateway.devcluster import Cluster, _spawn, free_port
from gateway.settings import KNOWN_SERVICES
from notifier.delivery.fakes import SmtpSink
from notifier.fake_sms import DEFAULT_LOGIN, DEFAULT_PASSWORD, FakeSmsc, create_fake_sms_app
from ondoc_bridge.fake_ondoc import FakeConfig as FakeOndocConfig
from ondoc_bridge.fake_ondoc import create_fake_app as create_fake_ondoc_app

OUTBOX_SERVICES = ("patients", "scheduling", "notifier", "ondoc")
_phones = itertools.count(1)


def daytime_zone() -> str:
    """A fixed-offset zone where it is now late morning: today's schedule has room after now."""
    now = dt.datetime.now(dt.UTC)
    for offset in range(-12, 15):
        if 9 <= (now.hour + offset) % 24 <= 13:
            # Etc/GMT signs are inverted: Etc/GMT-3 is UTC+3.
            return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}" if offset else "Etc/UTC"
    return "Etc/UTC"


def new_phone() -> str:
    """A mobile number no other booking of the session has (the SMS count is per number)."""
    return f"+7922{os.getpid() % 1000:03d}{next(_phones):04d}"


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


# --- the fake SMS provider, in this process, that a test can switch off ---------------------
class FakeSmsServer:
    """The fake SMSC (`notifier.fake_sms`) served by uvicorn in a thread on a fixed port.

    `down()` stops the server (connections are refused, as when a provider is unreachable);
    `up()` serves again on the same port. What was sent survives both.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.fake = FakeSmsc()
        self.delay_seconds = 0.0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _app(self) -> Any:
        app = create_fake_sms_app(self.fake)

        @app.middleware("http")
        async def slow(request: Any, call_next: Any) -> Any:
            if self.delay_seconds:
                await asyncio.sleep(self.delay_seconds)
            return await call_next(request)

        return app

    def start(self) -> None:
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_config=None, access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-sms", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake SMS provider did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._server = None

    down = stop
    up = start

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def sent_to(self, phones: list[str]) -> Counter[str]:
        """How many SMS each of these numbers received."""
        wanted = {digits(p) for p in phones}
        return Counter(m.phone for m in list(self.fake.sent) if m.phone in wanted)


# --- the SMTP sink, in this process, that a test can switch off ------------------------------
class SmtpSinkServer:
    """The SMTP sink (`notifier.delivery.fakes.SmtpSink`) in a thread of its own, on a fixed port.

    `down()` stops listening (connections are refused, as when the mail server is unreachable);
    `up()` listens again on the same port. What was received survives both.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.sink = SmtpSink("127.0.0.1", port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="smtp-sink", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.sink.start(), self._loop).result(10)

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.sink.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = self._thread = None

    down = stop
    up = start

    @property
    def is_up(self) -> bool:
        return self._loop is not None

    def received_by(self, addresses: list[str]) -> Counter[str]:
        """How many e-mails each of these addresses received (every copy counts)."""
        wanted = set(addresses)
        return Counter(to for mail in list(self.sink.received) for to in mail.to if to in wanted)


# --- the fake ONDOC, in this process, that a test can make fail ---------------------------------
class FakeOndocServer:
    """The fake ONDOC (`ondoc_bridge.fake_ondoc`) served by uvicorn in a thread on a fixed port.

    Tests drive it through its own control API (`control`): failures (500s, hangs), patients
    typing attach codes (signed callbacks to the bridge through the gateway) and its state.
    """

    COMPANY_TOKEN = "fault-ondoc-company-token"
    BRANCH_TOKEN = "fault-ondoc-branch-token"
    CALLBACK_SECRET = "fault-ondoc-callback-secret-0123456789"

    def __init__(self, port: int, callback_url: str) -> None:
        self.port = port
        self.config = FakeOndocConfig(
            company_token=self.COMPANY_TOKEN,
            branch_token=self.BRANCH_TOKEN,
            callback_url=callback_url,
            callback_secret=self.CALLBACK_SECRET,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bridge_settings(self) -> dict[str, Any]:
        """The body of PUT /api/ondoc/settings that points the bridge at this fake."""
        return {
            "server_url": self.base_url,
            "company_token": self.COMPANY_TOKEN,
            "branch_token": self.BRANCH_TOKEN,
            "callback_secrets": [self.CALLBACK_SECRET],
            "enabled": True,
        }

    def start(self) -> None:
        app = create_fake_ondoc_app(self.config)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-ondoc", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake ONDOC did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(15)
        self._server = None

    async def control(self, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST (or GET, without a body) /_control/{action} and return its JSON answer."""
        async with httpx.AsyncClient(base_url=f"{self.base_url}/_control", timeout=30) as client:
            if body is None and action == "state":
                response = await client.get("/state")
            else:
                response = await client.post(f"/{action}", json=body or {})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def new_email() -> str:
    """An address no other test of the session uses."""
    return f"fault-{os.getpid()}-{next(_phones)}@example.org"


# --- the API, as the front desk uses it -------------------------------------------------------
@dataclass
class Booking:
    doctor_id: str
    start: dt.datetime
    phone: str
    status: int = 0
    appointment_id: str | None = None
    error: str = ""
    answered_at: float = 0.0  # time.monotonic() of the answer


class ClinicApi:
    """Admin calls through the gateway."""

    def __init__(self, client: httpx.AsyncClient, zone: ZoneInfo, scheduling: str = "/api/scheduling") -> None:
        self.client = client
        self.zone = zone
        self.scheduling = scheduling  # where bookings go: through the gateway, or straight to a replica

    async def doctor(self, dates: list[dt.date]) -> str:
        """A new doctor working 00:00–23:59 on each of `dates`."""
        response = await self.client.post(
            "/api/scheduling/doctors",
            json={"last_name": "Сбоев", "first_name": "Тест", "specialization_ids": [], "online_booking": False},
        )
        assert response.status_code == 201, response.text
        doctor_id = response.json()["id"]
        for day in dates:
            schedule = await self.client.post(
                "/api/scheduling/schedules",
                json={
                    "doctor_id": doctor_id,
                    "date": day.isoformat(),
                    "intervals": [{"start": "00:00", "end": "23:59"}],
                },
            )
            assert schedule.status_code == 201, schedule.text
        return doctor_id

    async def far_slots(self, count: int, *, minutes: int = 5) -> list[Booking]:
        """`count` free slots tomorrow (no reminder falls due during the test), over new doctors."""
        tomorrow = dt.datetime.now(self.zone).date() + dt.timedelta(days=1)
        per_doctor = (24 * 60 - 1) // minutes
        slots: list[Booking] = []
        while len(slots) < count:
            doctor_id = await self.doctor([tomorrow])
            midnight = dt.datetime.combine(tomorrow, dt.time(0, 0), self.zone)
            for i in range(min(per_doctor, count - len(slots))):
                slots.append(Booking(doctor_id, midnight + dt.timedelta(minutes=i * minutes), new_phone()))
        return slots

    async def soon_slots(self, count: int, *, lead: dt.timedelta) -> list[Booking]:
        """`count` bookings starting `lead` from now (computed after the doctors are made), one per doctor."""
        today = dt.datetime.now(self.zone).date()
        doctors = [await self.doctor([today]) for _ in range(count)]
        start = (dt.datetime.now(self.zone) + lead).replace(microsecond=0)
        return [Booking(doctor_id, start, new_phone()) for doctor_id in doctors]

    async def book(self, slot: Booking, *, minutes: int = 5) -> Booking:
        try:
            response = await self.client.post(
                f"{self.scheduling}/appointments",
                json={
                    "doctor_id": slot.doctor_id,
                    "start": slot.start.isoformat(),
                    "duration_minutes": minutes,
                    "patient": {"last_name": "Сбоева", "first_name": "Анна", "mobile_phone": slot.phone},
                },
            )
        except httpx.HTTPError as exc:
            slot.status, slot.error, slot.answered_at = 0, type(exc).__name__, time.monotonic()
            return slot
        slot.status, slot.answered_at = response.status_code, time.monotonic()
        if response.status_code == 201:
            slot.appointment_id = response.json()["id"]
        else:
            slot.error = response.text[:300]
        return slot

    async def messages(self, appointment_id: str) -> list[dict[str, Any]]:
        response = await self.client.get("/api/notifier/messages", params={"appointment_id": appointment_id})
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]

    async def reminder_schedule(self) -> None:
        """A one-minute-before SMS reminder for every appointment (what the SMS tests count)."""
        existing = (await self.client.get("/api/notifier/schedules")).json()
        items = existing["items"] if isinstance(existing, dict) else existing
        if any(item["name"] == "Сбой: напоминание" for item in items):
            return
        response = await self.client.post(
            "/api/notifier/schedules",
            json={
                "name": "Сбой: напоминание",
                "type": "minutes_before_appointment",
                "channel": "sms",
                "minutes": 1,
                "template": "%Name1%, ждём вас в %Time%",
            },
        )
        assert response.status_code == 201, response.text


async def book_stream(
    api: ClinicApi, slots: list[Booking], *, concurrency: int = 4, deadline: float | None = None
) -> list[Booking]:
    """Book the slots with `concurrency` clients until done or `deadline` (monotonic) passes."""
    queue: asyncio.Queue[Booking] = asyncio.Queue()
    for slot in slots:
        queue.put_nowait(slot)
    done: list[Booking] = []

    async def worker() -> None:
        while not queue.empty() and (deadline is None or time.monotonic() < deadline):
            done.append(await api.book(queue.get_nowait()))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


# --- the cluster under test ---------------------------------------------------------------------
@dataclass
class FaultCluster:
    cluster: Cluster
    isolation: Isolation
    broker: PrivateBroker
    sms: FakeSmsServer
    zone_name: str
    replicas: dict[str, Any] = field(default_factory=dict)
    smtp: SmtpSinkServer | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    def schema(self, service: str) -> str:
        return f"{self.isolation.prefix}{service}"

    def queue(self, service: str) -> str:
        return f"{self.isolation.prefix}{service}"

    async def login(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.cluster.base_url, timeout=30)
        login = await client.post(
            "/api/auth/token", data={"username": "admin", "password": self.cluster.admin_password}
        )
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        return client

    @asynccontextmanager
    async def api(self) -> AsyncIterator[ClinicApi]:
        client = await self.login()
        try:
            yield ClinicApi(client, self.zone)
        finally:
            await client.aclose()

    async def configure_sms(self) -> None:
        """Point the notifier at the in-test fake SMSC (and SMTP sink) and add the reminder schedule."""
        body: dict[str, Any] = {
            "sms_provider": "smsc",
            "smsc": {"base_url": self.sms.base_url, "login": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD},
        }
        if self.smtp is not None:
            body |= {
                "email_provider": "smtp",
                "smtp": {
                    "host": "127.0.0.1",
                    "port": self.smtp.port,
                    "security": "none",
                    "from_address": "clinic@example.org",
                },
            }
        async with self.api() as api:
            # Not a test of concurrent edits: any version of the settings will do.
            response = await api.client.put("/api/notifier/settings", json=body, headers={"If-Match": "*"})
            assert response.status_code == 200, response.text
            await api.reminder_schedule()

    # processes
    def pid(self, name: str) -> int:
        return self.cluster.processes[name].pid

    def spawn_replica(self, name: str) -> int:
        """A second process of a service: same environment, schema and queue, another port."""
        port = free_port()
        command = [sys.executable, "-m", "clinic_shared.runner", KNOWN_SERVICES[name], "--port", str(port)]
        process = _spawn(f"{name}-replica", command, self.cluster.envs[name], self.cluster.state_dir)
        self.replicas[name] = process
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the {name} replica exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return port
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"the {name} replica did not become healthy")

    def stop_extra_replicas(self) -> None:
        for process in self.replicas.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except Exception:
                    process.kill()
        self.replicas.clear()

    # end state
    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(asyncpg_dsn(self.isolation.backends.database_url or ""))

    async def versions(self, service: str, ids: list[str]) -> dict[str, int]:
        conn = await self.connect()
        try:
            rows = await conn.fetch(
                f'SELECT id, version FROM "{self.schema(service)}".appointments WHERE id = ANY($1::uuid[])',  # noqa: S608 - our own schema name
                [uuid.UUID(i) for i in ids],
            )
        finally:
            await conn.close()
        return {str(r["id"]): r["version"] for r in rows}

    async def appointments_of(self, doctor_ids: set[str]) -> dict[str, int]:
        """Appointments scheduling holds for these doctors: id → version."""
        conn = await self.connect()
        try:
            rows = await conn.fetch(
                f'SELECT id, version FROM "{self.schema("scheduling")}".appointments WHERE doctor_id = ANY($1::uuid[])',  # noqa: S608 - our own schema name
                [uuid.UUID(i) for i in doctor_ids],
            )
        finally:
            await conn.close()
        return {str(r["id"]): r["version"] for r in rows}

    async def unpublished(self) -> dict[str, int]:
        conn = await self.connect()
        try:
            return {
                service: await conn.fetchval(
                    f'SELECT count(*) FROM "{self.schema(service)}".outbox WHERE published_at IS NULL'  # noqa: S608 - our own schema name
                )
                for service in OUTBOX_SERVICES
            }
        finally:
            await conn.close()

    async def inbox_duplicates(self, service: str) -> int:
        """Events applied twice by a consumer (the inbox key makes this impossible; we check)."""
        conn = await self.connect()
        try:
            return await conn.fetchval(  # type: ignore[no-any-return]
                f'SELECT count(*) - count(DISTINCT event_id) FROM "{self.schema(service)}".inbox'  # noqa: S608 - our own schema name
            )
        finally:
            await conn.close()

    def queue_problems(self) -> dict[str, int]:
        """Queues of this cluster holding messages (dead-letter queues must be empty too)."""
        depths = self.broker.queue_depths()
        return {name: n for name, n in depths.items() if name.startswith(self.isolation.prefix) and n}

    async def wait_consistent(self, appointment_ids: dict[str, int], timeout: float = 90.0) -> None:
        """Wait until the end state holds; fail naming what is still wrong after `timeout`."""
        ids = list(appointment_ids)
        deadline = time.monotonic() + timeout
        while True:
            problems: list[str] = []
            for consumer in ("notifier", "ondoc"):
                seen = await self.versions(consumer, ids)
                missing = [i for i in ids if seen.get(i) != appointment_ids[i]]
                if missing:
                    problems.append(f"{consumer}: {len(missing)} of {len(ids)} appointments missing or stale")
            pending = {k: v for k, v in (await self.unpublished()).items() if v}
            if pending:
                problems.append(f"unpublished outbox rows: {pending}")
            queues = await asyncio.to_thread(self.queue_problems)
            if queues:
                problems.append(f"messages left in queues: {queues}")
            if not problems:
                return
            if time.monotonic() > deadline:
                raise AssertionError("; ".join(problems))
            await asyncio.sleep(1)


# --- PostgreSQL faults aimed at our own processes only -------------------------------------------
def postgres_client_ports(pid: int, server_port: int = 5432) -> list[int]:
    """Local ports of the TCP connections process `pid` holds to PostgreSQL."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(f"{fd_dir}/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            local, remote, inode = cols[1], cols[2], cols[9]
            if inode in inodes and int(remote.rsplit(":", 1)[1], 16) == server_port:
                ports.append(int(local.rsplit(":", 1)[1], 16))
    return ports


async def terminate_backends_of(fault: FaultCluster, pids: list[int]) -> int:
    """`pg_terminate_backend` every PostgreSQL session of these processes; returns how many."""
    ports = [port for pid in pids for port in postgres_client_ports(pid)]
    if not ports:
        return 0
    conn = await fault.connect()
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity "
            "WHERE client_port = ANY($1::int[]) AND client_addr IN ('127.0.0.1', '::1') AND pid <> pg_backend_pid()",
            ports,
        )
    finally:
        await conn.close()
    return sum(1 for r in rows if r["done"])
