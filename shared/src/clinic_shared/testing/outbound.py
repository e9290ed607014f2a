"""Test aids for the outbound address policy (clinic_shared.outbound): a name that resolves
where a test wants, and a port that counts the connections it gets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from clinic_shared import outbound


def resolving_to(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """Every host name resolves to `address` from now on (no DNS asked)."""

    async def lookup(host: str, port: int) -> list[tuple[Any, ...]]:
        return [(2, 1, 6, "", (address, port))]

    monkeypatch.setattr(outbound, "lookup", lookup)


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections it gets (and answers none)."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def accept(self, _reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.close()


@asynccontextmanager
async def counting_listener() -> AsyncIterator[Listener]:
    """A `Listener` serving until the block ends (the `listener` fixture)."""
    watched = Listener()
    server = await asyncio.start_server(watched.accept, "127.0.0.1", 0)
    watched.port = server.sockets[0].getsockname()[1]
    async with server:
        yield watched
