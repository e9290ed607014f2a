"""A fake SMS provider speaking SMSC's HTTP protocol, as its own process (`make up`).

`python -m notifier.fake_sms --port 8091 --login clinic --password …`. The notifier is pointed at
it with its ordinary SMSC settings (`sms_provider: "smsc"`, `smsc.base_url` = this server), so
the real provider adapter, its form and its error handling are exercised end to end — unlike the
in-process fake of embedded mode, which skips the wire.

What it implements of SMSC's `/sys/send.php` (GET query or POST form): `login`, `psw`, `phones`
(several separated by `,` or `;`), `mes`, `sender`, `cost=3` and `fmt=3` (JSON answers). It answers
as SMSC does — HTTP 200 with `{"id", "cnt"[, "cost", "balance"]}` or `{"error", "error_code"}`.
Messages stay in memory: `GET /_control/messages` shows them (newest last), `POST /_control/fail`
makes the next sends answer an SMSC error code (4 and 9 are the transient ones), and
`POST /_control/reset` forgets everything.
"""

from __future__ import annotations

import argparse
import itertools
import re
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


@dataclass(frozen=True)
class SentSms:
    id: int
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
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

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
        message_id = next(self.ids)
        parts = sms_info(text).segments
        moment = datetime.now(UTC).isoformat()
        for phone in phones:
            self.sent.append(SentSms(message_id, phone, text, parts, form.get("sender", ""), moment))
        log.info("fake_sms.accepted", message_id=message_id, recipients=len(phones), parts=parts)
        answer: dict[str, Any] = {"id": message_id, "cnt": parts * len(phones)}
        if form.get("cost") == "3":
            answer |= {"cost": str(PRICE_PER_SEGMENT * parts * len(phones)), "balance": "1000.00"}
        return answer


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
        return app.state.fake.send(await _form(request))  # type: ignore[no-any-return]

    @app.get("/_control/messages")
    async def messages() -> dict[str, Any]:
        """What was sent, newest last."""
        return {"items": [asdict(message) for message in app.state.fake.sent]}

    @app.post("/_control/fail")
    async def fail(body: FailRequest) -> dict[str, Any]:
        """Answer `error_code` to the next `count` sends."""
        app.state.fake.pending_errors.extend([body.error_code] * body.count)
        return {"pending_errors": list(app.state.fake.pending_errors)}

    @app.post("/_control/reset")
    async def reset() -> dict[str, Any]:
        """Forget the messages and the pending errors."""
        app.state.fake.sent.clear()
        app.state.fake.pending_errors.clear()
        return {"items": []}

    return app


def main() -> None:
    """Parse the command line and serve the fake."""
    parser = argparse.ArgumentParser(description="A fake SMS provider speaking SMSC's HTTP protocol.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--login", default=DEFAULT_LOGIN, help="the SMSC login it accepts")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the SMSC password it accepts")
    args = parser.parse_args()
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
