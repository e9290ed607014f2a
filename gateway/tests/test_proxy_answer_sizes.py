"""Answers of every size come through the gateway whole: small ones are read and sent in one
piece, large or unsized ones (exports) are streamed (GW-1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response, StreamingResponse

from gateway.proxy import BUFFER_MAX_BYTES


def files_service() -> FastAPI:
    """A stand-in service answering bodies of a given size, sized or streamed without a length."""
    app = FastAPI(title="files")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/sized/{size}")
    async def sized(size: int) -> Response:
        return Response(b"s" * size, media_type="application/octet-stream", headers={"x-kind": "sized"})

    @app.get("/streamed/{size}")
    async def streamed(size: int) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, size, 10_000):
                yield b"t" * min(10_000, size - start)

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    @app.post("/created", status_code=201)
    async def created() -> dict[str, str]:
        return {"id": "42"}

    return app


async def test_a_small_answer_arrives_whole_with_its_status_headers_and_length(gateway_factory: Any) -> None:
    async with gateway_factory(services={"files": files_service()}) as client:
        response = await client.post("/api/files/created")
    assert response.status_code == 201
    assert response.json() == {"id": "42"}
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["content-type"] == "application/json"


async def test_an_answer_larger_than_the_buffer_arrives_whole(gateway_factory: Any) -> None:
    size = BUFFER_MAX_BYTES * 3 + 7
    async with gateway_factory(services={"files": files_service()}) as client:
        response = await client.get(f"/api/files/sized/{size}")
    assert response.status_code == 200
    assert response.content == b"s" * size
    assert response.headers["x-kind"] == "sized"


async def test_an_answer_without_a_length_arrives_whole(gateway_factory: Any) -> None:
    async with gateway_factory(services={"files": files_service()}) as client:
        response = await client.get("/api/files/streamed/123456")
    assert response.status_code == 200
    assert response.content == b"t" * 123456
