"""A fake external lab for local runs and tests (LAB-8), speaking the HTTP exchange protocol.

It accepts orders (idempotently, by the `Idempotency-Key` order id) and, `result_delay_seconds`
after an order arrived, answers plausible results: random values inside each test's reference
range. `fail_next_sends` makes the next order posts answer 500, to exercise retries.

Cancellations (`POST /orders/{ext}/cancel`) are recorded once per order, however often they are
retried; an order whose samples were already analysed (`mark_analysed`, or its results are
ready) refuses them with 409, and a cancelled order's results are refused (409). `fail_next_cancels`
makes the next cancellations answer 503 ("the lab is down").

Standalone: `python -m lab.fake_lab --port 8091 [--delay 5] [--fail-first 0]`; then give a lab
`exchange_url: http://127.0.0.1:8091/`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

TEXT_VALUES = ("отрицательно", "не обнаружено")


@dataclass
class FakeOrder:
    external_id: str
    order_id: str
    tests: list[dict[str, Any]]
    received_at: float
    results: list[dict[str, Any]] | None = None
    # Samples analysed (results may still wait for validation): too late to cancel.
    analysed: bool = False
    cancelled: bool = False


@dataclass
class FakeLabState:
    """What the fake lab holds; tests may change the knobs while it runs."""

    result_delay_seconds: float = 5.0
    fail_next_sends: int = 0
    send_calls: int = 0
    fail_next_cancels: int = 0
    cancel_calls: int = 0
    orders: dict[str, FakeOrder] = field(default_factory=dict)
    by_order_id: dict[str, str] = field(default_factory=dict)
    # Our order ids in the order their cancellation took effect (once each).
    cancellations: list[str] = field(default_factory=list)
    # Our order id -> the reason of each refused cancellation call.
    refused_cancellations: dict[str, list[str]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    # When set, an order post waits for it before the lab takes the order (a slow lab: lets a
    # test cancel an order while its send is in flight).
    send_gate: asyncio.Event | None = None

    def accepted_order_ids(self) -> list[str]:
        """Our order ids the lab has accepted, once each."""
        return list(self.by_order_id)

    def order_of(self, order_id: str) -> FakeOrder | None:
        """The lab's copy of one of our orders."""
        external_id = self.by_order_id.get(order_id)
        return self.orders.get(external_id) if external_id else None

    def mark_analysed(self, order_id: str) -> None:
        """The lab has run the order's samples: a cancellation now comes too late."""
        order = self.order_of(order_id)
        if order is None:
            raise KeyError(order_id)
        order.analysed = True

    def results_ready(self, order: FakeOrder) -> bool:
        return time.monotonic() - order.received_at >= self.result_delay_seconds


def plausible_value(test: dict[str, Any], rng: random.Random) -> str:
    """A value inside the test's reference range (text for tests without one)."""
    low, high = test.get("reference_low"), test.get("reference_high")
    if low is None and high is None:
        return rng.choice(TEXT_VALUES)
    if low is None:
        assert high is not None  # both unset answered above
        low = 0.0 if high > 0 else high - 1
    if high is None:
        high = low * 1.5 + 1
    value = round(rng.uniform(low, high), 2)
    # Rounding may step over a bound: clamp back inside.
    return repr(min(max(value, low), high))


def create_fake_lab(state: FakeLabState | None = None) -> FastAPI:
    """The fake lab's ASGI app; its state is `app.state.lab`."""
    lab = state or FakeLabState()
    app = FastAPI(title="Fake external lab")
    app.state.lab = lab

    @app.post("/orders")
    async def receive_order(request: Request, idempotency_key: str | None = Header(default=None)) -> JSONResponse:
        lab.send_calls += 1
        if lab.fail_next_sends > 0:
            lab.fail_next_sends -= 1
            return JSONResponse({"error": "the lab is having a bad day"}, status_code=500)
        body = await request.json()
        if lab.send_gate is not None:
            await lab.send_gate.wait()
        order_id = str(idempotency_key or body.get("order_id"))
        if order_id in lab.by_order_id:
            return JSONResponse({"external_id": lab.by_order_id[order_id]}, status_code=200)
        external_id = f"FL-{uuid.uuid4().hex[:12].upper()}"
        lab.orders[external_id] = FakeOrder(external_id, order_id, list(body.get("tests") or []), time.monotonic())
        lab.by_order_id[order_id] = external_id
        return JSONResponse({"external_id": external_id}, status_code=201)

    @app.get("/orders/{external_id}/results")
    async def results(external_id: str) -> JSONResponse:
        order = lab.orders.get(external_id)
        if order is None:
            return JSONResponse({"error": "unknown order"}, status_code=404)
        if order.cancelled:
            return JSONResponse({"status": "cancelled", "error": "the order was cancelled"}, status_code=409)
        if not lab.results_ready(order):
            return JSONResponse({"status": "pending", "results": []})
        if order.results is None:
            order.results = [
                {
                    "code": test.get("code"),
                    "test_id": test.get("test_id"),
                    "value": plausible_value(test, lab.rng),
                    "units": test.get("units"),
                    "reference_low": test.get("reference_low"),
                    "reference_high": test.get("reference_high"),
                }
                for test in order.tests
            ]
        return JSONResponse({"status": "done", "results": order.results})

    @app.post("/orders/{external_id}/cancel")
    async def cancel_order(external_id: str) -> JSONResponse:
        lab.cancel_calls += 1
        if lab.fail_next_cancels > 0:
            lab.fail_next_cancels -= 1
            return JSONResponse({"error": "the lab is down"}, status_code=503)
        order = lab.orders.get(external_id)
        if order is None:
            return JSONResponse({"error": "unknown order"}, status_code=404)
        if order.cancelled:
            return JSONResponse({"status": "cancelled"})  # a retry: already done, nothing changes
        if order.analysed or order.results is not None or lab.results_ready(order):
            reason = "samples already analysed"
            lab.refused_cancellations.setdefault(order.order_id, []).append(reason)
            return JSONResponse({"status": "refused", "reason": reason}, status_code=409)
        order.cancelled = True
        lab.cancellations.append(order.order_id)
        return JSONResponse({"status": "cancelled"})

    @app.post("/control")
    async def control(request: Request) -> dict[str, Any]:
        body = await request.json()
        if "fail_next_sends" in body:
            lab.fail_next_sends = int(body["fail_next_sends"])
        if "result_delay_seconds" in body:
            lab.result_delay_seconds = float(body["result_delay_seconds"])
        if "fail_next_cancels" in body:
            lab.fail_next_cancels = int(body["fail_next_cancels"])
        for order_id in body.get("analysed_order_ids") or []:
            if lab.order_of(str(order_id)) is not None:
                lab.mark_analysed(str(order_id))
        return {
            "fail_next_sends": lab.fail_next_sends,
            "fail_next_cancels": lab.fail_next_cancels,
            "result_delay_seconds": lab.result_delay_seconds,
            "cancellations": lab.cancellations,
        }

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the fake external lab.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--delay", type=float, default=5.0, help="seconds before results are ready")
    parser.add_argument("--fail-first", type=int, default=0, help="answer the first N order posts with 500")
    args = parser.parse_args()
    import uvicorn

    app = create_fake_lab(FakeLabState(result_delay_seconds=args.delay, fail_next_sends=args.fail_first))
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
