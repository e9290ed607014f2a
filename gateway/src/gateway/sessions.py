"""Login sessions (GW-3): short access tokens, rotating refresh tokens, revocations every process sees.

A login starts a session (a `sessions` row). The client gets:
- an access token (a JWT, `token_ttl_minutes`, 15 by default) naming the session (`sid`) and the
  session's generation (`gen`); every service verifies it on its own, without calling anyone;
- a refresh token `<session id>.<secret>` (the session's lifetime, 12 h by default), stored only
  as a hash. Each use replaces it (rotation) and raises the generation. Presenting the replaced
  one again, after a short grace for two tabs refreshing at once, is a sign that it was stolen:
  the session ends (reuse detection).

Ending a session (logout, "log out everywhere", a deactivated or deleted user, a new password)
or changing a user's rights must take effect at once, not when the access token expires. So
the gateway keeps the live revocations — per session, "tokens below generation N are refused"
— in its database and hands them to every process's `TokenVerifier`:
- at once in the replica that made the change;
- by a broadcast on the bus (`auth.revocations`), sent right after the change and repeated
  every `broadcast_seconds` while any revocation is live, so a process that missed a
  copy or started later catches up within that period;
- and each gateway replica reads the live list from the database on the same period, so gateway
  replicas agree even while the broker is down.
A revocation is forgotten once every token it refuses has expired (`until`). A rights change
only makes the current tokens stale: the client refreshes and gets a token with the new rights.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import REVOCATIONS_TOPIC, SESSION_ENDED, Revocation, TokenVerifier, sign_token
from clinic_shared.bus import EventBus
from clinic_shared.db import Database, utcnow
from clinic_shared.errors import Unauthorized
from clinic_shared.logging import get_logger
from gateway import problem_types as problems
from gateway.models import LoginSession, User, user_roles
from gateway.settings import GatewaySettings

log = get_logger(__name__)

REFRESH_COOKIE = "clinic_refresh"
# Tokens are accepted a little past `exp` by no one, but clocks of replicas differ: keep a
# revocation this much longer than the last token it refuses.
CLOCK_SKEW = timedelta(seconds=60)
RESERVED_CLAIMS = frozenset({"sub", "username", "rights", "iss", "aud", "iat", "nbf", "exp", "jti", "sid", "gen"})


@dataclass(frozen=True)
class Issued:
    """What a login or a refresh gives the client."""

    access_token: str
    expires_in: int
    refresh_token: str | None  # None: the grace answer to a just-replaced token (keep the newer one)
    refresh_expires_in: int
    session_id: uuid.UUID


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_refresh_token(token: str) -> tuple[uuid.UUID, str] | None:
    """(session id, secret) of a well-formed refresh token, else None."""
    sid, _, secret = token.partition(".")
    if not secret or len(token) > 200:
        return None
    try:
        return uuid.UUID(hex=sid), secret
    except ValueError:
        return None


class Sessions:
    """Starts, refreshes and ends sessions; keeps every verifier's revocations current."""

    def __init__(self, settings: GatewaySettings, private_key: str, verifier: TokenVerifier) -> None:
        self.settings = settings
        self.private_key = private_key
        self.verifier = verifier
        self.bus: EventBus | None = None  # set once the gateway's bus is connected
        self.access_ttl = timedelta(minutes=settings.token_ttl_minutes)
        self.session_ttl = timedelta(minutes=settings.session_ttl_minutes)

    # -- tokens ---------------------------------------------------------------------------

    def access_token(self, user: User, login: LoginSession) -> str:
        extra = {k: v for k, v in user.claims.items() if k not in RESERVED_CLAIMS}
        return sign_token(
            self.private_key,
            user_id=user.id,
            username=user.username,
            rights=sorted(user.rights()),
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            ttl_seconds=int(self.access_ttl.total_seconds()),
            extra={**extra, "sid": login.id.hex, "gen": login.generation},
        )

    def _issued(self, user: User, login: LoginSession, secret: str | None, now: datetime) -> Issued:
        return Issued(
            access_token=self.access_token(user, login),
            expires_in=int(self.access_ttl.total_seconds()),
            refresh_token=f"{login.id.hex}.{secret}" if secret is not None else None,
            refresh_expires_in=max(0, int((login.expires_at - now).total_seconds())),
            session_id=login.id,
        )

    async def start(
        self, session: AsyncSession, user: User, *, client_address: str | None, user_agent: str | None
    ) -> Issued:
        now = utcnow()
        secret = secrets.token_urlsafe(32)
        login = LoginSession(
            id=uuid.uuid4(),
            user_id=user.id,
            created_at=now,
            expires_at=now + self.session_ttl,
            last_used_at=now,
            client_address=client_address,
            user_agent=(user_agent or "")[:200] or None,
            refresh_hash=hash_secret(secret),
            generation=0,
            min_generation=0,
        )
        session.add(login)
        await session.flush()
        return self._issued(user, login, secret, now)

    async def refresh(self, session: AsyncSession, token: str) -> tuple[Issued, User]:
        """A new access token (and refresh token) for a live session; 401 otherwise.

        Raises `ReuseDetected` (a 401 whose revocations the caller must announce after commit)
        when a replaced refresh token comes back after the grace period."""
        parts = split_refresh_token(token)
        if parts is None:
            raise Unauthorized("The refresh token is invalid.", code=problems.REFRESH_TOKEN_INVALID)
        session_id, secret = parts
        login = (
            await session.execute(select(LoginSession).where(LoginSession.id == session_id).with_for_update())
        ).scalar_one_or_none()
        now = utcnow()
        if login is None or login.ended_at is not None or login.expires_at <= now:
            raise Unauthorized("The session has ended; log in again.", code=problems.SESSION_ENDED)
        presented = hash_secret(secret)
        user = await session.get(User, login.user_id)
        if user is None or not user.active:
            revocations = self._end(login, "user_inactive", now)
            raise ReuseDetected(
                "The session has ended; log in again.", revocations=revocations, code=problems.SESSION_ENDED
            )
        if hmac.compare_digest(presented, login.refresh_hash):
            new_secret = secrets.token_urlsafe(32)
            login.previous_refresh_hash = login.refresh_hash
            login.refresh_hash = hash_secret(new_secret)
            login.rotated_at = now
            login.generation += 1
            login.last_used_at = now
            await session.flush()
            return self._issued(user, login, new_secret, now), user
        if login.previous_refresh_hash and hmac.compare_digest(presented, login.previous_refresh_hash):
            grace = timedelta(seconds=self.settings.refresh_reuse_grace_seconds)
            if login.rotated_at is not None and now - login.rotated_at <= grace:
                return self._issued(user, login, None, now), user
            revocations = self._end(login, "refresh_token_reused", now)
            log.warning("auth.refresh.reuse_detected", session_id=str(login.id))
            raise ReuseDetected(
                "This refresh token was already used; the session has ended for safety. Log in again.",
                revocations=revocations,
                user=user,
                code=problems.REFRESH_TOKEN_REUSED,
            )
        raise Unauthorized("The refresh token is invalid.", code=problems.REFRESH_TOKEN_INVALID)

    async def session_of(self, session: AsyncSession, token: str) -> uuid.UUID | None:
        """The session a refresh token (its current or its just-replaced one) belongs to, if any."""
        parts = split_refresh_token(token)
        if parts is None:
            return None
        login = await session.get(LoginSession, parts[0])
        presented = hash_secret(parts[1])
        if login is None or not any(
            stored and hmac.compare_digest(stored, presented)
            for stored in (login.refresh_hash, login.previous_refresh_hash)
        ):
            return None
        return login.id

    # -- ending ---------------------------------------------------------------------------

    def _end(self, login: LoginSession, reason: str, now: datetime) -> list[Revocation]:
        login.ended_at = now
        login.end_reason = reason
        login.min_generation = SESSION_ENDED
        login.revoked_until = now + self.access_ttl + CLOCK_SKEW
        return [_revocation(login)]

    async def end(
        self,
        session: AsyncSession,
        *,
        reason: str,
        session_ids: Iterable[uuid.UUID] = (),
        user_ids: Iterable[uuid.UUID] = (),
    ) -> list[Revocation]:
        """End the live sessions given, and every live session of the users given."""
        now = utcnow()
        logins = await self._live(session, session_ids, user_ids, now)
        revocations = [r for login in logins for r in self._end(login, reason, now)]
        await session.flush()
        return revocations

    async def make_stale(self, session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> list[Revocation]:
        """Refuse the current access tokens of these users' sessions (their rights changed):
        the sessions go on, and a refresh gives tokens with the new rights."""
        now = utcnow()
        revocations = []
        for login in await self._live(session, (), user_ids, now):
            login.min_generation = max(login.min_generation, login.generation + 1)
            login.revoked_until = now + self.access_ttl + CLOCK_SKEW
            revocations.append(_revocation(login))
        await session.flush()
        return revocations

    async def users_of_role(self, session: AsyncSession, role_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await session.execute(select(user_roles.c.user_id).where(user_roles.c.role_id == role_id))
        return [row[0] for row in rows]

    @staticmethod
    async def _live(
        session: AsyncSession, session_ids: Iterable[uuid.UUID], user_ids: Iterable[uuid.UUID], now: datetime
    ) -> list[LoginSession]:
        session_ids, user_ids = list(session_ids), list(user_ids)
        if not session_ids and not user_ids:
            return []
        which = []
        if session_ids:
            which.append(LoginSession.id.in_(session_ids))
        if user_ids:
            which.append(LoginSession.user_id.in_(user_ids))
        query = select(LoginSession).where(or_(*which), LoginSession.ended_at.is_(None), LoginSession.expires_at > now)
        return list((await session.execute(query)).scalars())

    async def sessions_of(self, session: AsyncSession, user_id: uuid.UUID) -> list[LoginSession]:
        """A user's live sessions, newest first."""
        query = (
            select(LoginSession)
            .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None), LoginSession.expires_at > utcnow())
            .order_by(LoginSession.created_at.desc())
        )
        return list((await session.execute(query)).scalars())

    # -- telling every process --------------------------------------------------------------

    async def announce(self, revocations: list[Revocation]) -> None:
        """Apply at once here, and broadcast (call after the change has committed)."""
        if not revocations:
            return
        self.verifier.revocations.apply(revocations)
        await self._broadcast(revocations)

    async def _broadcast(self, revocations: list[Revocation]) -> None:
        if self.bus is None:
            return
        try:
            await self.bus.broadcast(REVOCATIONS_TOPIC, {"revocations": [r.as_json() for r in revocations]})
        except Exception as exc:  # the next periodic pass repeats it
            log.warning("auth.revocations.broadcast_failed", error=type(exc).__name__)

    async def live_revocations(self, session: AsyncSession) -> list[Revocation]:
        query = select(LoginSession).where(LoginSession.revoked_until > utcnow())
        return [_revocation(login) for login in (await session.execute(query)).scalars()]

    async def repeat(self, db: Database) -> None:
        """One periodic pass: read the live revocations, apply them here, broadcast them."""
        async with db.read_session() as session:
            revocations = await self.live_revocations(session)
        self.verifier.revocations.apply(revocations)
        self.verifier.revocations.prune()
        if revocations:
            await self._broadcast(revocations)


class ReuseDetected(Unauthorized):
    """A 401 that also ended a session: the router commits, then announces the revocations."""

    def __init__(self, detail: str, *, revocations: list[Revocation], code: str, user: User | None = None) -> None:
        super().__init__(detail, code=code)
        self.revocations = revocations
        self.user = user


def _revocation(login: LoginSession) -> Revocation:
    until = login.revoked_until.timestamp() if login.revoked_until is not None else time.time()
    return Revocation(login.id.hex, int(login.min_generation), until)
