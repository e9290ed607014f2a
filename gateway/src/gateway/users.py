"""Users, roles and passwords: plain functions over a session (the router commits)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal, has_right
from clinic_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gateway.models import Role, User
from gateway.problem_types import (
    ADMIN_ROLE_PROTECTED,
    GRANT_EXCEEDS_OWN_RIGHTS,
    LAST_ADMIN,
    TARGET_EXCEEDS_OWN_RIGHTS,
    USERNAME_TAKEN,
)
from gateway.rights import ADMIN_ROLE, DEFAULT_ROLES


class Passwords:
    """argon2id hashing; the cost is a setting (tests lower it, production keeps the default)."""

    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Verifying against this keeps a login for an unknown user as slow as for a known one.
        self._dummy = self._hasher.hash("not-a-real-password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_unknown_user(self, password: str) -> None:
        self.verify(self._dummy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


async def authenticate(session: AsyncSession, passwords: Passwords, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (constant work either way)."""
    user = (await session.execute(select(User).where(User.username == username))).scalar_one_or_none()
    if user is None:
        passwords.verify_unknown_user(password)
        return None
    if not passwords.verify(user.password_hash, password) or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash(password)
    return user


async def roles_by_name(session: AsyncSession, names: Sequence[str]) -> list[Role]:
    roles = (await session.execute(select(Role).where(Role.name.in_(list(names))))).scalars().all()
    missing = sorted(set(names) - {r.name for r in roles})
    if missing:
        raise ValidationFailed.field("roles", f"unknown role(s): {', '.join(missing)}", "unknown_role")
    return list(roles)


async def create_user(
    session: AsyncSession,
    passwords: Passwords,
    *,
    username: str,
    password: str,
    role_names: Sequence[str],
    full_name: str | None = None,
    claims: dict[str, str] | None = None,
) -> User:
    """Create a user; 409 when the username is taken."""
    if (await session.execute(select(User.id).where(User.username == username))).first():
        raise Conflict(
            f"User '{username}' already exists.",
            errors=[{"field": "username", "code": "taken", "message": "taken"}],
            code=USERNAME_TAKEN,
        )
    user = User(
        username=username,
        password_hash=passwords.hash(password),
        full_name=full_name,
        claims=claims or {},
        roles=await roles_by_name(session, role_names),
    )
    session.add(user)
    await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    """The user; `for_update` locks the row until the change commits (an edit checks If-Match on it)."""
    user = await session.get(User, user_id, with_for_update=True if for_update else None)
    if user is None:
        raise NotFound("User not found.")
    return user


async def get_role(session: AsyncSession, role_id: uuid.UUID, *, for_update: bool = False) -> Role:
    role = await session.get(Role, role_id, with_for_update=True if for_update else None)
    if role is None:
        raise NotFound("Role not found.")
    return role


async def seed(session: AsyncSession, passwords: Passwords, *, admin_password: str | None) -> bool:
    """Create the default roles and, when there is no user yet, `admin`. True if admin was made."""
    existing = {r.name for r in (await session.execute(select(Role))).scalars().all()}
    for name, (description, rights) in DEFAULT_ROLES.items():
        if name not in existing:
            session.add(Role(name=name, description=description, rights=rights))
    await session.flush()
    if (await session.execute(select(func.count()).select_from(User))).scalar_one():
        return False
    if not admin_password:
        raise RuntimeError("No user exists yet: set CLINIC_ADMIN_PASSWORD to create the first `admin`.")
    await create_user(
        session, passwords, username="admin", password=admin_password, role_names=["admin"], full_name="Administrator"
    )
    return True


# -- who may grant what (no privilege escalation) ---------------------------------------------


def not_held(principal: Principal, rights: Iterable[str]) -> list[str]:
    """The rights (or patterns) among `rights` that `principal` does not hold itself."""
    return sorted({right for right in rights if not has_right(principal.rights, right)})


def ensure_can_grant(principal: Principal, rights: Iterable[str]) -> None:
    """A user may give a role or a user only rights it holds itself (403 naming the others)."""
    missing = not_held(principal, rights)
    if missing:
        raise Forbidden(
            f"You can grant only rights you hold yourself; you do not hold: {', '.join(missing[:10])}.",
            missing_rights=missing,
            code=GRANT_EXCEEDS_OWN_RIGHTS,
        )


def ensure_can_manage(principal: Principal, target: User | Role) -> None:
    """Only a user holding every right of a user or role may change, end or delete it: else
    one with `gateway.users` alone could reset the admin's password and log in as admin."""
    rights = target.rights() if isinstance(target, User) else target.rights
    missing = not_held(principal, rights)
    if missing:
        what = "user" if isinstance(target, User) else "role"
        raise Forbidden(
            f"This {what} holds rights you do not hold ({', '.join(missing[:10])}); ask an administrator.",
            missing_rights=missing,
            code=TARGET_EXCEEDS_OWN_RIGHTS,
        )


def ensure_admin_role_kept(role: Role, *, deleting: bool = False, rights: list[str] | None = None) -> None:
    """The built-in `admin` role keeps every right and cannot be deleted."""
    if role.name != ADMIN_ROLE:
        return
    if deleting:
        raise Conflict("The admin role cannot be deleted.", code=ADMIN_ROLE_PROTECTED)
    if rights is not None and "*" not in rights:
        raise Conflict(
            "The admin role keeps every right ('*').",
            errors=[{"field": "rights", "code": "must_keep_all_rights", "message": "must keep '*'"}],
            code=ADMIN_ROLE_PROTECTED,
        )


async def ensure_a_full_admin_remains(session: AsyncSession) -> None:
    """Refuse a change (before it commits) that leaves no active user holding every right:
    nobody could then manage users, roles or settings any more."""
    await session.flush()
    users = (await session.execute(select(User).where(User.active.is_(True)))).scalars().all()
    if not any("*" in user.rights() for user in users):
        raise Conflict(
            "At least one active user must keep every right ('*'): this change would leave none. "
            "Give another user the admin role first.",
            code=LAST_ADMIN,
        )
