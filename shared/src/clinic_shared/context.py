"""Per-request and per-message context (request id, correlation id, acting user)."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str:
    """The correlation id of the work in progress, or a fresh one."""
    return correlation_id_var.get() or request_id_var.get() or new_id()
