"""An SMTP sink as its own process (`make up`): a real SMTP server that keeps what it receives.

`python -m notifier.fake_smtp --port 2525 --http-port 8092`. The notifier is pointed at it with
its ordinary SMTP settings (`email_provider: "smtp"`, host/port of this sink, security `none`),
so the real sender is exercised on the wire. The received e-mails stay in memory and are shown
by a small HTTP view: `GET /_control/emails` (newest last), `POST /_control/reset`.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import asdict
from typing import Any

import uvicorn
from fastapi import FastAPI

from clinic_shared.logging import configure_logging, get_logger
from notifier.delivery.fakes import SmtpSink

log = get_logger(__name__)


def create_sink_view(sink: SmtpSink) -> FastAPI:
    """The HTTP view of what the sink received."""
    app = FastAPI(title="SMTP sink", description=__doc__)

    @app.get("/_control/emails")
    async def emails() -> dict[str, Any]:
        """The received e-mails, newest last."""
        return {"smtp": {"host": sink.host, "port": sink.port}, "items": [asdict(mail) for mail in sink.received]}

    @app.post("/_control/reset")
    async def reset() -> dict[str, Any]:
        """Forget the received e-mails."""
        sink.received.clear()
        return {"items": []}

    return app


async def serve(host: str, port: int, http_port: int) -> None:
    """Run the SMTP server and its HTTP view in one event loop until stopped."""
    sink = SmtpSink(host, port)
    await sink.start()
    log.info("fake_smtp.listening", smtp_port=sink.port, http_port=http_port)
    server = uvicorn.Server(
        uvicorn.Config(create_sink_view(sink), host=host, port=http_port, log_level="info", access_log=False)
    )
    try:
        await server.serve()
    finally:
        await sink.stop()


def argument_parser() -> argparse.ArgumentParser:
    """The sink's command line (`gateway.devcluster` builds commands for it)."""
    parser = argparse.ArgumentParser(description="An SMTP sink with an HTTP view of what it received.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525, help="SMTP")
    parser.add_argument("--http-port", type=int, default=8092, help="the HTTP view (GET /_control/emails)")
    return parser


def main() -> None:
    """Parse the command line and serve the sink."""
    args = argument_parser().parse_args()
    configure_logging()
    print(
        f"\n  SMTP sink on {args.host}:{args.port}  (received: GET http://{args.host}:{args.http_port}/_control/emails)\n",
        flush=True,
    )
    asyncio.run(serve(args.host, args.port, args.http_port))


if __name__ == "__main__":
    main()
