"""The exchange without a database: backoff, matching results, the fake lab's protocol (LAB-8)."""

from __future__ import annotations

import random
import uuid

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab.exchange.http import HttpLabExchange
from lab.exchange.interface import ExchangeError, ExchangeOrder, ExchangeResult, ExchangeTest
from lab.exchange.worker import backoff_delay, match_results
from lab.fake_lab import FakeLabState, create_fake_lab, plausible_value
from lab.orders.models import OrderTest


def test_backoff_doubles_from_the_base() -> None:
    assert [backoff_delay(n, base=2, cap=600, jitter=0.5) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]


@given(st.integers(1, 60), st.floats(0, 0.999))
def test_backoff_stays_within_half_and_one_and_a_half_of_the_cap(attempt: int, jitter: float) -> None:
    delay = backoff_delay(attempt, base=1, cap=30, jitter=jitter)
    assert 0.5 <= delay <= 45


def _order_test(code: str) -> OrderTest:
    return OrderTest(id=uuid.uuid4(), test_id=uuid.uuid4(), code=code, name=code)


def test_results_are_matched_by_test_id_then_by_code_skipping_done_and_unknown() -> None:
    hb, glu, alt = _order_test("HB"), _order_test("GLU"), _order_test("ALT")
    entries = match_results(
        [hb, glu, alt],
        [
            ExchangeResult(code=None, value="140", test_id=hb.test_id),
            ExchangeResult(code="GLU", value="5.1"),
            ExchangeResult(code="ALT", value="20"),
            ExchangeResult(code="XYZ", value="1"),
        ],
        done={alt.test_id},
    )
    assert [(e.test_id, e.value) for e in entries] == [(hb.test_id, "140"), (glu.test_id, "5.1")]


@given(st.floats(-100, 1000), st.floats(0, 500), st.integers(0, 2**32))
def test_fake_values_stay_inside_the_reference_range(low: float, width: float, seed: int) -> None:
    test = {"reference_low": low, "reference_high": low + width}
    value = float(plausible_value(test, random.Random(seed)))
    assert low <= value <= low + width


def _exchange(state: FakeLabState) -> HttpLabExchange:
    transport = httpx.ASGITransport(app=create_fake_lab(state))
    return HttpLabExchange(httpx.AsyncClient(transport=transport, base_url="http://fake-lab"))


ORDER = ExchangeOrder(
    order_id=uuid.uuid4(),
    number="L-2026-000001",
    patient={"last_name": "Иванов"},
    tests=[ExchangeTest(uuid.uuid4(), "HB", "Гемоглобин", "г/л", 120, 160)],
)


async def test_a_send_the_fake_lab_refuses_is_an_exchange_error() -> None:
    exchange = _exchange(FakeLabState(fail_next_sends=1))
    with pytest.raises(ExchangeError, match="500"):
        await exchange.send_order(ORDER)


async def test_sending_the_same_order_twice_gets_the_same_external_id() -> None:
    state = FakeLabState(result_delay_seconds=0)
    exchange = _exchange(state)
    first, second = await exchange.send_order(ORDER), await exchange.send_order(ORDER)
    assert first == second and state.accepted_order_ids() == [str(ORDER.order_id)]


async def test_results_are_none_until_the_delay_has_passed() -> None:
    exchange = _exchange(FakeLabState(result_delay_seconds=60))
    external_id = await exchange.send_order(ORDER)
    assert await exchange.fetch_results(external_id) is None


async def test_results_come_back_for_every_test_after_the_delay() -> None:
    exchange = _exchange(FakeLabState(result_delay_seconds=0))
    external_id = await exchange.send_order(ORDER)
    (result,) = await exchange.fetch_results(external_id) or []
    assert result.code == "HB" and 120 <= float(result.value) <= 160


async def test_polling_an_unknown_order_is_an_exchange_error() -> None:
    with pytest.raises(ExchangeError, match="404"):
        await _exchange(FakeLabState()).fetch_results("FL-NOPE")
