"""Request and response bodies of /cards."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SkipValidation, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.phones import MAX_PHONE_LENGTH
from patients.cards.names import NAME_MAX_LENGTH, capitalize_name, clean_name, has_control_characters


def _blank_to_none(value: Any) -> Any:
    """Forms send "" for an empty field; treat it as not given."""
    return None if isinstance(value, str) and not value.strip() else value


def plain_text(value: str) -> str:
    """One line of text: no control characters (PostgreSQL refuses NUL, logs and forms choke on the rest)."""
    if has_control_characters(value):
        raise ValueError("must not contain control characters")
    return value


def multiline_text(value: str) -> str:
    """Free text: line breaks and tabs allowed, other control characters not."""
    if has_control_characters(value.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise ValueError("must not contain control characters")
    return value


def _clean_name(value: Any) -> Any:
    """Names pasted from spreadsheets carry tabs and double spaces: collapse them first.

    A name typed all in lower case gets its capitals ("петрова-водкина" → "Петрова-Водкина");
    one with any capital letter is kept as typed (`capitalize_name`).
    """
    return capitalize_name(clean_name(value) or "") if isinstance(value, str) else value


PlainText = AfterValidator(plain_text)
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH), BeforeValidator(_clean_name), PlainText
]
OptionalName = Annotated[
    Annotated[str, StringConstraints(max_length=NAME_MAX_LENGTH), PlainText] | None,
    BeforeValidator(lambda value: _blank_to_none(_clean_name(value))),
]
Phone = Annotated[str, StringConstraints(max_length=MAX_PHONE_LENGTH), PlainText]
OptionalPhone = Annotated[Phone | None, BeforeValidator(_blank_to_none)]
OptionalEmail = Annotated[
    Annotated[str, StringConstraints(max_length=254), PlainText] | None, BeforeValidator(_blank_to_none)
]
OptionalSex = Annotated[Literal["male", "female"] | None, BeforeValidator(_blank_to_none)]
OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
Address = Annotated[str, StringConstraints(max_length=500), PlainText] | None
Note = Annotated[str, StringConstraints(max_length=4000), AfterValidator(multiline_text)] | None
OtherPhones = Annotated[list[Phone], Field(max_length=10)]


class CardCreate(BaseModel):
    """A new card (PAT-1). Phones in any format; they are stored normalised."""

    model_config = ConfigDict(extra="forbid")

    last_name: Name
    first_name: Name
    middle_name: OptionalName = None
    birth_date: OptionalDate = None
    sex: OptionalSex = Field(default=None, description="empty → guessed from the patronymic (PAT-6)")
    mobile_phone: OptionalPhone = None
    email: OptionalEmail = None
    other_phones: OtherPhones = Field(default_factory=list)
    address: Address = None
    vip: bool = False
    note: Note = None


class CardUpdate(BaseModel):
    """A partial change: only the fields sent are changed; null clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    last_name: OptionalName = None
    first_name: OptionalName = None
    middle_name: OptionalName = None
    birth_date: OptionalDate = None
    sex: OptionalSex = None
    mobile_phone: OptionalPhone = None
    email: OptionalEmail = None
    other_phones: OtherPhones | None = None
    address: Address = None
    vip: bool | None = None
    note: Note = None
    version: int | None = Field(
        default=None, ge=1, description="the version you edited (as `If-Match`); another one → 412"
    )


class CardOutOfArchive(BaseModel):
    """Where the paper card is while it is out of the archive (PAT-9)."""

    issue_id: uuid.UUID
    recipient_kind: Literal["doctor", "department"]
    recipient_id: uuid.UUID | None
    recipient_name: str
    issued_at: ClinicDateTime
    issued_by_username: str | None
    due_back: date
    overdue: bool


class CardRead(BaseModel):
    """A card as staff see it."""

    id: uuid.UUID
    card_number: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date | None
    age: int | None
    is_minor: bool
    sex: Literal["male", "female"] | None
    mobile_phone: str | None
    email: str | None
    other_phones: list[str]
    address: str | None
    vip: bool
    note: str | None
    version: int
    deleted: bool
    deleted_at: ClinicDateTime | None
    created_at: ClinicDateTime
    created_by: uuid.UUID | None
    created_by_username: str | None
    updated_at: ClinicDateTime
    updated_by: uuid.UUID | None
    updated_by_username: str | None
    out_of_archive: CardOutOfArchive | None = Field(
        default=None, description="PAT-9: to whom the paper card was given out; null while it is in the archive"
    )


class CardSearch(BaseModel):
    """Search filters (PAT-3); every given filter must match."""

    q: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    card_number: str | None = None
    include_deleted: bool = False
    updated_since: datetime | None = None


MAX_BATCH_CARDS = 5000


def _card_list(value: Any) -> Any:
    """Only the shape of `cards` is checked here; each card is checked by the service."""
    if not isinstance(value, list):
        raise ValueError("must be a list of cards")
    if len(value) > MAX_BATCH_CARDS:
        raise ValueError(f"must hold at most {MAX_BATCH_CARDS} cards; send the rest in another request")
    return value


class CardBatch(BaseModel):
    """Cards to find or create at once (imports): all of them are valid, or nothing is written."""

    model_config = ConfigDict(extra="forbid")

    # Documented as CardCreate, but validated card by card in the service (`raw_cards`): the
    # answer then names every invalid card, for bad types and broken rules alike, in one go.
    cards: Annotated[
        list[CardCreate],
        SkipValidation,
        BeforeValidator(_card_list),
        Field(json_schema_extra={"maxItems": MAX_BATCH_CARDS}),
    ]
    match_existing: bool = Field(
        default=True, description="reuse a non-deleted card with the same names and birth date"
    )
    dry_run: bool = Field(default=False, description="check and match only; nothing is created")

    @property
    def raw_cards(self) -> list[Any]:
        """The cards as sent (JSON values), not yet validated."""
        return list(self.cards)


class CardBatchItem(BaseModel):
    """What became of the card at `index` of the request."""

    index: int
    id: uuid.UUID | None = Field(description="null only for a card a dry run would create")
    created: bool
    matched: bool


class CardBatchResult(BaseModel):
    items: list[CardBatchItem]
    created: int
    matched: int
