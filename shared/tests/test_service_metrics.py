"""/metrics of a service built by `create_service_app`: the outbox, the consumer queue, the
service's own gauges, and a scrape that answers whatever cannot be read."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from infra_support import EVENTS, METADATA, THINGS, make_envelope
from prometheus_client import CollectorRegistry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from clinic_shared.bus import InProcessBus
from clinic_shared.db import Database
from clinic_shared.metrics import Reading, ServiceGauges, ServiceMetric
from clinic_shared.outbox import Handler
from clinic_shared.service import ServiceSpec, create_service_app
from clinic_shared.testing.platform import Scrape


async def count_things(_runtime: Any, session: AsyncSession) -> Reading:
    count = (await session.execute(select(func.count()).select_from(THINGS))).scalar_one()
    return {("things",): count}


THINGS_METRIC = ServiceMetric("things_stored", "Rows of the things table", ("kind",), count_things)


def infra_app(db: Database, *, metrics: list[ServiceMetric], handlers: dict[str, Handler] | None = None) -> FastAPI:
    """A service on the test's database (tables already made) and its own in-process bus."""
    spec = ServiceSpec(
        name="infra",
        title="Infra",
        metadata=METADATA,
        events=EVENTS,
        migrations=Path("unused"),
        routers=[],
        rights={},
        handlers=handlers or {},
        metrics=metrics,
    )
    settings = db.settings.model_copy(update={"run_migrations": False, "outbox_poll_seconds": 3600})
    return create_service_app(spec, settings, bus=InProcessBus(max_attempts=2, retry_base_seconds=0.001))


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[Callable[[], Any]]:
    """Start the app; yield a scrape function."""
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://infra") as client:

            async def scrape() -> Scrape:
                response = await client.get("/metrics")
                assert response.status_code == 200, response.text
                return Scrape.parse(response.text)

            yield scrape


async def test_a_service_gauge_shows_what_its_read_returns_with_the_service_label(db: Database) -> None:
    await _add_things(db, 3)

    async with running(infra_app(db, metrics=[THINGS_METRIC])) as scrape:
        scraped = await scrape()

    assert scraped.value("things_stored", service="infra", kind="things") == 3


async def test_the_outbox_backlog_counts_events_not_yet_published(db: Database) -> None:
    app = infra_app(db, metrics=[])
    async with running(app) as scrape:
        # The relay's first pass may run late, after the rows are in: stop it so nothing is published.
        await app.state.runtime.relay.stop()
        async with db.session() as session:
            for n in range(2):
                await EVENTS.add(session, make_envelope(n + 1))
        scraped = await scrape()

    assert scraped.value("outbox_backlog", service="infra") == 2
    assert scraped.value("outbox_oldest_age_seconds", service="infra") >= 0


async def test_a_gauge_whose_read_fails_is_counted_and_the_others_still_show(db: Database) -> None:
    async def broken(_runtime: Any, _session: AsyncSession) -> Reading:
        raise RuntimeError("database said no")

    metrics = [ServiceMetric("broken_gauge", "Always fails", (), broken), THINGS_METRIC]
    async with running(infra_app(db, metrics=metrics)) as scrape:
        scraped = await scrape()

    assert scraped.value("things_stored", service="infra", kind="things") == 0
    assert scraped.value("broken_gauge", service="infra") is None
    assert scraped.value("metrics_refresh_errors_total", service="infra", source="broken_gauge") == 1


async def test_metrics_answer_when_the_database_is_down(db: Database) -> None:
    app = infra_app(db, metrics=[THINGS_METRIC])
    down = _unreachable_engine(db)
    try:
        async with running(app) as scrape:
            await _add_things(db, 3)
            await scrape()
            await _add_things(db, 2)
            app.state.runtime.db.sessionmaker.configure(bind=down)
            scraped = await scrape()
    finally:
        await down.dispose()

    assert scraped.value("things_stored", service="infra", kind="things") == 3  # the last value read
    assert scraped.value("metrics_refresh_errors_total", service="infra", source="outbox") == 1
    assert scraped.value("metrics_refresh_errors_total", service="infra", source="things_stored") == 1


async def _add_things(db: Database, count: int) -> None:
    async with db.session() as session:
        await session.execute(
            THINGS.insert().values([{"id": uuid.uuid4().hex, "name": "x", "version": 1} for _ in range(count)])
        )


def _unreachable_engine(db: Database) -> AsyncEngine:
    """An engine whose every connection fails at once: a database that is down."""
    if db.is_postgres:
        return create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none", connect_args={"timeout": 1})
    return create_async_engine("sqlite+aiosqlite:////nonexistent/dir/gone.db")


async def test_an_event_whose_handler_keeps_failing_shows_as_a_dead_letter(db: Database) -> None:
    async def failing(_session: AsyncSession, _envelope: Any) -> None:
        raise RuntimeError("handler bug")

    app = infra_app(db, metrics=[], handlers={"patient.created": failing})
    async with running(app) as scrape:
        assert (await scrape()).value("consumer_queue_messages", service="infra", queue="dead") == 0
        await app.state.runtime.bus.publish(make_envelope())
        scraped = await scrape()

    assert scraped.value("consumer_queue_messages", service="infra", queue="dead") == 1
    assert scraped.value("consumer_queue_messages", service="infra", queue="main") == 0


async def test_a_scrape_does_not_wait_for_a_slow_read_and_shows_its_value_once_done() -> None:
    release = asyncio.Event()

    async def slow(_runtime: Any, _session: Any) -> Reading:
        await release.wait()
        return {(): 7}

    gauges = ServiceGauges(
        "infra", CollectorRegistry(), [ServiceMetric("slow_gauge", "Slow", (), slow)], wait_seconds=0.05
    )
    runtime = _stub_runtime()

    await gauges.scrape(runtime)  # returns after wait_seconds, the read still running
    assert _sample(gauges, "slow_gauge") is None
    release.set()
    await gauges.scrape(runtime)

    assert _sample(gauges, "slow_gauge") == 7
    await gauges.close()


def _sample(gauges: ServiceGauges, name: str) -> float | None:
    return gauges.registry.get_sample_value(name, {"service": "infra"})


def _stub_runtime() -> Any:
    """Enough of a runtime for ServiceGauges: a database whose sessions do nothing, no handlers."""

    class Sessions:
        @asynccontextmanager
        async def read_session(self) -> AsyncIterator[None]:
            yield None

    async def no_backlog(_session: Any) -> tuple[int, float]:
        return 0, 0.0

    spec = SimpleNamespace(handlers={}, events=SimpleNamespace(backlog=no_backlog), name="infra")
    return SimpleNamespace(db=Sessions(), spec=spec)
