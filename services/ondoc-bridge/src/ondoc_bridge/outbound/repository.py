"""SQL of the outbound queue. Rows are claimed with a lease (and `FOR UPDATE SKIP LOCKED` on
PostgreSQL), so two workers never send the same item at the same time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update

from clinic_shared.db import insert_for, rows_affected, table_of
from clinic_shared.repository import RepositoryBase
from ondoc_bridge.outbound.models import DROPPED, FAILED, PENDING, SENT, OutboundItem

T = table_of(OutboundItem)
_REPLACED_ON_UPSERT = (
    "kind",
    "subject_id",
    "patient_id",
    "ondoc_patient_id",
    "version",
    "state",
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "queued_at",
    "updated_at",
)


@dataclass(frozen=True)
class ClaimedItem:
    """A snapshot of a claimed row: the worker sends exactly this version."""

    id: uuid.UUID
    kind: str
    patient_id: uuid.UUID
    ondoc_patient_id: str
    version: int
    state: dict[str, Any]
    attempts: int


class OutboundRepository(RepositoryBase[OutboundItem]):
    model = OutboundItem

    async def upsert(self, values: dict[str, Any]) -> bool:
        """Queue a state unless the row holds a newer one. A same-version state for another ONDOC
        patient (re-attached) is queued again. True when the row changed."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = insert_for(dialect)(T).values(**values)
        excluded = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=[T.c.id],
            set_={name: excluded[name] for name in _REPLACED_ON_UPSERT},
            where=or_(
                T.c.version < excluded.version,
                and_(T.c.version == excluded.version, T.c.ondoc_patient_id != excluded.ondoc_patient_id),
            ),
        )
        result = await self.session.execute(statement)
        return bool(rows_affected(result))

    async def claim_due(
        self, *, now: datetime, lease_until: datetime, limit: int, skip_locked: bool
    ) -> list[ClaimedItem]:
        """Take up to `limit` due pending items for this worker until `lease_until`."""
        query = (
            select(T.c.id)
            .where(T.c.status == PENDING, T.c.next_attempt_at <= now)
            .where(or_(T.c.claimed_until.is_(None), T.c.claimed_until < now))
            .order_by(T.c.next_attempt_at, T.c.id)
            .limit(limit)
        )
        if skip_locked:
            query = query.with_for_update(skip_locked=True)
        ids = list((await self.session.execute(query)).scalars())
        if not ids:
            return []
        await self.session.execute(update(T).where(T.c.id.in_(ids)).values(claimed_until=lease_until))
        rows = await self.session.execute(
            select(T.c.id, T.c.kind, T.c.patient_id, T.c.ondoc_patient_id, T.c.version, T.c.state, T.c.attempts)
            .where(T.c.id.in_(ids))
            .order_by(T.c.next_attempt_at, T.c.id)
        )
        return [ClaimedItem(**row._asdict()) for row in rows]

    async def mark_sent(self, item_id: uuid.UUID, *, version: int, now: datetime) -> None:
        """ONDOC has `version`; the row is done unless a newer state arrived meanwhile."""
        current = T.c.version == version
        await self.session.execute(
            update(T)
            .where(T.c.id == item_id)
            .values(
                sent_version=case(
                    (or_(T.c.sent_version.is_(None), T.c.sent_version < version), version), else_=T.c.sent_version
                ),
                sent_at=now,
                status=case((current, SENT), else_=T.c.status),
                attempts=case((current, 0), else_=T.c.attempts),
                last_error=None,
                claimed_until=None,
                updated_at=now,
            )
        )

    async def mark_retry(self, item_id: uuid.UUID, *, error: str, next_attempt_at: datetime, now: datetime) -> None:
        """A transient failure: try again at `next_attempt_at`."""
        await self.session.execute(
            update(T)
            .where(T.c.id == item_id)
            .values(
                attempts=T.c.attempts + 1,
                last_error=error[:1000],
                next_attempt_at=next_attempt_at,
                claimed_until=None,
                updated_at=now,
            )
        )

    async def mark_final(self, item_id: uuid.UUID, *, version: int, status: str, error: str, now: datetime) -> None:
        """A permanent outcome (`failed` or `dropped`) for `version`; a newer state stays pending."""
        await self.session.execute(
            update(T)
            .where(T.c.id == item_id)
            .values(
                status=case((T.c.version == version, status), else_=T.c.status),
                attempts=T.c.attempts + 1,
                last_error=error[:1000],
                claimed_until=None,
                updated_at=now,
            )
        )

    async def release(self, item_ids: Sequence[uuid.UUID]) -> None:
        """Give claimed items back without an attempt."""
        await self.session.execute(update(T).where(T.c.id.in_(list(item_ids))).values(claimed_until=None))

    async def drop(self, item_id: uuid.UUID, *, reason: str, now: datetime) -> None:
        """Stop sending an item that never went out."""
        await self.session.execute(
            update(T)
            .where(T.c.id == item_id, T.c.status == PENDING)
            .values(status=DROPPED, last_error=reason, updated_at=now)
        )

    async def requeue_failed(self, *, now: datetime) -> int:
        """Give every failed item another try now."""
        result = await self.session.execute(
            update(T)
            .where(T.c.status == FAILED)
            .values(status=PENDING, attempts=0, next_attempt_at=now, queued_at=now, updated_at=now)
        )
        return rows_affected(result)

    async def requeue(self, item_id: uuid.UUID, *, now: datetime) -> bool:
        """Give one failed or dropped item another try now."""
        result = await self.session.execute(
            update(T)
            .where(T.c.id == item_id, T.c.status.in_((FAILED, DROPPED)))
            .values(status=PENDING, attempts=0, next_attempt_at=now, queued_at=now, updated_at=now)
        )
        return bool(rows_affected(result))

    async def search(
        self, *, status: str | None, kind: str | None, patient_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[Sequence[OutboundItem], int]:
        """Queue items filtered by status, kind and card, the next to be tried first."""
        statement = select(OutboundItem)
        if status is not None:
            statement = statement.where(OutboundItem.status == status)
        if kind is not None:
            statement = statement.where(OutboundItem.kind == kind)
        if patient_id is not None:
            statement = statement.where(OutboundItem.patient_id == patient_id)
        statement = statement.order_by(OutboundItem.next_attempt_at, OutboundItem.id)
        return await self.paginate(statement, limit=limit, offset=offset)

    async def counts(self) -> tuple[dict[str, int], datetime | None]:
        """Items per status and when the oldest pending one was queued."""
        rows = await self.session.execute(select(T.c.status, func.count()).group_by(T.c.status))
        counts = {row[0]: int(row[1]) for row in rows}
        oldest = (
            await self.session.execute(select(func.min(T.c.queued_at)).where(T.c.status == PENDING))
        ).scalar_one_or_none()
        return counts, oldest
