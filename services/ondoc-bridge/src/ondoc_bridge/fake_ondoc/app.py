"""The fake ONDOC's API: the endpoints of services/ondoc-bridge/docs/ondoc-contract.md, plus /_control for tests."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ondoc_bridge.fake_ondoc.control import router as control_router
from ondoc_bridge.fake_ondoc.state import FailureMode, FakeConfig, FakeOndoc
from ondoc_bridge.ondoc.contract import (
    DIRECTORY_KINDS,
    AppointmentUpsert,
    AppointmentUpsertAnswer,
    DirectoryUpload,
    FreeSlotsUpload,
    PatientDetach,
)

api = APIRouter(prefix="/api")


class FakeError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def fake_of(request: Request) -> FakeOndoc:
    """The fake's state, from the app."""
    return request.app.state.fake


Fake = Annotated[FakeOndoc, Depends(fake_of)]


def _token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:] if header.lower().startswith("bearer ") else ""


async def _enter(request: Request, fake: FakeOndoc, expected: str) -> FailureMode | None:
    """Count the call, check the token, play the failure a test asked for."""
    fake.calls += 1
    if _token(request) != expected:
        fake.failed_calls += 1
        raise FakeError(401, "unauthorized", "invalid access token for this API")
    mode = fake.failure.take()
    if mode == "error":
        fake.failed_calls += 1
        raise FakeError(500, "internal_error", "ONDOC is having a bad day")
    if mode == "timeout":
        fake.failed_calls += 1
        await asyncio.sleep(fake.config.hang_seconds)
        raise FakeError(504, "timeout", "gave up")
    return mode


async def _leave(fake: FakeOndoc, mode: FailureMode | None) -> None:
    if mode == "apply_then_timeout":
        fake.failed_calls += 1
        await asyncio.sleep(fake.config.hang_seconds)


async def company(request: Request, fake: Fake) -> FailureMode | None:
    """ "Old API": the company token."""
    return await _enter(request, fake, fake.config.company_token)


async def branch(request: Request, fake: Fake) -> FailureMode | None:
    """ "New API": the branch token."""
    return await _enter(request, fake, fake.config.branch_token)


CompanyCall = Annotated[FailureMode | None, Depends(company)]
BranchCall = Annotated[FailureMode | None, Depends(branch)]


@api.put("/v2/appointments/{mis_id}")
async def upsert_appointment(
    mis_id: uuid.UUID, body: AppointmentUpsert, fake: Fake, mode: BranchCall
) -> AppointmentUpsertAnswer:
    """Create/update/cancel/re-activate by our id; versions not above the stored one are ignored."""
    if body.mis_id != mis_id:
        raise FakeError(400, "id_mismatch", "mis_id in the path and the body differ")
    applied, version = fake.upsert_appointment(body)
    await _leave(fake, mode)
    return AppointmentUpsertAnswer(applied=applied, version=version)


@api.get("/v2/appointments/{mis_id}")
async def read_appointment(mis_id: uuid.UUID, fake: Fake, mode: BranchCall) -> dict[str, Any]:
    """The appointment as the fake holds it."""
    known = fake.appointments.get(str(mis_id))
    if known is None:
        raise FakeError(404, "not_found", "no such appointment")
    return {"version": known.version, **known.current}


@api.put("/v2/free-slots")
async def upload_free_slots(body: FreeSlotsUpload, fake: Fake, mode: BranchCall) -> dict[str, Any]:
    """Replace the free slots."""
    fake.free_slots = body.model_dump(mode="json")
    await _leave(fake, mode)
    return {"accepted": len(body.items)}


@api.get("/v2/free-slots")
async def latest_free_slots(fake: Fake, mode: BranchCall) -> dict[str, Any]:
    """The latest free-slot upload."""
    if fake.free_slots is None:
        raise FakeError(404, "not_found", "nothing uploaded yet")
    return fake.free_slots


@api.put("/v1/directories/{kind}")
async def upload_directory(kind: str, body: DirectoryUpload, fake: Fake, mode: CompanyCall) -> dict[str, Any]:
    """Replace one directory."""
    if kind not in DIRECTORY_KINDS:
        raise FakeError(404, "unknown_directory", f"no directory {kind}")
    fake.directories[kind] = body.model_dump(mode="json")
    await _leave(fake, mode)
    return {"accepted": len(body.items)}


@api.get("/v1/directories/{kind}")
async def request_data(kind: str, fake: Fake, mode: CompanyCall) -> dict[str, Any]:
    """ONDOC's "request data" (Запросить данные): the latest upload of a directory."""
    if kind not in fake.directories:
        raise FakeError(404, "not_found", "nothing uploaded yet")
    return fake.directories[kind]


@api.post("/v1/patients/{ondoc_patient_id}/detach")
async def detach_patient(ondoc_patient_id: str, body: PatientDetach, fake: Fake, mode: CompanyCall) -> dict[str, Any]:
    """Detach a patient from the clinic."""
    fake.detach(ondoc_patient_id, body.reason)
    await _leave(fake, mode)
    return {"detached": True}


def create_fake_app(
    config: FakeConfig | None = None, *, callback_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """The fake ONDOC. `callback_transport` sends its callbacks in-process (embedded mode)."""
    app = FastAPI(
        title="Fake ONDOC", description="Implements services/ondoc-bridge/docs/ondoc-contract.md; state in memory."
    )
    app.state.fake = FakeOndoc(config=config or FakeConfig())
    app.state.callback_transport = callback_transport

    @app.exception_handler(FakeError)
    async def _fake_error(_request: Request, exc: FakeError) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})
        message = "invalid request: " + ", ".join(fields)
        return JSONResponse({"error": {"code": "invalid", "message": message}}, status_code=422)

    app.include_router(api)
    app.include_router(control_router)
    return app
