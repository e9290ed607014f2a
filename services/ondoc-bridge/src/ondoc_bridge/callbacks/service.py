"""Receiving a callback: integration switched on → signature → callback id → replay or handle.

The signature is checked on the raw bytes before any parsing. The first answer to a callback
id is stored with the effects it caused, in one transaction, and a repeat of the id gets that
same answer back (`X-Ondoc-Replayed: true`) without doing anything again. A repeat of the id
with another body is refused (409). Answers 5xx are not stored: ONDOC retries them.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ClinicError, Conflict, ServiceUnavailable, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.callbacks import handlers
from ondoc_bridge.callbacks.models import PROCESSING, CallbackRecord
from ondoc_bridge.callbacks.repository import CallbackRepository
from ondoc_bridge.callbacks.signature import SignatureError, verify
from ondoc_bridge.config import service as config_service
from ondoc_bridge.errors import SignatureRejected
from ondoc_bridge.ondoc.contract import (
    CALLBACK_ID_HEADER,
    CALLBACK_MODELS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)
from ondoc_bridge.problem_types import CALLBACK_ID_REUSED, CALLBACK_IN_PROGRESS

log = get_logger(__name__)
_CALLBACK_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,100}$")

Handler = Callable[[AsyncSession, ServiceRuntime, Any, str, datetime], Awaitable[tuple[int, dict[str, Any]]]]
HANDLERS: dict[str, Handler] = {
    "attach": handlers.attach,
    "detach": handlers.detach,
    "book": handlers.book,
    "cancel": handlers.cancel,
}


@dataclass(frozen=True)
class CallbackAnswer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


async def receive(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    kind: str,
    raw_body: bytes,
    headers: Mapping[str, str],
    tolerance_seconds: int,
    now: datetime,
    instance: str,
) -> CallbackAnswer:
    """Authenticate, de-duplicate and handle one callback."""
    config = await config_service.load(session)
    if not config.enabled:
        raise ServiceUnavailable("The ONDOC integration is switched off in the clinic's settings; try again later.")
    try:
        verify(
            timestamp=headers.get(TIMESTAMP_HEADER),
            signature=headers.get(SIGNATURE_HEADER),
            callback_id=headers.get(CALLBACK_ID_HEADER),
            body=raw_body,
            secrets=config.callback_secrets or [],
            now=time.time(),
            tolerance_seconds=tolerance_seconds,
        )
    except SignatureError as exc:
        log.warning("ondoc.callback.signature_rejected", kind=kind, reason=str(exc))
        raise SignatureRejected(f"Callback rejected: {exc}.") from exc
    callback_id = headers.get(CALLBACK_ID_HEADER) or ""
    if not _CALLBACK_ID.match(callback_id):
        raise ValidationFailed.field(
            CALLBACK_ID_HEADER, "required: 1–100 characters of letters, digits, . _ : -", "invalid_callback_id"
        )
    digest = hashlib.sha256(raw_body).hexdigest()
    repository = CallbackRepository(session)
    stored = await repository.find(callback_id)
    if stored is not None:
        return _replay(stored, kind=kind, digest=digest)
    payload = parse_body(kind, raw_body)
    if not await repository.claim(callback_id=callback_id, kind=kind, body_sha256=digest, now=now):
        # A concurrent delivery of the same id got there first.
        stored = await repository.find(callback_id)
        if stored is None or stored.status_code == PROCESSING:
            raise Conflict(
                "This callback is being handled right now; repeat it later to get its answer.",
                code=CALLBACK_IN_PROGRESS,
            )
        return _replay(stored, kind=kind, digest=digest)
    try:
        # A savepoint: a refused callback leaves no half-done change, but its answer is kept.
        async with session.begin_nested():
            status, body = await HANDLERS[kind](session, runtime, payload, callback_id, now)
    except ClinicError as exc:
        if exc.status >= 500:
            raise
        status, body = exc.status, exc.to_problem(instance)
    record = await repository.find(callback_id)
    assert record is not None
    record.status_code = status
    record.response = body
    await session.flush()
    log.info("ondoc.callback.handled", kind=kind, callback_id=callback_id, status=status)
    return CallbackAnswer(status, body)


def parse_body(kind: str, raw_body: bytes) -> BaseModel:
    """The callback's JSON as its contract model; 422 naming the fields otherwise."""
    try:
        data = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed.field("body", "request body is not valid JSON", "json_invalid") from exc
    try:
        return CALLBACK_MODELS[kind].model_validate(data)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in error["loc"]) or "body", "message": error["msg"]}
            for error in exc.errors(include_input=False)
        ]
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise ValidationFailed(f"Invalid callback body: {fields}", errors=errors) from exc


def _replay(stored: CallbackRecord, *, kind: str, digest: str) -> CallbackAnswer:
    if stored.kind != kind or stored.body_sha256 != digest:
        raise Conflict("This callback id was already used for a different callback.", code=CALLBACK_ID_REUSED)
    if stored.status_code == PROCESSING:
        raise Conflict(
            "This callback is being handled right now; repeat it later to get its answer.", code=CALLBACK_IN_PROGRESS
        )
    log.info("ondoc.callback.replayed", kind=kind, callback_id=stored.callback_id)
    return CallbackAnswer(stored.status_code, stored.response, replayed=True)
