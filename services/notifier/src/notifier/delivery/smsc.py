"""SMSC (smsc.ru) over HTTP: `/sys/send.php` with `fmt=3` (JSON answers)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import httpx

from notifier.delivery.base import PermanentError, ProviderResult, TransientError

# SMSC error codes (documentation of send.php). 4 (IP blocked) and 9 (too many requests)
# are temporary on SMSC's side: the block lifts after a minute.
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
    name = "smsc"

    def __init__(
        self, client: httpx.AsyncClient, *, base_url: str, login: str, password: str, sender: str = ""
    ) -> None:
        self.client = client
        self.url = base_url.rstrip("/") + "/sys/send.php"
        self.login = login
        self.password = password
        self.sender = sender

    async def send(self, phone: str, text: str) -> ProviderResult:
        """POST the message; the answer is `{"id", "cnt"}` or `{"error", "error_code"}`."""
        if not self.login or not self.password:
            raise PermanentError("SMSC login or password is not set in the notifier settings")
        form = {
            "login": self.login,
            "psw": self.password,
            "phones": phone,
            "mes": text,
            "charset": "utf-8",
            "fmt": "3",
            "cost": "3",
        }
        if self.sender:
            form["sender"] = self.sender
        try:
            response = await self.client.post(self.url, data=form)
        except httpx.TimeoutException as exc:
            raise TransientError("SMSC: timeout") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"SMSC: connection failed ({type(exc).__name__})") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"SMSC: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(f"SMSC: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise TransientError("SMSC: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise TransientError("SMSC: unexpected answer")
        if "error_code" in body or "error" in body:
            code = _int(body.get("error_code"))
            reason, transient = SMSC_ERRORS.get(code, (f"SMSC: error {code}", False))
            detail = str(body.get("error") or "").strip()
            message = f"{reason} ({detail})" if detail and detail not in reason else reason
            raise (TransientError if transient else PermanentError)(message)
        if "id" not in body:
            raise TransientError("SMSC: the answer has no message id")
        return ProviderResult(id=str(body["id"]), parts=_int(body.get("cnt")) or None, cost=_decimal(body.get("cost")))


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return 0


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
