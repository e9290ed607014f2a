"""The embedded platform as a test fixture: gateway + services in-process, on the test's backends."""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from clinic_shared.bus import EventBus, make_bus
from clinic_shared.events import EventEnvelope


@dataclass
class EventSpy:
    """Every event seen on the bus during a test (subscribed to `#`)."""

    events: list[EventEnvelope] = field(default_factory=list)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def __call__(self, envelope: EventEnvelope) -> None:
        async with self._arrived:
            self.events.append(envelope)
            self._arrived.notify_all()

    def of_type(self, event_type: str) -> list[EventEnvelope]:
        return [e for e in self.events if e.type == event_type]

    async def wait_for(
        self,
        event_type: str,
        predicate: Callable[[EventEnvelope], bool] = lambda _e: True,
        *,
        timeout: float = 10.0,
    ) -> EventEnvelope:
        """The first event of this type matching `predicate`, waiting for it if needed."""

        def find() -> EventEnvelope | None:
            return next((e for e in self.events if e.type == event_type and predicate(e)), None)

        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: find() is not None)
        found = find()
        assert found is not None
        return found


@dataclass(frozen=True)
class Scrape:
    """One service's /metrics as a scraper sees it."""

    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        samples = {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }
        return cls(samples)

    def value(self, name: str, **labels: str) -> float | None:
        """The sample with exactly these labels, or None when the scrape does not show it."""
        return self.samples.get((name, frozenset(labels.items())))


@dataclass
class Platform:
    """What a platform test holds: a client to the gateway, an admin token, the event spy."""

    app: FastAPI
    client: httpx.AsyncClient
    admin_headers: dict[str, str]
    spy: EventSpy
    bus: EventBus | None

    async def login(self, username: str, password: str) -> dict[str, str]:
        response = await self.client.post("/api/auth/token", data={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.client.cookies.clear()  # the refresh cookie is for browsers; tests send tokens themselves
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def headers_with(self, rights: list[str], *, claims: dict[str, str] | None = None) -> dict[str, str]:
        """Headers of a fresh user whose only role holds exactly `rights`."""
        suffix = uuid.uuid4().hex[:8]
        role = f"role-{suffix}"
        response = await self.client.post(
            "/api/auth/roles", json={"name": role, "rights": rights}, headers=self.admin_headers
        )
        assert response.status_code == 201, response.text
        password = f"pw-{uuid.uuid4().hex}"
        response = await self.client.post(
            "/api/auth/users",
            json={"username": f"user-{suffix}", "password": password, "roles": [role], "claims": claims or {}},
            headers=self.admin_headers,
        )
        assert response.status_code == 201, response.text
        return await self.login(f"user-{suffix}", password)

    async def scrape(self, service: str) -> Scrape:
        """GET the service's own /metrics (not routed by the gateway: Prometheus scrapes services directly)."""
        service_app = self.app.state.embedded_apps[service]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app), base_url="http://svc") as client:
            response = await client.get("/metrics")
        assert response.status_code == 200, response.text
        return Scrape.parse(response.text)

    async def wait_for_event(
        self, event_type: str, predicate: Callable[[EventEnvelope], bool] = lambda _e: True, *, timeout: float = 10.0
    ) -> EventEnvelope:
        return await self.spy.wait_for(event_type, predicate, timeout=timeout)


async def spy_bus(overrides: dict[str, Any], app: FastAPI, spy: EventSpy) -> EventBus | None:
    """Subscribe the spy: to the shared in-process bus, or with its own RabbitMQ connection."""
    bus: EventBus | None = getattr(app.state, "bus", None)
    if bus is not None:
        await bus.subscribe("spy", ["#"], spy)
        return None
    settings_like = type("S", (), overrides)
    own = make_bus(settings_like)
    await own.start()
    await own.subscribe("spy", ["#"], spy)
    return own


def dump_pending_tasks(why: str) -> str:
    """Print every asyncio task still pending, with where it waits (to find a shutdown that
    hangs); the same text is returned."""
    out = io.StringIO()
    out.write(f"\n=== {why}: pending asyncio tasks ===\n")
    for task in asyncio.all_tasks():
        out.write(f"--- task {task.get_name()} (done={task.done()}, cancelling={task.cancelling()})\n")
        task.print_stack(limit=12, file=out)
    text = out.getvalue()
    print(text, flush=True)
    return text


def shutdown_watchdog(seconds: float = 20.0) -> asyncio.TimerHandle:
    """Start before an app's shutdown, cancel after it: if it still runs after `seconds`, the
    pending tasks are printed (a shutdown that hangs then shows where)."""
    return asyncio.get_running_loop().call_later(
        seconds, dump_pending_tasks, f"shutdown still running after {seconds:.0f} s"
    )


class ShutdownHang(UserWarning):
    """A test platform's shutdown did not end in time (the pending tasks were printed)."""


async def cancel_leftovers(rounds: int = 40, every: float = 0.25) -> list[str]:
    """Cancel every other task, again and again (a cancellation can be swallowed once, e.g. by
    Python 3.11's `wait_for`); the names of those still running at the end."""
    current = asyncio.current_task()
    left: list[asyncio.Task[Any]] = []
    for _ in range(rounds):
        left = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
        if not left:
            return []
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=every)
    return [task.get_name() for task in left if not task.done()]


@contextlib.asynccontextmanager
async def app_running(
    app: FastAPI, *, startup_timeout: float = 60, shutdown_timeout: float = 10
) -> AsyncIterator[None]:
    """The app's lifespan around the block.

    A shutdown still running after two thirds of `shutdown_timeout` prints its pending tasks.
    One that times out is cut short, its tasks cancelled until they end, and reported as a
    ShutdownHang warning: the run goes on and the test keeps its verdict on what it tested.
    A sound platform stops in well under a second; 10 s bounds what a hung one costs the run.
    (asgi_lifespan's manager, used before, cancels a timed-out lifespan once and then waits for
    it without a limit: a task that swallowed that cancellation held the whole test run.)
    """
    lifespan = app.router.lifespan_context(app)
    async with asyncio.timeout(startup_timeout):
        await lifespan.__aenter__()
    try:
        yield
    finally:
        watchdog = shutdown_watchdog(shutdown_timeout * 2 / 3)
        shutdown = asyncio.ensure_future(lifespan.__aexit__(None, None, None))
        try:
            done, _ = await asyncio.wait({shutdown}, timeout=shutdown_timeout)
        finally:
            watchdog.cancel()
        if done:
            shutdown.result()
        else:
            # The tasks' stacks go into the warning too: a passing test's output is not shown.
            stacks = dump_pending_tasks(f"shutdown timed out after {shutdown_timeout:.0f} s")
            still = await cancel_leftovers()
            warnings.warn(
                ShutdownHang(f"the platform's shutdown timed out; still running: {still}\n{stacks[-6000:]}"),
                stacklevel=1,
            )
