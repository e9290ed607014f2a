"""A fake external lab for local runs and tests (LAB-8), speaking the HTTP exchange protocol.

It accepts orders (idempotently, by the `Idempotency-Key` order id) and, `result_delay_seconds`
after an order arrived, answers plausible results: random values inside each test's reference
range. `fail_next_sends` makes the next order posts answer 500, to exercise retries.

Standalone: `python -m lab.fake_lab --port 8091 [--delay 5] [--fail-first 0]`; then give a lab
`exchange_url: http://127.0.0.1:8091/`.
"""

from __future__ import annotations

import argparse
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


@dataclass
class FakeLabState:
    """What the fake lab holds; tests may change the knobs while it runs."""

    result_delay_seconds: float = 5.0
    fail_next_sends: int = 0
    send_calls: int = 0
    orders: dict[str, FakeOrder] = field(default_factory=dict)
    by_order_id: dict[str, str] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)

    def accepted_order_ids(self) -> list[str]:
        """Our order ids the lab has accepted, once each."""
        return list(self.by_order_id)


def plausible_value(test: dict[str, Any], rng: random.Random) -> str:
    """A value inside the test's reference range (text for tests without one)."""
    low, high = test.get("reference_low"), test.get("reference_high")
    if low is None and high is None:
        return rng.choice(TEXT_VALUES)
    if low is None:
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
        if time.monotonic() - order.received_at < lab.result_delay_seconds:
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

    @app.post("/control")
    async def control(request: Request) -> dict[str, Any]:
        body = await request.json()
        if "fail_next_sends" in body:
            lab.fail_next_sends = int(body["fail_next_sends"])
        if "result_delay_seconds" in body:
            lab.result_delay_seconds = float(body["result_delay_seconds"])
        return {"fail_next_sends": lab.fail_next_sends, "result_delay_seconds": lab.result_delay_seconds}

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
