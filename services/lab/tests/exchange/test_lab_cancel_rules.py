"""Cancelling an order the lab may have, without a database: the rules and the fake lab's protocol (LAB-4, LAB-8)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from lab.exchange.http import HttpLabExchange
from lab.exchange.interface import CancelOutcome, ExchangeError, ExchangeOrder, ExchangeTest
from lab.exchange.rules import CancelAction, cancel_action, cancel_can_be_requeued, cancel_message, state_after_ack
from lab.fake_lab import FakeLabState, create_fake_lab


def test_an_order_the_lab_acknowledged_needs_telling() -> None:
    assert cancel_action("sent", "FL-1") is CancelAction.TELL_LAB


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_an_order_the_lab_never_acknowledged_only_stops_sending(state: str) -> None:
    assert cancel_action(state, None) is CancelAction.STOP


@pytest.mark.parametrize("state", [None, "completed", "cancelled"])
def test_an_order_never_queued_or_finished_needs_nothing(state: str | None) -> None:
    assert cancel_action(state, "FL-1" if state else None) is CancelAction.NOTHING


def test_a_send_acknowledged_after_the_order_was_cancelled_queues_the_cancellation() -> None:
    assert state_after_ack("cancelled") == ("cancelled", True)


@pytest.mark.parametrize("status", ["created", "sent", "in_progress"])
def test_a_send_acknowledged_for_an_open_order_waits_for_results(status: str) -> None:
    assert state_after_ack(status) == ("sent", False)


@pytest.mark.parametrize(
    ("state", "allowed"), [("failed", True), ("pending", False), ("delivered", False), (None, False)]
)
def test_only_a_cancellation_given_up_can_be_queued_again(state: str | None, allowed: bool) -> None:
    assert cancel_can_be_requeued(state) is allowed


def test_a_refused_cancellation_says_why_and_that_results_are_ignored() -> None:
    message = cancel_message("refused", refusal_reason="пробы уже исследованы")
    assert message == (
        "Лаборатория отказалась отменить заказ (пробы уже исследованы): она может продолжить исследование проб; "
        "результаты, которые она пришлёт по этому заказу, не будут приняты."
    )


def test_a_refusal_without_a_reason_says_so_in_russian() -> None:
    assert "(причина не указана)" in cancel_message("refused")


def test_a_failed_cancellation_says_how_many_attempts_and_what_to_do() -> None:
    message = cancel_message("failed", attempts=10)
    assert "попыток: 10" in message and "отмените заказ ещё раз" in message


def test_a_cancellation_waiting_for_the_lab_says_so_in_russian() -> None:
    assert cancel_message("pending").startswith("Лаборатория ещё не подтвердила отмену заказа")


ORDER = ExchangeOrder(
    order_id=uuid.uuid4(),
    number="L-2026-000002",
    patient={"last_name": "Иванов"},
    tests=[ExchangeTest(uuid.uuid4(), "HB", "Гемоглобин", "г/л", 120, 160)],
)


def _exchange(state: FakeLabState) -> HttpLabExchange:
    transport = httpx.ASGITransport(app=create_fake_lab(state))
    return HttpLabExchange(httpx.AsyncClient(transport=transport, base_url="http://fake-lab"))


async def test_the_fake_lab_takes_a_cancellation_once_however_often_it_is_retried() -> None:
    state = FakeLabState(result_delay_seconds=60)
    exchange = _exchange(state)
    external_id = await exchange.send_order(ORDER)

    first = await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason="patient left")
    second = await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason="patient left")

    assert first == second == CancelOutcome(accepted=True)
    assert state.cancellations == [str(ORDER.order_id)] and state.cancel_calls == 2


async def test_the_fake_lab_refuses_to_cancel_an_order_whose_samples_were_analysed() -> None:
    state = FakeLabState(result_delay_seconds=60)
    exchange = _exchange(state)
    external_id = await exchange.send_order(ORDER)
    state.mark_analysed(str(ORDER.order_id))

    outcome = await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason=None)

    assert outcome == CancelOutcome(accepted=False, reason="samples already analysed")
    assert state.cancellations == []


async def test_the_fake_lab_refuses_to_cancel_an_order_whose_results_are_ready() -> None:
    state = FakeLabState(result_delay_seconds=0)
    exchange = _exchange(state)
    external_id = await exchange.send_order(ORDER)

    outcome = await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason=None)

    assert not outcome.accepted and state.cancellations == []


async def test_the_fake_lab_gives_no_results_for_a_cancelled_order() -> None:
    state = FakeLabState(result_delay_seconds=60)
    exchange = _exchange(state)
    external_id = await exchange.send_order(ORDER)
    await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason=None)
    state.result_delay_seconds = 0

    with pytest.raises(ExchangeError, match="409"):
        await exchange.fetch_results(external_id)


async def test_a_lab_that_is_down_makes_the_cancellation_an_exchange_error_to_retry() -> None:
    state = FakeLabState(result_delay_seconds=60)
    exchange = _exchange(state)
    external_id = await exchange.send_order(ORDER)
    state.fail_next_cancels = 1

    with pytest.raises(ExchangeError, match="503"):
        await exchange.cancel_order(external_id, order_id=ORDER.order_id, reason=None)
    assert state.cancellations == []


async def test_a_bare_409_without_a_refusal_is_retried_not_taken_as_the_labs_answer() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(409, text="conflict"))
    exchange = HttpLabExchange(httpx.AsyncClient(transport=transport, base_url="http://lab"))

    with pytest.raises(ExchangeError, match="409"):
        await exchange.cancel_order("FL-1", order_id=uuid.uuid4(), reason=None)
