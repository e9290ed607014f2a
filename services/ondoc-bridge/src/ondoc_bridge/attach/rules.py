"""Rules of attach codes (OND-2): the card must be complete, codes are unguessable, issuing is
rate-limited. Plain functions; tests call them directly."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from clinic_shared.events import AttachCodeIssued

CODE_LENGTH = 9
_CODE = re.compile(r"^\d{9}$")
RATE_WINDOW = timedelta(hours=1)


class CardLike(Protocol):
    @property
    def last_name(self) -> str | None: ...

    @property
    def first_name(self) -> str | None: ...

    @property
    def middle_name(self) -> str | None: ...

    @property
    def birth_date(self) -> object | None: ...

    @property
    def mobile_phone(self) -> str | None: ...

    @property
    def email(self) -> str | None: ...


def missing_card_data(card: CardLike) -> list[tuple[str, str]]:
    """What a card lacks for ONDOC: full name, birth date and a contact; [(field, message)]."""
    missing = [
        (name, "required to attach the patient to ONDOC")
        for name in ("last_name", "first_name", "middle_name", "birth_date")
        if not _filled(getattr(card, name))
    ]
    if not _filled(card.mobile_phone) and not _filled(card.email):
        missing.append(("contact", "a mobile phone or an e-mail is required to attach the patient to ONDOC"))
    return missing


def _filled(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def generate_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Nine random digits from the OS's CSPRNG; never starting with 0, so no one drops a digit."""
    return str(10 ** (CODE_LENGTH - 1) + randbelow(9 * 10 ** (CODE_LENGTH - 1)))


def is_code_shaped(text: str) -> bool:
    """Exactly nine digits."""
    return bool(_CODE.match(text))


def retry_after_seconds(issued_at: Sequence[datetime], *, now: datetime, per_hour: int) -> int | None:
    """None when another code may be issued now; otherwise the seconds until one may."""
    recent = sorted(moment for moment in issued_at if now - moment < RATE_WINDOW)
    if len(recent) < per_hour:
        return None
    # The window frees up when the oldest of the last `per_hour` codes leaves it.
    frees_at = recent[-per_hour] + RATE_WINDOW
    return max(1, math.ceil((frees_at - now).total_seconds()))


def issued_event(*, patient_id: object, code: str, expires_at: datetime, contact_priority: str) -> AttachCodeIssued:
    """The event that asks the notifier to deliver the code (NOT-8)."""
    return AttachCodeIssued(
        patient_id=patient_id,  # type: ignore[arg-type]  # pydantic parses the id
        code=code,
        expires_at=expires_at,
        contact_priority=contact_priority,  # type: ignore[arg-type]  # the stored priority holds only the schema's values
    )
