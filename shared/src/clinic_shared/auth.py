"""Token verification and rights checks. Only the gateway issues tokens; every service verifies them.

Tokens are JWTs signed with the gateway's Ed25519 key (algorithm pinned to EdDSA), carrying
`sub`, `username`, `rights`, `iss`, `aud`, `iat` and `exp`. A route declares the right it
needs with `Depends(require("patients.write"))`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clinic_shared.errors import Forbidden, Unauthorized

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: uuid.UUID
    username: str
    rights: frozenset[str] = field(default_factory=frozenset)
    claims: dict[str, Any] = field(default_factory=dict)

    def has(self, right: str) -> bool:
        return has_right(self.rights, right)


def has_right(granted: frozenset[str] | set[str], right: str) -> bool:
    """`patients.read` is granted by `patients.read`, `patients.*` or `*`."""
    if right in granted or "*" in granted:
        return True
    service = right.split(".", 1)[0]
    return f"{service}.*" in granted


@dataclass
class TokenVerifier:
    public_key_pem: str
    issuer: str
    audience: str

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.public_key_pem,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
            return Principal(
                user_id=uuid.UUID(claims["sub"]),
                username=str(claims.get("username", "")),
                rights=frozenset(claims.get("rights", [])),
                claims=claims,
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
            raise Unauthorized("The token is invalid.") from exc


def sign_token(
    private_key_pem: str,
    *,
    user_id: uuid.UUID,
    username: str,
    rights: list[str],
    issuer: str,
    audience: str,
    ttl_seconds: int = 3600,
    extra: dict[str, Any] | None = None,
) -> str:
    """Sign a token (the gateway's job; tests use it to act as the gateway)."""
    now = int(time.time())
    claims = {
        **(extra or {}),
        "sub": str(user_id),
        "username": username,
        "rights": sorted(rights),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "nbf": now - 5,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private_key_pem, algorithm=ALGORITHM)


def generate_keypair() -> tuple[str, str]:
    """A fresh Ed25519 key pair as (private PEM, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/auth/token")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the bearer token; 401 when missing or invalid."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("A bearer token is required.")
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise Unauthorized("This service cannot verify tokens (no public key configured).")
    principal = verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(right: str) -> Any:
    """Dependency: the caller must hold `right` (403 naming it otherwise)."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.has(right):
            raise Forbidden(f"The right '{right}' is required.", missing_right=right)
        return principal

    _check.__name__ = f"require_{right.replace('.', '_').replace('-', '_')}"
    _check.required_right = right  # type: ignore[attr-defined]
    return Depends(_check)
