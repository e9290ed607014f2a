"""/_control: what a test or a front-end developer does to the fake ONDOC — look at its state,
make it fail for a while, and play a patient in ONDOC (signed callbacks to the bridge)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from typing import Any, Literal

import httpx
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from ondoc_bridge.callbacks.signature import sign
from ondoc_bridge.fake_ondoc.state import Failure, FakeOndoc
from ondoc_bridge.ondoc.contract import CALLBACK_ID_HEADER, REPLAY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER

router = APIRouter(prefix="/_control", tags=["fake ONDOC control"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FailRequest(_Body):
    mode: Literal["error", "timeout", "apply_then_timeout", "off"]
    count: int | None = Field(default=None, ge=1)
    seconds: float | None = Field(default=None, gt=0)


class ConfigRequest(_Body):
    company_token: str | None = None
    branch_token: str | None = None
    callback_url: str | None = None
    callback_secret: str | None = None
    hang_seconds: float | None = Field(default=None, gt=0)


class _Callback(_Body):
    callback_id: str | None = Field(default=None, description="reuse one to replay a callback")


class AttachRequest(_Callback):
    code: str
    ondoc_patient_id: str = Field(default_factory=lambda: f"ondoc-{uuid.uuid4().hex[:12]}")


class DetachRequest(_Callback):
    ondoc_patient_id: str
    initiator: Literal["patient", "clinic", "ondoc"] = "patient"
    reason: str | None = None


class BookRequest(_Callback):
    ondoc_patient_id: str
    ondoc_appointment_id: str = Field(default_factory=lambda: f"ondoc-appt-{uuid.uuid4().hex[:12]}")
    doctor_mis_id: uuid.UUID | None = None
    doctor_ondoc_id: str | None = None
    service_mis_id: uuid.UUID | None = None
    service_ondoc_id: str | None = None
    start: datetime
    end: datetime | None = None
    duration_minutes: int | None = None
    comment: str | None = None


class CancelRequest(_Callback):
    ondoc_patient_id: str
    mis_appointment_id: uuid.UUID | None = None
    ondoc_appointment_id: str | None = None
    reason: str | None = None


def _fake(request: Request) -> FakeOndoc:
    return request.app.state.fake


@router.get("/state")
async def state(request: Request) -> dict[str, Any]:
    """Everything the fake holds: appointments (with the versions applied), patients, uploads."""
    return _fake(request).snapshot()


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    """Forget everything and stop failing."""
    _fake(request).reset()
    return _fake(request).snapshot()


@router.post("/fail")
async def fail(body: FailRequest, request: Request) -> dict[str, Any]:
    """Fail the next `count` calls, or for `seconds` (mode "off" stops failing)."""
    fake = _fake(request)
    if body.mode == "off":
        fake.failure = Failure()
    else:
        until = time.monotonic() + body.seconds if body.seconds else None
        remaining = body.count if body.count else (None if until else 1)
        fake.failure = Failure(mode=body.mode, remaining=remaining, until=until)
    return fake.failure.describe()


@router.post("/config")
async def configure(body: ConfigRequest, request: Request) -> dict[str, Any]:
    """Change the tokens it accepts, where callbacks go and the secret that signs them."""
    config = _fake(request).config
    for name, value in body.model_dump(exclude_none=True).items():
        setattr(config, name, value)
    return {"callback_url": config.callback_url, "hang_seconds": config.hang_seconds}


@router.post("/attach")
async def attach(body: AttachRequest, request: Request) -> dict[str, Any]:
    """A patient types the code in ONDOC."""
    answer = await send_callback(request, "attach", body)
    if answer["status"] == 200:
        _fake(request).attach(body.ondoc_patient_id, answer["body"].get("patient_id"))
    return {**answer, "ondoc_patient_id": body.ondoc_patient_id}


@router.post("/detach")
async def detach(body: DetachRequest, request: Request) -> dict[str, Any]:
    """A patient (or staff) detaches in ONDOC."""
    answer = await send_callback(request, "detach", body)
    if answer["status"] == 200:
        _fake(request).detach(body.ondoc_patient_id, body.reason)
    return answer


@router.post("/book")
async def book(body: BookRequest, request: Request) -> dict[str, Any]:
    """A patient books a free slot in ONDOC."""
    return {**await send_callback(request, "book", body), "ondoc_appointment_id": body.ondoc_appointment_id}


@router.post("/cancel")
async def cancel(body: CancelRequest, request: Request) -> dict[str, Any]:
    """A patient cancels an appointment in ONDOC."""
    return await send_callback(request, "cancel", body)


async def send_callback(request: Request, kind: str, body: _Callback) -> dict[str, Any]:
    """Sign the callback as ONDOC would and send it to the bridge; return its answer."""
    fake = _fake(request)
    callback_id = body.callback_id or f"cb-{uuid.uuid4().hex}"
    payload = body.model_dump(mode="json", exclude={"callback_id"}, exclude_none=True)
    raw = json.dumps(payload).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(fake.config.callback_secret, timestamp, callback_id, raw),
        CALLBACK_ID_HEADER: callback_id,
    }
    transport = request.app.state.callback_transport
    try:
        async with httpx.AsyncClient(transport=transport, timeout=30) as client:
            response = await client.post(f"{fake.config.callback_url.rstrip('/')}/{kind}", content=raw, headers=headers)
    except httpx.HTTPError as exc:
        raise HTTPException(502, f"the bridge is unreachable at {fake.config.callback_url}: {exc}") from exc
    try:
        answer: Any = response.json()
    except ValueError:
        answer = {"text": response.text}
    return {
        "status": response.status_code,
        "body": answer,
        "callback_id": callback_id,
        "replayed": response.headers.get(REPLAY_HEADER) == "true",
    }
