"""SQL of the callback records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from clinic_shared.db import insert_for, rows_affected, table_of
from clinic_shared.repository import RepositoryBase
from ondoc_bridge.callbacks.models import PROCESSING, CallbackRecord


class CallbackRepository(RepositoryBase[CallbackRecord]):
    model = CallbackRecord

    async def find(self, callback_id: str) -> CallbackRecord | None:
        """The record of a callback id, read fresh from the database."""
        statement = select(CallbackRecord).where(CallbackRecord.callback_id == callback_id)
        return (await self.session.execute(statement.execution_options(populate_existing=True))).scalar_one_or_none()

    async def claim(self, *, callback_id: str, kind: str, body_sha256: str, now: datetime) -> bool:
        """Record a callback as being handled; False when its id is known (on PostgreSQL this waits
        for a concurrent first delivery to commit)."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = insert_for(dialect)(table_of(CallbackRecord))
        result = await self.session.execute(
            insert.values(
                callback_id=callback_id,
                kind=kind,
                body_sha256=body_sha256,
                received_at=now,
                status_code=PROCESSING,
                response={},
            ).on_conflict_do_nothing(index_elements=["callback_id"])
        )
        return bool(rows_affected(result))

    async def take_over(self, *, callback_id: str, claimed_before: datetime, now: datetime) -> bool:
        """Take over a claim still in progress that was made before `claimed_before` (its
        delivery died); True when it is now ours. `received_at` becomes the time of this
        delivery, so two repeats at once cannot both take it over."""
        result = await self.session.execute(
            update(CallbackRecord)
            .where(
                CallbackRecord.callback_id == callback_id,
                CallbackRecord.status_code == PROCESSING,
                CallbackRecord.received_at < claimed_before,
            )
            .values(received_at=now)
        )
        return bool(rows_affected(result))

    async def finish(self, *, callback_id: str, status: int, response: dict[str, Any]) -> bool:
        """Keep the answer of a claimed callback; False when it was answered already (by a
        repeat that took an abandoned claim over and finished first)."""
        result = await self.session.execute(
            update(CallbackRecord)
            .where(CallbackRecord.callback_id == callback_id, CallbackRecord.status_code == PROCESSING)
            .values(status_code=status, response=response)
        )
        return bool(rows_affected(result))

    async def release(self, callback_id: str) -> None:
        """Forget a claim whose work failed without an answer to keep (5xx): ONDOC's retry is
        handled as a new callback."""
        await self.session.execute(
            delete(CallbackRecord).where(
                CallbackRecord.callback_id == callback_id, CallbackRecord.status_code == PROCESSING
            )
        )
