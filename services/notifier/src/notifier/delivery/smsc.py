"""SMSC (smsc.ru) over HTTP: `/sys/send.php` and `/sys/status.php` with `fmt=3` (JSON answers)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import httpx

from notifier.delivery.base import (
    DeliveryError,
    OutcomeUnknown,
    PermanentError,
    ProviderResult,
    TransientError,
    http_failure,
)

# SMSC error codes (documentation of send.php). 4 (IP blocked) and 9 (an identical request
# within the last minute, or too many at once) are temporary on SMSC's side.
SMSC_ERRORS: dict[int, tuple[str, bool]] = {
    1: ("SMSC: error in parameters", False),
    2: ("SMSC: wrong login or password", False),
    3: ("SMSC: not enough money on the account", False),
    4: ("SMSC: IP address temporarily blocked", True),
    5: ("SMSC: wrong date format", False),
    6: ("SMSC: message denied (text or sender name)", False),
    7: ("SMSC: wrong phone number format", False),
    8: ("SMSC: the message cannot be delivered to this number", False),
    9: ("SMSC: too many identical requests, try later", True),
}


class SmscProvider:
    """SMSC's send.php, made safe to resend with SMSC's own client-chosen message id.

    Each message goes out with `id` = our key. SMSC does not refuse a repeated id (its
    documentation: the id "is not necessarily unique"), but `status.php` finds a message by phone
    and id. So a resend (an earlier attempt may have reached SMSC) first asks for the status: if
    SMSC has the message, it counts as sent and nothing goes out again. SMSC's error 9 ("more than
    one identical request to send an SMS within a minute") is how SMSC itself stops a repeat; it is
    answered with the same look-up, since the identical request may well have been ours.
    """

    name = "smsc"
    resend_after_unknown = True

    def __init__(
        self, client: httpx.AsyncClient, *, base_url: str, login: str, password: str, sender: str = ""
    ) -> None:
        self.client = client
        root = base_url.rstrip("/")
        self.url = root + "/sys/send.php"
        self.status_url = root + "/sys/status.php"
        self.login = login
        self.password = password
        self.sender = sender

    async def send(
        self, phone: str, text: str, *, key: str | None = None, resend: bool = False, code: str | None = None
    ) -> ProviderResult:
        """POST the message; the answer is `{"id", "cnt"}` or `{"error", "error_code"}`."""
        if not self.login or not self.password:
            raise PermanentError("SMSC login or password is not set in the notifier settings")
        if key and resend:
            earlier = await self.lookup(phone, key)
            if earlier is not None:
                return earlier
        form = {
            "login": self.login,
            "psw": self.password,
            "phones": phone,
            "mes": text,
            "charset": "utf-8",
            "fmt": "3",
            "cost": "3",
        }
        if key:
            form["id"] = key
        if self.sender:
            form["sender"] = self.sender
        body = await self._call(self.url, form, sending=True)
        if "error_code" in body or "error" in body:
            error_code = _int(body.get("error_code"))
            if error_code == 9 and key:
                earlier = await self.lookup(phone, key)
                if earlier is not None:
                    return earlier
            raise _refusal(error_code, body)
        if "id" not in body:
            raise OutcomeUnknown("SMSC: the answer has no message id")
        return ProviderResult(id=str(body["id"]), parts=_int(body.get("cnt")) or None, cost=_decimal(body.get("cost")))

    async def lookup(self, phone: str, key: str) -> ProviderResult | None:
        """The message SMSC holds for `phone` under our id `key`, or None when it has none.

        status.php answers `{"status": N, ...}`; "not found" is status -3 or error code 3.
        Any status other than "not found" means SMSC accepted the message (delivery reports
        are not followed here, as for a direct send).
        """
        form = {"login": self.login, "psw": self.password, "phone": phone, "id": key, "fmt": "3", "charset": "utf-8"}
        body = await self._call(self.status_url, form, sending=False)
        if "error_code" in body or "error" in body:
            code = _int(body.get("error_code"))
            if code == STATUS_NOT_FOUND_ERROR:
                return None
            raise _refusal(code, body)
        if _int(body.get("status")) == STATUS_NOT_FOUND or "status" not in body:
            return None
        return ProviderResult(id=key)

    async def _call(self, url: str, form: dict[str, str], *, sending: bool) -> dict[str, object]:
        """POST `form`; the JSON object SMSC answered, or the delivery error it amounts to."""
        try:
            response = await self.client.post(url, data=form)
        except httpx.TransportError as exc:
            raise http_failure("SMSC", exc) from exc
        if response.status_code == 504 and sending:  # a proxy gave up waiting: SMSC may have accepted
            raise OutcomeUnknown("SMSC: HTTP 504; the message may have been accepted")
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"SMSC: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(f"SMSC: HTTP {response.status_code}")
        unreadable = OutcomeUnknown if sending else TransientError
        try:
            body = response.json()
        except ValueError as exc:
            raise unreadable("SMSC: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise unreadable("SMSC: unexpected answer")
        return body


# status.php: the status of a message SMSC does not have, and its "not found" error code.
STATUS_NOT_FOUND = -3
STATUS_NOT_FOUND_ERROR = 3


def _refusal(code: int, body: dict[str, object]) -> DeliveryError:
    reason, transient = SMSC_ERRORS.get(code, (f"SMSC: error {code}", False))
    detail = str(body.get("error") or "").strip()
    message = f"{reason} ({detail})" if detail and detail not in reason else reason
    return (TransientError if transient else PermanentError)(message)


def _int(value: object) -> int:
    """An SMSC number (a JSON number or its text); 0 for anything else."""
    if not isinstance(value, (int, float, str)):
        return 0
    try:
        return int(value)
    except ValueError:
        return 0


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
