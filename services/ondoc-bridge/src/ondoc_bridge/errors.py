"""Errors of the bridge that the shared catalogue has no class for."""

from __future__ import annotations

from clinic_shared.errors import ClinicError, Conflict
from ondoc_bridge.problem_types import ONDOC_DISABLED, ONDOC_REJECTED, SIGNATURE_REJECTED


class IntegrationDisabled(Conflict):
    """The ONDOC integration is switched off (or not configured) in the settings."""

    title, code = "ONDOC integration is disabled", ONDOC_DISABLED


class OndocRejected(ClinicError):
    """ONDOC did not accept what we sent (it is down, or refused it)."""

    status, title, code = 502, "ONDOC did not accept the request", ONDOC_REJECTED


class SignatureRejected(ClinicError):
    """A callback whose signature, timestamp or headers do not check out."""

    status, title, code = 401, "Callback signature rejected", SIGNATURE_REJECTED
