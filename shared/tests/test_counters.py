"""Human-number counters: consecutive, never repeated, created on first use, atomic under concurrency."""

from __future__ import annotations

import asyncio

import pytest
from infra_support import COUNTERS
from sqlalchemy import text

from clinic_shared.counters import Counters
from clinic_shared.db import Database


async def test_a_new_counter_starts_at_one_and_counts_up(db: Database) -> None:
    counters = Counters(COUNTERS)
    async with db.session() as session:
        assert [await counters.next_value(session, "card") for _ in range(3)] == [1, 2, 3]


async def test_counters_of_different_names_are_independent(db: Database) -> None:
    counters = Counters(COUNTERS)
    async with db.session() as session:
        await counters.next_value(session, "card")
        await counters.next_value(session, "card")
        assert await counters.next_value(session, "barcode") == 1


async def test_allocate_hands_out_a_consecutive_block_after_earlier_values(db: Database) -> None:
    counters = Counters(COUNTERS)
    async with db.session() as session:
        await counters.next_value(session, "card")
        assert list(await counters.allocate(session, "card", 4)) == [2, 3, 4, 5]
        assert await counters.next_value(session, "card") == 6


async def test_allocating_nothing_returns_an_empty_block(db: Database) -> None:
    async with db.session() as session:
        assert list(await Counters(COUNTERS).allocate(session, "card", 0)) == []


async def test_a_negative_count_is_refused(db: Database) -> None:
    async with db.session() as session:
        with pytest.raises(ValueError, match="negative"):
            await Counters(COUNTERS).allocate(session, "card", -1)


async def test_a_rolled_back_value_is_handed_out_again(db: Database) -> None:
    counters = Counters(COUNTERS)
    async with db.session() as session:
        await counters.next_value(session, "card")
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            await counters.next_value(session, "card")
            raise RuntimeError("request failed")
    async with db.session() as session:
        assert await counters.next_value(session, "card") == 2


async def test_concurrent_first_users_never_get_the_same_number(db: Database, replica_db: Database) -> None:
    counters = Counters(COUNTERS)

    async def take(database: Database) -> int:
        async with database.session() as session:
            return await counters.next_value(session, "order")

    values = await asyncio.gather(*(take(db if i % 2 else replica_db) for i in range(20)))
    assert sorted(values) == list(range(1, 21))


@pytest.mark.postgres
async def test_a_counter_with_its_own_sequence_uses_it_on_postgresql(db: Database) -> None:
    if not db.is_postgres:
        pytest.skip("sequences are a PostgreSQL feature; SQLite uses the counter row")
    async with db.session() as session:
        await session.execute(text("CREATE SEQUENCE appointment_number_seq START 100"))
    counters = Counters(COUNTERS, sequences={"appointment_number"})
    async with db.session() as session:
        assert [await counters.next_value(session, "appointment_number") for _ in range(2)] == [100, 101]
