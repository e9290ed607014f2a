"""Benchmark of the employee import (PRO-3): time relative to openpyxl merely reading the file, and peak memory.

`run_bench()` is what `make bench` calls; `python services/profexam/bench/bench_import.py` prints
the same figures. Every measurement runs in its own subprocess so its peak RSS is its own:

- `openpyxl_read`: openpyxl read-only merely iterating the rows of the file (the baseline);
- `pipeline`: profexam's part — format and zip checks, open, stream, check every row
  (no HTTP, no database); target ≤ 3 × the baseline;
- `full`: the whole import through the gateway of an embedded platform (patients + profexam,
  SQLite in a temporary directory): cards resolved in patients, employees written, the job
  polled to its end. Its time depends on patients offering `POST /cards/batch` (without it,
  one `POST /cards` per new card).

Targets: pipeline ratio ≤ 3, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROWS = 10_000
TARGET_RATIO = 3.0
TARGET_PEAK_MB = 300.0


def build_file(rows: int, path: Path) -> None:
    """A realistic employee list in the template's layout (write-only openpyxl)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Сотрудники")
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Телефон", "Должность", "Подразделение",
                  "Вредные факторы", "Вид осмотра", "Условия труда"])  # fmt: skip
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    for index in range(rows):
        suffix = letters[index % 27] + letters[(index // 27) % 27] + letters[(index // 729) % 27]
        born = date(1960, 1, 1) + timedelta(days=(index * 37) % 15000)
        sheet.append(
            [f"Сотрудник{suffix}", "Иван" if index % 2 else "Мария", "Петрович" if index % 2 else "Петровна",
             born, None, f"+7 922 {index % 1000:03d}-{index % 100:02d}-{index % 97:02d}", "Слесарь",
             f"Цех {index % 12}", "4.2.5; п. 1.1" if index % 3 else "18.2", 1, 31 if index % 5 else 2]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_openpyxl_read(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    content = path.read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "rows": count,
        "peak_mb": _peak_mb(),
    }


def child_pipeline(path: Path) -> dict[str, Any]:
    from clinic_shared.gc_pause import gc_paused
    from profexam.imports.reader import read_rows
    from profexam.imports.rows import RowContext, check_employee_rows
    from profexam.imports.schemas import EmployeeMapping
    from profexam.imports.service import estimate_rows, open_upload, read_limits
    from profexam.settings import ProfexamSettings

    content = path.read_bytes()
    settings = ProfexamSettings()
    mapping = EmployeeMapping()
    context = RowContext(
        today=date.today(),
        sex_endings={"вич": "male", "вна": "female"},
        dictionary={"4.2.5", "1.1", "18.2"},
        mappings={},
    )
    started, cpu = time.perf_counter(), time.process_time()
    prepared = open_upload(content, mapping.sheet_spec(), read_limits(settings))
    estimate_rows(prepared, settings)
    with gc_paused():  # as the service's import runs (profexam.imports.service._Import.run)
        sheet = read_rows(prepared, read_limits(settings))
        prepared.close()
        checked = check_employee_rows(sheet, mapping.letters(), context)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "rows": len(checked.candidates),
        "rejected": len(checked.rejected),
        "peak_mb": _peak_mb(),
    }


def child_full(path: Path) -> dict[str, Any]:
    return asyncio.run(_full(path.read_bytes()))


async def _full(content: bytes) -> dict[str, Any]:
    from pydantic import SecretStr

    from clinic_shared.auth import generate_keypair
    from clinic_shared.testing.backends import Backends, Isolation
    from gateway.embedded import build_platform
    from gateway.settings import GatewaySettings

    with tempfile.TemporaryDirectory() as data_dir:
        # Schemas, exchange and queues of its own, dropped afterwards: every run starts from an
        # empty archive (a run on the default schemas would match the previous run's cards).
        isolation = Isolation.new(Backends.from_env(), Path(data_dir))
        overrides = {k: v for k, v in isolation.overrides().items() if k in _ISOLATION_SETTINGS}
        settings = GatewaySettings(
            **overrides,
            jwt_private_key=SecretStr(generate_keypair()[0]),
            admin_password=SecretStr("bench-admin"),
            demo_data=False,
            log_level="WARNING",
        )
        app = build_platform(settings, services=["patients", "profexam"])
        try:
            return await _import_through(app, content)
        finally:
            await isolation.cleanup()


# What isolates a run; the rest of the test isolation (fast outbox polling …) is not for a benchmark.
_ISOLATION_SETTINGS = ("data_dir", "database_url", "amqp_url", "db_schema_prefix", "events_exchange", "queue_prefix")


async def _import_through(app: Any, content: bytes) -> dict[str, Any]:
    """Import `content` into a new exam through the platform's gateway; the figures of the run."""
    import httpx
    from asgi_lifespan import LifespanManager

    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600) as client,
    ):
        token = await client.post("/api/auth/token", data={"username": "admin", "password": "bench-admin"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        exam = await _exam(client, headers)
        batch = await client.post("/api/patients/cards/batch", json={"cards": []}, headers=headers)
        started, cpu = time.perf_counter(), time.process_time()
        response = await client.post(
            f"/api/profexam/exams/{exam}/imports",
            files={"file": ("bench.xlsx", content, "application/octet-stream")},
            headers=headers,
        )
        report = response.json()
        if response.status_code == 202:
            while report.get("status") not in ("done", "failed"):
                await asyncio.sleep(0.1)
                report = (await client.get(f"/api/profexam/imports/{report['id']}", headers=headers)).json()
            report = report.get("report") or report
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        # CPU of this process only (gateway, patients, profexam); the database works in its own.
        "cpu_seconds": cpu_seconds,
        "imported": report.get("imported"),
        "cards_created": report.get("cards_created"),
        "patients_batch_endpoint": batch.status_code not in (404, 405),
        "peak_mb": _peak_mb(),
    }


async def _exam(client: Any, headers: dict[str, str]) -> str:
    organization = (await client.post("/api/profexam/organizations", json={"name": "Bench"}, headers=headers)).json()
    today = date.today()
    await client.post(
        f"/api/profexam/organizations/{organization['id']}/contracts",
        json={"number": "B-1", "valid_from": today.isoformat(), "valid_to": (today + timedelta(days=365)).isoformat()},
        headers=headers,
    )
    body = {"organization_id": organization["id"], "name": "Bench", "period_from": today.isoformat(),
            "period_to": (today + timedelta(days=30)).isoformat()}  # fmt: skip
    return str((await client.post("/api/profexam/exams", json=body, headers=headers)).json()["id"])


CHILDREN = {"openpyxl_read": child_openpyxl_read, "pipeline": child_pipeline, "full": child_full}


def _in_subprocess(kind: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {kind} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_bench(rows: int = ROWS, *, full: bool = True) -> dict[str, Any]:
    """Build the file, measure each part in its own process, and compare with the targets."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "employees.xlsx"
        build_file(rows, path)
        result: dict[str, Any] = {"rows": rows, "file_bytes": path.stat().st_size}
        for kind in ("openpyxl_read", "pipeline", *(("full",) if full else ())):
            result[kind] = _in_subprocess(kind, path)
    baseline = result["openpyxl_read"]["seconds"]
    result["pipeline_ratio"] = round(result["pipeline"]["seconds"] / baseline, 2)
    result["pipeline_ok"] = result["pipeline_ratio"] <= TARGET_RATIO and result["pipeline"]["peak_mb"] <= TARGET_PEAK_MB
    if full:
        result["full_ratio"] = round(result["full"]["seconds"] / baseline, 2)
        result["full_ok"] = result["full_ratio"] <= TARGET_RATIO and result["full"]["peak_mb"] <= TARGET_PEAK_MB
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--no-full", action="store_true", help="skip the import through the platform")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return
    print(json.dumps(run_bench(args.rows, full=not args.no_full), indent=2))


if __name__ == "__main__":
    main()
