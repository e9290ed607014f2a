"""Background loops end when cancelled, even when the cancellation comes with a wake-up."""

import asyncio

import pytest

from clinic_shared.tasks import finish_or_cancel, wait_event


async def _wake_and_cancel_together(wait) -> asyncio.Task[None]:
    event = asyncio.Event()

    async def loop() -> None:
        while True:
            await wait(event, 30)
            event.clear()

    task = asyncio.create_task(loop())
    await asyncio.sleep(0.01)  # the loop is waiting now
    event.set()
    task.cancel()
    await asyncio.wait([task], timeout=1)
    return task


async def test_a_cancellation_that_comes_with_the_wake_up_ends_the_loop() -> None:
    task = await _wake_and_cancel_together(wait_event)
    assert task.cancelled()


async def test_wait_event_answers_whether_the_event_was_set() -> None:
    event = asyncio.Event()
    assert await wait_event(event, 0.01) is False
    event.set()
    assert await wait_event(event, 0.01) is True


async def test_a_stopping_loop_may_finish_its_pass() -> None:
    finished = asyncio.Event()

    async def pass_then_end() -> None:
        await asyncio.sleep(0.05)
        finished.set()

    await finish_or_cancel(asyncio.create_task(pass_then_end()), grace=5)
    assert finished.is_set()


async def test_a_loop_that_does_not_stop_in_time_is_cancelled() -> None:
    task = asyncio.create_task(asyncio.sleep(30))
    await finish_or_cancel(task, grace=0.05)
    assert task.cancelled()


@pytest.mark.skipif(__import__("sys").version_info >= (3, 12), reason="the defect is Python 3.11's")
async def test_wait_for_would_swallow_that_cancellation() -> None:
    async def wait_for_event(event: asyncio.Event, timeout: float) -> None:
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass

    task = await _wake_and_cancel_together(wait_for_event)
    try:
        assert not task.done()  # why clinic_shared.tasks exists
    finally:
        task.cancel()
        await asyncio.wait([task], timeout=1)
