"""What can go wrong when we call ONDOC, split the way the outbound queue needs it."""

from __future__ import annotations


class OndocError(Exception):
    """A call to ONDOC failed."""

    transient: bool = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class OndocTransientError(OndocError):
    """Worth retrying: ONDOC is down, answered 5xx/408/429, or did not answer in time."""

    transient = True


class OndocPermanentError(OndocError):
    """Retrying the same request will not help: ONDOC refused it (4xx)."""

    transient = False


class OndocNotConfigured(OndocPermanentError):
    """The settings lack a server URL or a token."""


# 408 and 429 are 4xx but say "later", not "never".
TRANSIENT_STATUSES = frozenset({408, 425, 429})


def error_for_status(status: int, message: str) -> OndocError:
    """The error class of an ONDOC answer that is not 2xx."""
    if status >= 500 or status in TRANSIENT_STATUSES:
        return OndocTransientError(message, status=status)
    return OndocPermanentError(message, status=status)
