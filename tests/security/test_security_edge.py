"""The gateway's edge against a real server: nothing heavy happens before authentication, and
client addresses come only from trusted proxies (GW-1, GW-3).

The gateway runs as `make run` runs it (`python -m gateway.embedded`, a real uvicorn on a real
socket), on this test's backends, with no service behind it: what is shown is the gateway's own
behaviour before any service is asked.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import httpx
import pytest

from clinic_shared.testing.backends import Isolation

ADMIN_PASSWORD = "Edge-Test-Admin-Password-1"
BIG = 60 * 1024 * 1024
FIRST_PART = 1024 * 1024
ROUNDS = 5
NUL_JSON = b'{"last_name": "' + b"\\u0000" * (FIRST_PART // 6) + b'"'


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


async def big_request(port: int, head: bytes, first: bytes, rest: Callable[[bytes], bytes]) -> tuple[int, int]:
    """Send a request head and a 60 MB body while reading the answer; stop sending once it
    comes. Returns (status, bytes of body sent by then)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0

    async def send_body() -> None:
        nonlocal sent
        writer.write(head + first)
        sent = len(first)
        piece = rest(b"x" * (256 * 1024))
        with suppress(ConnectionError):
            while sent < BIG:
                await writer.drain()
                writer.write(piece)
                sent += 256 * 1024

    sending = asyncio.create_task(send_body())
    try:
        status_line = await asyncio.wait_for(reader.readline(), timeout=30)
        return int(status_line.split()[1]), sent
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


def plain(data: bytes) -> bytes:
    return data


def chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def test_huge_bodies_are_refused_unread_while_health_answers_at_once(edge_isolation: Isolation) -> None:
    async with served_gateway(edge_isolation) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        port = int(base_url.rsplit(":", 1)[1])
        login = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
        admin = f"Bearer {login.json()['access_token']}"
        health_times: list[float] = []

        async def poll_health(until: asyncio.Event) -> None:
            while not until.is_set():
                started = time.perf_counter()
                assert (await client.get("/api/health")).status_code == 200
                health_times.append(time.perf_counter() - started)
                await asyncio.sleep(0.005)

        done = asyncio.Event()
        poller = asyncio.create_task(poll_health(done))
        results = []
        try:
            for _ in range(ROUNDS):  # rounds, so that health is asked many times while bodies arrive
                results += await asyncio.gather(
                    big_request(port, head(declared=True), NUL_JSON, plain),
                    big_request(port, head(declared=False), chunked(NUL_JSON), chunked),
                    big_request(port, head(declared=False, authorization=admin), chunked(NUL_JSON), chunked),
                )
        finally:
            done.set()
            await poller
    statuses = [status for status, _ in results]
    assert statuses == [401, 401, 413] * ROUNDS
    assert all(sent < BIG / 4 for _, sent in results), results  # the server stopped reading long before the end
    # Not frozen: before, one such body froze the gateway for 19 s. A loaded test machine may
    # pause any single request now and then, so the bound is on nine answers in ten.
    ordered = sorted(health_times)
    assert len(ordered) >= ROUNDS, ordered
    assert ordered[int(len(ordered) * 0.9) - 1] < 0.2 and ordered[-1] < 1.0, ordered


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
