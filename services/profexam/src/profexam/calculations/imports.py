"""A calculation from an Excel sheet: the same checks and mapping mechanism as employee lists (PRO-5).

Calculation sheets are short (one row per position), so they are always imported at once.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from clinic_shared.auth import Principal
from clinic_shared.service import ServiceRuntime
from profexam.calculations import service
from profexam.calculations.rows import CheckedPositions, check_calculation_rows
from profexam.exams import service as exam_service
from profexam.factors import service as factor_service
from profexam.imports.reader import PreparedSheet, read_rows
from profexam.imports.schemas import CalculationMapping
from profexam.imports.service import Upload, check_upload_size, open_upload, read_limits
from profexam.scope import OrganizationScope
from profexam.settings import ProfexamSettings


def _read(content: bytes, mapping: CalculationMapping, settings: ProfexamSettings) -> Any:
    limits = read_limits(settings)
    prepared: PreparedSheet = open_upload(content, mapping.sheet_spec(), limits)
    try:
        return read_rows(prepared, limits)
    finally:
        prepared.close()


async def import_calculation(
    *,
    runtime: ServiceRuntime,
    settings: ProfexamSettings,
    exam_id: uuid.UUID,
    mapping: CalculationMapping,
    upload: Upload,
    accept_partial: bool,
    dry_run: bool,
    principal: Principal,
    scope: OrganizationScope,
) -> dict[str, Any]:
    """Check every row; store the calculation unless a row is bad (or `accept_partial`), never on `dry_run`."""
    async with runtime.db.read_session() as session:
        exam = await exam_service.get_exam(session, exam_id=exam_id, scope=scope)
        dictionary = await factor_service.dictionary_codes(session)
        mappings = await factor_service.organization_mappings(session, exam.organization_id)
        session.expunge(exam)
    check_upload_size(len(upload.content), settings)
    sheet = await asyncio.to_thread(_read, upload.content, mapping, settings)
    checked = check_calculation_rows(sheet, mapping.letters(), dictionary=dictionary, mappings=mappings)
    status = "dry_run" if dry_run else "rejected" if checked.rejected and not accept_partial else "imported"
    if status == "imported" and not checked.positions:
        status = "rejected"
    report = _report(checked, status)
    if status == "imported":
        async with runtime.db.session() as session:
            calculation = await service.save_calculation(
                session, exam=exam, name=mapping.name, planned=checked.positions, principal=principal
            )
            read = await service.read_calculation(session, calculation)
        report["calculation"] = read.model_dump(mode="json")
    return report


def _report(checked: CheckedPositions, status: str) -> dict[str, Any]:
    return {
        "status": status,
        "total_rows": checked.total_rows,
        "rejected": [r.as_dict() for r in checked.rejected],
        "unknown_factor_codes": [{"code": c, "rows": rows} for c, rows in sorted(checked.unknown_codes.items())],
        "calculation": None,
    }
