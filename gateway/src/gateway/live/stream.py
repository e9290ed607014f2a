"""`GET /api/events/stream`: the events one user may see, as Server-Sent Events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Header, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from clinic_shared.auth import CurrentPrincipal, Principal, TokenVerifier
from clinic_shared.clinic_time import in_clinic_zone
from clinic_shared.errors import ClinicError, Unauthorized
from clinic_shared.logging import get_logger
from clinic_shared.tasks import wait_event
from gateway.live.hub import LiveHub
from gateway.live.store import StoredEvent
from gateway.live.topics import EVERY_LAB, NO_LAB, LabScope, Viewer, in_clinic_time, topic_of
from gateway.runtime import GatewayRuntime, get_gateway

log = get_logger(__name__)
router = APIRouter(prefix="/api/events", tags=["events"])
EVENT_STREAM = "text/event-stream"


class NotAcceptable(ClinicError):
    status, title = 406, "Not acceptable"


STREAM_DESCRIPTION = f"""Server-Sent Events (`{EVENT_STREAM}`; send `Accept: {EVENT_STREAM}`, as `EventSource` does,
or the answer is 406) of the domain events the caller's rights show: appointments and the waiting
list (`scheduling.read`), cards (`patients.read`), lab orders of the caller's labs (`lab.read`),
mailing outcomes (`notifier.read`).

Each event: `id` (a number, the same on every gateway replica), `event` (the type, e.g.
`appointment.updated`), `data` (JSON: `type`, `aggregate_id`, `aggregate_version`, `occurred_at`,
`data` — the aggregate's state). Reconnecting with `Last-Event-ID` (EventSource does it by itself)
resumes after that event without loss while it is within the retention window (10 minutes by
default); older or unknown ids get an event `reset` (reload what is shown) and the stream goes on live.
A comment every 15 s keeps the connection open. The event `reconnect` ends the stream: the access
token expired or was refused (refresh it, then reconnect with the same `Last-Event-ID`), or this
gateway is stopping."""


@router.get(
    "/stream",
    summary="Live updates: the domain events the caller may see (Server-Sent Events)",
    description=STREAM_DESCRIPTION,
    response_class=Response,
    responses={
        200: {"description": "The event stream", "content": {EVENT_STREAM: {"schema": {"type": "string"}}}},
        406: {"description": f"The request does not accept {EVENT_STREAM}"},
    },
)
async def open_event_stream(
    request: Request,
    principal: CurrentPrincipal,
    last_event_id: Annotated[
        str | None,
        Header(alias="Last-Event-ID", description="the `id` of the last event received: resume after it"),
    ] = None,
) -> Response:
    if EVENT_STREAM not in request.headers.get("accept", "").lower():
        raise NotAcceptable(f"This is an event stream: send 'Accept: {EVENT_STREAM}'.")
    gateway = get_gateway(request)
    hub: LiveHub = request.app.state.live
    token = request.headers["authorization"].partition(" ")[2].strip()
    viewer = Viewer(principal, await lab_scope(gateway, principal, token))
    stream = LiveStream(hub, viewer, token, request.app.state.token_verifier, gateway)
    opening = await stream.open(last_event_id)
    return EventStreamResponse(stream.frames(opening))


async def lab_scope(gateway: GatewayRuntime, principal: Principal, token: str) -> LabScope:
    """The labs whose orders the viewer sees, by the lab service's rule (services/lab/src/lab/access.py):
    `lab.all_labs` every lab; else a `lab_id` claim; else the user's lab-doctors row, asked of
    the lab service with the user's own token (no row: every lab, like the front desk)."""
    if not principal.has("lab.read"):
        return NO_LAB
    if principal.has("lab.all_labs"):
        return EVERY_LAB
    claim = principal.claims.get("lab_id")
    if claim not in (None, ""):
        lab_id = _uuid(claim)
        return LabScope(frozenset({lab_id})) if lab_id else NO_LAB
    client = gateway.clients.get("lab")
    if client is None:
        return NO_LAB
    try:
        response = await client.get(
            f"/lab-doctors/{principal.user_id}", headers={"authorization": f"Bearer {token}"}, timeout=5
        )
    except httpx.HTTPError as exc:
        log.warning("gateway.live.lab_scope_unavailable", error=type(exc).__name__)
        return NO_LAB  # not knowing the user's lab must not show them every lab
    if response.status_code == 404:
        return EVERY_LAB
    if response.status_code != 200:
        return NO_LAB
    row = response.json()
    if row.get("has_access") is False:
        return NO_LAB
    lab_id = _uuid(row.get("lab_id")) if row.get("lab_id") else None
    return LabScope(frozenset({lab_id})) if lab_id else EVERY_LAB


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def frame(
    *, data: Any = None, event: str | None = None, event_id: int | None = None, comment: str | None = None
) -> str:
    """One SSE block. An `id` without `data` is not dispatched, but moves the client's Last-Event-ID."""
    lines = []
    if comment is not None:
        lines.append(f": {comment}")
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


class LiveStream:
    """One client's stream: where it starts, what it may see, when it must end."""

    def __init__(
        self, hub: LiveHub, viewer: Viewer, token: str, verifier: TokenVerifier, gateway: GatewayRuntime
    ) -> None:
        self.hub = hub
        self.viewer = viewer
        self.token = token
        self.verifier = verifier
        self.gateway = gateway
        self.expires_at = float(viewer.principal.claims.get("exp", time.time()))
        self.last = 0
        self._orders: dict[str, bool] = {}

    async def open(self, last_event_id: str | None) -> str:
        """Decide where the stream starts; the opening block (with a `reset` when it cannot resume)."""
        oldest, newest = await self.hub.bounds()
        newest = max(newest, self.hub.head)
        opening = f"retry: {self.hub.options.retry_ms}\n"
        if last_event_id is None or not last_event_id.strip():
            self.last = newest
            return opening + frame(comment="live", event_id=newest)
        wanted = last_event_id.strip()
        resumed = int(wanted) if wanted.isdigit() and len(wanted) < 19 else None
        if resumed is not None and resumed <= newest and (resumed >= oldest - 1 or newest == 0):
            self.last = resumed
            return opening + frame(comment="resumed")
        self.last = newest
        reason = "unknown_id" if resumed is None or resumed > newest else "beyond_retention"
        log.info("gateway.live.reset", reason=reason)
        return opening + frame(event="reset", event_id=newest, data={"reason": reason})

    async def frames(self, opening: str) -> AsyncIterator[str]:
        yield opening
        options = self.hub.options
        sent_id = self.last
        next_heartbeat = time.monotonic() + options.heartbeat_seconds
        while True:
            if self.hub.stopping.is_set():
                yield frame(event="reconnect", data={"reason": "server_stopping"})
                return
            refused = self.refused()
            if refused is not None:
                yield frame(event="reconnect", data=refused)
                return
            arrival = self.hub.arrival()
            events = await self.hub.after(self.last)
            for event in events:
                payload = await self.visible(event)
                self.last = event.seq
                if payload is not None:
                    sent_id = event.seq
                    yield frame(event=event.type, event_id=event.seq, data=payload)
            if events:
                continue
            now = time.monotonic()
            if now >= next_heartbeat:
                # Moving the client's Last-Event-ID past events it may not see keeps its resume
                # point within the retention, so a quiet viewer is not told to reload for nothing.
                yield frame(comment="heartbeat", event_id=self.last if self.last != sent_id else None)
                sent_id = self.last
                next_heartbeat = now + options.heartbeat_seconds
                continue
            wait = min(next_heartbeat - now, options.check_seconds, max(self.expires_at - time.time(), 0.01))
            await wait_event(arrival, wait)

    def refused(self) -> dict[str, str] | None:
        """Why the stream's token is no longer accepted (expired, session ended, rights changed)."""
        try:
            self.verifier.verify(self.token)
        except Unauthorized as exc:
            expired = time.time() >= self.expires_at
            return {"reason": "token_expired" if expired else "token_refused", "detail": exc.detail}
        return None

    async def visible(self, event: StoredEvent) -> dict[str, Any] | None:
        """The event as this viewer may see it, or None."""
        topic = topic_of(event.type)
        if topic is None or not self.viewer.may_see(topic):
            return None
        labs = self.viewer.labs
        if topic.lab is not None and labs.lab_ids is not None:
            if topic.lab == "lab_id":
                allowed = labs.allows_any([event.data.get("lab_id")])
            elif topic.lab == "lab_ids":
                allowed = labs.allows_any(event.data.get("lab_ids") or [])
            else:
                allowed = await self.order_visible(str(event.data.get("order_id")))
            if not allowed:
                return None
        return {
            "type": event.type,
            "aggregate_id": event.aggregate_id,
            "aggregate_version": event.aggregate_version,
            "occurred_at": in_clinic_zone(event.occurred_at).isoformat(),
            "data": in_clinic_time(event.data),
        }

    async def order_visible(self, order_id: str) -> bool:
        """Whether the lab service shows this order to the viewer (asked once per order and stream)."""
        if order_id not in self._orders:
            client = self.gateway.clients.get("lab")
            visible = False
            if client is not None and _uuid(order_id) is not None:
                try:
                    response = await client.get(
                        f"/orders/{order_id}", headers={"authorization": f"Bearer {self.token}"}, timeout=5
                    )
                    visible = response.status_code == 200
                except httpx.HTTPError as exc:
                    log.warning("gateway.live.order_check_failed", error=type(exc).__name__)
            self._orders[order_id] = visible
        return self._orders[order_id]


class EventStreamResponse(Response):
    """Streams `frames` until they end or the client goes away (whichever first): the body is
    neither buffered nor compressed (`Cache-Control: no-transform`, `X-Accel-Buffering: no` for
    nginx), and a client that leaves ends the stream at once, not at the next write."""

    media_type = EVENT_STREAM

    def __init__(self, frames: AsyncIterator[str]) -> None:
        self.frames = frames
        self.status_code = 200
        self.background = None
        self.init_headers({"cache-control": "no-cache, no-store, no-transform", "x-accel-buffering": "no"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def pump() -> None:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async for text in self.frames:
                await send({"type": "http.response.body", "body": text.encode(), "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = [asyncio.create_task(pump()), asyncio.create_task(until_disconnect())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.frames.aclose()  # type: ignore[attr-defined]  # an async generator's aclose, typed as a plain AsyncIterator
        for result in results:
            if isinstance(result, OSError):
                return  # the client went away mid-write
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result
