"""What the gateway knows of a request before it reads the body: who may send it and how big.

Every proxied route needs a valid bearer token, except the few public ones below, which
authenticate otherwise (the widget by its `X-Api-Key`, ONDOC by its signature; the services
check those). The gateway refuses a request without a valid token before reading its body, so
an anonymous caller can make it read no more than a public route's small limit.

Uploads (Excel and CSV imports) may be large; every other body is JSON or a small form.
`tests/security/test_security_walk.py::test_the_gateway_knows_each_operations_access_and_body_limit_before_reading_it`
checks both tables against the merged OpenAPI document: a new public or upload operation fails
that test until it is listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Access(Enum):
    OPEN = "open"  # the gateway's own unauthenticated pages: health, docs, metrics, login
    WIDGET = "widget"  # the public online-booking API (X-Api-Key), rate limited per key and client
    SIGNED = "signed"  # callbacks signed by a partner (ONDOC)
    TOKEN = "token"  # everything else: a valid bearer token first


@dataclass(frozen=True)
class Route:
    access: Access
    upload: bool = False


def _table(*rows: tuple[str, str]) -> re.Pattern[str]:
    """One pattern over "METHOD /path" for rows of (method, path regex)."""
    return re.compile("|".join(f"(?:(?:{method}) (?:{path}))" for method, path in rows))


OPEN = _table(
    ("(?:GET|HEAD)", r"/api/health|/health|/metrics|/api/openapi\.json|/api/docs|/api/redoc|/api/docs/assets/[\w.-]+"),
    ("POST", r"/api/auth/(?:token|refresh|logout)"),
)
WIDGET = _table(
    ("GET", r"/api/scheduling/online/(?:doctors|services|free-slots)"),
    ("POST", r"/api/scheduling/online/appointments"),
    ("DELETE", r"/api/scheduling/online/appointments/[^/]+"),
)
# Of the widget's routes, those that change something (a tighter limit per client).
WIDGET_WRITES = _table(("POST|DELETE", r"/api/scheduling/online/appointments(?:/[^/]+)?"))
SIGNED = _table(("POST", r"/api/ondoc/callbacks/[^/]+"))
UPLOADS = _table(
    ("POST", r"/api/profexam/exams/[^/]+/imports"),
    ("POST", r"/api/profexam/exams/[^/]+/calculations/imports"),
    ("POST", r"/api/lab/labs/[^/]+/catalogue"),
)


def classify(method: str, path: str) -> Route:
    """The access rule and body limit of a request line."""
    line = f"{method} {path.rstrip('/') or '/'}"
    if method == "OPTIONS" or OPEN.fullmatch(line):  # OPTIONS: CORS preflights carry no token
        return Route(Access.OPEN)
    if not path.startswith("/api/"):
        return Route(Access.OPEN)  # not the API: answered by the gateway itself (404 today)
    if WIDGET.fullmatch(line):
        return Route(Access.WIDGET)
    if SIGNED.fullmatch(line):
        return Route(Access.SIGNED)
    return Route(Access.TOKEN, upload=bool(UPLOADS.fullmatch(line)))


def is_widget_write(method: str, path: str) -> bool:
    return bool(WIDGET_WRITES.fullmatch(f"{method} {path.rstrip('/')}"))
