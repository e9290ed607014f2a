"""`python -m clinic_shared.migrate <package>`: apply one schema's migrations, then exit.

In Kubernetes a Job per service runs this before a release's pods start (a Helm
pre-install/pre-upgrade hook, or the first step with plain kubectl), and the pods run with
`CLINIC_RUN_MIGRATIONS=false`: a schema change runs once per release, with its own logs and
exit code, instead of racing on every pod start. `<package>` is the Python package of the
service (`patients`, `ondoc_bridge`, …) or `gateway`; its app module names `SETTINGS_CLASS`
and `MIGRATIONS`. Settings come from the same `CLINIC_*` variables as the service's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
from pathlib import Path

from clinic_shared.db import Database
from clinic_shared.logging import configure_logging, get_logger
from clinic_shared.migrations import upgrade
from clinic_shared.settings import ServiceSettings

log = get_logger(__name__)


def migration_target(package: str) -> tuple[type[ServiceSettings], Path]:
    """The settings class and migrations folder of a service (or the gateway) by package name."""
    try:
        module = importlib.import_module(f"{package}.app")
    except ModuleNotFoundError as exc:
        raise LookupError(f"no installed service package {package!r}") from exc
    settings_class = getattr(module, "SETTINGS_CLASS", None)
    migrations = getattr(module, "MIGRATIONS", None)
    if settings_class is None or migrations is None:
        raise LookupError(f"{package}.app names no SETTINGS_CLASS and MIGRATIONS")
    return settings_class, Path(migrations)


async def migrate(settings: ServiceSettings, migrations: Path, revision: str = "head") -> None:
    """Bring the settings' schema to `revision` (safe to run again, and concurrently)."""
    db = Database(settings)
    try:
        await upgrade(db, migrations, revision)
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Apply one service's database migrations and exit.")
    parser.add_argument("package", help="the service's Python package (patients, ondoc_bridge, …) or gateway")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    args = parser.parse_args(argv)
    try:
        settings_class, migrations = migration_target(args.package)
    except LookupError as exc:
        parser.error(str(exc))
    settings = settings_class()
    configure_logging(settings.log_level, settings.log_format)
    log.info("migrations.started", service=settings.service_name, schema=settings.schema_name)
    asyncio.run(migrate(settings, migrations, args.revision))
    log.info("migrations.applied", service=settings.service_name, schema=settings.schema_name, revision=args.revision)


if __name__ == "__main__":
    main()
