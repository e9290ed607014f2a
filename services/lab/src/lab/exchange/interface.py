"""The lab exchange interface (LAB-8): what any external lab adapter must do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol


class ExchangeError(Exception):
    """Sending or polling failed; the worker retries later."""


@dataclass(frozen=True)
class ExchangeTest:
    test_id: uuid.UUID
    code: str
    name: str
    units: str | None = None
    reference_low: float | None = None
    reference_high: float | None = None


@dataclass(frozen=True)
class ExchangeSample:
    barcode: str
    container_type: str
    test_codes: list[str]


@dataclass(frozen=True)
class ExchangeOrder:
    """An order as it goes to a lab: the lab needs the patient, the tests and the tubes."""

    order_id: uuid.UUID
    number: str
    patient: dict[str, Any]
    tests: list[ExchangeTest]
    samples: list[ExchangeSample] = field(default_factory=list)


@dataclass(frozen=True)
class ExchangeResult:
    """One result as a lab reports it; tests are matched by code (or by our test id)."""

    code: str | None
    value: str
    test_id: uuid.UUID | None = None
    units: str | None = None
    reference_low: float | None = None
    reference_high: float | None = None
    flag: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CancelOutcome:
    """The lab's answer to a cancellation: taken, or refused with its reason (samples already analysed)."""

    accepted: bool
    reason: str | None = None


class LabExchange(Protocol):
    async def send_order(self, order: ExchangeOrder) -> str:
        """Deliver an order; returns the lab's id for it. Must be idempotent by order id."""

    async def fetch_results(self, external_id: str) -> list[ExchangeResult] | None:
        """Results so far, or None while the lab has none."""

    async def cancel_order(self, external_id: str, *, order_id: uuid.UUID, reason: str | None) -> CancelOutcome:
        """Tell the lab an order it acknowledged is cancelled. Must be idempotent by order id.

        A refusal is an answer, not an error; ExchangeError means "try again later".
        """
