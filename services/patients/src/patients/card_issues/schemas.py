"""Bodies of /cards/{id}/issues, /cards/{id}/return and /cards-out (PAT-9)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from patients.card_issues.models import ISSUE_NOTE_MAX_LENGTH, RECIPIENT_NAME_MAX_LENGTH
from patients.cards.names import clean_name
from patients.cards.schemas import OptionalDate, PlainText, multiline_text

RecipientKind = Literal["doctor", "department"]


def _clean_text(value: Any) -> Any:
    return (clean_name(value) or "") if isinstance(value, str) else value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


RecipientName = Annotated[
    str,
    BeforeValidator(_clean_text),
    StringConstraints(min_length=1, max_length=RECIPIENT_NAME_MAX_LENGTH),
    PlainText,
]
IssueNote = Annotated[
    Annotated[str, StringConstraints(max_length=ISSUE_NOTE_MAX_LENGTH), AfterValidator(multiline_text)] | None,
    BeforeValidator(_blank_to_none),
]


class CardIssueCreate(BaseModel):
    """Give the paper card out of the archive («Выдать карту») to a doctor or a department."""

    model_config = ConfigDict(extra="forbid")

    recipient_kind: RecipientKind
    recipient_id: uuid.UUID | None = Field(
        default=None, description="the doctor's or department's id in scheduling, when known"
    )
    recipient_name: RecipientName = Field(description="who has the card, as shown in the list (kept as typed)")
    due_back: OptionalDate = Field(
        default=None, description="the day it is due back; empty → today + `card_out_days` of the card settings"
    )
    note: IssueNote = None


class CardReturn(BaseModel):
    """The card is back in the archive."""

    model_config = ConfigDict(extra="forbid")

    note: IssueNote = None


class CardIssueRead(BaseModel):
    """One time a card left the archive; `returned_at` is null while it is still out."""

    id: uuid.UUID
    card_id: uuid.UUID
    recipient_kind: RecipientKind
    recipient_id: uuid.UUID | None
    recipient_name: str
    issued_at: ClinicDateTime
    issued_by: uuid.UUID | None
    issued_by_username: str | None
    due_back: date
    overdue: bool = Field(description="not returned and `due_back` has passed (the clinic's calendar)")
    note: str | None
    returned_at: ClinicDateTime | None
    returned_by: uuid.UUID | None
    returned_by_username: str | None
    return_note: str | None


class CardSummary(BaseModel):
    """The card a paper card out of the archive belongs to."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    card_number: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date | None
    deleted: bool


class CardOutRead(CardIssueRead):
    """A line of «Карты вне архива»."""

    card: CardSummary
