"""Distributed mode: `python -m clinic_shared.runner <package> --port N` serves one service.

With `CLINIC_WORKERS` > 1 the port is served by that many worker processes (uvicorn's
supervisor: one listening socket, the kernel hands connections out), so a service that is the
bottleneck uses every core. Each worker is a whole replica of the service (its own database
pool, outbox relay and event consumer): the leases and `FOR UPDATE SKIP LOCKED` claims that make
replicas safe (docs/operations.md, "Scaling") make workers safe too. What must happen once per
start, the migrations (and the gateway's first roles and admin), is done by this process before
the workers start, and the workers run with `CLINIC_RUN_MIGRATIONS=false`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import os
from collections.abc import Callable, Coroutine
from typing import Any

import uvicorn
from fastapi import FastAPI

from clinic_shared.logging import configure_logging
from clinic_shared.settings import ServiceSettings

PACKAGE_ENV = "CLINIC_RUNNER_PACKAGE"  # which service a worker process builds (worker_app)


def freeze_startup_objects() -> None:
    """Keep what the import made (modules, classes, routes, schemas) out of later collections.

    Full garbage collections walk every tracked object; a service process holds ~10^5 of
    them from its imports alone, and a collection during a request costs 100+ ms (seen at
    the p95 of free-slot search). Frozen objects are skipped; collect first so no garbage
    gets frozen with them.
    """
    gc.collect()
    gc.freeze()


def serve(
    settings: ServiceSettings,
    build: Callable[[], FastAPI],
    worker_factory: str,
    *,
    prepare: Callable[[], Coroutine[Any, Any, None]],
    host: str,
    port: int,
    **options: Any,
) -> None:
    """Serve `build()`'s app on one process, or `worker_factory` ("module:function" returning the
    app) on `settings.workers` processes after `prepare()` (the start's once-only work, which
    honours CLINIC_RUN_MIGRATIONS itself) has run here."""
    if settings.workers <= 1:
        app = build()
        freeze_startup_objects()
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, **options)
        return
    asyncio.run(prepare())
    os.environ["CLINIC_RUN_MIGRATIONS"] = "false"  # the workers inherit it
    uvicorn.run(
        worker_factory,
        factory=True,
        workers=settings.workers,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        **options,
    )


def _service_module(package: str) -> Any:
    return importlib.import_module(f"{package}.app")


def worker_app() -> FastAPI:
    """One worker's app (uvicorn calls this in each worker process it starts)."""
    module = _service_module(os.environ[PACKAGE_ENV])
    settings = module.SETTINGS_CLASS()
    configure_logging(settings.log_level, settings.log_format)
    app: FastAPI = module.create_app(settings)
    freeze_startup_objects()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve one clinic service over HTTP.")
    parser.add_argument("package", help="the service's Python package, e.g. patients")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    module = _service_module(args.package)
    settings = module.SETTINGS_CLASS()
    configure_logging(settings.log_level, settings.log_format)
    os.environ[PACKAGE_ENV] = args.package

    async def prepare() -> None:
        from clinic_shared.migrate import migrate, migration_target

        if settings.run_migrations:
            _, migrations = migration_target(args.package)
            await migrate(settings, migrations)

    serve(
        settings,
        lambda: module.create_app(settings),
        "clinic_shared.runner:worker_app",
        prepare=prepare,
        host=args.host,
        port=args.port,
    )


if __name__ == "__main__":
    main()
