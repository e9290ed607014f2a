"""Online-booking prices (SCH-13): what the website widget shows and what a patient prepays.

Pure functions on Decimal, no I/O. Rules, after the source system's "Настройка услуг":

* the general discount (общая скидка, %) applies to every link's price;
* a link may ask for a fixed prepayment (сумма предоплаты);
* a link may give a discount when the patient prepays (скидка при предоплате, %), applied on
  top of the general discount (one discount after the other, not added up);
* "round to rubles" (округление до рублей) rounds the price after the prepayment discount to
  whole rubles; every other amount is rounded to kopecks. Rounding is ROUND_HALF_UP and is
  done once, on the exact result, so discounts never round twice;
* the prepayment never exceeds what the patient owes for the visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, Literal

__all__ = [
    "MODES",
    "Mode",
    "OnlinePriceQuote",
    "OnlineServiceLink",
    "discounted_price",
    "prepaid_price",
    "prepayment_amount",
    "quote",
    "round_money",
    "validate_general_discount",
    "validate_link",
]

Mode = Literal["clinic", "online_consultation"]
MODES: Final[tuple[str, ...]] = ("clinic", "online_consultation")
KOPECK: Final = Decimal("0.01")
RUBLE: Final = Decimal("1")
HUNDRED: Final = Decimal(100)


@dataclass(frozen=True, slots=True)
class OnlineServiceLink:
    """The online-booking settings of one doctor↔service link."""

    mode: str = "clinic"
    show_price: bool = False
    price: Decimal | None = None
    prepayment_required: bool = False
    prepayment_amount: Decimal | None = None
    discount_on_prepayment: bool = False
    discount_percent: Decimal | None = None
    round_to_rubles: bool = False


@dataclass(frozen=True, slots=True)
class OnlinePriceQuote:
    """What the widget shows for a link; a None amount is not shown."""

    mode: str
    full_price: Decimal | None  # the link's price before any discount
    price: Decimal | None  # after the general discount: what the visit costs without prepaying
    price_with_prepayment: Decimal | None  # after the prepayment discount too, when there is one
    prepayment: Decimal | None  # what the patient pays online to book
    due_at_clinic: Decimal | None  # what is left to pay at the visit after prepaying


def round_money(amount: Decimal, *, whole_rubles: bool = False) -> Decimal:
    """Round an amount half-up to kopecks, or to whole rubles."""
    return amount.quantize(RUBLE if whole_rubles else KOPECK, rounding=ROUND_HALF_UP)


def _after_discount(amount: Decimal, percent: Decimal) -> Decimal:
    # Exact: the caller rounds once, at the end.
    return amount * (HUNDRED - percent) / HUNDRED


def discounted_price(link: OnlineServiceLink, general_discount_percent: Decimal = Decimal(0)) -> Decimal | None:
    """The link's price after the general discount, in kopecks; None when the link has no price."""
    if link.price is None:
        return None
    return round_money(_after_discount(Decimal(link.price), Decimal(general_discount_percent)))


def prepaid_price(link: OnlineServiceLink, general_discount_percent: Decimal = Decimal(0)) -> Decimal | None:
    """The price when paid in advance (both discounts); None without a price or a prepayment discount."""
    if link.price is None or not (link.prepayment_required and link.discount_on_prepayment):
        return None
    exact = _after_discount(
        _after_discount(Decimal(link.price), Decimal(general_discount_percent)), Decimal(link.discount_percent or 0)
    )
    return round_money(exact, whole_rubles=link.round_to_rubles)


def prepayment_amount(link: OnlineServiceLink, general_discount_percent: Decimal = Decimal(0)) -> Decimal | None:
    """What the patient pays online to book; None when the link asks for no prepayment.

    Capped at what the visit costs after discounts: a 1000 ₽ prepayment on a visit that
    costs 900 ₽ after the prepayment discount takes 900 ₽.
    """
    if not link.prepayment_required or link.prepayment_amount is None:
        return None
    amount = round_money(Decimal(link.prepayment_amount))
    owed = prepaid_price(link, general_discount_percent)
    if owed is None:
        owed = discounted_price(link, general_discount_percent)
    return amount if owed is None else round_money(min(amount, owed))


def quote(link: OnlineServiceLink, general_discount_percent: Decimal = Decimal(0)) -> OnlinePriceQuote:
    """Everything the widget shows for a link, honouring "show price"."""
    prepayment = prepayment_amount(link, general_discount_percent)
    if not link.show_price or link.price is None:
        # The prepayment is still shown: the patient cannot book without paying it.
        return OnlinePriceQuote(link.mode, None, None, None, prepayment, None)
    price = discounted_price(link, general_discount_percent)
    with_prepayment = prepaid_price(link, general_discount_percent)
    owed = with_prepayment if with_prepayment is not None else price
    due = None if prepayment is None or owed is None else owed - prepayment
    return OnlinePriceQuote(
        mode=link.mode,
        full_price=round_money(Decimal(link.price)),
        price=price,
        price_with_prepayment=with_prepayment,
        prepayment=prepayment,
        due_at_clinic=due,
    )


def _amount_problem(value: object) -> str | None:
    """Why ``value`` is not a money amount (None when it is one)."""
    number = _number(value)
    if number is None:
        return "must be a finite number"
    if number < 0:
        return "must not be negative"
    if number != number.quantize(KOPECK, rounding=ROUND_HALF_UP):
        return "must have at most 2 decimal places (kopecks)"
    return None


def _percent_problem(value: object) -> str | None:
    """Why ``value`` is not a percentage between 0 and 100 (None when it is one)."""
    number = _number(value)
    if number is None:
        return "must be a finite number"
    if not 0 <= number <= HUNDRED:
        return "must be between 0 and 100"
    if number != number.quantize(KOPECK, rounding=ROUND_HALF_UP):
        return "must have at most 2 decimal places"
    return None


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def validate_link(link: OnlineServiceLink) -> list[dict[str, str]]:
    """Every problem of a link's settings as ``{"field", "message"}``; empty when valid."""
    errors: list[dict[str, str]] = []

    def fail(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    if link.mode not in MODES:
        fail("mode", f"must be one of: {', '.join(MODES)}")
    for field, value in (("price", link.price), ("prepayment_amount", link.prepayment_amount)):
        problem = None if value is None else _amount_problem(value)
        if problem:
            fail(field, problem)
    if link.discount_percent is not None and (problem := _percent_problem(link.discount_percent)):
        fail("discount_percent", problem)
    if errors:
        return errors  # the cross-field rules below need well-formed numbers

    if link.show_price and link.price is None:
        fail("price", "is required when the price is shown")
    if link.prepayment_required:
        if link.prepayment_amount is None:
            fail("prepayment_amount", "is required when a prepayment is required")
        elif Decimal(link.prepayment_amount) == 0:
            fail("prepayment_amount", "must be greater than 0 when a prepayment is required")
        elif link.price is not None and Decimal(link.prepayment_amount) > Decimal(link.price):
            fail("prepayment_amount", "must not exceed the price")
    if link.discount_on_prepayment:
        if not link.prepayment_required:
            fail("discount_on_prepayment", "needs a required prepayment")
        if link.discount_percent is None:
            fail("discount_percent", "is required when there is a discount on prepayment")
        if link.price is None:
            fail("price", "is required when there is a discount on prepayment")
    return errors


def validate_general_discount(percent: object) -> list[dict[str, str]]:
    """Problems of the general online discount (a percentage 0–100) as ``{"field", "message"}``."""
    problem = _percent_problem(percent)
    return [{"field": "general_discount_percent", "message": problem}] if problem else []
