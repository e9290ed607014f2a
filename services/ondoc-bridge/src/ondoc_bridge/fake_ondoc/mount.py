"""The in-process fake ONDOC as the bridge mounts it (embedded mode): staff only, but for ONDOC's API.

Mounted in the bridge, the fake is reachable through the gateway at `/api/ondoc/fake-ondoc/…`.
Its `/_control` endpoints play ONDOC's patients (they send validly signed callbacks), change the
tokens it accepts and show everything it holds, and its `/docs` describe them: through the
gateway they need a staff token with `ondoc.settings`, checked with the bridge's own token
verifier. ONDOC's own API (`/api/v1`, `/api/v2`: what the bridge calls, in-process, without this
mount) keeps the bearer tokens ONDOC itself would ask for. The standalone fake
(`python -m ondoc_bridge.fake_ondoc`, `make up`'s process on :8090) is not wrapped: it is a
developer's and the tests' tool on their own machine.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from clinic_shared.auth import TokenVerifier
from clinic_shared.errors import ClinicError, Forbidden, Unauthorized, problem_response

# ONDOC's own API, as the fake serves it (fake_ondoc/app.py `api`).
ONDOC_API_PREFIX = "/api/"


class StaffOnlyControl:
    """ASGI wrapper: anything but ONDOC's own API answers 401/403 problem details without a
    valid staff token holding `right`."""

    def __init__(self, app: ASGIApp, *, verifier: Callable[[], TokenVerifier | None], right: str) -> None:
        self.app = app
        self.verifier = verifier
        self.right = right

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _route_path(scope).startswith(ONDOC_API_PREFIX):
            await self.app(scope, receive, send)
            return
        try:
            self._check(scope)
        except ClinicError as exc:
            await problem_response(exc.to_problem(scope["path"]))(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope) -> None:
        """Raise `Unauthorized`/`Forbidden` unless the bearer token is valid and holds the right."""
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("A bearer token is required for the fake ONDOC's control endpoints.")
        verifier = self.verifier()
        if verifier is None:
            raise Unauthorized("This service cannot verify tokens (no public key configured).")
        principal = verifier.verify(token.strip())
        if not principal.has(self.right):
            raise Forbidden(f"The right '{self.right}' is required.", missing_right=self.right)


def _route_path(scope: Scope) -> str:
    """The path inside the mount (Starlette keeps the full path and moves the prefix to root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
