"""Importing an employee list from Excel into an exam (PRO-3, PRO-4).

Order of work: the exam and its contract are checked before the file is opened; the file is
checked (format, zip, size) before it is parsed; every row is checked before anything is
written; cards are resolved in patients only when something will be imported, and by default
every card is checked there before any is created (patients_client.py); the employees and the
run's report are written in one transaction. By default one bad row rejects the file
(nothing written); `accept_partial` imports the good rows; `dry_run` writes nothing at all.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from clinic_shared.gc_pause import gc_paused
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from profexam.calculations import service as calculation_service
from profexam.exams import service as exam_service
from profexam.exams.models import Exam
from profexam.exams.repository import EmployeeRepository
from profexam.factors import service as factor_service
from profexam.imports import jobs
from profexam.imports.jobs import Progress
from profexam.imports.models import ImportRun
from profexam.imports.reader import PreparedSheet, ReadLimits, SheetSpec, check_format, check_zip, read_rows
from profexam.imports.rows import CheckedRows, EmployeeCandidate, Rejection, RowContext, check_employee_rows
from profexam.imports.schemas import EmployeeMapping
from profexam.organizations import service as organization_service
from profexam.organizations.repository import ContractRepository
from profexam.patients_client import CardResolution, NewCard, PatientsClient
from profexam.scope import EVERY_ORGANIZATION, OrganizationScope
from profexam.settings import ProfexamSettings

log = get_logger(__name__)
# Fields of a patient card → the mapping field whose column they came from.
CARD_FIELD_COLUMNS = {"mobile_phone": "phone", "birth_date": "birth_date", "sex": "sex"}


@dataclass(frozen=True)
class Upload:
    content: bytes
    file_name: str | None


@dataclass(frozen=True)
class ImportOptions:
    accept_partial: bool = False
    dry_run: bool = False


@dataclass
class StartedImport:
    run: ImportRun
    report: dict[str, Any] | None  # None: running as a job


def clinic_today(settings: ProfexamSettings) -> Any:
    """Today in the clinic's time zone (contract expiry and birth dates follow its calendar)."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


def read_limits(settings: ProfexamSettings) -> ReadLimits:
    """The reader's limits from the settings."""
    return ReadLimits(
        max_rows=settings.import_max_rows,
        max_uncompressed_bytes=settings.import_max_uncompressed_bytes,
        max_compression_ratio=settings.import_max_compression_ratio,
    )


def check_upload_size(size: int | None, settings: ProfexamSettings) -> None:
    """413 for a file over the limit; 422 for an empty one."""
    if size is not None and size > settings.import_max_file_bytes:
        limit_mb = settings.import_max_file_bytes / (1024 * 1024)
        raise PayloadTooLarge(
            f"The file is larger than the {limit_mb:g} MB allowed for an import.",
            errors=[{"field": "file", "message": f"must be at most {settings.import_max_file_bytes} bytes"}],
        )
    if size == 0:
        raise ValidationFailed.field("file", "the file is empty")


def open_upload(content: bytes, spec: SheetSpec, limits: ReadLimits) -> PreparedSheet:
    """Format and zip checks, then open the workbook and pick the sheet (blocking: run in a thread)."""
    check_format(content)
    check_zip(content, limits)
    return PreparedSheet(content, spec)


def estimate_rows(prepared: PreparedSheet, settings: ProfexamSettings) -> int:
    """Rows to import, known before the import starts; 422 at once when over the row limit.

    The sheet's declared dimension is trusted when it is within the limit; without one, or
    when it claims more (formatting often stretches it), the rows are counted.
    """
    declared = prepared.estimated_rows()
    if declared is not None and declared <= settings.import_max_rows:
        return declared
    counted = prepared.count_rows(stop_after=settings.import_max_rows)
    if counted > settings.import_max_rows:
        raise ValidationFailed.field(
            "file", f"the sheet has more than {settings.import_max_rows} data rows; split the list into several files"
        )
    return counted


async def check_contract(session: AsyncSession, exam: Exam, settings: ProfexamSettings) -> None:
    """409 when the contract the exam works under has ended (PRO-3)."""
    contracts = await ContractRepository(session).all_of_organization(exam.organization_id)
    expired = organization_service.expired_contract(contracts, chosen=exam.contract_id, today=clinic_today(settings))
    if expired is not None:
        raise Conflict(
            f"The contract {expired.number} ended on {expired.valid_to.strftime('%d.%m.%Y')}; "
            "add a current contract to the organisation before importing employees.",
            title="Contract expired",
            code="contract-expired",
            conflicts=[{"contract_id": str(expired.id), "valid_to": expired.valid_to.isoformat()}],
        )


async def get_run(
    session: AsyncSession, *, run_id: uuid.UUID, stale_after: timedelta, scope: OrganizationScope
) -> ImportRun:
    """A run of an exam the caller may see: another organisation's run is a 404, like a missing one."""
    if scope.limited:
        run = await session.get(ImportRun, run_id)
        exam = await session.get(Exam, run.exam_id) if run is not None else None
        if exam is None or not scope.allows(exam.organization_id):
            raise NotFound(f"Import {run_id} not found.")
    return await jobs.get_run(session, run_id=run_id, stale_after=stale_after)


async def start_import(
    *,
    runtime: ServiceRuntime,
    settings: ProfexamSettings,
    exam_id: uuid.UUID,
    mapping: EmployeeMapping,
    upload: Upload,
    options: ImportOptions,
    patients: PatientsClient,
    principal: Principal,
    scope: OrganizationScope,
) -> StartedImport:
    """Check, then import at once or as a job when the sheet is larger than the threshold."""
    async with runtime.db.read_session() as session:
        exam = await exam_service.get_exam(session, exam_id=exam_id, scope=scope)
        await check_contract(session, exam, settings)
        if mapping.calculation_id is not None:
            await calculation_service.positions_by_key(session, exam_id=exam.id, calculation_id=mapping.calculation_id)
        session.expunge(exam)  # kept loaded: the read session rolls back (and would expire it)
    check_upload_size(len(upload.content), settings)
    prepared = await asyncio.to_thread(open_upload, upload.content, mapping.sheet_spec(), read_limits(settings))
    try:
        estimated = await asyncio.to_thread(estimate_rows, prepared, settings)
    except BaseException:
        prepared.close()
        raise
    run = jobs.new_run(
        exam_id=exam.id,
        kind="employees",
        file_name=upload.file_name,
        options={"accept_partial": options.accept_partial, "dry_run": options.dry_run},
        user_id=principal.user_id,
        total=estimated,
    )
    work = _Import(runtime, settings, exam, mapping, options, patients, principal, prepared, run)
    if estimated > settings.import_async_threshold_rows:
        async with runtime.db.session() as session:
            session.add(run)
        jobs.start_job(runtime, run.id, work.run, cleanup=prepared.close)
        log.info("profexam.import.queued", import_id=str(run.id), exam_id=str(exam.id), estimated_rows=estimated)
        return StartedImport(run=run, report=None)
    try:
        report = await work.run(Progress())
    finally:
        prepared.close()
    return StartedImport(run=run, report=report)


class _Import:
    """One employee import: read, check, resolve cards, write."""

    def __init__(
        self,
        runtime: ServiceRuntime,
        settings: ProfexamSettings,
        exam: Exam,
        mapping: EmployeeMapping,
        options: ImportOptions,
        patients: PatientsClient,
        principal: Principal,
        prepared: PreparedSheet,
        run: ImportRun,
    ) -> None:
        self.runtime = runtime
        self.settings = settings
        self.exam = exam
        self.mapping = mapping
        self.options = options
        self.patients = patients
        self.principal = principal
        self.prepared = prepared
        self.run_row = run
        self.letters = mapping.letters()

    async def run(self, progress: Progress) -> dict[str, Any]:
        # Thousands of rows, cards and employees live until the end: see clinic_shared.gc_pause.
        with gc_paused():
            return await self._run(progress)

    async def _run(self, progress: Progress) -> dict[str, Any]:
        progress.at("reading", total=self.run_row.total)
        sheet = await asyncio.to_thread(read_rows, self.prepared, read_limits(self.settings), progress.advance)
        progress.at("checking", total=len(sheet.rows))
        checked = await asyncio.to_thread(check_employee_rows, sheet, self.letters, await self._row_context())
        strict = not self.options.accept_partial
        if checked.rejected and strict and not self.options.dry_run:
            return await self._finish(progress, checked, status="rejected")
        progress.at("cards", total=len(checked.candidates))
        cards = [_new_card(c) for c in checked.candidates]
        resolution = await self.patients.resolve(
            cards, create=not self.options.dry_run, drop_failed=not strict, on_progress=progress.advance
        )
        self._add_card_rejections(checked, resolution)
        if self.options.dry_run:
            return await self._finish(progress, checked, status="dry_run", resolution=resolution)
        if checked.rejected and strict:
            return await self._finish(progress, checked, status="rejected", resolution=resolution)
        return await self._finish(progress, checked, status="imported", resolution=resolution)

    async def _row_context(self) -> RowContext:
        async with self.runtime.db.read_session() as session:
            dictionary = await factor_service.dictionary_codes(session)
            mappings = await factor_service.organization_mappings(session, self.exam.organization_id)
            calculation = None
            if self.mapping.calculation_id is not None:
                calculation = await calculation_service.positions_by_key(
                    session, exam_id=self.exam.id, calculation_id=self.mapping.calculation_id
                )
        endings = await self.patients.sex_endings() if "middle_name" in self.letters else {}
        return RowContext(
            today=clinic_today(self.settings),
            sex_endings=endings,
            dictionary=dictionary,
            mappings=mappings,
            calculation=calculation,
            phone_region=self.settings.phone_region,
        )

    def _add_card_rejections(self, checked: CheckedRows, resolution: CardResolution) -> None:
        for index, errors in resolution.errors.items():
            candidate = checked.candidates[index]
            for error in errors:
                field = CARD_FIELD_COLUMNS.get(error["field"], error["field"])
                column = self.letters.get(field)
                value = getattr(candidate, field, None) if field in {"phone", "sex"} else None
                reason = f"the patients service refused the card: {error['field'] or 'card'} {error['message']}"
                checked.rejected.append(Rejection(candidate.row, column, None if value is None else str(value), reason))

    async def _finish(
        self, progress: Progress, checked: CheckedRows, *, status: str, resolution: CardResolution | None = None
    ) -> dict[str, Any]:
        await progress.stop_flushing()
        progress.at("writing")
        report: dict[str, Any] = {
            "status": status,
            "total_rows": checked.total_rows,
            "imported": 0,
            "already_in_exam": 0,
            "cards_created": len(resolution.created) if resolution else 0,
            "cards_matched": len(resolution.ids) - len(resolution.created) if resolution else 0,
            "rejected": [r.as_dict() for r in sorted(checked.rejected, key=lambda r: (r.row, r.column or ""))],
            "unknown_factor_codes": [
                {"code": code, "rows": rows} for code, rows in sorted(checked.unknown_codes.items())
            ],
        }
        async with self.runtime.db.session() as session:
            if resolution is not None and status != "rejected":
                imported, already = await self._write_employees(session, checked, resolution, status=status)
                report["imported"], report["already_in_exam"] = imported, already
                if status == "dry_run":
                    report["cards_created"] = len(checked.candidates) - len(resolution.ids)
            run = await session.get(ImportRun, self.run_row.id)
            if run is None:
                run = self.run_row
                session.add(run)
            progress.total = checked.total_rows
            jobs.finish(run, report, progress)
        log.info(
            "profexam.import.finished",
            import_id=str(self.run_row.id),
            exam_id=str(self.exam.id),
            status=status,
            imported=report["imported"],
            rejected=len(report["rejected"]),
        )
        return report

    async def _write_employees(
        self, session: AsyncSession, checked: CheckedRows, resolution: CardResolution, *, status: str
    ) -> tuple[int, int]:
        # Locks the exam row on PostgreSQL: concurrent imports into one exam take turns (the
        # caller's scope was checked when the import started).
        await exam_service.get_exam(session, exam_id=self.exam.id, scope=EVERY_ORGANIZATION, for_update=True)
        repository = EmployeeRepository(session)
        listed = await repository.patient_ids(self.exam.id)
        rows: list[dict[str, Any]] = []
        already = 0
        now = utcnow()
        would_create = 0
        for index, candidate in enumerate(checked.candidates):
            card_id = resolution.ids.get(index)
            if card_id is None:
                # A dry run creates no cards: a person without one would get a new card.
                would_create += status == "dry_run" and index not in resolution.errors
                continue
            if card_id in listed:
                already += 1
                continue
            listed.add(card_id)
            row = _employee_row(candidate, card_id, self.exam.id, self.run_row.id, self.principal, now)
            row["card_number"] = resolution.numbers.get(index)
            rows.append(row)
        if status == "imported":
            await repository.insert_many([{**r, "calculation_id": self.mapping.calculation_id} for r in rows])
        return len(rows) + would_create, already


def _new_card(candidate: EmployeeCandidate) -> NewCard:
    return NewCard(
        candidate.last_name,
        candidate.first_name,
        candidate.middle_name,
        candidate.birth_date,
        candidate.sex,
        candidate.phone,
    )


def _employee_row(
    candidate: EmployeeCandidate,
    card_id: uuid.UUID,
    exam_id: uuid.UUID,
    import_id: uuid.UUID,
    principal: Principal,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "exam_id": exam_id,
        "patient_id": card_id,
        "last_name": candidate.last_name,
        "first_name": candidate.first_name,
        "middle_name": candidate.middle_name,
        "birth_date": candidate.birth_date,
        "sex": candidate.sex,
        "phone": candidate.phone,
        "position": candidate.position,
        "department": candidate.department,
        "exam_type": candidate.exam_type,
        "working_conditions": candidate.working_conditions,
        "harmful_factor_codes": candidate.harmful_factor_codes,
        "source": "import",
        "import_id": import_id,
        "patient_version": 0,
        "created_at": now,
        "created_by": principal.user_id,
    }
