"""The HTTP lab exchange: the JSON protocol our adapter speaks (the fake lab implements it).

POST {base}/orders            Idempotency-Key: <order id>   → {"external_id": "..."}
GET  {base}/orders/{ext}/results                             → {"status": "pending"|"done", "results": [...]}
POST {base}/orders/{ext}/cancel  Idempotency-Key: cancel:<order id>
                                 {"order_id", "reason"}      → 200 {"status": "cancelled"}
                                                               409 {"status": "refused", "reason": "..."}
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

import httpx

from clinic_shared.outbound import OutboundRefused
from lab.exchange.interface import CancelOutcome, ExchangeError, ExchangeOrder, ExchangeResult
from lab.exchange.reasons import NO_EXTERNAL_ID, RESULTS_UNREADABLE


class HttpLabExchange:
    """A LabExchange over an httpx client whose base URL is the lab's exchange URL."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send_order(self, order: ExchangeOrder) -> str:
        """POST the order; the order id as idempotency key makes a retried send harmless."""
        payload = _jsonable(asdict(order))
        response = await self._call("POST", "orders", json=payload, headers={"Idempotency-Key": str(order.order_id)})
        if response.status_code not in (200, 201):
            raise ExchangeError(f"the lab answered HTTP {response.status_code}")
        try:
            external_id = response.json()["external_id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ExchangeError(NO_EXTERNAL_ID) from exc
        return str(external_id)

    async def fetch_results(self, external_id: str) -> list[ExchangeResult] | None:
        """GET the results; None while the lab reports none."""
        response = await self._call("GET", f"orders/{external_id}/results")
        if response.status_code != 200:
            raise ExchangeError(f"the lab answered HTTP {response.status_code}")
        try:
            body = response.json()
            entries = body.get("results") or []
            results = [_result(entry) for entry in entries]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ExchangeError(RESULTS_UNREADABLE) from exc
        return results or None

    async def cancel_order(self, external_id: str, *, order_id: uuid.UUID, reason: str | None) -> CancelOutcome:
        """POST the cancellation; 200 is taken (again on a retry), 409 with a body is the lab's refusal."""
        response = await self._call(
            "POST",
            f"orders/{external_id}/cancel",
            json={"order_id": str(order_id), "reason": reason},
            headers={"Idempotency-Key": f"cancel:{order_id}"},
        )
        if response.status_code == 200:
            return CancelOutcome(accepted=True)
        if response.status_code == 409:
            try:
                body = response.json()
            except ValueError:
                body = None
            # Only an explicit refusal is final; a bare 409 (a proxy, a bug) is retried.
            if isinstance(body, dict) and body.get("status") == "refused":
                return CancelOutcome(
                    accepted=False, reason=str(body.get("reason") or "refused by the laboratory")[:500]
                )
        raise ExchangeError(f"the lab answered HTTP {response.status_code} to the cancellation")

    async def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request to the lab; no answer (or an address the outbound policy refuses) is an ExchangeError."""
        try:
            return await self.client.request(method, url, **kwargs)
        except OutboundRefused as exc:
            # Recorded on the queue item like any failed try: the reason tells staff what to fix.
            raise ExchangeError(f"the lab's exchange address was {exc}"[:500]) from exc
        except httpx.HTTPError as exc:
            raise ExchangeError(f"{type(exc).__name__}: {exc}"[:500]) from exc


def _result(entry: dict[str, Any]) -> ExchangeResult:
    test_id = entry.get("test_id")
    return ExchangeResult(
        code=entry.get("code"),
        value=str(entry["value"]),
        test_id=uuid.UUID(str(test_id)) if test_id else None,
        units=entry.get("units"),
        reference_low=_number(entry.get("reference_low")),
        reference_high=_number(entry.get("reference_high")),
        flag=entry.get("flag"),
        comment=entry.get("comment"),
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
