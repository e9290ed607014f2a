"""Token verification and rights checks. Only the gateway issues user tokens; every service verifies them.

Tokens are JWTs signed with Ed25519 (algorithm pinned to EdDSA), carrying `sub`, `username`,
`rights`, `iss`, `aud`, `iat` and `exp`. Two kinds, never interchangeable:
- user tokens: no `kid`, `iss` = the gateway's issuer, verified only with the gateway's key;
- service tokens (a service calling another on its own behalf): `kid` = the service's name,
  `iss` = `service:<name>`, verified only with that service's own key(s) from `service_keys`,
  short-lived, and refused when they claim a right that service is not trusted with.
So a service that signs its own calls never holds the key that mints user (admin) tokens.
A route declares the right it needs with `Depends(require("patients.write"))`.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
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
    service: str | None = None  # set when a service calls on its own behalf (a service token)
    session_id: str | None = None  # `sid`: the login session a user token belongs to (see sessions below)
    generation: int = 0  # `gen`: how many times that session was refreshed when this token was made

    def has(self, right: str) -> bool:
        return has_right(self.rights, right)


def has_right(granted: frozenset[str] | set[str], right: str) -> bool:
    """`patients.read` is granted by `patients.read`, `patients.*` or `*`."""
    if right in granted or "*" in granted:
        return True
    service = right.split(".", 1)[0]
    return f"{service}.*" in granted


SERVICE_ISSUER_PREFIX = "service:"
# The longest lifetime a service token may have (they are minted per call; see ServiceRuntime.service_token).
SERVICE_TOKEN_MAX_TTL_SECONDS = 900


def service_issuer(service: str) -> str:
    """`iss` of the tokens a service signs for its own calls."""
    return f"{SERVICE_ISSUER_PREFIX}{service}"


@dataclass(frozen=True)
class ServiceTrust:
    """What a verifier accepts from one service: its public keys (PEM, newest first) and its most rights."""

    public_keys: tuple[str, ...]
    rights: frozenset[str]


# How many verified tokens a verifier remembers (see TokenVerifier.verify).
VERIFIED_CACHE_SIZE = 4096
# The broadcast topic that carries revocations (see clinic_shared.bus and gateway/sessions.py).
REVOCATIONS_TOPIC = "auth.revocations"
# `min_generation` of a session that has ended: no token of it is accepted any more.
SESSION_ENDED = 2**62


@dataclass(frozen=True)
class Revocation:
    """Tokens of session `session_id` older than generation `min_generation` are refused until
    `until` (epoch seconds), by when every such token has expired anyway.

    The gateway ends a session (logout, a deactivated or deleted user, a new password):
    `min_generation` = SESSION_ENDED. It makes a session's tokens stale when the user's rights
    change: `min_generation` = the next generation, so the client refreshes and gets the new rights.
    """

    session_id: str
    min_generation: int
    until: float

    def as_json(self) -> dict[str, Any]:
        return {"sid": self.session_id, "min_gen": self.min_generation, "until": self.until}

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Revocation:
        return cls(str(item["sid"]), int(item["min_gen"]), float(item["until"]))


@dataclass
class RevocationList:
    """The revocations a verifier knows of (each process keeps its own copy; the gateway
    broadcasts them, see gateway/sessions.py). Merging is idempotent and order-free: the
    highest `min_generation` and the latest `until` win, so repeated or late copies are harmless."""

    _entries: dict[str, tuple[int, float]] = field(default_factory=dict)

    def refuses(self, principal: Principal) -> str | None:
        """Why this principal's token is no longer accepted, or None."""
        if principal.session_id is None:
            return None
        entry = self._entries.get(principal.session_id)
        if entry is None or principal.generation >= entry[0]:
            return None
        if entry[0] >= SESSION_ENDED:
            return "The session has ended; log in again."
        return "The session's rights have changed; refresh the token."

    def apply(self, revocations: list[Revocation], now: float | None = None) -> None:
        now = time.time() if now is None else now
        for item in revocations:
            if item.until <= now:
                continue
            known = self._entries.get(item.session_id)
            if known is None:
                self._entries[item.session_id] = (item.min_generation, item.until)
            else:
                self._entries[item.session_id] = (max(known[0], item.min_generation), max(known[1], item.until))
        self.prune(now)

    def prune(self, now: float | None = None) -> None:
        """Forget revocations whose tokens have all expired."""
        now = time.time() if now is None else now
        for session_id in [sid for sid, (_, until) in self._entries.items() if until <= now]:
            del self._entries[session_id]

    def __len__(self) -> int:
        return len(self._entries)


@dataclass
class TokenVerifier:
    public_key_pem: str
    issuer: str
    audience: str
    service_keys: dict[str, ServiceTrust] = field(default_factory=dict)
    revocations: RevocationList = field(default_factory=RevocationList)
    # token → (its principal, its `exp`): a token is the same bytes on every request of a session,
    # and checking its Ed25519 signature again cost a tenth of a booking's time in the service.
    _verified: OrderedDict[str, tuple[Principal, float]] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def from_settings(cls, public_key_pem: str, settings: Any) -> TokenVerifier:
        """A verifier trusting the gateway's key and the services listed in `settings.service_keys`."""
        trusted = {
            name: ServiceTrust(tuple(entry.public_keys), frozenset(entry.rights))
            for name, entry in settings.service_keys.items()
        }
        return cls(public_key_pem, settings.jwt_issuer, settings.jwt_audience, trusted)

    def verify(self, token: str) -> Principal:
        """The caller a token names; 401 when it is invalid, expired or revoked.

        A token verified before is answered from memory until its `exp`: the signature, issuer
        and audience cannot have changed, since the cache is keyed by the whole token. Only the
        expiry is checked again, with the same rule as the first time (valid while now < exp),
        and the revocations, which can change at any time."""
        known = self._verified.get(token)
        if known is not None:
            principal, expires_at = known
            if time.time() >= expires_at:
                del self._verified[token]
                raise Unauthorized("The token has expired.")
            self._verified.move_to_end(token)
        else:
            principal = self._verify(token)
            self._verified[token] = (principal, float(principal.claims["exp"]))
            if len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        if self.revocations and (reason := self.revocations.refuses(principal)):
            raise Unauthorized(reason)
        return principal

    async def receive_broadcast(self, topic: str, payload: dict[str, Any]) -> None:
        """Take the revocations the gateway broadcasts (subscribed by every app with a verifier)."""
        if topic == REVOCATIONS_TOPIC:
            self.revocations.apply([Revocation.from_json(item) for item in payload.get("revocations", [])])

    def _verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            if kid is None:
                claims = self._decode(token, self.public_key_pem, self.issuer)
                service = None
            else:
                claims = self._verify_service_token(token, kid)
                service = kid
            session_id = claims.get("sid")
            return Principal(
                user_id=uuid.UUID(claims["sub"]),
                username=str(claims.get("username", "")),
                rights=_rights_of(claims),
                claims=claims,
                service=service,
                session_id=str(session_id) if session_id is not None and service is None else None,
                generation=int(claims.get("gen", 0)),
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError) as exc:
            raise Unauthorized("The token is invalid.") from exc

    def _verify_service_token(self, token: str, kid: object) -> dict[str, Any]:
        """Claims of a service token: signed by that service's own key, within its rights, short-lived."""
        trust = self.service_keys.get(kid) if isinstance(kid, str) else None
        if trust is None:
            raise jwt.InvalidTokenError("the token is signed by an unknown service")
        claims: dict[str, Any] | None = None
        for public_key in trust.public_keys:
            try:
                claims = self._decode(token, public_key, service_issuer(kid))  # type: ignore[arg-type]  # kid is checked to be a text above; PyJWT types the header as Any
                break
            except jwt.InvalidSignatureError:
                continue  # during a rotation the token may be signed with another listed key
        if claims is None:
            raise jwt.InvalidSignatureError("no key of the service verifies the token")
        if int(claims["exp"]) - int(claims["iat"]) > SERVICE_TOKEN_MAX_TTL_SECONDS:
            raise jwt.InvalidTokenError("a service token lives too long")
        if any(not has_right(trust.rights, right) for right in _rights_of(claims)):
            raise jwt.InvalidTokenError("the service token claims rights the service is not trusted with")
        return claims

    def _decode(self, token: str, public_key: str, issuer: str) -> dict[str, Any]:
        return jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=self.audience,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )


def _rights_of(claims: dict[str, Any]) -> frozenset[str]:
    rights = claims.get("rights", [])
    if not isinstance(rights, list) or not all(isinstance(right, str) for right in rights):
        raise ValueError("rights must be a list of strings")
    return frozenset(rights)


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
    key_id: str | None = None,
) -> str:
    """Sign a token (the gateway's job; tests use it to act as the gateway).

    `key_id` goes in the header as `kid`: services set their name on their own tokens (see
    `sign_service_token`), user tokens have none."""
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
    headers = {"kid": key_id} if key_id is not None else None
    return jwt.encode(claims, private_key_pem, algorithm=ALGORITHM, headers=headers)


def sign_service_token(
    private_key_pem: str, *, service: str, rights: list[str], audience: str, ttl_seconds: int = 300
) -> str:
    """A token a service signs with its own key for a call on its own behalf (no user in the loop)."""
    return sign_token(
        private_key_pem,
        user_id=uuid.uuid5(uuid.NAMESPACE_DNS, f"{service}.service.clinic"),
        username=service_issuer(service),
        rights=rights,
        issuer=service_issuer(service),
        audience=audience,
        ttl_seconds=ttl_seconds,
        key_id=service,
    )


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
    _check.required_right = right  # type: ignore[attr-defined]  # a marker read back by the OpenAPI writer (rights of an operation)
    return Depends(_check)
