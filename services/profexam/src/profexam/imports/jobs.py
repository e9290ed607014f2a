"""Import runs: the stored record of each import and the progress of those run as jobs.

A large file is imported by a task in the process that received it; the task keeps its
progress in memory and a flusher writes it to the run's row every half second with a
heartbeat. `GET /imports/{id}` reads the row, so any replica can answer; a running row whose
heartbeat stopped (the process died) is reported as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import Database, utcnow
from clinic_shared.errors import ClinicError, NotFound
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from profexam.imports.models import ImportRun

log = get_logger(__name__)
FLUSH_SECONDS = 0.5
TASKS_KEY = "import_tasks"


@dataclass
class Progress:
    """Where a run is: its stage and how many of `total` items that stage has done."""

    stage: str = "queued"
    processed: int = 0
    total: int = 0
    flusher: asyncio.Task[None] | None = None

    def at(self, stage: str, *, total: int | None = None) -> None:
        self.stage, self.processed = stage, 0
        if total is not None:
            self.total = total

    def advance(self, processed: int) -> None:
        self.processed = processed

    async def stop_flushing(self) -> None:
        """Stop writing progress (before the final write, so no update races it)."""
        if self.flusher is not None:
            await _stop(self.flusher)


def new_run(
    *, exam_id: uuid.UUID, kind: str, file_name: str | None, options: dict[str, Any], user_id: uuid.UUID, total: int
) -> ImportRun:
    """A run row in its first state."""
    now = utcnow()
    return ImportRun(
        id=uuid.uuid4(),
        exam_id=exam_id,
        kind=kind,
        status="queued",
        stage="queued",
        processed=0,
        total=total,
        file_name=file_name,
        options=options,
        created_at=now,
        created_by=user_id,
        heartbeat_at=now,
    )


def finish(run: ImportRun, report: dict[str, Any], progress: Progress) -> None:
    """Put the final report on a run (in the transaction that writes the import's data)."""
    run.status, run.stage, run.report = "done", "done", report
    run.processed = run.total = progress.total
    run.finished_at = run.heartbeat_at = utcnow()


async def get_run(session: AsyncSession, *, run_id: uuid.UUID, stale_after: timedelta) -> ImportRun:
    """A run; a running one whose heartbeat stopped is reported (and stored) as failed."""
    run = await session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"Import {run_id} not found.")
    if run.status in ("queued", "running") and utcnow() - run.heartbeat_at > stale_after:
        run.status, run.finished_at = "failed", utcnow()
        run.error = {"status": 500, "detail": "The import was interrupted (the service stopped); nothing was written."}
        await session.flush()
    return run


async def _flush(db: Database, run_id: uuid.UUID, progress: Progress) -> None:
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        await _write_progress(db, run_id, progress)


async def _write_progress(db: Database, run_id: uuid.UUID, progress: Progress) -> None:
    async with db.session() as session:
        await session.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.status.in_(("queued", "running")))
            .values(
                status="running",
                stage=progress.stage,
                processed=progress.processed,
                total=progress.total,
                heartbeat_at=utcnow(),
            )
        )


async def _fail(db: Database, run_id: uuid.UUID, error: dict[str, Any]) -> None:
    async with db.session() as session:
        await session.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.status.in_(("queued", "running")))
            .values(status="failed", error=error, finished_at=utcnow(), heartbeat_at=utcnow())
        )


def start_job(
    runtime: ServiceRuntime,
    run_id: uuid.UUID,
    work: Callable[[Progress], Awaitable[object]],
    *,
    cleanup: Callable[[], None],
) -> asyncio.Task[None]:
    """Run `work` in the background; it must mark the run done itself, failures mark it failed."""
    progress = Progress()

    async def job() -> None:
        flusher = progress.flusher = asyncio.create_task(_flush(runtime.db, run_id, progress))
        try:
            await work(progress)
        except ClinicError as exc:
            await _stop(flusher)
            await _fail(runtime.db, run_id, exc.to_problem())
            log.info("profexam.import.job_refused", import_id=str(run_id), status=exc.status)
        except asyncio.CancelledError:
            await _stop(flusher)
            await asyncio.shield(
                _fail(runtime.db, run_id, {"status": 503, "detail": "The service stopped mid-import."})
            )
            raise
        except Exception:
            await _stop(flusher)
            log.exception("profexam.import.job_failed", import_id=str(run_id))
            await _fail(runtime.db, run_id, {"status": 500, "detail": "The import failed unexpectedly; it was logged."})
        finally:
            await _stop(flusher)
            cleanup()

    task = asyncio.create_task(job(), name=f"profexam-import:{run_id}")
    tasks: set[asyncio.Task[None]] = runtime.state.setdefault(TASKS_KEY, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task


async def _stop(task: asyncio.Task[None]) -> None:
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def stop_jobs(runtime: ServiceRuntime) -> None:
    """Shutdown hook: cancel running import jobs (each marks its run failed)."""
    tasks: set[asyncio.Task[None]] = runtime.state.get(TASKS_KEY, set())
    for task in list(tasks):
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
