"""The gateway's transport to services over real HTTP (distributed mode, GW-1): what it sends
and passes back, connection reuse, and the httpx errors the proxy turns into 503s."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from gateway.upstream import UpstreamTransport


def served_app() -> FastAPI:
    app = FastAPI()
    app.state.client_ports = []

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/echo/{rest:path}", methods=["GET", "POST", "PUT", "DELETE"])
    async def echo(rest: str, request: Request) -> dict[str, Any]:
        assert request.client is not None
        app.state.client_ports.append(request.client.port)
        body = await request.body()
        return {
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "headers": dict(request.headers),
            "body": body.decode(),
        }

    @app.get("/streamed/{size}")
    async def streamed(size: int) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, size, 10_000):
                yield b"t" * min(10_000, size - start)

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    @app.get("/gzip")
    async def gzipped() -> Response:
        return Response(b"\x1f\x8b not really", headers={"content-encoding": "gzip", "x-multi": "a"})

    @app.get("/slow")
    async def slow() -> dict[str, bool]:
        await asyncio.sleep(2)
        return {"late": True}

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def serving(app: FastAPI, *, keep_alive_seconds: float = 5) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, timeout_keep_alive=keep_alive_seconds
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def client_for() -> Callable[..., Any]:
    @asynccontextmanager
    async def make(base_url: str, *, timeout: float = 5, retries: int = 0) -> AsyncIterator[httpx.AsyncClient]:
        async with httpx.AsyncClient(
            base_url=base_url, transport=UpstreamTransport(retries=retries), timeout=timeout
        ) as client:
            yield client

    return make


async def test_the_request_arrives_with_its_method_path_query_headers_and_body(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url) as client:
        response = await client.put(
            "/echo/cards/42", params={"q": "Иванов"}, content=b'{"a": 1}', headers={"x-request-id": "r-1"}
        )
    seen = response.json()
    assert response.status_code == 200
    assert (seen["method"], seen["path"], seen["query"]) == (
        "PUT",
        "/echo/cards/42",
        "q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
    )
    assert seen["body"] == '{"a": 1}'
    assert seen["headers"]["x-request-id"] == "r-1"


async def test_nothing_is_added_to_the_request_that_the_caller_did_not_send(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url) as client:
        client.headers.clear()
        response = await client.post("/echo/x", content=b"raw")
    headers = response.json()["headers"]
    assert "content-type" not in headers
    assert "user-agent" not in headers
    assert headers["content-length"] == "3"


async def test_the_answer_is_passed_on_as_sent_not_decompressed(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url) as client:
        async with client.stream("GET", "/gzip") as response:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert raw == b"\x1f\x8b not really"
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["x-multi"] == "a"


async def test_a_long_answer_without_a_length_arrives_whole(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url) as client:
        response = await client.get("/streamed/1234567")
    assert response.content == b"t" * 1234567


async def test_sequential_requests_share_one_connection(client_for: Any) -> None:
    app = served_app()
    async with serving(app) as url, client_for(url) as client:
        for _ in range(5):
            (await client.get("/echo/x")).raise_for_status()
    assert len(set(app.state.client_ports)) == 1


async def test_a_connection_the_service_closed_while_idle_is_not_reused(client_for: Any) -> None:
    app = served_app()
    async with serving(app, keep_alive_seconds=0.2) as url, client_for(url) as client:
        first = await client.post("/echo/x", content=b"1")
        await asyncio.sleep(0.6)  # the service closes the idle connection
        second = await client.post("/echo/x", content=b"2")
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(set(app.state.client_ports)) == 2


async def test_a_service_that_does_not_answer_in_time_is_a_timeout(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url, timeout=0.3) as client:
        with pytest.raises(httpx.TimeoutException):
            await client.get("/slow")


async def test_a_service_that_is_not_listening_is_a_connect_error_after_the_retries(client_for: Any) -> None:
    async with client_for(f"http://127.0.0.1:{free_port()}", retries=1) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/health")


async def test_many_concurrent_requests_all_arrive(client_for: Any) -> None:
    async with serving(served_app()) as url, client_for(url) as client:
        answers = await asyncio.gather(*(client.post(f"/echo/{i}", content=str(i).encode()) for i in range(64)))
    assert sorted(int(a.json()["body"]) for a in answers) == list(range(64))
