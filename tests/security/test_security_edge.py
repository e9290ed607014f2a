"""The gateway's edge against a real server: nothing heavy happens before authentication, client
addresses come only from trusted proxies, and a service's failure never costs the client its
connection (GW-1, GW-3).

The gateway runs as `make run` runs it (`python -m gateway.embedded`, a real uvicorn on a real
socket), on this test's backends, with no service behind it: what is shown is the gateway's own
behaviour before any service is asked. The last test serves the whole platform over a real
socket (clinic_shared.testing.served) to make a service fail behind the gateway.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import structlog

from clinic_shared.logging import configure_logging
from clinic_shared.testing.backends import Backends, Isolation
from clinic_shared.testing.served import ServedPlatform

ADMIN_PASSWORD = "Edge-Test-Admin-Password-1"
BIG = 60 * 1024 * 1024
FIRST_PART = 1024 * 1024
PIECE = 256 * 1024
HEALTH_EVERY = 0.005
NUL_JSON = b'{"last_name": "' + b"\\u0000" * (FIRST_PART // 6)
NULS = b"\\u0000" * (PIECE // 6)  # the body goes on with NUL escapes to its end


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(isolation: Isolation, port: int, **extra: str) -> dict[str, str]:
    overrides = isolation.overrides()
    env = {
        **os.environ,
        "CLINIC_PORT": str(port),
        "CLINIC_DATA_DIR": str(overrides["data_dir"]),
        "CLINIC_SERVICES": "[]",
        "CLINIC_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "CLINIC_DEMO_DATA": "0",
        "CLINIC_PASSWORD_HASH_TIME_COST": "1",
        "CLINIC_PASSWORD_HASH_MEMORY_KIB": "64",
        "CLINIC_LOG_LEVEL": "WARNING",
        **extra,
    }
    for name in ("database_url", "amqp_url", "db_schema_prefix", "events_exchange", "queue_prefix"):
        if overrides.get(name):
            env[f"CLINIC_{name.upper()}"] = str(overrides[name])
    if overrides.get("secrets_key") is not None:
        env["CLINIC_SECRETS_KEY"] = overrides["secrets_key"].get_secret_value()
    return env


@asynccontextmanager
async def served_gateway(isolation: Isolation, **extra: str) -> AsyncIterator[str]:
    """`python -m gateway.embedded` on a free port; its base URL once /api/health answers."""
    port = free_port()
    Path(isolation.overrides()["data_dir"]).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, at start
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, then polled over HTTP
        [sys.executable, "-m", "gateway.embedded", "--port", str(port)], env=environment(isolation, port, **extra)
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url) as client, asyncio.timeout(60):
            while True:
                assert process.poll() is None, "the gateway exited at start"
                with suppress(httpx.TransportError):
                    if (await client.get("/api/health")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        if process.poll() is None:
            process.kill()


@pytest.fixture
def edge_isolation(isolation: Isolation) -> Iterator[Isolation]:
    yield isolation


@dataclass
class Sent:
    """What became of one big request."""

    status: int
    sent_when_answered: int  # body bytes handed to the socket when the answer's status line came
    sent_in_all: int  # body bytes handed to the socket before the server closed the connection
    whole_body_sent: bool
    started: float
    ended: float  # the connection ended (perf_counter)


async def big_request(port: int, head: bytes, body: Iterator[bytes]) -> Sent:
    """Send a request head and a 60 MB body as fast as the server takes it, while reading the
    answer; after the answer, go on sending until the server closes the connection. What was
    sent by then is all the server could have read.

    The body's pieces are built beforehand (`declared_body`, `chunked_body`): the sender only
    writes and waits for the socket, so it is never what holds the server back."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0

    async def send_body() -> bool:
        nonlocal sent
        writer.write(head)
        try:
            for piece in body:
                await writer.drain()
                writer.write(piece)
                sent += len(piece)
            await writer.drain()
        except ConnectionError:
            return False
        return True

    sending = asyncio.create_task(send_body())
    try:
        status_line = await asyncio.wait_for(reader.readline(), timeout=30)
        sent_when_answered = sent
        with suppress(ConnectionError):  # a reset: the server closed with the body unread
            async with asyncio.timeout(30):
                while await reader.read(64 * 1024):
                    pass
        whole = await asyncio.wait_for(sending, timeout=30)
        return Sent(int(status_line.split()[1]), sent_when_answered, sent, whole, started, time.perf_counter())
    finally:
        sending.cancel()
        with suppress(asyncio.CancelledError, ConnectionError):
            await sending
        writer.close()
        with suppress(ConnectionError):
            await writer.wait_closed()


def head(declared: bool, authorization: str = "") -> bytes:
    lines = [
        "POST /api/patients/cards HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {BIG}" if declared else "Transfer-Encoding: chunked",
    ]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def declared_body() -> Iterator[bytes]:
    """A body of exactly `BIG` bytes with NUL escapes throughout, for a `Content-Length` head."""
    yield NUL_JSON
    left = BIG - len(NUL_JSON)
    while left > 0:
        piece = NULS if left >= len(NULS) else NULS[:left]
        yield piece
        left -= len(piece)


def chunked_body() -> Iterator[bytes]:
    """The same body in chunked transfer encoding (no length known in advance), ended properly."""
    yield chunked(NUL_JSON)
    framed = chunked(NULS)
    left = BIG - len(NUL_JSON)
    while left >= len(NULS):
        yield framed
        left -= len(NULS)
    if left:
        yield chunked(NULS[:left])
    yield b"0\r\n\r\n"


def not_read_whole(result: Sent) -> bool:
    """The answer came, and the server closed the connection, with most of the body unsent."""
    return result.sent_when_answered < BIG / 4 and result.sent_in_all < BIG / 4 and not result.whole_body_sent


async def test_three_unauthenticated_huge_bodies_are_refused_unread_while_health_answers_at_once(
    edge_isolation: Isolation,
) -> None:
    async with served_gateway(edge_isolation) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        port = int(base_url.rsplit(":", 1)[1])
        health: list[tuple[float, float, int]] = []  # (asked at, seconds to answer, status)

        async def poll_health(until: asyncio.Event) -> None:
            while not until.is_set():
                asked = time.perf_counter()
                status = (await client.get("/api/health")).status_code
                health.append((asked, time.perf_counter() - asked, status))
                await asyncio.sleep(HEALTH_EVERY)

        done = asyncio.Event()
        poller = asyncio.create_task(poll_health(done))
        try:
            await asyncio.sleep(10 * HEALTH_EVERY)  # the poller is going before the bodies start
            results = await asyncio.gather(
                big_request(port, head(declared=True), declared_body()),
                big_request(port, head(declared=False), chunked_body()),
                big_request(port, head(declared=False, authorization="Bearer forged.token.value"), chunked_body()),
            )
        finally:
            done.set()
            await poller
    assert [result.status for result in results] == [401, 401, 401]
    assert all(not_read_whole(result) for result in results), results
    # Meanwhile: every health check in flight at the same time as any of the three. Before, one
    # such body froze the gateway for 19 s.
    first, last = min(r.started for r in results), max(r.ended for r in results)
    meanwhile = [(seconds, status) for asked, seconds, status in health if asked <= last and asked + seconds >= first]
    assert {status for _, status in meanwhile} == {200}, meanwhile
    assert max(seconds for seconds, _ in meanwhile) < 0.2, sorted(meanwhile)
    assert len(meanwhile) >= 3, (meanwhile, last - first)  # asked again and again, not once


@pytest.mark.parametrize("body", [declared_body, chunked_body], ids=["content-length", "chunked"])
async def test_an_authenticated_body_over_the_json_limit_is_refused_unread(
    edge_isolation: Isolation, body: Callable[[], Iterator[bytes]]
) -> None:
    async with served_gateway(edge_isolation) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        port = int(base_url.rsplit(":", 1)[1])
        login = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
        admin = f"Bearer {login.json()['access_token']}"
        result = await big_request(port, head(declared=body is declared_body, authorization=admin), body())
    assert result.status == 413
    assert not_read_whole(result), result


async def test_a_forged_forwarded_for_does_not_escape_the_address_limit(edge_isolation: Isolation) -> None:
    limits = {"CLINIC_LOGIN_MAX_FAILURES": "2", "CLINIC_LOGIN_MAX_FAILURES_PER_ADDRESS": "2"}
    async with served_gateway(edge_isolation, **limits) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        for name in ("u1", "u2"):
            await client.post("/api/auth/token", data={"username": name, "password": "wrong-guess"})
        forged = await client.post(
            "/api/auth/token",
            data={"username": "u3", "password": "wrong-guess"},
            headers={"X-Forwarded-For": "198.51.100.1"},
        )
    assert forged.status_code == 429


async def test_a_trusted_proxys_forwarded_for_names_the_client(edge_isolation: Isolation) -> None:
    limits = {
        "CLINIC_LOGIN_MAX_FAILURES": "2",
        "CLINIC_LOGIN_MAX_FAILURES_PER_ADDRESS": "2",
        "CLINIC_TRUSTED_PROXIES": json.dumps(["127.0.0.1"]),
    }
    async with served_gateway(edge_isolation, **limits) as base_url, httpx.AsyncClient(base_url=base_url) as client:

        async def attempt(client_address: str) -> int:
            response = await client.post(
                "/api/auth/token",
                data={"username": "someone", "password": "wrong-guess"},
                headers={"X-Forwarded-For": client_address},
            )
            return response.status_code

        statuses = [await attempt("198.51.100.1"), await attempt("198.51.100.1"), await attempt("198.51.100.2")]
        held = await attempt("198.51.100.1")
    assert statuses == [401, 401, 401]
    assert held == 429


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 answer off a kept-alive connection: status, headers, body (by its length)."""
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers["content-length"]))
    return status, headers, body


@pytest.fixture
def logging_as_served() -> Iterator[None]:
    """Logs configured as `python -m gateway.embedded` configures them (JSON, plain tracebacks);
    structlog's configuration and the root logger's are put back afterwards. Unconfigured,
    structlog renders an error's traceback with every frame's locals: seconds on the server's loop."""
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging("WARNING", "json")
    try:
        yield
    finally:
        structlog.configure(**saved)
        root.handlers[:] = handlers
        root.setLevel(level)


async def test_a_failure_inside_a_service_is_a_problem_and_the_connection_answers_the_next_request(
    backends: Backends, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logging_as_served: None
) -> None:
    """The issue's failure (an `OverflowError` from date arithmetic inside scheduling's search),
    through the gateway on one keep-alive connection: before, the gateway reset the connection
    and the client's next request on it failed."""
    from scheduling.appointments import search

    def overflowing(*_args: object, **_kwargs: object) -> None:
        raise OverflowError("date value out of range")

    served = await asyncio.to_thread(ServedPlatform(backends, tmp_path / "var").start)
    try:
        monkeypatch.setattr(search, "criteria", overflowing)
        port = int(served.base_url.rsplit(":", 1)[1])
        authorization = served.admin_headers["Authorization"]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            async with asyncio.timeout(30):
                ask = "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization + "\r\n\r\n"
                writer.write(ask.format("/api/scheduling/appointments").encode())
                failed = await read_response(reader)
                writer.write(ask.format("/api/scheduling/doctors").encode())
                next_one = await read_response(reader)
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()
    finally:
        await asyncio.to_thread(served.stop)
    status, headers, body = failed
    assert (status, headers["content-type"]) == (500, "application/problem+json")
    assert json.loads(body)["status"] == 500 and b"OverflowError" not in body and b"out of range" not in body
    assert headers.get("connection") != "close"
    assert next_one[0] == 200 and "items" in json.loads(next_one[2])
