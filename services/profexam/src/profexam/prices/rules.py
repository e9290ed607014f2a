"""Which contract prices a calculation, and how a line gets its price (PRO-7). Plain functions.

The contract that applies to an exam:
1. the exam's own contract, when the exam is bound to one (`contract_id`);
2. otherwise the organisation's contract in force on the exam's first day
   (`valid_from ≤ period_from ≤ valid_to`); of several, the one that started last
   (then the one added last);
3. otherwise none: every line keeps the price it was given, as before PRO-7.

A line with a `service_code` listed in that contract's price list takes the list's price (and
`price_source: "contract"`), whatever price the line itself carried; any other line keeps its own
price (`price_source: "line"`, or null when it has none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from profexam.names import fold

CONTRACT = "contract"
LINE = "line"
CENT = Decimal("0.01")


class ContractLike(Protocol):
    id: Any
    valid_from: date
    valid_to: date
    created_at: Any


def code_key(code: str) -> str:
    """How service codes are compared: case-folded, single spaces."""
    return fold(code)


def contract_in_force(contracts: Sequence[ContractLike], day: date) -> ContractLike | None:
    """The contract in force on `day`: of several, the one that started last (then the newest)."""
    valid = [c for c in contracts if c.valid_from <= day <= c.valid_to]
    return max(valid, key=lambda c: (c.valid_from, c.created_at, str(c.id)), default=None)


def line_price(
    service_code: str | None, own_price: Decimal | None, contract_prices: Mapping[str, Decimal]
) -> tuple[Decimal | None, str | None]:
    """The price of a calculation line and where it came from (`contract`, `line` or None)."""
    if service_code:
        listed = contract_prices.get(code_key(service_code))
        if listed is not None:
            return listed.quantize(CENT), CONTRACT
    if own_price is not None:
        return own_price.quantize(CENT), LINE
    return None, None
