"""SQL of the message log: idempotent planning, cancellation, claiming, recording."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import insert_for, rows_affected, table_of
from clinic_shared.repository import RepositoryBase
from notifier.messages.models import Message

TABLE = table_of(Message)
UNIQUE_KEY = ["schedule_key", "target_id", "occasion_key"]
# Columns a re-plan may change on an existing row.
_REPLANNED = ("due_at", "next_attempt_at", "context", "channel", "patient_id", "appointment_id")


class MessageRepository(RepositoryBase[Message]):
    model = Message

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self.dialect = session.bind.dialect.name if session.bind else "sqlite"

    def _insert(self) -> Any:
        return insert_for(self.dialect)(TABLE)

    async def upsert_planned(self, rows: list[dict[str, Any]]) -> None:
        """Insert planned messages; an existing row for the same occasion is re-planned only while
        nothing was tried yet or it was cancelled (so a message is never sent twice)."""
        if not rows:
            return
        insert = self._insert()
        excluded = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=[TABLE.c[name] for name in UNIQUE_KEY],
            set_={
                **{name: excluded[name] for name in _REPLANNED},
                "status": "queued",
                "attempts": 0,
                "error": None,
                "updated_at": excluded["updated_at"],
            },
            where=or_(TABLE.c.status == "cancelled", and_(TABLE.c.status == "queued", TABLE.c.attempts == 0)),
        )
        # One statement executed with many parameter sets: compiled once (and cached), where a
        # multi-row VALUES of 400 rows was compiled afresh for each chunk (most of a re-plan's time).
        await self.session.execute(statement, rows)

    async def insert_if_absent(self, row: dict[str, Any]) -> bool:
        """Insert one message unless its occasion exists already; True when inserted."""
        statement = self._insert().values(row).on_conflict_do_nothing(index_elements=UNIQUE_KEY)
        result = await self.session.execute(statement)
        return bool(rows_affected(result))

    async def cancel_queued(
        self,
        *,
        reason: str,
        now: datetime,
        schedule_key: str | None = None,
        target_id: uuid.UUID | None = None,
        patient_id: uuid.UUID | None = None,
        except_occasion: str | None = None,
    ) -> int:
        """Cancel queued (not yet tried) messages matching the filters; returns how many."""
        statement = update(TABLE).where(TABLE.c.status == "queued")
        if schedule_key is not None:
            statement = statement.where(TABLE.c.schedule_key == schedule_key)
        if target_id is not None:
            statement = statement.where(TABLE.c.target_id == target_id)
        if patient_id is not None:
            statement = statement.where(TABLE.c.patient_id == patient_id)
        if except_occasion is not None:
            statement = statement.where(TABLE.c.occasion_key != except_occasion)
        result = await self.session.execute(statement.values(status="cancelled", error=reason, updated_at=now))
        return rows_affected(result)

    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> list[Message]:
        """Take due queued messages for this dispatcher: status `sending` under a lease."""
        statement = (
            select(Message.id)
            .where(Message.status == "queued", Message.next_attempt_at <= now)
            .order_by(Message.next_attempt_at)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            # Replicas skip each other's rows instead of waiting on them.
            statement = statement.with_for_update(skip_locked=True)
        ids = list((await self.session.execute(statement)).scalars().all())
        if not ids:
            return []
        await self.session.execute(
            update(TABLE)
            .where(TABLE.c.id.in_(ids))
            .values(status="sending", lease_until=lease_until, attempts=TABLE.c.attempts + 1, updated_at=now)
        )
        rows = (
            (
                await self.session.execute(
                    select(Message).where(Message.id.in_(ids)).execution_options(populate_existing=True)
                )
            )
            .scalars()
            .all()
        )
        return sorted(rows, key=lambda m: (m.next_attempt_at, m.id))

    async def interrupted(self, *, now: datetime) -> Sequence[Message]:
        """Messages left `sending` by a dispatcher that died: their lease ran out."""
        statement = select(Message).where(Message.status == "sending", Message.lease_until < now)
        if self.dialect == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        return (await self.session.execute(statement)).scalars().all()

    async def record(self, outcomes: list[dict[str, Any]]) -> None:
        """Write the outcomes of one dispatch pass (one UPDATE per row, executed as a batch)."""
        if not outcomes:
            return
        # One batch per set of columns: outcomes of one pass differ (a sent row has no
        # `next_attempt_at`, a retried one has), and a column missing from a row must stay
        # untouched rather than be written NULL.
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for outcome in outcomes:
            groups.setdefault(tuple(sorted(k for k in outcome if k != "id")), []).append(outcome)
        await self.session.connection()  # make sure the ORM session's transaction is open
        for keys, rows in groups.items():
            statement = (
                update(TABLE)
                .where(TABLE.c.id == bindparam("_id"))
                .values({key: bindparam(f"_{key}") for key in keys})
                .execution_options(synchronize_session=False)
            )
            params = [{f"_{key}": row[key] for key in keys} | {"_id": row["id"]} for row in rows]
            await self.session.execute(statement, params)

    async def page_filtered(
        self,
        *,
        status: str | None,
        schedule_id: uuid.UUID | None,
        patient_id: uuid.UUID | None,
        appointment_id: uuid.UUID | None,
        channel: str | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Message], int]:
        statement = select(Message)
        if status:
            statement = statement.where(Message.status == status)
        if schedule_id:
            statement = statement.where(Message.schedule_id == schedule_id)
        if patient_id:
            statement = statement.where(Message.patient_id == patient_id)
        if appointment_id:
            statement = statement.where(Message.appointment_id == appointment_id)
        if channel:
            statement = statement.where(Message.channel == channel)
        statement = statement.order_by(Message.due_at.desc(), Message.created_at.desc(), Message.id)
        return await self.paginate(statement, limit=limit, offset=offset)
