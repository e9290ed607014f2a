"""Imobis over HTTP: SMS, and the chat-bot channels before it (NOT-1, NOT-9).

Imobis (its chat-bot platform is Fromni) sends a message over one channel or over a route of
up to three, each tried when the one before did not deliver within `ttl` seconds:
- SMS only: `POST {base}/message/sendSMS` `{"sender", "phone", "text"}`;
- with chat-bot channels: `POST {base}/message/send` `{"ttl", "route": [{"channel", "phone",
  "text", …}, …]}` — `viber` (with the registered `sender`), `vk` (with the community `group`),
  `telegram` (verification codes only: Imobis sends the digits of the text, so it carries the
  ONDOC attach code and nothing else) and `sms` last when `sms_fallback` is on.
Both authenticate with `Authorization: Token <token>` and answer `{"result": "success", "id"}`
or `{"result": "error", "desc"}`. The route a message was given is recorded with it
(`provider`: `imobis:viber>vk>sms`); which channel delivered comes later from Imobis's own
status reports, which the notifier does not receive.
"""

from __future__ import annotations

from typing import Any

import httpx

from notifier.config.schemas import IMOBIS_MAX_ROUTE, ImobisChannelConfig
from notifier.delivery.base import OutcomeUnknown, PermanentError, ProviderResult, TransientError, http_failure
from notifier.templates.sms import sms_info

_TRANSIENT_WORDS = ("later", "позже", "limit", "лимит", "overload", "временно", "temporar", "busy")


def route_for(
    channels: list[ImobisChannelConfig], *, sms_fallback: bool, has_code: bool
) -> list[ImobisChannelConfig | None]:
    """The channels a message goes over, in order (None stands for SMS): the enabled chat-bot
    channels that can carry it — Telegram only a code — then SMS, at most three in all."""
    usable = [c for c in channels if c.enabled and (c.channel != "telegram" or has_code)]
    room = IMOBIS_MAX_ROUTE - (1 if sms_fallback else 0)
    route: list[ImobisChannelConfig | None] = list(usable[:room])
    if sms_fallback:
        route.append(None)
    return route


class ImobisProvider:
    """Neither call takes an id of ours to look a message up by, so after an answer that never
    came the message is not resent (`resend_after_unknown = False`; the dispatcher marks it
    `unknown`). Our message id travels as `custom_id`, for Imobis's reports."""

    name = "imobis"
    resend_after_unknown = False

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str,
        token: str,
        sender: str = "",
        channels: list[ImobisChannelConfig] | None = None,
        sms_fallback: bool = True,
        ttl_seconds: int = 600,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.sender = sender
        self.channels = channels or []
        self.sms_fallback = sms_fallback
        self.ttl_seconds = ttl_seconds

    async def send(
        self, phone: str, text: str, *, key: str | None = None, resend: bool = False, code: str | None = None
    ) -> ProviderResult:
        """Send over the configured route: SMS alone, or the chat-bot channels (then SMS)."""
        if not self.token:
            raise PermanentError("Imobis token is not set in the notifier settings")
        route = route_for(self.channels, sms_fallback=self.sms_fallback, has_code=bool(code))
        if not route:
            raise PermanentError(
                "Imobis: no channel can carry this message (Telegram carries codes only, and SMS fallback is off)"
            )
        if route == [None]:
            body: dict[str, Any] = {"sender": self.sender, "phone": phone, "text": text}
            if key:
                body["custom_id"] = key
            result = await self._post("message/sendSMS", body)
            return ProviderResult(id=result, parts=sms_info(text).segments)
        entries = [self._entry(channel, phone, text, code, key) for channel in route]
        result = await self._post("message/send", {"ttl": self.ttl_seconds, "route": entries})
        names = ">".join(entry["channel"] for entry in entries)
        return ProviderResult(id=result, parts=None, route=names)

    def _entry(
        self, channel: ImobisChannelConfig | None, phone: str, text: str, code: str | None, key: str | None
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {"channel": channel.channel if channel else "sms", "phone": phone, "text": text}
        if channel is None:
            entry["sender"] = self.sender
        elif channel.channel == "viber":
            entry["sender"] = channel.sender or self.sender
        elif channel.channel == "vk":
            entry["group"] = channel.group_id
        elif channel.channel == "telegram":
            entry["text"] = code or ""
        if key:
            entry["custom_id"] = key
        return entry

    async def _post(self, path: str, body: dict[str, Any]) -> str:
        """POST to Imobis; the message id of a success, typed errors otherwise."""
        try:
            response = await self.client.post(
                f"{self.base_url}/{path}", json=body, headers={"Authorization": f"Token {self.token}"}
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
            answer = response.json()
        except ValueError as exc:
            if response.status_code >= 400:
                raise PermanentError(f"Imobis: HTTP {response.status_code}") from exc
            raise OutcomeUnknown("Imobis: the answer is not JSON") from exc
        if not isinstance(answer, dict):
            raise OutcomeUnknown("Imobis: unexpected answer")
        if answer.get("result") == "success" and answer.get("id") is not None:
            return str(answer["id"])
        description = answer.get("desc") or answer.get("message") or "unknown error"
        if isinstance(description, list | dict):  # field errors: {"field": ["message", …]} or a list
            description = "; ".join(
                str(item) for item in (description.values() if isinstance(description, dict) else description)
            )
        message = f"Imobis: error {answer.get('code', '')}: {description}".replace("error : ", "error: ")
        if any(word in str(description).lower() for word in _TRANSIENT_WORDS):
            raise TransientError(message)
        raise PermanentError(message)
