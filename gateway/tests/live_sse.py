"""A small Server-Sent Events reader for the live-stream tests (what a browser's EventSource does)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Block:
    """One SSE block: its fields, and its comments."""

    event: str | None = None
    id: str | None = None
    data: str | None = None
    retry: str | None = None
    comments: list[str] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.data or "null")


class Stream:
    """Blocks are read by a task of their own: a timeout while waiting for one must not cancel
    the reading itself (that would close the response's line iterator)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.last_id: str | None = None
        self.opening = Block()
        self._blocks: asyncio.Queue[Block | None] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        block = Block()
        try:
            async for line in self.response.aiter_lines():
                if line == "":
                    if block != Block():
                        await self._blocks.put(block)
                    block = Block()
                    continue
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "":
                    block.comments.append(value)
                elif name == "data":
                    block.data = value if block.data is None else f"{block.data}\n{value}"
                elif name in ("event", "id", "retry"):
                    setattr(block, name, value)
        except httpx.HTTPError:
            pass
        finally:
            await self._blocks.put(None)

    async def close(self) -> None:
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)

    async def block(self, timeout: float) -> Block:
        """The next block (heartbeats too); TimeoutError when none comes within `timeout` s."""
        block = await asyncio.wait_for(self._blocks.get(), timeout)
        if block is None:
            self._blocks.put_nowait(None)
            raise EOFError("the stream ended")
        if block.id is not None:
            self.last_id = block.id
        return block

    async def event(self, timeout: float) -> Block:
        """The next dispatched event (a block with data), skipping heartbeats."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            block = await self.block(max(deadline - loop.time(), 0.001))
            if block.data is not None:
                return block

    async def events_for(self, seconds: float) -> list[Block]:
        """Every event that arrives within `seconds` (the stream staying open)."""
        seen: list[Block] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                seen.append(await self.event(left))
            except TimeoutError:
                break
        return seen


@asynccontextmanager
async def open_stream(
    base_url: str, headers: dict[str, str], *, last_event_id: str | None = None
) -> AsyncIterator[Stream]:
    """GET /api/events/stream as EventSource sends it; the first block (retry, id) is read already."""
    request_headers = {**headers, "Accept": "text/event-stream"}
    if last_event_id is not None:
        request_headers["Last-Event-ID"] = last_event_id
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(30, read=None)) as client:
        async with client.stream("GET", "/api/events/stream", headers=request_headers) as response:
            assert response.status_code == 200, (await response.aread()).decode()
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = Stream(response)
            try:
                stream.opening = await stream.block(10)
                yield stream
            finally:
                await stream.close()
