"""Imobis over HTTP: JSON POST to `/message/sendSMS` with `Authorization: Token <token>`."""

from __future__ import annotations

import httpx

from notifier.delivery.base import PermanentError, ProviderResult, TransientError
from notifier.templates.sms import sms_info

_TRANSIENT_WORDS = ("later", "позже", "limit", "лимит", "overload", "временно", "temporar", "busy")


class ImobisProvider:
    name = "imobis"

    def __init__(self, client: httpx.AsyncClient, *, base_url: str, token: str, sender: str = "") -> None:
        self.client = client
        self.url = base_url.rstrip("/") + "/message/sendSMS"
        self.token = token
        self.sender = sender

    async def send(self, phone: str, text: str) -> ProviderResult:
        """POST the message; the answer is `{"result": "success", "id"}` or `{"result": "error", "desc", "code"}`."""
        if not self.token:
            raise PermanentError("Imobis token is not set in the notifier settings")
        try:
            response = await self.client.post(
                self.url,
                json={"sender": self.sender, "phone": phone, "text": text},
                headers={"Authorization": f"Token {self.token}"},
            )
        except httpx.TimeoutException as exc:
            raise TransientError("Imobis: timeout") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"Imobis: connection failed ({type(exc).__name__})") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"Imobis: HTTP {response.status_code}")
        if response.status_code in (401, 403):
            raise PermanentError("Imobis: the token was refused")
        try:
            body = response.json()
        except ValueError as exc:
            if response.status_code >= 400:
                raise PermanentError(f"Imobis: HTTP {response.status_code}") from exc
            raise TransientError("Imobis: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise TransientError("Imobis: unexpected answer")
        if body.get("result") == "success" and body.get("id") is not None:
            return ProviderResult(id=str(body["id"]), parts=sms_info(text).segments)
        description = str(body.get("desc") or body.get("message") or "unknown error")
        message = f"Imobis: error {body.get('code', '')}: {description}".replace("error : ", "error: ")
        if any(word in description.lower() for word in _TRANSIENT_WORDS):
            raise TransientError(message)
        raise PermanentError(message)
