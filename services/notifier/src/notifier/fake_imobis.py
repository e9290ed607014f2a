"""A fake Imobis: SMS and the chat-bot route, in-process (embedded mode) or as its own process.

Embedded mode (`CLINIC_NOTIFIER_FAKES=true`): the notifier reaches this app in-process for the
host of `FAKE_IMOBIS_URL` (`http://imobis.fake/v3`, the Imobis address its default settings hold
there), so choosing `sms_provider: "imobis"` with chat-bot channels works with nothing
installed, through the real adapter (`delivery/imobis.py`). What it received is shown by
`GET /api/notifier/fake/imobis`. On its own: `python -m notifier.fake_imobis --port 8093`, then
set `imobis.base_url` to `http://127.0.0.1:8093/v3` (with `CLINIC_OUTBOUND_ALLOW_PRIVATE=true`).

What it implements of Imobis's API v3 (`Authorization: Token <token>`; any non-empty token
unless started with one): `POST /v3/message/sendSMS` `{sender, phone, text[, custom_id]}`,
`POST /v3/message/send{Viber,VK,Telegram}` for one channel, and `POST /v3/message/send`
`{ttl, route: [{channel, phone, text, sender|group, custom_id}, …]}` — the hybrid route of at most
three channels. It answers `{"result": "success", "id": <uuid>, "status": "accepted"}` or
`{"result": "error", "desc"}`, and "delivers" each message over the first channel of its route
the phone is reachable on (every phone on every channel, unless told otherwise with
`POST /_control/unreachable {"channel", "phones"}`); a route where none is reachable is
recorded as `undelivered`. `POST /_control/fail {"desc" | "status", "count"}` makes the next
sends fail, `GET /_control/messages` lists what it received, `POST /_control/reset` forgets it.
"""

from __future__ import annotations

import argparse
import re
import threading
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.logging import configure_logging, get_logger
from notifier.config.schemas import FAKE_IMOBIS_URL

log = get_logger(__name__)

KEEP = 1000
CHANNELS = ("sms", "viber", "vk", "telegram")
SINGLE = {"sendSMS": "sms", "sendViber": "viber", "sendVK": "vk", "sendTelegram": "telegram"}


@dataclass(frozen=True)
class ImobisMessage:
    id: str
    phone: str
    text: str
    route: list[str]
    delivered_by: str | None  # the channel that delivered it; None: no channel of the route could
    sender: str | None
    group: int | None
    custom_id: str | None
    received_at: ClinicDateTime


@dataclass
class FakeImobis:
    """What it accepts, what it received, and the failures it was told to answer next."""

    token: str | None = None
    received: deque[ImobisMessage] = field(default_factory=lambda: deque(maxlen=KEEP))
    unreachable: dict[str, set[str]] = field(default_factory=dict)
    # Each: (HTTP status, error description) of one of the next sends.
    failures: deque[tuple[int, str]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def authorised(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        if scheme != "Token" or not token.strip():
            return False
        return self.token is None or token.strip() == self.token

    def accept(self, route: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        """One send call over `route`: the HTTP status and answer Imobis would give."""
        if self.failures:
            status, desc = self.failures.popleft()
            return status, {"result": "error", "desc": desc}
        if not route or len(route) > 3:
            return 400, {"result": "error", "desc": "route must have 1 to 3 channels"}
        for entry in route:
            problem = _problem(entry)
            if problem:
                return 400, {"result": "error", "desc": problem}
        phone = _digits(route[0].get("phone"))
        delivered = next(
            (e for e in route if _digits(e.get("phone")) not in self.unreachable.get(e["channel"], set())), None
        )
        shown = delivered or route[-1]
        message = ImobisMessage(
            id=str(uuid.uuid4()),
            phone=phone,
            text=str(shown.get("text", "")),
            route=[e["channel"] for e in route],
            delivered_by=delivered["channel"] if delivered else None,
            sender=shown.get("sender"),
            group=shown.get("group"),
            custom_id=shown.get("custom_id"),
            received_at=datetime.now(UTC),
        )
        with self._lock:
            self.received.append(message)
        log.info("fake_imobis.accepted", channels=len(route), delivered=message.delivered_by is not None)
        return 200, {"result": "success", "id": message.id, "status": "accepted"}

    def reset(self) -> None:
        """Forget the messages, the unreachable phones and the pending failures."""
        self.received.clear()
        self.unreachable.clear()
        self.failures.clear()


def _digits(value: object) -> str:
    return re.sub(r"\D", "", str(value or ""))


def _problem(entry: dict[str, Any]) -> str | None:
    """Why Imobis would refuse one route entry (None when it is fine)."""
    channel = entry.get("channel")
    if channel not in CHANNELS:
        return f"unknown channel {channel!r}"
    if not _digits(entry.get("phone")):
        return "Wrong phone number"
    if not str(entry.get("text") or "").strip():
        return "The text of the message is empty"
    if channel == "vk" and not isinstance(entry.get("group"), int):
        return "group is required for vk"
    if channel == "telegram" and not str(entry["text"]).strip().isdigit():
        return "telegram carries verification codes only"
    return None


class UnreachableRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(pattern="^(sms|viber|vk|telegram)$")
    phones: list[str] = Field(max_length=1000)


class FailRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    desc: str = Field(default="Temporary error, try later", max_length=500)
    status: int = Field(default=200, ge=200, le=599, description="200 with an error answer, or an HTTP error")
    count: int = Field(default=1, ge=1, le=1000)


def create_fake_imobis_app(fake: FakeImobis | None = None) -> FastAPI:
    """The fake Imobis as an ASGI app (the notifier mounts it in-process; `main` serves it)."""
    app = FastAPI(title="Fake Imobis (API v3: SMS and chat-bot channels)", description=__doc__)
    app.state.fake = fake or FakeImobis()

    async def _send(request: Request, route: list[dict[str, Any]]) -> JSONResponse:
        fake: FakeImobis = app.state.fake
        if not fake.authorised(request.headers.get("authorization")):
            return JSONResponse({"result": "error", "desc": "Invalid token"}, status_code=401)
        status, answer = fake.accept(route)
        return JSONResponse(answer, status_code=status)

    async def _body(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @app.post("/v3/message/send")
    async def send_hybrid(request: Request) -> JSONResponse:
        """The hybrid route: up to three channels, each after the one before did not deliver."""
        route = (await _body(request)).get("route")
        return await _send(request, [e for e in route if isinstance(e, dict)] if isinstance(route, list) else [])

    @app.post("/v3/message/{method}")
    async def send_one(method: str, request: Request) -> JSONResponse:
        """sendSMS, sendViber, sendVK, sendTelegram: one channel."""
        channel = SINGLE.get(method)
        if channel is None:
            return JSONResponse({"result": "error", "desc": f"unknown method {method}"}, status_code=404)
        return await _send(request, [{**(await _body(request)), "channel": channel}])

    @app.get("/_control/messages")
    async def messages() -> dict[str, Any]:
        """What it received, newest last."""
        return {"items": [asdict(message) for message in app.state.fake.received]}

    @app.post("/_control/unreachable")
    async def unreachable(body: UnreachableRequest) -> dict[str, Any]:
        """These phones have no account on this channel: the route goes on to the next."""
        app.state.fake.unreachable.setdefault(body.channel, set()).update(_digits(p) for p in body.phones)
        return {"unreachable": {k: sorted(v) for k, v in app.state.fake.unreachable.items()}}

    @app.post("/_control/fail")
    async def fail(body: FailRequest) -> dict[str, Any]:
        """Answer an error to the next `count` sends."""
        app.state.fake.failures.extend([(body.status, body.desc)] * body.count)
        return {"pending_failures": len(app.state.fake.failures)}

    @app.post("/_control/reset")
    async def reset() -> dict[str, Any]:
        """Forget everything."""
        app.state.fake.reset()
        return {"items": []}

    return app


class FakeHostTransport(httpx.AsyncBaseTransport):
    """Sends requests for `host` to the in-process fake, everything else through `default`
    (embedded mode: the fake Imobis's host never resolves, so nothing else answers there)."""

    def __init__(self, default: httpx.AsyncBaseTransport, *, host: str, fake: httpx.AsyncBaseTransport) -> None:
        self.default = default
        self.host = host
        self.fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == self.host:
            return await self.fake.handle_async_request(request)
        return await self.default.handle_async_request(request)

    async def aclose(self) -> None:
        await self.fake.aclose()
        await self.default.aclose()


def fake_transport(default: httpx.AsyncBaseTransport, fake: FakeImobis) -> FakeHostTransport:
    """`default`, with the host of FAKE_IMOBIS_URL answered by the fake Imobis in-process."""
    host = httpx.URL(FAKE_IMOBIS_URL).host
    return FakeHostTransport(default, host=host, fake=httpx.ASGITransport(app=create_fake_imobis_app(fake)))


def main() -> None:
    """Parse the command line and serve the fake."""
    parser = argparse.ArgumentParser(description="A fake Imobis (API v3: SMS and chat-bot channels).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--token", default=None, help="the only token it accepts (default: any)")
    args = parser.parse_args()
    configure_logging()
    print(f"\n  Fake Imobis on http://{args.host}:{args.port}/v3  (messages: GET /_control/messages)\n", flush=True)
    # No access log: it would put phone numbers in it.
    uvicorn.run(
        create_fake_imobis_app(FakeImobis(token=args.token)),
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
    )


if __name__ == "__main__":
    main()
