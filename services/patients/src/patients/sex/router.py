"""/sex-endings: the sex-by-patronymic dictionary (PAT-6)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page
from clinic_shared.service import SessionDep
from patients import rights
from patients.cards.names import NAME_MAX_LENGTH
from patients.sex import service
from patients.sex.schemas import SexEndingCreate, SexEndingRead, SexEndingUpdate, SexGuess

router = APIRouter(prefix="/sex-endings", tags=["sex endings"])


@router.get("", dependencies=[require(rights.READ)])
async def list_sex_endings(session: SessionDep) -> Page[SexEndingRead]:
    """The dictionary of patronymic endings and the sex each implies."""
    items = [SexEndingRead.model_validate(e) for e in await service.list_endings(session)]
    return Page(items=items, total=len(items))


# Declared before /{ending_id} so "guess" is not read as an id.
@router.get("/guess", dependencies=[require(rights.READ)])
async def guess_sex(
    session: SessionDep, middle_name: Annotated[str, Query(max_length=NAME_MAX_LENGTH)] = ""
) -> SexGuess:
    """The sex implied by a patronymic, or null when no ending fits."""
    return SexGuess(sex=await service.guess_sex(session, middle_name=middle_name))  # type: ignore[arg-type]  # the dictionary holds only male/female


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(rights.SETTINGS)])
async def create_sex_ending(data: SexEndingCreate, session: SessionDep, response: Response) -> SexEndingRead:
    """Add an ending to the dictionary."""
    entry = await service.create_ending(session, data=data)
    set_etag(response, entry)
    return SexEndingRead.model_validate(entry)


@router.patch("/{ending_id}", dependencies=[require(rights.SETTINGS)])
async def update_sex_ending(
    ending_id: uuid.UUID, data: SexEndingUpdate, session: SessionDep, response: Response, if_match: IfMatch = None
) -> SexEndingRead:
    """Change an ending or its sex; with `If-Match` (`"<version>"`) another version → 412."""
    entry = await service.update_ending(session, ending_id=ending_id, data=data, if_match=if_match)
    set_etag(response, entry)
    return SexEndingRead.model_validate(entry)


@router.delete("/{ending_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[require(rights.SETTINGS)])
async def delete_sex_ending(ending_id: uuid.UUID, session: SessionDep, if_match: IfMatch = None) -> Response:
    """Remove an ending from the dictionary; with `If-Match` another version → 412."""
    await service.delete_ending(session, ending_id=ending_id, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
