"""Benchmark: plan + dispatch N due reminders through a fake SMSC server, against raw httpx.

`run()` is what `make bench` calls. A real uvicorn server speaking the SMSC protocol runs on
127.0.0.1 in a child process; the same run posts the same N requests straight to it with
httpx (same concurrency as the dispatcher), then lets the notifier plan N reminders (a new
schedule over N booked appointments) and dispatch them. It prints both times and the ratio
direct / notifier (target ≥ 0.5: the notifier's bookkeeping costs at most as much as the
HTTP itself). Uses SQLite in a temporary directory unless CLINIC_DATABASE_URL is set.

    .venv/bin/python services/notifier/bench/bench_dispatch.py [N]
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

T0 = datetime(2027, 3, 15, 7, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_fake_smsc(port: int) -> None:
    """Child process: an SMSC-compatible `/sys/send.php` that accepts everything."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    counter = itertools.count(1)
    received = {"count": 0}

    async def send(request: Request) -> JSONResponse:
        form = await request.form()
        if not form.get("phones") or not form.get("mes"):
            return JSONResponse({"error": "parameters error", "error_code": 1})
        received["count"] += 1
        return JSONResponse({"id": next(counter), "cnt": 1})

    async def count(_request: Request) -> JSONResponse:
        return JSONResponse(received)

    app = Starlette(routes=[Route("/sys/send.php", send, methods=["GET", "POST"]), Route("/count", count)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def _wait_for_server(base_url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.get(f"{base_url}/count")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise RuntimeError("the fake SMSC server did not start")


async def _received(base_url: str) -> int:
    async with httpx.AsyncClient() as client:
        return int((await client.get(f"{base_url}/count")).json()["count"])


async def direct_posts(base_url: str, count: int, concurrency: int) -> float:
    """Seconds to POST `count` SMSC requests straight to the server."""
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30) as client:

        async def post(n: int) -> None:
            async with gate:
                form = {
                    "login": "bench",
                    "psw": "bench",
                    "phones": f"7922{n:07d}",
                    "mes": "Напоминание",
                    "charset": "utf-8",
                    "fmt": "3",
                }
                for attempt in range(3):  # a keep-alive connection the server just closed
                    try:
                        response = await client.post(f"{base_url}/sys/send.php", data=form)
                        response.raise_for_status()
                        return
                    except httpx.TransportError:
                        if attempt == 2:
                            raise

        started = time.perf_counter()
        await asyncio.gather(*(post(n) for n in range(count)))
        return time.perf_counter() - started


async def _seed(context: Any, count: int) -> None:
    from clinic_shared.events import AppointmentState, EventEnvelope, PatientState
    from notifier.projections import service as projections

    runtime = context.require_runtime()
    async with runtime.db.session() as session:
        for n in range(count):
            patient = PatientState(
                id=uuid.uuid4(),
                card_number=f"{n:06d}",
                last_name="Иванов",
                first_name="Иван",
                mobile_phone=f"+7922{n:07d}",
            )
            start = T0 + timedelta(hours=3, seconds=n % 3600)
            visit = AppointmentState(
                id=uuid.uuid4(),
                number=f"A{n}",
                doctor_id=uuid.uuid4(),
                doctor_name="Петров П. П.",
                patient_id=patient.id,
                start=start,
                end=start + timedelta(minutes=30),
            )
            for event_type, state in (("patient.created", patient), ("appointment.created", visit)):
                envelope = EventEnvelope(
                    type=event_type,
                    producer="bench",
                    aggregate_id=str(state.id),
                    aggregate_version=1,
                    occurred_at=T0 - timedelta(days=1),
                    data=state.model_dump(mode="json"),
                )
                apply = projections.apply_patient if event_type == "patient.created" else projections.apply_appointment
                await apply(session, envelope, now=T0 - timedelta(days=1))


async def _count_sent(context: Any) -> int:
    from sqlalchemy import func, select

    from notifier.messages.models import Message

    async with context.require_runtime().db.read_session() as session:
        return int((await session.execute(select(func.count()).where(Message.status == "sent"))).scalar_one())


async def notifier_run(base_url: str, count: int, data_dir: Path) -> dict[str, Any]:
    """Seconds to plan and to dispatch `count` reminders with the real notifier app."""
    from clinic_shared.auth import Principal
    from clinic_shared.bus import InProcessBus
    from notifier.app import create_app
    from notifier.clock import ManualClock
    from notifier.config import service as config_service
    from notifier.config.schemas import SettingsUpdate
    from notifier.schedules import service as schedule_service
    from notifier.schedules.schemas import ScheduleCreate
    from notifier.settings import NotifierSettings

    settings = NotifierSettings(
        data_dir=data_dir,
        notifier_tick_seconds=3600,
        db_schema_prefix=f"bench{uuid.uuid4().hex[:6]}_",
        outbound_allow_private=True,  # the fake SMS provider listens on 127.0.0.1
    )
    app = create_app(settings, bus=InProcessBus())
    context = app.state.notifier
    clock = ManualClock(T0 - timedelta(days=1))
    context.clock_override = clock
    admin = Principal(user_id=uuid.uuid4(), username="bench")
    async with app.router.lifespan_context(app):
        # The bench drives the passes itself: the service's own loop would race it for the work.
        await context.worker.stop()
        await _seed(context, count)
        runtime = context.require_runtime()
        async with runtime.db.session() as session:
            update = SettingsUpdate.model_validate(
                {"sms_provider": "smsc", "smsc": {"base_url": base_url, "login": "bench", "password": "bench"}}
            )
            await config_service.update_settings(
                session,
                update=update,
                principal=admin,
                fakes=False,
                now=clock.now(),
                allow_private=settings.outbound_allow_private,
                if_match="*",
            )
        body = ScheduleCreate(
            name="2 hours before",
            type="minutes_before_appointment",
            channel="sms",
            minutes=120,
            template="%Name1%, ждём вас %Date% в %Time%, врач %Doctor%",
        )
        started = time.perf_counter()
        async with runtime.db.session() as session:
            await schedule_service.create_schedule(session, data=body, principal=admin, tz=context.tz, now=clock.now())
        planned_in = time.perf_counter() - started
        clock.set(T0 + timedelta(hours=2))  # every reminder is due (T0+1h … T0+2h), no appointment has started
        started = time.perf_counter()
        handled = (await context.worker.run_once()).handled
        for _ in range(5):  # transient errors (a dropped connection) are retried after their backoff
            sent = await _count_sent(context)
            if sent == count:
                break
            clock.advance(timedelta(minutes=10))
            handled += (await context.worker.run_once()).handled
        dispatched_in = time.perf_counter() - started
        if settings.is_postgres:
            from clinic_shared.testing.backends import drop_schemas

            await drop_schemas(settings.database_url or "", settings.db_schema_prefix)
    return {"plan_seconds": planned_in, "dispatch_seconds": dispatched_in, "sent": sent, "handled": handled}


async def main_async(count: int) -> dict[str, Any]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = multiprocessing.get_context("spawn").Process(target=_serve_fake_smsc, args=(port,), daemon=True)
    server.start()
    try:
        await _wait_for_server(base_url)
        from notifier.settings import NotifierSettings

        concurrency = NotifierSettings().notifier_concurrency
        direct = await direct_posts(base_url, count, concurrency)
        with tempfile.TemporaryDirectory() as tmp:
            result = await notifier_run(base_url, count, Path(tmp))
        received = await _received(base_url)
    finally:
        server.terminate()
        server.join(5)
    total = result["plan_seconds"] + result["dispatch_seconds"]
    figures = {
        "messages": count,
        "direct_seconds": round(direct, 2),
        "plan_seconds": round(result["plan_seconds"], 2),
        "dispatch_seconds": round(result["dispatch_seconds"], 2),
        "ratio_dispatch": round(direct / result["dispatch_seconds"], 2),
        "ratio_plan_and_dispatch": round(direct / total, 2),
        "server_received": received,
        "backend": "postgresql" if os.environ.get("CLINIC_DATABASE_URL") else "sqlite",
    }
    figures["handled"] = result["handled"]
    if received != 2 * count or result["sent"] != count:
        raise RuntimeError(f"not every message went out exactly once: {figures}")
    return figures


def run(count: int = 10_000) -> dict[str, Any]:
    """Run the benchmark, print the figures and return them."""
    from clinic_shared.logging import configure_logging

    # One log line per message would measure the terminal, not the notifier.
    configure_logging("WARNING", "json")
    if os.environ.get("CLINIC_DATABASE_URL") and not os.environ.get("CLINIC_SECRETS_KEY"):
        # Run alone on PostgreSQL the notifier refuses to start without a key for its stored
        # credentials (`make bench` sets one); the bench's schema is dropped at the end, so a throwaway key will do.
        from clinic_shared.secretbox import generate_key

        os.environ["CLINIC_SECRETS_KEY"] = generate_key()
    figures = asyncio.run(main_async(count))
    print(
        f"notifier dispatch bench ({figures['backend']}): {count} SMS\n"
        f"  direct httpx posts:       {figures['direct_seconds']:.2f} s\n"
        f"  notifier plan:            {figures['plan_seconds']:.2f} s\n"
        f"  notifier dispatch:        {figures['dispatch_seconds']:.2f} s\n"
        f"  ratio direct/dispatch:    {figures['ratio_dispatch']:.2f} (target >= 0.5)\n"
        f"  ratio direct/(plan+disp): {figures['ratio_plan_and_dispatch']:.2f}",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
