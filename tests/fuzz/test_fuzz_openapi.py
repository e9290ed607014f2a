"""schemathesis against every operation of the merged OpenAPI, through the gateway, as admin.

Zero undeclared 5xx, and every response in its declared content type and schema, for valid
and invalid (negative) input alike. The only 5xx an operation may answer is one it declares
itself (the ONDOC callbacks' 503 while the integration is switched off, which ONDOC retries).
Knobs (environment):
- `CLINIC_FUZZ_EXAMPLES`: generated examples per operation (default 12: a CI pass of a few
  minutes at `-n 2`; raise it for a deeper hunt);
- `CLINIC_FUZZ_COVERAGE=1`: add schemathesis' coverage phase (every boundary and type
  violation of every parameter, deterministic: 100-300 calls per operation, ~20 minutes).
Nothing is excluded: no operation's effect makes fuzzing it meaningless (users the fuzzer makes
or deletes are its own). The one operation that ends the caller's own session, logout, is sent
with a session of its own, so the admin's token stays valid for the rest.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from clinic_shared.testing.served import ServedPlatform, merged_openapi_offline

EXAMPLES = int(os.environ.get("CLINIC_FUZZ_EXAMPLES", "12"))
COVERAGE = os.environ.get("CLINIC_FUZZ_COVERAGE", "0") not in ("0", "", "false")


@schemathesis.check
def no_undeclared_server_error(ctx, response, case) -> bool | None:  # type: ignore[no-untyped-def]
    """A 5xx passes only when the operation itself declares that status (not via `default`)."""
    declared = case.operation.definition.raw.get("responses", {})
    if response.status_code >= 500 and str(response.status_code) not in declared:
        raise AssertionError(f"{response.status_code} server error: {response.text[:500]}")
    return None


CHECKS = [no_undeclared_server_error, response_schema_conformance, content_type_conformance]
config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
schema = schemathesis.openapi.from_dict(merged_openapi_offline(), config=config)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_never_fails_on_the_server_nor_breaks_its_schema(case, served_platform: ServedPlatform) -> None:
    headers = served_platform.admin_headers
    if case.operation.path == "/api/auth/logout":
        headers = served_platform.login("admin", served_platform.admin_password)
    case.call_and_validate(base_url=served_platform.base_url, headers=headers, checks=CHECKS, timeout=60)
