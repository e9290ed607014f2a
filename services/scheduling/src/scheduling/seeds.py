"""What is loaded once per database: a marker row per seed, so a restart never loads twice.

The marker insert and the seed's rows commit together; a second replica starting at the same
time waits on the marker's primary key and then finds it there.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import insert_for, rows_affected, table_of, utcnow
from scheduling.directories.models import RecordType
from scheduling.models import Base


class SeedMark(Base):
    __tablename__ = "seed_marks"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


async def claim_seed(session: AsyncSession, name: str) -> bool:
    """True the first time a seed is claimed in this database (the caller then loads it)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table_of(SeedMark))
    result = await session.execute(insert.values(name=name, applied_at=utcnow()).on_conflict_do_nothing())
    return bool(rows_affected(result))


# Record types other parts rely on by code: online booking ("online"), ONDOC ("ondoc").
SYSTEM_RECORD_TYPES = (
    ("phone", "По телефону"),
    ("online", "Онлайн-запись"),
    ("ondoc", "ONDOC"),
    ("walk_in", "Самообращение"),
)


async def seed_system_items(session: AsyncSession) -> None:
    """Create the system record types that are missing (every start; existing ones are kept)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table_of(RecordType))
    now = utcnow()
    for code, name in SYSTEM_RECORD_TYPES:
        values = {
            "id": uuid.uuid4(),
            "code": code,
            "name": name,
            "system": True,
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        await session.execute(insert.values(**values).on_conflict_do_nothing(index_elements=["code"]))
