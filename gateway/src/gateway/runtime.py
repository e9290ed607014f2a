"""What the running gateway holds: settings, its database, keys, service clients, throttle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

import httpx
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import Database
from clinic_shared.logging import get_logger
from gateway.platform import Platform
from gateway.ratelimit import LoginThrottle, PublicRateLimits
from gateway.rights import RIGHTS
from gateway.sessions import Sessions
from gateway.settings import GatewaySettings
from gateway.users import Passwords

log = get_logger(__name__)


def public_key_of(private_key_pem: str) -> str:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclass
class GatewayRuntime:
    settings: GatewaySettings
    db: Database
    private_key: str
    clients: dict[str, httpx.AsyncClient]
    throttle: LoginThrottle
    passwords: Passwords
    sessions: Sessions
    public_limits: PublicRateLimits
    platform: Platform
    _rights: dict[str, dict[str, str]] = field(default_factory=dict)

    async def rights_catalogue(self) -> dict[str, dict[str, str]]:
        """Rights declared by every reachable service (cached once complete)."""
        if set(self._rights) >= set(self.clients) | {"gateway"}:
            return self._rights

        async def fetch(name: str, client: httpx.AsyncClient) -> tuple[str, dict[str, str] | None]:
            try:
                response = await client.get("/_meta/rights", timeout=5)
                response.raise_for_status()
                return name, response.json()
            except (httpx.HTTPError, ValueError):
                log.warning("gateway.rights.unavailable", service=name)
                return name, None

        results = await asyncio.gather(*(fetch(n, c) for n, c in self.clients.items() if n not in self._rights))
        for name, rights in results:
            if rights is not None:
                self._rights[name] = rights
        self._rights["gateway"] = RIGHTS
        return dict(sorted(self._rights.items()))


def get_gateway(request: Request) -> GatewayRuntime:
    return request.app.state.gateway


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_gateway(request).db.session() as session:
        yield session


GatewaySessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
