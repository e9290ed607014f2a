"""A test platform's shutdown that hangs shows its pending tasks (clinic_shared.testing.platform)."""

import asyncio
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI

from clinic_shared.testing.platform import ShutdownHang, app_running, shutdown_watchdog


async def test_a_shutdown_that_runs_too_long_prints_where_each_task_waits(capsys: pytest.CaptureFixture[str]) -> None:
    stuck = asyncio.create_task(asyncio.Event().wait(), name="stuck-consumer")
    watchdog = shutdown_watchdog(0.01)
    await asyncio.sleep(0.05)
    watchdog.cancel()
    stuck.cancel()
    printed = capsys.readouterr().out
    assert "pending asyncio tasks" in printed
    assert "stuck-consumer" in printed


async def test_a_shutdown_that_ends_in_time_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    watchdog = shutdown_watchdog(0.05)
    watchdog.cancel()
    await asyncio.sleep(0.1)
    assert capsys.readouterr().out == ""


async def test_a_shutdown_that_hangs_is_cut_short_and_reported(capsys: pytest.CaptureFixture[str]) -> None:
    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        async def stubborn() -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                await asyncio.Event().wait()  # swallows the first cancellation, as 3.11's wait_for may

        task = asyncio.create_task(stubborn(), name="stubborn-loop")
        yield
        await task  # never ends by itself

    with pytest.warns(ShutdownHang):
        async with app_running(FastAPI(lifespan=lifespan), shutdown_timeout=0.3):
            pass
    assert "stubborn-loop" in capsys.readouterr().out
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "stubborn-loop" and not t.done()]
