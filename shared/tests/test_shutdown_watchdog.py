"""A test platform's shutdown that hangs shows its pending tasks (clinic_shared.testing.platform)."""

import asyncio

import pytest
from clinic_shared.testing.platform import shutdown_watchdog


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
