"""Structured JSON logging with request/correlation/trace ids and masking of personal data.

Every log line goes through `mask_personal_data`, so a name, phone, e-mail or birth date
passed by mistake under a known key, or an e-mail/phone number inside a message, never
reaches the log in clear.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

from clinic_shared.context import correlation_id_var, request_id_var
from clinic_shared.tracing import add_trace_ids

# Keys whose values are personal data (or secrets) wherever they appear in an event dict.
PERSONAL_KEYS = frozenset(
    {
        "last_name",
        "first_name",
        "middle_name",
        "full_name",
        "patient_name",
        "fio",
        "phone",
        "phones",
        "mobile_phone",
        "other_phones",
        "email",
        "birth_date",
        "birthday",
        "address",
        "passport",
        "snils",
        "note",
    }
)
SECRET_KEYS = frozenset(
    {"password", "token", "access_token", "secret", "authorization", "api_key", "psw", "jwt", "cookie"}
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits, possibly split by spaces, dashes, dots or brackets: a phone number.
_PHONE = re.compile(r"(?<![\w.-])\+?\d[\d\s().-]{5,}\d(?![\w])")
_SQL_PARAMS = re.compile(r"\[parameters: .*?\]", re.DOTALL)
_DIGIT = re.compile(r"\d")


# UUIDs and ISO dates/timestamps are not personal data but look like digit runs: keep them.
_SAFE_SPANS = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def _mask_string(value: str) -> str:
    # Cheap tests first: most values (event names, ids, statuses) hold no "@", no statement
    # parameters and no digit, and each pattern costs tens of µs on a long word-like string.
    if "[parameters: " in value:
        value = _SQL_PARAMS.sub("[parameters: ***]", value)
    if "@" in value:
        value = _EMAIL.sub("***@***", value)
    if not _DIGIT.search(value):
        return value
    parts: list[str] = []
    last = 0
    for safe in _SAFE_SPANS.finditer(value):
        parts.append(_PHONE.sub(_mask_phone_match, value[last : safe.start()]))
        parts.append(safe.group(0))
        last = safe.end()
    parts.append(_PHONE.sub(_mask_phone_match, value[last:]))
    return "".join(parts)


def _mask_phone_match(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    # Leave ISO dates/times, UUID fragments and short numbers alone: they are not phones.
    if len(digits) < 7 or re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text):
        return text
    return "***" + digits[-2:]


def _mask_value(key: str, value: Any) -> Any:
    lowered = key.lower()
    if lowered in SECRET_KEYS:
        return "***"
    if lowered in PERSONAL_KEYS:
        if value is None or value == "":
            return value
        return "***"
    return _mask_any(value)


def _mask_any(value: Any) -> Any:
    if isinstance(value, str):
        return _mask_string(value)
    if isinstance(value, Mapping):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_mask_any(v) for v in value]
    return value


def mask_personal_data(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: mask personal data and secrets in every field."""
    return {key: _mask_value(key, value) for key, value in event_dict.items()}


def _add_context_ids(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    if (request_id := request_id_var.get()) and "request_id" not in event_dict:
        event_dict["request_id"] = request_id
    if (correlation_id := correlation_id_var.get()) and "correlation_id" not in event_dict:
        event_dict["correlation_id"] = correlation_id
    return event_dict


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route structlog and the standard library (uvicorn, sqlalchemy, aio-pika) to one masked stream."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_context_ids,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        mask_personal_data,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared[:-2],
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared[:-2],
        processors=[
            structlog.processors.format_exc_info,
            mask_personal_data,
            # After the masking: our own hex ids (a caller's traceparent is parsed strictly), and
            # the masking's patterns cost ~20 µs on a 32-character id.
            add_trace_ids,
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_clinic", False):
            root.removeHandler(existing)
    handler._clinic = True  # type: ignore[attr-defined]  # our mark on the handler we install, to find it again
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's access log prints query strings (names, phones): we log requests ourselves.
    logging.getLogger("uvicorn.access").disabled = True
    # Libraries that log statements, parameters or bodies at DEBUG: never below WARNING.
    for noisy in (
        "aiormq",
        "aio_pika",
        "aiosqlite",
        "asyncpg",
        "sqlalchemy",
        "httpx",
        "httpcore",
        "asyncio",
        "multipart",
        "python_multipart",
        "aiosmtplib",
        "mail.log",
        "openpyxl",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
