"""POST /labs/{id}/catalogue: load a lab's test catalogue from CSV or XLSX (LAB-2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from clinic_shared.auth import require
from clinic_shared.errors import PayloadTooLarge
from clinic_shared.service import SessionDep
from lab import rights
from lab.catalogue import service
from lab.catalogue.schemas import CatalogueReport

router = APIRouter(tags=["labs"])
MAX_FILE_BYTES = 10 * 1024 * 1024


@router.post("/labs/{lab_id}/catalogue", dependencies=[require(rights.DIRECTORIES)])
async def load_catalogue(
    lab_id: uuid.UUID,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8/cp1251, ; or ,) or XLSX with a header row")],
    allow_partial: Annotated[bool, Query(description="apply the good rows even when some are rejected")] = False,
) -> CatalogueReport:
    """Add and update the lab's tests from its catalogue file; report every rejected row."""
    data = await file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PayloadTooLarge(
            f"The catalogue file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.",
            errors=[{"field": "file", "code": "file_too_large", "message": f"must be at most {MAX_FILE_BYTES} bytes"}],
        )
    return await service.load_catalogue(
        session, lab_id=lab_id, data=data, filename=file.filename or "", allow_partial=allow_partial
    )
