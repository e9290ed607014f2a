"""Paper cards out of the archive (PAT-9, «Выдать карту» → «Карты вне архива»).

One row per time a card left the archive: to whom, who gave it out and when, when it is due
back, and (once back) who took it back and when. A card is out at most once at a time.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from patients.models import Base

RECIPIENT_NAME_MAX_LENGTH = 200
ISSUE_NOTE_MAX_LENGTH = 1000
_OPEN = "returned_at IS NULL"


class CardIssue(Base):
    __tablename__ = "card_issues"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    card_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cards.id"))
    # "doctor" or "department". Scheduling owns both directories: the id (when the caller knows
    # it) and the name as it was at the time are kept, so the list reads without scheduling.
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    recipient_name: Mapped[str] = mapped_column(String(RECIPIENT_NAME_MAX_LENGTH))
    # Lower case, ё → е (as the card names' *_norm): the recipient filter behaves the same on both databases.
    recipient_name_norm: Mapped[str] = mapped_column(String(RECIPIENT_NAME_MAX_LENGTH))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[uuid.UUID | None]
    issued_by_username: Mapped[str | None] = mapped_column(String(150))
    # A day of the clinic's calendar: overdue from the day after.
    due_back: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(ISSUE_NOTE_MAX_LENGTH))
    returned_at: Mapped[datetime | None]
    returned_by: Mapped[uuid.UUID | None]
    returned_by_username: Mapped[str | None] = mapped_column(String(150))
    return_note: Mapped[str | None] = mapped_column(String(ISSUE_NOTE_MAX_LENGTH))

    __table_args__ = (
        # The card is out at most once at a time (the row lock on the card serialises issues; this is the backstop).
        Index(
            "uq_card_issues_open_card_id",
            "card_id",
            unique=True,
            postgresql_where=text(_OPEN),
            sqlite_where=text(_OPEN),
        ),
        # «Карты вне архива»: the open issues by due date (the list's order and the overdue filter).
        Index(
            "ix_card_issues_open_due_back",
            "due_back",
            postgresql_where=text(_OPEN),
            sqlite_where=text(_OPEN),
        ),
        Index("ix_card_issues_card_id_issued_at", "card_id", "issued_at"),
    )
