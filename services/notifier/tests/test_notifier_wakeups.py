"""The worker is woken after a transaction commits (what it planned is visible then), not
before, and not when it rolls back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from notifier.wakeups import wake_after_commit


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        async with AsyncSession(engine) as opened:
            yield opened
    finally:
        await engine.dispose()


async def test_the_worker_is_woken_once_the_transaction_commits(session: AsyncSession) -> None:
    wakes: list[str] = []
    async with session.begin():
        await session.execute(text("SELECT 1"))
        wake_after_commit(session, lambda: wakes.append("woken"))
        assert wakes == []  # not while the transaction is open
    assert wakes == ["woken"]


async def test_a_rolled_back_transaction_wakes_nobody(session: AsyncSession) -> None:
    wakes: list[str] = []
    await session.begin()
    await session.execute(text("SELECT 1"))
    wake_after_commit(session, lambda: wakes.append("woken"))
    await session.rollback()
    assert wakes == []
