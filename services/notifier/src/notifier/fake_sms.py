"""A fake SMS provider speaking SMSC's HTTP protocol, as its own process (`make up`).

`python -m notifier.fake_sms --port 8091 --login clinic --password …`. The notifier is pointed at
it with its ordinary SMSC settings (`sms_provider: "smsc"`, `smsc.base_url` = this server), so
the real provider adapter, its form and its error handling are exercised end to end — unlike the
in-process fake of embedded mode, which skips the wire.

What it implements of SMSC's `/sys/send.php` (GET query or POST form): `login`, `psw`, `phones`
(several separated by `,` or `;`), `mes`, `sender`, `id` (the client's message id), `cost=3` and
`fmt=3` (JSON answers). It answers as SMSC does — HTTP 200 with `{"id", "cnt"[, "cost",
"balance"]}` or `{"error", "error_code"}` — including SMSC's own guard against repeats: the same
request again within a minute is refused with error 9. `/sys/status.php` (`phone`, `id`, `fmt=3`)
finds a message by the client's id: `{"status": 1, ...}` (delivered, in this fake) or status -3
when it has none — what the notifier asks before resending a message whose answer it never got.
Messages stay in memory: `GET /_control/messages` shows them (newest last), `POST /_control/fail`
makes the next sends answer an SMSC error code (4 and 9 are the transient ones), `POST
/_control/slow` makes the next sends accept the message and answer only after a delay (a provider
slower than the client's timeout), and `POST /_control/reset` forgets everything.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.logging import configure_logging, get_logger
from notifier.delivery.smsc import SMSC_ERRORS
from notifier.templates.sms import sms_info

log = get_logger(__name__)

KEEP = 1000
PRICE_PER_SEGMENT = Decimal("1.50")
DEFAULT_LOGIN = "clinic"
DEFAULT_PASSWORD = "fake-sms-password"


# SMSC refuses the same send request again within this many seconds (error 9).
REPEAT_WINDOW_SECONDS = 60.0
# status.php: the status of a message it does not have.
STATUS_NOT_FOUND = -3
STATUS_DELIVERED = 1


@dataclass(frozen=True)
class SentSms:
    id: int | str
    phone: str
    text: str
    parts: int
    sender: str
    received_at: str


@dataclass
class FakeSmsc:
    """The account it accepts, what was sent, and the error codes it was told to answer next."""

    login: str = DEFAULT_LOGIN
    password: str = DEFAULT_PASSWORD
    sent: deque[SentSms] = field(default_factory=lambda: deque(maxlen=KEEP))
    pending_errors: deque[int] = field(default_factory=deque)
    # Seconds to wait before answering each of the next sends (after accepting the message).
    answer_delays: deque[float] = field(default_factory=deque)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # (phone, client id) → the message, for status.php; request → when it was last accepted.
    by_client_id: dict[tuple[str, str], SentSms] = field(default_factory=dict)
    recent_requests: dict[tuple[str, ...], float] = field(default_factory=dict)

    def send(self, form: dict[str, str]) -> dict[str, Any]:
        """One call of send.php: the answer SMSC would give."""
        if form.get("login") != self.login or form.get("psw") != self.password:
            return smsc_error(2)
        phones = split_phones(form.get("phones", ""))
        text = form.get("mes", "")
        if not phones or not text:
            return smsc_error(1)
        if self.pending_errors:
            return smsc_error(self.pending_errors.popleft())
        client_id = form.get("id", "").strip()
        request = (",".join(phones), text, form.get("sender", ""), client_id)
        now = time.monotonic()
        self.recent_requests = {r: t for r, t in self.recent_requests.items() if now - t < REPEAT_WINDOW_SECONDS}
        if request in self.recent_requests:
            return smsc_error(9)
        self.recent_requests[request] = now
        message_id: int | str = client_id or next(self.ids)
        parts = sms_info(text).segments
        moment = datetime.now(UTC).isoformat()
        for phone in phones:
            message = SentSms(message_id, phone, text, parts, form.get("sender", ""), moment)
            self.sent.append(message)
            if client_id:
                self.by_client_id[(phone, client_id)] = message
        log.info("fake_sms.accepted", recipients=len(phones), parts=parts)
        answer: dict[str, Any] = {"id": message_id, "cnt": parts * len(phones)}
        if form.get("cost") == "3":
            answer |= {"cost": str(PRICE_PER_SEGMENT * parts * len(phones)), "balance": "1000.00"}
        return answer

    def status(self, form: dict[str, str]) -> dict[str, Any]:
        """One call of status.php for one message: its status, or -3 when there is none."""
        if form.get("login") != self.login or form.get("psw") != self.password:
            return smsc_error(2)
        phones = split_phones(form.get("phone", ""))
        client_id = form.get("id", "").strip().rstrip(",")
        if len(phones) != 1 or not client_id:
            return smsc_error(1)
        message = self.by_client_id.get((phones[0], client_id))
        if message is None:
            return {"status": STATUS_NOT_FOUND, "last_date": "", "last_timestamp": 0, "err": 0}
        moment = datetime.fromisoformat(message.received_at)
        return {
            "status": STATUS_DELIVERED,
            "last_date": moment.strftime("%d.%m.%Y %H:%M:%S"),
            "last_timestamp": int(moment.timestamp()),
            "err": 0,
        }

    def reset(self) -> None:
        """Forget the messages, the pending errors and delays."""
        self.sent.clear()
        self.pending_errors.clear()
        self.answer_delays.clear()
        self.by_client_id.clear()
        self.recent_requests.clear()


class SlowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(gt=0, le=600, description="how long to wait before answering (the message is accepted)")
    count: int = Field(default=1, ge=1, le=1000, description="how many of the next sends answer this late")


class FailRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error_code: int = Field(ge=1, le=9, description="an SMSC error code; 4 and 9 are transient")
    count: int = Field(default=1, ge=1, le=1000, description="how many of the next sends answer it")


def smsc_error(code: int) -> dict[str, Any]:
    """SMSC's error answer for a code."""
    return {"error": SMSC_ERRORS[code][0].removeprefix("SMSC: "), "error_code": code}


def split_phones(value: str) -> list[str]:
    """SMSC's `phones`: numbers separated by commas or semicolons, digits kept."""
    return [digits for part in re.split(r"[,;]", value) if (digits := re.sub(r"\D", "", part))]


async def _form(request: Request) -> dict[str, str]:
    """Query parameters and, for POST, the url-encoded body (the body wins)."""
    fields = dict(request.query_params)
    if request.method == "POST":
        parsed = parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)
        fields |= {name: values[-1] for name, values in parsed.items()}
    return fields


def create_fake_sms_app(fake: FakeSmsc | None = None) -> FastAPI:
    """The fake SMSC as an ASGI app (tests run it in-process; `main` serves it)."""
    app = FastAPI(title="Fake SMS provider (SMSC protocol)", description=__doc__)
    app.state.fake = fake or FakeSmsc()

    @app.api_route("/sys/send.php", methods=["GET", "POST"])
    async def send(request: Request) -> dict[str, Any]:
        """SMSC's send.php (fmt=3: JSON)."""
        fake: FakeSmsc = app.state.fake
        answer = fake.send(await _form(request))
        if "id" in answer and fake.answer_delays:
            await asyncio.sleep(fake.answer_delays.popleft())
        return answer

    @app.api_route("/sys/status.php", methods=["GET", "POST"])
    async def status(request: Request) -> dict[str, Any]:
        """SMSC's status.php for one message (fmt=3: JSON)."""
        return app.state.fake.status(await _form(request))

    @app.get("/_control/messages")
    async def messages() -> dict[str, Any]:
        """What was sent, newest last."""
        return {"items": [asdict(message) for message in app.state.fake.sent]}

    @app.post("/_control/fail")
    async def fail(body: FailRequest) -> dict[str, Any]:
        """Answer `error_code` to the next `count` sends."""
        app.state.fake.pending_errors.extend([body.error_code] * body.count)
        return {"pending_errors": list(app.state.fake.pending_errors)}

    @app.post("/_control/slow")
    async def slow(body: SlowRequest) -> dict[str, Any]:
        """Accept the next `count` sends but answer each only after `seconds`."""
        app.state.fake.answer_delays.extend([body.seconds] * body.count)
        return {"answer_delays": list(app.state.fake.answer_delays)}

    @app.post("/_control/reset")
    async def reset() -> dict[str, Any]:
        """Forget the messages, the pending errors and delays."""
        app.state.fake.reset()
        return {"items": []}

    return app


def argument_parser() -> argparse.ArgumentParser:
    """The fake's command line (`gateway.devcluster` builds commands for it)."""
    parser = argparse.ArgumentParser(description="A fake SMS provider speaking SMSC's HTTP protocol.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--login", default=DEFAULT_LOGIN, help="the SMSC login it accepts")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the SMSC password it accepts")
    return parser


def main() -> None:
    """Parse the command line and serve the fake."""
    args = argument_parser().parse_args()
    configure_logging()
    print(
        f"\n  Fake SMS provider (SMSC protocol) on http://{args.host}:{args.port}/sys/send.php"
        f"  (messages: GET /_control/messages)\n",
        flush=True,
    )
    app = create_fake_sms_app(FakeSmsc(login=args.login, password=args.password))
    # No access log: send.php called with GET would put phone numbers and texts in it.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
