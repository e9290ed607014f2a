"""The "ondoc" record type is read from scheduling at most once per time to live (#19)."""

from __future__ import annotations

from typing import Any

from ondoc_bridge.booking.record_types import RecordTypeCache, ondoc_type_id

TYPES = [{"id": "t-phone", "code": "phone"}, {"id": "t-ondoc", "code": "ONDOC"}]


class Scheduling:
    """Counts the reads of the list; answers `items` (None: the list could not be read)."""

    def __init__(self, items: list[dict[str, Any]] | None) -> None:
        self.items = items
        self.reads = 0

    async def fetch(self) -> list[dict[str, Any]] | None:
        self.reads += 1
        return self.items


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_ondoc_type_is_found_by_its_code_in_any_case() -> None:
    assert ondoc_type_id(TYPES) == "t-ondoc"
    assert ondoc_type_id(TYPES[:1]) is None


async def test_two_bookings_within_the_ttl_read_the_list_once() -> None:
    scheduling, clock = Scheduling(TYPES), Clock()
    cache = RecordTypeCache(ttl_seconds=300, clock=clock)

    first = await cache.ondoc_id(scheduling.fetch)
    clock.now += 299
    second = await cache.ondoc_id(scheduling.fetch)

    assert (first, second, scheduling.reads) == ("t-ondoc", "t-ondoc", 1)


async def test_the_list_is_read_again_once_the_ttl_has_passed() -> None:
    scheduling, clock = Scheduling(TYPES), Clock()
    cache = RecordTypeCache(ttl_seconds=300, clock=clock)

    await cache.ondoc_id(scheduling.fetch)
    clock.now += 300
    scheduling.items = [{"id": "t-ondoc-2", "code": "ondoc"}]

    assert (await cache.ondoc_id(scheduling.fetch), scheduling.reads) == ("t-ondoc-2", 2)


async def test_a_list_that_could_not_be_read_is_not_remembered() -> None:
    scheduling = Scheduling(None)
    cache = RecordTypeCache(clock=Clock())

    assert await cache.ondoc_id(scheduling.fetch) is None
    scheduling.items = TYPES
    assert (await cache.ondoc_id(scheduling.fetch), scheduling.reads) == ("t-ondoc", 2)


async def test_a_list_without_the_type_is_remembered_for_the_ttl() -> None:
    scheduling = Scheduling(TYPES[:1])
    cache = RecordTypeCache(clock=Clock())

    await cache.ondoc_id(scheduling.fetch)

    assert (await cache.ondoc_id(scheduling.fetch), scheduling.reads) == (None, 1)
