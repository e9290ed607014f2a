"""An unexpected exception is answered as a problem and the client's connection stays usable.

Starlette's last-resort handler answers 500 and then re-raises, and uvicorn closes the
connection on a re-raised exception: the client's next request on that keep-alive connection
failed. `RequestContextMiddleware` stops the exception instead. Shown over a real socket.
"""

from __future__ import annotations

import asyncio
import socket
from contextlib import suppress

import uvicorn
from fastapi import FastAPI

from clinic_shared.errors import install_error_handlers
from clinic_shared.middleware import RequestContextMiddleware


def failing_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="test")

    @app.get("/boom")
    async def boom() -> None:
        raise OverflowError("date value out of range")

    @app.get("/fine")
    async def fine() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def test_after_a_500_the_same_connection_answers_the_next_request() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(failing_app(), log_config=None, access_log=False, lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        async with asyncio.timeout(20):
            while not server.started:
                await asyncio.sleep(0.01)
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
            failed = await read_response(reader)
            writer.write(b"GET /fine HTTP/1.1\r\nHost: x\r\n\r\n")
            fine = await read_response(reader)
            writer.close()
    finally:
        server.should_exit = True
        with suppress(asyncio.CancelledError):
            await serving
    assert (failed[0], failed[1]["content-type"]) == (500, "application/problem+json")
    assert failed[1].get("connection") != "close"
    assert fine[0] == 200 and fine[2] == b'{"status":"ok"}'
