"""Online-booking prices (SCH-13): rules of online/pricing.py, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.online.pricing import (
    OnlineServiceLink,
    discounted_price,
    prepaid_price,
    prepayment_amount,
    quote,
    round_money,
    validate_general_discount,
    validate_link,
)


def link(**overrides: object) -> OnlineServiceLink:
    """A link that shows its price, with amounts given as strings for readability."""
    values: dict[str, object] = {"mode": "clinic", "show_price": True, "price": "1000"}
    values.update(overrides)
    for name in ("price", "prepayment_amount", "discount_percent"):
        if isinstance(values.get(name), str | int):
            values[name] = Decimal(values[name])
    return OnlineServiceLink(**values)


def prepaid(**overrides: object) -> OnlineServiceLink:
    """A link with a required prepayment and a discount for it."""
    values: dict[str, object] = {
        "prepayment_required": True,
        "prepayment_amount": "300",
        "discount_on_prepayment": True,
        "discount_percent": "10",
    }
    values.update(overrides)
    return link(**values)


def fields(errors: list[dict[str, str]]) -> list[str]:
    return [error["field"] for error in errors]


# --- rounding ----------------------------------------------------------------------------


def test_money_is_rounded_half_up_to_kopecks():
    assert round_money(Decimal("0.625")) == Decimal("0.63")


def test_money_is_rounded_half_up_to_whole_rubles_when_asked():
    assert round_money(Decimal("500.50"), whole_rubles=True) == Decimal("501")


def test_money_just_under_half_a_ruble_rounds_down():
    assert round_money(Decimal("500.49"), whole_rubles=True) == Decimal("500")


# --- the price shown in the widget -------------------------------------------------------


def test_widget_shows_the_full_price_when_there_is_no_discount():
    shown = quote(link(price="1500"))
    assert (shown.full_price, shown.price) == (Decimal("1500.00"), Decimal("1500.00"))


def test_widget_hides_every_price_when_show_price_is_off():
    shown = quote(link(show_price=False, price="1500"), Decimal("10"))
    assert (shown.full_price, shown.price, shown.price_with_prepayment, shown.due_at_clinic) == (None, None, None, None)


def test_general_discount_lowers_the_shown_price():
    shown = quote(link(price="1500"), Decimal("10"))
    assert (shown.full_price, shown.price) == (Decimal("1500.00"), Decimal("1350.00"))


def test_general_discount_result_is_rounded_half_up_to_kopecks():
    assert discounted_price(link(price="1.25"), Decimal("50")) == Decimal("0.63")


def test_general_discount_is_not_rounded_to_rubles_even_when_the_link_rounds():
    assert discounted_price(link(price="1234.56", round_to_rubles=True), Decimal("10")) == Decimal("1111.10")


def test_full_general_discount_makes_the_service_free():
    assert discounted_price(link(price="990"), Decimal("100")) == Decimal("0.00")


def test_link_without_price_has_no_discounted_price():
    assert discounted_price(link(show_price=False, price=None), Decimal("10")) is None


def test_quote_keeps_the_link_mode():
    assert quote(link(mode="online_consultation")).mode == "online_consultation"


# --- prepayment --------------------------------------------------------------------------


def test_prepayment_is_shown_when_required():
    assert quote(link(prepayment_required=True, prepayment_amount="300")).prepayment == Decimal("300.00")


def test_prepayment_amount_is_ignored_when_not_required():
    assert prepayment_amount(link(prepayment_required=False, prepayment_amount="300")) is None


def test_prepayment_is_shown_even_when_the_price_is_hidden():
    shown = quote(link(show_price=False, prepayment_required=True, prepayment_amount="300"))
    assert (shown.price, shown.prepayment) == (None, Decimal("300.00"))


def test_rest_is_due_at_the_clinic_after_prepaying_without_a_discount():
    assert quote(link(prepayment_required=True, prepayment_amount="300")).due_at_clinic == Decimal("700.00")


def test_prepayment_is_capped_at_the_price_after_the_general_discount():
    assert prepayment_amount(link(prepayment_required=True, prepayment_amount="1000"), Decimal("20")) == Decimal(
        "800.00"
    )


def test_prepayment_is_capped_at_the_price_after_the_prepayment_discount():
    assert prepayment_amount(prepaid(prepayment_amount="1000")) == Decimal("900.00")


def test_nothing_is_due_at_the_clinic_when_the_prepayment_covers_the_visit():
    assert quote(prepaid(prepayment_amount="1000")).due_at_clinic == Decimal("0.00")


def test_prepayment_without_a_known_price_is_taken_as_set():
    unpriced = link(show_price=False, price=None, prepayment_required=True, prepayment_amount="500")
    assert prepayment_amount(unpriced) == Decimal("500.00")


# --- discount on prepayment --------------------------------------------------------------


def test_prepayment_discount_lowers_the_price_paid_in_advance():
    shown = quote(prepaid())
    assert (shown.price, shown.price_with_prepayment) == (Decimal("1000.00"), Decimal("900.00"))


def test_rest_is_due_at_the_clinic_after_prepaying_with_a_discount():
    assert quote(prepaid()).due_at_clinic == Decimal("600.00")


def test_prepayment_discount_applies_after_the_general_discount_not_added_to_it():
    assert prepaid_price(prepaid(), Decimal("10")) == Decimal("810.00")


def test_discounts_are_rounded_once_on_the_exact_result():
    # 1.01 → 0.8585 (general 15%) → 0.643875 (prepayment 25%): 0.64, while rounding each step gives 0.65.
    assert prepaid_price(
        prepaid(price="1.01", prepayment_amount="0.5", discount_percent="25"), Decimal("15")
    ) == Decimal("0.64")


def test_round_to_rubles_rounds_the_price_after_the_prepayment_discount():
    assert prepaid_price(prepaid(price="1234.56", round_to_rubles=True)) == Decimal("1111")


def test_round_to_rubles_rounds_half_a_ruble_up():
    assert prepaid_price(prepaid(price="1001", discount_percent="50", round_to_rubles=True)) == Decimal("501")


def test_without_round_to_rubles_the_prepaid_price_keeps_kopecks():
    assert prepaid_price(prepaid(price="1234.56")) == Decimal("1111.10")


def test_no_prepaid_price_without_a_prepayment_discount():
    assert prepaid_price(link(prepayment_required=True, prepayment_amount="300")) is None


def test_no_prepaid_price_when_prepayment_is_not_required():
    assert prepaid_price(link(discount_on_prepayment=True, discount_percent="10")) is None


def test_prepaid_price_is_hidden_with_the_price():
    assert quote(prepaid(show_price=False)).price_with_prepayment is None


# --- validation of a link ----------------------------------------------------------------


def test_default_link_is_valid():
    assert validate_link(OnlineServiceLink()) == []


def test_fully_configured_link_is_valid():
    assert validate_link(prepaid(round_to_rubles=True)) == []


def test_unknown_mode_is_refused():
    assert validate_link(link(mode="home_visit")) == [
        {"field": "mode", "message": "must be one of: clinic, online_consultation"}
    ]


def test_negative_price_is_refused():
    assert validate_link(link(price="-1")) == [{"field": "price", "message": "must not be negative"}]


def test_price_with_fractions_of_a_kopeck_is_refused():
    assert fields(validate_link(link(price="10.005"))) == ["price"]


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_price_that_is_not_a_finite_number_is_refused(value):
    assert validate_link(link(price=Decimal(value))) == [{"field": "price", "message": "must be a finite number"}]


def test_negative_prepayment_is_refused():
    assert fields(validate_link(link(prepayment_required=True, prepayment_amount="-5"))) == ["prepayment_amount"]


@pytest.mark.parametrize("percent", ["-1", "100.01", "250"])
def test_discount_percent_outside_0_to_100_is_refused(percent):
    assert validate_link(prepaid(discount_percent=percent)) == [
        {"field": "discount_percent", "message": "must be between 0 and 100"}
    ]


@pytest.mark.parametrize("percent", ["0", "100", "12.5"])
def test_discount_percent_from_0_to_100_is_accepted(percent):
    assert validate_link(prepaid(discount_percent=percent)) == []


def test_shown_price_must_be_given():
    assert validate_link(link(price=None)) == [{"field": "price", "message": "is required when the price is shown"}]


def test_required_prepayment_needs_an_amount():
    assert fields(validate_link(link(prepayment_required=True))) == ["prepayment_amount"]


def test_required_prepayment_of_zero_is_refused():
    assert fields(validate_link(link(prepayment_required=True, prepayment_amount="0"))) == ["prepayment_amount"]


def test_prepayment_above_the_price_is_refused():
    assert validate_link(link(prepayment_required=True, prepayment_amount="1000.01")) == [
        {"field": "prepayment_amount", "message": "must not exceed the price"}
    ]


def test_prepayment_equal_to_the_price_is_accepted():
    assert validate_link(link(prepayment_required=True, prepayment_amount="1000")) == []


def test_prepayment_discount_without_a_required_prepayment_is_refused():
    assert fields(validate_link(link(discount_on_prepayment=True, discount_percent="10"))) == ["discount_on_prepayment"]


def test_prepayment_discount_needs_its_percent():
    assert fields(validate_link(prepaid(discount_percent=None))) == ["discount_percent"]


def test_prepayment_discount_needs_a_price():
    assert fields(validate_link(prepaid(show_price=False, price=None))) == ["price"]


def test_every_malformed_number_is_reported_at_once():
    errors = validate_link(link(mode="x", price="-1", prepayment_amount="1.001", discount_percent="101"))
    assert fields(errors) == ["mode", "price", "prepayment_amount", "discount_percent"]


# --- validation of the general discount ---------------------------------------------------


@pytest.mark.parametrize("percent", [Decimal("0"), Decimal("15.5"), Decimal("100"), 20])
def test_general_discount_from_0_to_100_is_accepted(percent):
    assert validate_general_discount(percent) == []


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        (Decimal("-1"), "must be between 0 and 100"),
        (Decimal("100.01"), "must be between 0 and 100"),
        (Decimal("10.125"), "must have at most 2 decimal places"),
        (Decimal("NaN"), "must be a finite number"),
        ("ten", "must be a finite number"),
        (None, "must be a finite number"),
        (True, "must be a finite number"),
    ],
)
def test_general_discount_outside_0_to_100_or_not_a_number_is_refused(percent, message):
    assert validate_general_discount(percent) == [{"field": "general_discount_percent", "message": message}]


# --- properties ----------------------------------------------------------------------------

_money = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
_percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def _valid_links(draw: st.DrawFn) -> OnlineServiceLink:
    price = draw(_money)
    prepayment_required = price > 0 and draw(st.booleans())
    return OnlineServiceLink(
        mode=draw(st.sampled_from(["clinic", "online_consultation"])),
        show_price=True,
        price=price,
        prepayment_required=prepayment_required,
        prepayment_amount=draw(st.decimals(min_value=Decimal("0.01"), max_value=price, places=2))
        if prepayment_required
        else None,
        discount_on_prepayment=prepayment_required and draw(st.booleans()),
        discount_percent=draw(_percent),
        round_to_rubles=draw(st.booleans()),
    )


@settings(max_examples=300)
@given(online=_valid_links(), general=_percent)
def test_quoted_amounts_are_consistent(online, general):
    shown = quote(online, general)
    assert shown.price <= shown.full_price
    if shown.price_with_prepayment is not None:
        slack = Decimal("0.5") if online.round_to_rubles else Decimal(0)
        assert shown.price_with_prepayment <= shown.price + slack
    if shown.prepayment is not None:
        assert 0 <= shown.prepayment
        assert shown.due_at_clinic >= 0
        owed = shown.price if shown.price_with_prepayment is None else shown.price_with_prepayment
        assert shown.prepayment + shown.due_at_clinic == owed
    for amount in (shown.full_price, shown.price, shown.prepayment, shown.due_at_clinic):
        assert amount is None or amount.as_tuple().exponent == -2


@settings(max_examples=200)
@given(online=_valid_links())
def test_generated_valid_links_pass_validation(online):
    assert validate_link(online) == []
