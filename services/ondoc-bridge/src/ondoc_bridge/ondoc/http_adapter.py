"""The ONDOC port over HTTP (httpx). Which token goes with which endpoint, and how answers
map to transient/permanent errors, is written down in services/ondoc-bridge/docs/ondoc-contract.md."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from clinic_shared.http import make_client
from clinic_shared.logging import get_logger
from clinic_shared.outbound import OutboundRefused, guarded_transport
from ondoc_bridge.ondoc.contract import (
    AppointmentUpsert,
    AppointmentUpsertAnswer,
    DirectoryKind,
    DirectoryUpload,
    FreeSlotsUpload,
    PatientDetach,
)
from ondoc_bridge.ondoc.errors import OndocNotConfigured, OndocPermanentError, OndocTransientError, error_for_status
from ondoc_bridge.ondoc.reasons import FAKE_NOT_RUNNING

log = get_logger(__name__)

# The embedded fake answers at this address (in-process); any other URL is real HTTP.
FAKE_SERVER_URL = "http://fake-ondoc.invalid"


@dataclass(frozen=True)
class Connection:
    """Where ONDOC is and the two access tokens (OND-1)."""

    server_url: str | None
    company_token: str | None
    branch_token: str | None

    def require(self) -> tuple[str, str, str]:
        """Server URL and both tokens; `OndocNotConfigured` naming what is missing."""
        missing = [name for name in ("server_url", "company_token", "branch_token") if not getattr(self, name)]
        if missing:
            raise OndocNotConfigured(f"ONDOC settings lack: {', '.join(missing)}")
        return self.server_url or "", self.company_token or "", self.branch_token or ""


class HttpOndocAdapter:
    """`OndocPort` over HTTP. "Old API" (v1, company token) for patients and directories;
    "new API" (v2, branch token) for appointments and free slots."""

    def __init__(self, client: httpx.AsyncClient, connection: Connection, *, timeout: float) -> None:
        _, self._company_token, self._branch_token = connection.require()
        self._client = client
        self._timeout = timeout

    async def upsert_appointment(self, appointment: AppointmentUpsert) -> AppointmentUpsertAnswer:
        """PUT /api/v2/appointments/{mis_id} with the branch token."""
        body = await self._send("PUT", f"/api/v2/appointments/{appointment.mis_id}", self._branch_token, appointment)
        try:
            return AppointmentUpsertAnswer.model_validate(body)
        except ValidationError as exc:
            # ONDOC said 2xx: the state arrived. An odd body is not worth resending it.
            log.warning("ondoc.answer.unreadable", endpoint="appointments", error=str(exc)[:200])
            return AppointmentUpsertAnswer(applied=True, version=appointment.version)

    async def detach_patient(self, ondoc_patient_id: str, request: PatientDetach) -> None:
        """POST /api/v1/patients/{ondoc_patient_id}/detach with the company token."""
        await self._send("POST", f"/api/v1/patients/{_segment(ondoc_patient_id)}/detach", self._company_token, request)

    async def upload_directory(self, kind: DirectoryKind, upload: DirectoryUpload) -> None:
        """PUT /api/v1/directories/{kind} with the company token."""
        await self._send("PUT", f"/api/v1/directories/{kind}", self._company_token, upload)

    async def upload_free_slots(self, upload: FreeSlotsUpload) -> None:
        """PUT /api/v2/free-slots with the branch token."""
        await self._send("PUT", "/api/v2/free-slots", self._branch_token, upload)

    async def latest_directory(self, kind: DirectoryKind) -> dict[str, Any]:
        """GET /api/v1/directories/{kind} with the company token."""
        body = await self._send("GET", f"/api/v1/directories/{kind}", self._company_token, None)
        return body if isinstance(body, dict) else {}

    async def _send(self, method: str, path: str, token: str, payload: BaseModel | None) -> Any:
        content = payload.model_dump_json().encode() if payload is not None else None
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            # asyncio.timeout as well as httpx's: an in-process (ASGI) transport has no timeouts.
            async with asyncio.timeout(self._timeout):
                response = await self._client.request(method, path, content=content, headers=headers)
        except TimeoutError as exc:
            raise OndocTransientError(f"ONDOC did not answer within {self._timeout:g} s") from exc
        except httpx.TimeoutException as exc:
            raise OndocTransientError(f"ONDOC did not answer in time ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise OndocTransientError(f"ONDOC is unreachable ({type(exc).__name__})") from exc
        except OutboundRefused as exc:
            # The settings point where the platform must not connect: only new settings help.
            raise OndocPermanentError(f"the ONDOC server address was {exc}") from exc
        if response.status_code >= 300:
            raise error_for_status(response.status_code, f"ONDOC answered {response.status_code}: {_reason(response)}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return None


class OndocClients:
    """Builds adapters from the current settings; keeps one HTTP client per server URL.

    A real server is called through the outbound address policy (`clinic_shared.outbound`):
    each connection goes to an address checked right before it, so a server URL naming a
    loopback or private address (or a name resolving to one) fails as `OndocPermanentError`
    unless `allow_private`. The in-process fake (`FAKE_SERVER_URL`) is no network address.
    """

    def __init__(
        self,
        *,
        timeout: float,
        fake_transport: httpx.AsyncBaseTransport | None = None,
        allow_private: bool = False,
    ) -> None:
        self._timeout = timeout
        self._fake_transport = fake_transport
        self._allow_private = allow_private
        self._clients: dict[str, httpx.AsyncClient] = {}

    def adapter(self, connection: Connection) -> HttpOndocAdapter:
        """An adapter for `connection`; raises `OndocNotConfigured` when it lacks something."""
        server_url, _, _ = connection.require()
        client = self._clients.get(server_url)
        if client is None:
            if server_url == FAKE_SERVER_URL:
                if self._fake_transport is None:
                    raise OndocPermanentError(FAKE_NOT_RUNNING)
                transport: httpx.AsyncBaseTransport = self._fake_transport
            else:
                transport = guarded_transport(allow_private=self._allow_private)
            # No transport-level retries: the outbound queue retries with backoff itself.
            client = make_client(server_url.rstrip("/"), timeout=self._timeout, retries=0, transport=transport)
            self._clients[server_url] = client
        return HttpOndocAdapter(client, connection, timeout=self._timeout)

    async def aclose(self) -> None:
        """Close every HTTP client."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


def _segment(value: str) -> str:
    return quote(value, safe="")


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "no reason given"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])[:300]
    return response.reason_phrase or "no reason given"
