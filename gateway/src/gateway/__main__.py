"""Distributed mode: `python -m gateway` serves the gateway alone, forwarding over HTTP
(`CLINIC_WORKERS` worker processes on its port: clinic_shared.runner)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_shared.db import Database
from clinic_shared.logging import configure_logging
from clinic_shared.runner import freeze_startup_objects, serve
from gateway.app import create_app, prepare_database
from gateway.settings import GatewaySettings, proxy_options


def worker_app() -> FastAPI:
    """One worker's app (uvicorn calls this in each worker process)."""
    settings = GatewaySettings()
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    freeze_startup_objects()
    return app


def main() -> None:
    settings = GatewaySettings()
    configure_logging(settings.log_level, settings.log_format)

    async def prepare() -> None:
        db = Database(settings)
        try:
            await prepare_database(db, settings)
        finally:
            await db.dispose()

    serve(
        settings,
        lambda: create_app(settings),
        "gateway.__main__:worker_app",
        prepare=prepare,
        host=settings.host,
        port=settings.port,
        **proxy_options(settings),
    )


if __name__ == "__main__":
    main()
