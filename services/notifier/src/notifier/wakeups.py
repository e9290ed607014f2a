"""Waking the worker once a transaction has committed: only then does the worker's own session
see what the transaction planned."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession


def wake_after_commit(session: AsyncSession, wake: Callable[[], None]) -> None:
    """Call `wake` once `session` has committed (not at all if it rolls back)."""
    event.listen(session.sync_session, "after_commit", lambda _session: wake(), once=True)
