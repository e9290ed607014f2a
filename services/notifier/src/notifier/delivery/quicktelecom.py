"""QuickTelecom over HTTP: a form POST with `action=post_sms`, answered in XML.

Success: `<output><result sms_id="…">…</result></output>` (some installations answer
`<result sms_group_id="…"><sms id="…" sms_res_count="…"/></result>`; both are read).
Failure: `<output><errors><error code="…">text</error></errors></output>`. The answer is parsed
with defusedxml (no entity expansion, no external entities).
"""

from __future__ import annotations

import httpx
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from notifier.delivery.base import OutcomeUnknown, PermanentError, ProviderResult, TransientError, http_failure

# Words of an error text that mean "not now" rather than "never".
_TRANSIENT_WORDS = ("later", "позже", "limit", "лимит", "overload", "перегруз", "временно", "temporar", "busy")


class QuickTelecomProvider:
    """`post_sms` takes no id of ours, and its status call needs the id QuickTelecom answered:
    after an answer that never came, nothing can tell whether the message went out, so it is
    not resent (`resend_after_unknown = False`; the dispatcher marks it `unknown`)."""

    name = "quicktelecom"
    resend_after_unknown = False

    def __init__(
        self, client: httpx.AsyncClient, *, base_url: str, login: str, password: str, sender: str = ""
    ) -> None:
        self.client = client
        self.url = base_url.rstrip("/") + "/"
        self.login = login
        self.password = password
        self.sender = sender

    async def send(
        self, phone: str, text: str, *, key: str | None = None, resend: bool = False, code: str | None = None
    ) -> ProviderResult:
        """POST the message and read the XML answer."""
        if not self.login or not self.password:
            raise PermanentError("QuickTelecom login or password is not set in the notifier settings")
        form = {
            "user": self.login,
            "pass": self.password,
            "action": "post_sms",
            "message": text,
            "target": f"+{phone}",
        }
        if self.sender:
            form["sender"] = self.sender
        try:
            response = await self.client.post(self.url, data=form)
        except httpx.TransportError as exc:
            raise http_failure("QuickTelecom", exc) from exc
        if response.status_code == 504:
            raise OutcomeUnknown("QuickTelecom: HTTP 504; the message may have been accepted")
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"QuickTelecom: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(f"QuickTelecom: HTTP {response.status_code}")
        return parse_answer(response.content)


def parse_answer(content: bytes) -> ProviderResult:
    """The provider's XML answer → result, or the error it reports."""
    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise OutcomeUnknown("QuickTelecom: the answer is not readable XML") from exc
    error = root.find("./errors/error")
    if error is not None:
        code = (error.get("code") or "").strip()
        text = (error.text or "").strip()
        message = f"QuickTelecom: error {code}: {text}".rstrip(": ")
        if any(word in text.lower() for word in _TRANSIENT_WORDS):
            raise TransientError(message)
        raise PermanentError(message)
    result = root.find("./result")
    if result is None:
        raise OutcomeUnknown("QuickTelecom: the answer has no result")
    sms = result.find("./sms")
    message_id = result.get("sms_id") or (sms.get("id") if sms is not None else None) or result.get("sms_group_id")
    if not message_id:
        raise OutcomeUnknown("QuickTelecom: the answer has no message id")
    parts = sms.get("sms_res_count") if sms is not None else result.get("sms_res_count")
    return ProviderResult(id=message_id, parts=int(parts) if parts and parts.isdigit() else None)
