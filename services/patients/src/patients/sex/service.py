"""The sex-by-patronymic dictionary: edit it, seed it, guess from it (PAT-6)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.concurrency import check_if_match
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from patients.sex import rules
from patients.sex.models import SexEnding
from patients.sex.repository import SexEndingRepository
from patients.sex.schemas import SexEndingCreate, SexEndingUpdate

log = get_logger(__name__)


async def list_endings(session: AsyncSession) -> Sequence[SexEnding]:
    """The whole dictionary, alphabetically."""
    return await SexEndingRepository(session).list_ordered()


async def endings_mapping(session: AsyncSession) -> dict[str, str]:
    """ending → sex, for `rules.guess_sex`."""
    return await SexEndingRepository(session).as_mapping()


async def guess_sex(session: AsyncSession, *, middle_name: str | None) -> str | None:
    """The sex the dictionary gives for a patronymic, or None."""
    return rules.guess_sex(middle_name, await endings_mapping(session))


async def create_ending(session: AsyncSession, *, data: SexEndingCreate) -> SexEnding:
    """Add an ending; an ending already in the dictionary → 409."""
    repository = SexEndingRepository(session)
    ending = _checked_ending(data.ending)
    if await repository.get_by_ending(ending):
        raise Conflict(f"The ending '{ending}' is already in the dictionary.", code="sex-ending-exists")
    entry = await repository.add(SexEnding(ending=ending, sex=data.sex, version=1))
    log.info("patients.sex_ending.created", sex_ending_id=str(entry.id))
    return entry


async def update_ending(
    session: AsyncSession, *, ending_id: uuid.UUID, data: SexEndingUpdate, if_match: str | None = None
) -> SexEnding:
    """Change an ending or its sex; `if_match` names the version it was made from (412 on another)."""
    repository = SexEndingRepository(session)
    entry = await _get(repository, ending_id, for_update=True)
    check_if_match(if_match, entry, None)
    if data.ending is not None:
        ending = _checked_ending(data.ending)
        other = await repository.get_by_ending(ending)
        if other is not None and other.id != entry.id:
            raise Conflict(f"The ending '{ending}' is already in the dictionary.", code="sex-ending-exists")
        entry.ending = ending
    if data.sex is not None:
        entry.sex = data.sex
    entry.version += 1
    await session.flush()
    return entry


async def delete_ending(session: AsyncSession, *, ending_id: uuid.UUID, if_match: str | None = None) -> None:
    """Remove an ending from the dictionary; `if_match` as in `update_ending`."""
    repository = SexEndingRepository(session)
    entry = await _get(repository, ending_id, for_update=True)
    check_if_match(if_match, entry, None)
    await repository.delete(entry)


async def seed_defaults(session: AsyncSession) -> int:
    """Add the default endings that are missing; returns how many were added."""
    repository = SexEndingRepository(session)
    existing = await repository.as_mapping()
    added = 0
    for ending, sex in rules.DEFAULT_ENDINGS.items():
        if ending not in existing:
            await repository.add(SexEnding(ending=ending, sex=sex, version=1), flush=False)
            added += 1
    await session.flush()
    return added


async def _get(repository: SexEndingRepository, ending_id: uuid.UUID, *, for_update: bool = False) -> SexEnding:
    entry = await repository.get(ending_id, for_update=for_update)
    if entry is None:
        raise NotFound(f"Sex ending {ending_id} not found.")
    return entry


def _checked_ending(raw: str) -> str:
    ending = rules.normalize_ending(raw)
    if not ending or len(ending) > rules.ENDING_MAX_LENGTH or not ending.isalpha():
        raise ValidationFailed.field("ending", f"must be 1–{rules.ENDING_MAX_LENGTH} letters", "invalid_ending")
    return ending
