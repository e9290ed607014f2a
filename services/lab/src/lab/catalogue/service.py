"""Loading a lab's catalogue (LAB-2): tests are matched by (lab, code), so links survive reloads.

All or nothing by default: one rejected row and nothing is written (422 with the report).
With `allow_partial` the good rows are applied and the bad ones reported.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from lab.catalogue.parsing import (
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    CatalogueRow,
    CatalogueUnreadable,
    ParsedCatalogue,
    parse_catalogue,
)
from lab.catalogue.schemas import CatalogueReport, RejectedRow
from lab.lab_tests.models import LabTest
from lab.lab_tests.repository import LabTestRepository
from lab.lab_tests.service import test_search_key
from lab.labs import service as labs_service

TEST_FIELDS = (*TEXT_COLUMNS, *NUMBER_COLUMNS)


def read_file(data: bytes, filename: str) -> ParsedCatalogue:
    """Parse the upload; an unreadable file is a 422 naming `file`."""
    try:
        return parse_catalogue(data, filename)
    except CatalogueUnreadable as exc:
        raise ValidationFailed.field("file", str(exc), "unreadable_file") from exc


async def load_catalogue(
    session: AsyncSession, *, lab_id: uuid.UUID, data: bytes, filename: str, allow_partial: bool
) -> CatalogueReport:
    """Add new tests, update changed ones, report the rest."""
    lab = await labs_service.get_lab(session, lab_id=lab_id)
    parsed = read_file(data, filename)
    repository = LabTestRepository(session)
    existing = {test.code: test for test in await repository.of_lab(lab.id)}
    added = updated = unchanged = 0
    changes: list[tuple[LabTest | None, CatalogueRow]] = []
    for row in parsed.rows:
        test = existing.get(row.values["code"])
        if test is None:
            added += 1
            changes.append((None, row))
        elif _differs(test, row):
            updated += 1
            changes.append((test, row))
        else:
            unchanged += 1
    rejected = [RejectedRow(row=r.row, field=r.field, reason=r.reason) for r in parsed.rejected]
    applied = not rejected or allow_partial
    report = CatalogueReport(added=added, updated=updated, unchanged=unchanged, rejected=rejected, applied=applied)
    if not applied:
        raise ValidationFailed(
            f"{len({r.row for r in rejected})} row(s) rejected; nothing was loaded.",
            errors=[
                {"field": f"file.row{r.row}.{r.field}", "code": "rejected_row", "message": r.reason} for r in rejected
            ],
            **report.model_dump(),
        )
    now = utcnow()
    for test, row in changes:
        if test is None:
            session.add(
                LabTest(
                    id=uuid.uuid4(),
                    lab_id=lab.id,
                    code=row.values["code"],
                    search_key=test_search_key(row.values["code"], row.values["name"]),
                    active=True,
                    created_at=now,
                    updated_at=now,
                    **{name: row.values.get(name) for name in TEST_FIELDS},
                )
            )
        else:
            for name in TEST_FIELDS:
                setattr(test, name, row.values.get(name))
            test.active = True
            test.search_key = test_search_key(test.code, test.name)
            test.updated_at = now
    await session.flush()
    return report


def _differs(test: LabTest, row: CatalogueRow) -> bool:
    if not test.active:
        return True
    return any(getattr(test, name) != row.values.get(name) for name in TEST_FIELDS)
