"""Imobis over HTTP: JSON POST to `/message/sendSMS` with `Authorization: Token <token>`."""

from __future__ import annotations

import httpx

from notifier.delivery.base import OutcomeUnknown, PermanentError, ProviderResult, TransientError, http_failure
from notifier.templates.sms import sms_info

_TRANSIENT_WORDS = ("later", "позже", "limit", "лимит", "overload", "временно", "temporar", "busy")


class ImobisProvider:
    """`sendSMS` takes no id of ours to look a message up by, so after an answer that never came
    the message is not resent (`resend_after_unknown = False`; the dispatcher marks it `unknown`)."""

    name = "imobis"
    resend_after_unknown = False

    def __init__(self, client: httpx.AsyncClient, *, base_url: str, token: str, sender: str = "") -> None:
        self.client = client
        self.url = base_url.rstrip("/") + "/message/sendSMS"
        self.token = token
        self.sender = sender

    async def send(self, phone: str, text: str, *, key: str | None = None, resend: bool = False) -> ProviderResult:
        """POST the message; the answer is `{"result": "success", "id"}` or `{"result": "error", "desc", "code"}`."""
        if not self.token:
            raise PermanentError("Imobis token is not set in the notifier settings")
        try:
            response = await self.client.post(
                self.url,
                json={"sender": self.sender, "phone": phone, "text": text},
                headers={"Authorization": f"Token {self.token}"},
            )
        except httpx.TransportError as exc:
            raise http_failure("Imobis", exc) from exc
        if response.status_code == 504:
            raise OutcomeUnknown("Imobis: HTTP 504; the message may have been accepted")
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"Imobis: HTTP {response.status_code}")
        if response.status_code in (401, 403):
            raise PermanentError("Imobis: the token was refused")
        try:
            body = response.json()
        except ValueError as exc:
            if response.status_code >= 400:
                raise PermanentError(f"Imobis: HTTP {response.status_code}") from exc
            raise OutcomeUnknown("Imobis: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise OutcomeUnknown("Imobis: unexpected answer")
        if body.get("result") == "success" and body.get("id") is not None:
            return ProviderResult(id=str(body["id"]), parts=sms_info(text).segments)
        description = str(body.get("desc") or body.get("message") or "unknown error")
        message = f"Imobis: error {body.get('code', '')}: {description}".replace("error : ", "error: ")
        if any(word in description.lower() for word in _TRANSIENT_WORDS):
            raise TransientError(message)
        raise PermanentError(message)
