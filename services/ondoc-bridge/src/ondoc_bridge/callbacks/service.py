"""Receiving a callback: integration switched on → signature → callback id → replay or handle.

The signature is checked on the raw bytes before any parsing. The first answer to a callback
id is stored, and a repeat of the id gets that same answer back (`X-Ondoc-Replayed: true`)
without doing anything again. A repeat of the id with another body is refused (409). Answers
5xx are not stored: ONDOC retries them.

A callback that changes only our own tables (attach, detach) is claimed, handled and answered
in one transaction. One that calls scheduling (book, cancel) is not: a short transaction claims
it (status 0) and commits; scheduling is called with no transaction open; a second short one
keeps the answer. A repeat meanwhile is told the callback is in progress (409); a claim left by
a delivery that died is taken over by a repeat once it is older than the lease
(callbacks/claims.py), and a booking sent again carries the same Idempotency-Key.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ClinicError, Conflict, ServiceUnavailable, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.callbacks import handlers
from ondoc_bridge.callbacks.claims import abandoned_before, claim_lease
from ondoc_bridge.callbacks.handlers import Answer, Outside
from ondoc_bridge.callbacks.models import PROCESSING
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
R = TypeVar("R")

Handler = Callable[[AsyncSession, ServiceRuntime, Any, str, datetime], Awaitable[Answer | Outside[Any]]]
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


@dataclass(frozen=True)
class _Claimed:
    """A callback this delivery holds the claim of, with its parsed body."""

    callback_id: str
    payload: BaseModel


async def receive(
    runtime: ServiceRuntime,
    *,
    kind: str,
    raw_body: bytes,
    headers: Mapping[str, str],
    tolerance_seconds: int,
    now: datetime,
    instance: str,
) -> CallbackAnswer:
    """Authenticate, de-duplicate and handle one callback (each step in its own unit of work)."""
    lease = claim_lease(runtime.settings.http_timeout_seconds, runtime.settings.http_retries)
    async with runtime.db.session() as session:
        claimed = await _claim(
            session,
            kind=kind,
            raw_body=raw_body,
            headers=headers,
            tolerance_seconds=tolerance_seconds,
            now=now,
            lease=lease,
        )
        if isinstance(claimed, CallbackAnswer):
            return claimed
        step = await _answer_of(
            lambda: HANDLERS[kind](session, runtime, claimed.payload, claimed.callback_id, now), session, instance
        )
        if not isinstance(step, Outside):
            return await _keep(session, kind=kind, callback_id=claimed.callback_id, answer=step)
    # The claim is committed: nothing of ours is held while the other service works.
    try:
        result = await step.call()
    except ClinicError as exc:
        if exc.status >= 500:
            await _release(runtime, claimed.callback_id)
            raise
        async with runtime.db.session() as session:
            return await _keep(
                session, kind=kind, callback_id=claimed.callback_id, answer=(exc.status, exc.to_problem(instance))
            )
    except Exception:
        await _release(runtime, claimed.callback_id)
        raise
    async with runtime.db.session() as session:
        answer = await _answer_of(lambda: step.record(session, result, now), session, instance)
        return await _keep(session, kind=kind, callback_id=claimed.callback_id, answer=answer)


async def _claim(
    session: AsyncSession,
    *,
    kind: str,
    raw_body: bytes,
    headers: Mapping[str, str],
    tolerance_seconds: int,
    now: datetime,
    lease: timedelta,
) -> _Claimed | CallbackAnswer:
    """Check the callback and claim it for this delivery; the stored answer of a repeat instead."""
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
    if stored is None:
        payload = parse_body(kind, raw_body)
        if await repository.claim(callback_id=callback_id, kind=kind, body_sha256=digest, now=now):
            return _Claimed(callback_id, payload)
        # A concurrent delivery of the same id got there first.
        stored = await repository.find(callback_id)
        if stored is None:
            raise _in_progress()
    if stored.kind != kind or stored.body_sha256 != digest:
        raise Conflict("This callback id was already used for a different callback.", code=CALLBACK_ID_REUSED)
    if stored.status_code != PROCESSING:
        log.info("ondoc.callback.replayed", kind=kind, callback_id=stored.callback_id)
        return CallbackAnswer(stored.status_code, stored.response, replayed=True)
    if not await repository.take_over(callback_id=callback_id, claimed_before=abandoned_before(now, lease), now=now):
        raise _in_progress()
    log.warning("ondoc.callback.claim_taken_over", kind=kind, callback_id=callback_id)
    return _Claimed(callback_id, parse_body(kind, raw_body))


async def _answer_of(work: Callable[[], Awaitable[R]], session: AsyncSession, instance: str) -> R | Answer:
    """Run a handler's step; a refusal under 500 is its answer, and leaves no half-done change
    (a savepoint); 5xx and anything else is raised."""
    try:
        async with session.begin_nested():
            return await work()
    except ClinicError as exc:
        if exc.status >= 500:
            raise
        return exc.status, exc.to_problem(instance)


async def _keep(session: AsyncSession, *, kind: str, callback_id: str, answer: Answer) -> CallbackAnswer:
    """Store the answer on the claim; the stored one when a repeat that took the claim over
    answered first."""
    status, body = answer
    repository = CallbackRepository(session)
    if not await repository.finish(callback_id=callback_id, status=status, response=body):
        stored = await repository.find(callback_id)
        if stored is not None and stored.status_code != PROCESSING:
            return CallbackAnswer(stored.status_code, stored.response)
    log.info("ondoc.callback.handled", kind=kind, callback_id=callback_id, status=status)
    return CallbackAnswer(status, body)


async def _release(runtime: ServiceRuntime, callback_id: str) -> None:
    """Forget the claim of work that failed (5xx); if even that fails, the lease frees it."""
    try:
        async with runtime.db.session() as session:
            await CallbackRepository(session).release(callback_id)
    except Exception as exc:
        log.warning("ondoc.callback.release_failed", callback_id=callback_id, error=type(exc).__name__)


def _in_progress() -> Conflict:
    return Conflict(
        "This callback is being handled right now; repeat it later to get its answer.", code=CALLBACK_IN_PROGRESS
    )


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
