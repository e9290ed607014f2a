"""Patient cards (PAT-1) and the phone and name indexes the search uses (PAT-3)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from patients.models import Base

TRACKED_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "mobile_phone",
    "email",
    "other_phones",
    "address",
    "vip",
    "note",
)


class PatientCard(Base):
    __tablename__ = "cards"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    card_number: Mapped[str] = mapped_column(String(20), unique=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    # Lower-case, ё → е copies of the names: prefix LIKE on these behaves the same on
    # PostgreSQL and SQLite (SQLite's lower() does not know Cyrillic).
    last_name_norm: Mapped[str] = mapped_column(String(100))
    first_name_norm: Mapped[str] = mapped_column(String(100))
    middle_name_norm: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    sex: Mapped[str | None] = mapped_column(String(6))
    mobile_phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    other_phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(String(500))
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]
    created_by_username: Mapped[str | None] = mapped_column(String(150))
    # Every change sets it (`service.touch`): the poll of `GET /cards?updated_since=` uses its index.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_by: Mapped[uuid.UUID | None]
    updated_by_username: Mapped[str | None] = mapped_column(String(150))

    __table_args__ = (
        # text_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
        Index("ix_cards_last_name_norm", "last_name_norm", postgresql_ops={"last_name_norm": "text_pattern_ops"}),
        Index("ix_cards_first_name_norm", "first_name_norm", postgresql_ops={"first_name_norm": "text_pattern_ops"}),
        Index("ix_cards_middle_name_norm", "middle_name_norm", postgresql_ops={"middle_name_norm": "text_pattern_ops"}),
    )

    def snapshot(self) -> dict[str, Any]:
        """The journaled fields as JSON-ready values (PAT-8)."""
        return snapshot_of({name: getattr(self, name) for name in TRACKED_FIELDS})


def snapshot_of(card: Mapping[str, Any]) -> dict[str, Any]:
    """The journaled fields of a card (an entity's attributes or a row's values) as JSON-ready values."""
    values = {name: card.get(name) for name in TRACKED_FIELDS}
    if values["birth_date"] is not None:
        values["birth_date"] = values["birth_date"].isoformat()
    values["other_phones"] = list(values["other_phones"] or [])
    return values


class CardPhone(Base):
    """Every phone of a card (mobile and others), so a phone search is one indexed lookup."""

    __tablename__ = "card_phones"

    card_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class CardNameToken(Base):
    """Where each word of a card's names starts, so a search word is one indexed prefix lookup (PAT-3).

    One row per word of the last, first and middle name (`position` counts the words of the
    three in that order); `token` is the normalised name part from that word to its end
    ('петрова-водкина' → 'петрова-водкина' and 'водкина'; see `names.name_tokens`).
    """

    __tablename__ = "card_name_tokens"

    card_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    token: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        # token first for LIKE 'prefix%' (text_pattern_ops: in any collation); card_id makes it covering.
        Index("ix_card_name_tokens_token", "token", "card_id", postgresql_ops={"token": "text_pattern_ops"}),
    )


class CardCreationKey(Base):
    """The Idempotency-Key of a POST /cards: a retried request gets the card the first one made."""

    __tablename__ = "card_creation_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    # Empty only inside the transaction that reserved the key and is creating the card.
    card_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CardBatchKey(Base):
    """The Idempotency-Key of a POST /cards/batch: a retried request gets the first answer."""

    __tablename__ = "card_batch_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    # SHA-256 of the request: the same key with another body is refused, not answered wrongly.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The answer (ids by index); empty only inside the transaction that reserved the key.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
