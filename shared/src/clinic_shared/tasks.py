"""Waiting and stopping for background loops, safe against Python 3.11's `asyncio.wait_for`.

On 3.11 `wait_for` returns the inner result when a cancellation arrives in the same loop
iteration as the wake-up, swallowing the cancellation: a `while not stopping` loop then never
ends and a shutdown (or a test's event-loop teardown) hangs. `asyncio.timeout` counts
cancellations and lets an outside one through, so every background wait goes through here.
"""

from __future__ import annotations

import asyncio
import contextlib


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    """Wait until `event` is set or `timeout` seconds pass; True when it was set."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()
    return event.is_set()


async def finish_or_cancel(task: asyncio.Task[None], grace: float) -> None:
    """Let a loop that was told to stop finish its pass for up to `grace` seconds, then cancel it.

    The caller's own cancellation is not passed to the task while it finishes (a pass cut in the
    middle may leave a claim or a connection behind) but still ends the wait.
    """
    try:
        async with asyncio.timeout(grace):
            await asyncio.shield(task)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
