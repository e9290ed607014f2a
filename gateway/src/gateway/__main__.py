"""Distributed mode: `python -m gateway` serves the gateway alone, forwarding over HTTP."""

from __future__ import annotations

import uvicorn

from clinic_shared.logging import configure_logging
from clinic_shared.runner import freeze_startup_objects
from gateway.app import create_app
from gateway.settings import GatewaySettings, proxy_options


def main() -> None:
    settings = GatewaySettings()
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    freeze_startup_objects()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        **proxy_options(settings),
    )


if __name__ == "__main__":
    main()
