"""Errors of the bridge that the shared catalogue has no class for."""

from __future__ import annotations

from clinic_shared.errors import ClinicError, Conflict


class IntegrationDisabled(Conflict):
    """The ONDOC integration is switched off (or not configured) in the settings."""

    title = "ONDOC integration is disabled"


class OndocRejected(ClinicError):
    """ONDOC did not accept what we sent (it is down, or refused it)."""

    status, title = 502, "ONDOC did not accept the request"


class SignatureRejected(ClinicError):
    """A callback whose signature, timestamp or headers do not check out."""

    status, title = 401, "Callback signature rejected"
