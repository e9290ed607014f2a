"""Outbound HTTP: one factory for clients with timeouts, connection retries, request ids and
the trace context (with export on, a client span per call: clinic_shared.tracing)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable

import httpx

from clinic_shared.context import current_correlation_id, request_id_var
from clinic_shared.tracing import inject, traced_transport

RETRY_STATUSES = frozenset({502, 503, 504})
# Keep as many idle connections as may be open: httpx keeps only 20 by default, so under more
# concurrent requests than that (the gateway proxying 32 bookings at once) every request over
# 20 closed its connection afterwards and the next one paid a new TCP connect on both sides.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


def make_client(
    base_url: str = "",
    *,
    timeout: float = 10.0,
    retries: int = 2,
    transport: httpx.AsyncBaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient with sane timeouts; connection failures are retried by the transport."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        transport=traced_transport(transport or httpx.AsyncHTTPTransport(retries=retries, limits=POOL_LIMITS)),
        headers=headers,
        event_hooks={"request": [_add_ids]},
        follow_redirects=False,
    )


async def _add_ids(request: httpx.Request) -> None:
    if "x-request-id" not in request.headers and (rid := request_id_var.get()):
        request.headers["x-request-id"] = rid
    if "x-correlation-id" not in request.headers:
        request.headers["x-correlation-id"] = current_correlation_id()
    inject(request.headers)


async def request_with_retries(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    attempts: int = 3,
    base_delay: float = 0.2,
    retry_statuses: Iterable[int] = RETRY_STATUSES,
    **kwargs: object,
) -> httpx.Response:
    """Send an idempotent request, retrying 502/503/504 and transport errors with jittered backoff."""
    statuses = frozenset(retry_statuses)
    for attempt in range(1, attempts + 1):
        try:
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]  # the retried call's keyword arguments are httpx's own, passed through
        except httpx.TransportError:
            if attempt == attempts:
                raise
        else:
            if response.status_code not in statuses or attempt == attempts:
                return response
        await asyncio.sleep(base_delay * 2 ** (attempt - 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")
