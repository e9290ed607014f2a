"""Attach-code rules (OND-2): complete cards only, unguessable 9-digit codes, a rate limit."""

from __future__ import annotations

import inspect
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ondoc_bridge.attach.rules import generate_code, is_code_shaped, missing_card_data, retry_after_seconds

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Card:
    last_name: str | None = "Смирнова"
    first_name: str | None = "Анна"
    middle_name: str | None = "Сергеевна"
    birth_date: date | None = date(1990, 2, 3)
    mobile_phone: str | None = "79221112233"
    email: str | None = None


def test_a_complete_card_lacks_nothing() -> None:
    assert missing_card_data(Card()) == []


def test_an_email_alone_is_a_contact() -> None:
    assert missing_card_data(Card(mobile_phone=None, email="anna@example.org")) == []


@pytest.mark.parametrize("field", ["last_name", "first_name", "middle_name", "birth_date"])
def test_each_part_of_the_full_name_and_the_birth_date_is_required(field: str) -> None:
    assert [name for name, _ in missing_card_data(Card(**{field: None}))] == [field]


def test_a_blank_middle_name_counts_as_missing() -> None:
    assert [name for name, _ in missing_card_data(Card(middle_name="  "))] == ["middle_name"]


def test_a_card_without_phone_and_email_lacks_a_contact() -> None:
    assert [name for name, _ in missing_card_data(Card(mobile_phone=None, email=""))] == ["contact"]


def test_every_missing_item_is_named_at_once() -> None:
    empty = Card(middle_name=None, birth_date=None, mobile_phone=None)
    assert [name for name, _ in missing_card_data(empty)] == ["middle_name", "birth_date", "contact"]


@given(st.integers(min_value=0, max_value=9 * 10**8 - 1))
def test_codes_are_nine_digits_for_any_random_draw(draw: int) -> None:
    code = generate_code(lambda _bound: draw)
    assert is_code_shaped(code) and code[0] != "0"


def test_codes_come_from_the_whole_nine_digit_range() -> None:
    bounds: list[int] = []
    assert generate_code(lambda bound: bounds.append(bound) or 0) == "100000000"
    assert bounds == [900_000_000]
    assert generate_code(lambda bound: bound - 1) == "999999999"


def test_codes_come_from_the_os_csprng_by_default() -> None:
    assert inspect.signature(generate_code).parameters["randbelow"].default is secrets.randbelow


def test_generated_codes_are_spread_over_the_whole_range() -> None:
    # Nine random digits do collide now and then (the birthday bound); the database's unique
    # live-code index and a retry handle that. Here: well-formed, spread, almost never equal.
    codes = [generate_code() for _ in range(2000)]
    assert all(is_code_shaped(c) for c in codes)
    assert {c[0] for c in codes} == set("123456789")
    assert len(set(codes)) >= 1990


@pytest.mark.parametrize("text", ["12345678", "1234567890", "12345678a", " 123456789", ""])
def test_only_nine_digits_look_like_a_code(text: str) -> None:
    assert not is_code_shaped(text)


def test_codes_below_the_hourly_limit_may_be_issued() -> None:
    issued = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert retry_after_seconds(issued, now=NOW, per_hour=5) is None


def test_the_sixth_code_within_an_hour_waits_until_the_oldest_leaves_the_window() -> None:
    issued = [NOW - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    assert retry_after_seconds(issued, now=NOW, per_hour=5) == 10 * 60


def test_codes_older_than_an_hour_do_not_count() -> None:
    issued = [NOW - timedelta(minutes=m) for m in (61, 70, 80, 90, 100, 5)]
    assert retry_after_seconds(issued, now=NOW, per_hour=5) is None
