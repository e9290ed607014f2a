"""`/api/auth/*`: login, sessions, users, roles, rights catalogue and audit log (GW-2, GW-3).

Every change of users, roles, rights, passwords and sessions is written to the audit log in the
same transaction. Changes that end sessions or make tokens stale commit first and then tell
every process (`GatewayRuntime.sessions.announce`), so no process refuses a token for a change
that did not happen.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import CurrentPrincipal, Principal, Revocation, require
from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.dates import ApiAwareDateTime
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, TooManyRequests, Unauthorized, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.pagination import Page
from gateway import audit
from gateway import users as user_service
from gateway.models import Role, User
from gateway.password_policy import password_problem
from gateway.problem_types import (
    LOGIN_THROTTLED,
    OWN_ACCOUNT,
    REFRESH_TOKEN_INVALID,
    ROLE_NAME_TAKEN,
    WRONG_CREDENTIALS,
)
from gateway.runtime import GatewayRuntime, GatewaySessionDep, get_gateway
from gateway.schemas import (
    AuditEntryRead,
    Me,
    PasswordChange,
    RefreshRequest,
    RoleCreate,
    RoleRead,
    RoleUpdate,
    SessionRead,
    Token,
    UserCreate,
    UserRead,
    UserUpdate,
)
from gateway.sessions import REFRESH_COOKIE, Issued, ReuseDetected

log = get_logger(__name__)
router = APIRouter(prefix="/api/auth", tags=["auth"])
GatewayDep = Annotated[GatewayRuntime, Depends(get_gateway)]
UserManager = Annotated[Principal, require("gateway.users")]


def client_address(request: Request) -> str:
    """The caller's address: the socket peer, or what a trusted proxy says (see settings.trusted_proxies)."""
    return request.client.host if request.client else "unknown"


async def commit_and_announce(session: AsyncSession, gateway: GatewayRuntime, revocations: list[Revocation]) -> None:
    await session.commit()
    await gateway.sessions.announce(revocations)


def check_password(password: str, username: str) -> None:
    if problem := password_problem(password, username):
        raise ValidationFailed.field("password", problem, "weak_password")


# -- logging in and out -------------------------------------------------------------------


def _token_answer(issued: Issued, request: Request, response: Response) -> Token:
    if issued.refresh_token is not None:
        response.set_cookie(
            REFRESH_COOKIE,
            issued.refresh_token,
            max_age=issued.refresh_expires_in,
            path="/api/auth",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    response.headers["Cache-Control"] = "no-store"
    return Token(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        refresh_token=issued.refresh_token,
        refresh_expires_in=issued.refresh_expires_in,
    )


@router.post("/token", response_model=Token, summary="Log in (OAuth2 password form): access and refresh tokens")
async def issue_token(
    request: Request,
    response: Response,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: GatewaySessionDep,
    gateway: GatewayDep,
) -> Token:
    address = client_address(request)
    if wait := await gateway.throttle.retry_after(session, form.username, address):
        log.warning("auth.login.throttled", username_length=len(form.username))
        raise TooManyRequests("Too many failed logins; try again later.", retry_after=wait, code=LOGIN_THROTTLED)
    user = await user_service.authenticate(session, gateway.passwords, form.username, form.password)
    if user is None:
        await gateway.throttle.failed(session, form.username, address)
        known = (await session.execute(select(User).where(User.username == form.username))).scalar_one_or_none()
        audit.record(session, "login.failed", actor=None, target=known, client_address=address)
        await session.commit()  # the count and the entry stay although the answer is an error
        log.info("auth.login.failed")
        raise Unauthorized("Wrong username or password.", code=WRONG_CREDENTIALS)
    await gateway.throttle.succeeded(session, form.username, address)
    issued = await gateway.sessions.start(
        session, user, client_address=address, user_agent=request.headers.get("user-agent")
    )
    audit.record(session, "login.succeeded", actor=user, target=user, client_address=address)
    log.info("auth.login.succeeded", user_id=str(user.id))
    return _token_answer(issued, request, response)


@router.post(
    "/refresh",
    response_model=Token,
    summary="A new access token for a live session (the refresh token rotates: use each one once)",
)
async def refresh_access_token(
    request: Request,
    response: Response,
    session: GatewaySessionDep,
    gateway: GatewayDep,
    body: Annotated[RefreshRequest | None, Body()] = None,
) -> Token:
    token = (body.refresh_token if body else None) or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise Unauthorized(
            "A refresh token is required (in the body or the refresh cookie).", code=REFRESH_TOKEN_INVALID
        )
    try:
        issued, _user = await gateway.sessions.refresh(session, token)
    except ReuseDetected as exc:
        if exc.user is not None:
            audit.record(
                session,
                "session.refreshed_after_reuse",
                actor=None,
                target=exc.user,
                client_address=client_address(request),
            )
        await commit_and_announce(session, gateway, exc.revocations)
        raise
    return _token_answer(issued, request, response)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End this session: its access and refresh tokens stop working on every service",
)
async def end_session(
    request: Request,
    session: GatewaySessionDep,
    gateway: GatewayDep,
    body: Annotated[RefreshRequest | None, Body()] = None,
) -> Response:
    """Ends the session named by the bearer token (even an expired one's session is found by the
    refresh token or cookie). Always 204: logging out twice is not an error."""
    session_id: uuid.UUID | None = None
    actor: Principal | None = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        try:
            actor = request.app.state.token_verifier.verify(authorization[7:])
            session_id = uuid.UUID(hex=actor.session_id) if actor.session_id else None
        except (Unauthorized, ValueError):
            actor = None
    token = (body.refresh_token if body else None) or request.cookies.get(REFRESH_COOKIE)
    if session_id is None and token:
        session_id = await gateway.sessions.session_of(session, token)
    if session_id is not None:
        revocations = await gateway.sessions.end(session, reason="logout", session_ids=[session_id])
        if revocations:
            audit.record(session, "session.ended", actor=actor, details={"session_id": session_id.hex})
        await commit_and_announce(session, gateway, revocations)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(REFRESH_COOKIE, path="/api/auth")
    return response


@router.get("/me", response_model=Me, summary="The current user and the rights in their token")
async def get_me(principal: CurrentPrincipal) -> Me:
    return Me(id=principal.user_id, username=principal.username, rights=sorted(principal.rights))


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change one's own password; one's other sessions end",
)
async def change_own_password(
    request: Request, body: PasswordChange, principal: CurrentPrincipal, session: GatewaySessionDep, gateway: GatewayDep
) -> Response:
    user = await user_service.get_user(session, principal.user_id)
    if not gateway.passwords.verify(user.password_hash, body.current_password):
        raise ValidationFailed.field("current_password", "is not your current password", "wrong_password")
    if problem := password_problem(body.new_password, user.username):
        raise ValidationFailed.field("new_password", problem, "weak_password")
    user.password_hash = gateway.passwords.hash(body.new_password)
    others = [s.id for s in await gateway.sessions.sessions_of(session, user.id) if s.id.hex != principal.session_id]
    revocations = await gateway.sessions.end(session, reason="password_changed", session_ids=others)
    audit.record(session, "user.password_changed", actor=principal, target=user, client_address=client_address(request))
    await commit_and_announce(session, gateway, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- users ----------------------------------------------------------------------------------


@router.get("/rights", summary="Every right the platform's services declare", dependencies=[require("gateway.users")])
async def list_rights(gateway: GatewayDep) -> dict[str, dict[str, str]]:
    return await gateway.rights_catalogue()


@router.get("/users", response_model=Page[UserRead], dependencies=[require("gateway.users")])
async def list_users(session: GatewaySessionDep) -> Page[UserRead]:
    users = (await session.execute(select(User).order_by(User.username))).scalars().all()
    return Page(items=[UserRead.model_validate(u) for u in users], total=len(users))


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def create_user(
    request: Request, body: UserCreate, principal: UserManager, session: GatewaySessionDep, gateway: GatewayDep
) -> UserRead:
    """Create a user with roles whose rights the caller holds itself."""
    check_password(body.password, body.username)
    roles = await user_service.roles_by_name(session, body.roles)
    user_service.ensure_can_grant(principal, {right for role in roles for right in role.rights})
    user = await user_service.create_user(
        session,
        gateway.passwords,
        username=body.username,
        password=body.password,
        role_names=body.roles,
        full_name=body.full_name,
        claims=body.claims,
    )
    audit.record(
        session,
        "user.created",
        actor=principal,
        target=user,
        details={"roles": sorted(body.roles), "claims": sorted(body.claims)},
        client_address=client_address(request),
    )
    log.info("auth.user.created", user_id=str(user.id))
    return UserRead.model_validate(user)


@router.get("/users/{user_id}", response_model=UserRead, dependencies=[require("gateway.users")])
async def get_user(user_id: uuid.UUID, session: GatewaySessionDep, response: Response) -> UserRead:
    """A user; the `ETag` is the version to send in `If-Match` when changing or deleting them."""
    user = await user_service.get_user(session, user_id)
    set_etag(response, user)
    return UserRead.model_validate(user)


@router.patch("/users/{user_id}", response_model=UserRead)
async def update_user(
    request: Request,
    user_id: uuid.UUID,
    body: UserUpdate,
    principal: UserManager,
    session: GatewaySessionDep,
    gateway: GatewayDep,
    response: Response,
    if_match: IfMatch = None,
) -> UserRead:
    """Change a user. A new password, deactivation and a change of roles or claims take effect on
    every service at once: the user's sessions end (password, deactivation) or their tokens must
    be refreshed (roles, claims). With `If-Match` (the user's `ETag`), a user changed since is
    not changed (412)."""
    user = await user_service.get_user(session, user_id, for_update=True)
    user_service.ensure_can_manage(principal, user)
    check_if_match(if_match, user, principal)
    changed: dict[str, Any] = {}
    end_reason: str | None = None
    if body.password is not None:
        check_password(body.password, user.username)
        user.password_hash = gateway.passwords.hash(body.password)
        end_reason = "password_changed"
    if body.roles is not None:
        roles = await user_service.roles_by_name(session, body.roles)
        user_service.ensure_can_grant(principal, {right for role in roles for right in role.rights})
        before = sorted(r.name for r in user.roles)
        user.roles = roles
        if before != sorted(body.roles):
            changed["roles"] = {"before": before, "after": sorted(body.roles)}
    if body.full_name is not None and body.full_name != user.full_name:
        user.full_name = body.full_name
        changed["full_name"] = True
    if body.active is not None and body.active != user.active:
        if not body.active and user.id == principal.user_id:
            raise Conflict(
                "You cannot deactivate yourself.",
                errors=[{"field": "active", "code": "yourself", "message": "yourself"}],
                code=OWN_ACCOUNT,
            )
        user.active = body.active
        changed["active"] = body.active
        if not body.active:
            end_reason = "deactivated"
    if body.claims is not None and body.claims != user.claims:
        changed["claims"] = {"before": sorted(user.claims), "after": sorted(body.claims)}
        user.claims = body.claims
    if changed or body.password is not None:
        user.updated_at = utcnow()  # a change of roles alone does not touch the users row
    await user_service.ensure_a_full_admin_remains(session)
    if end_reason is not None:
        revocations = await gateway.sessions.end(session, reason=end_reason, user_ids=[user.id])
    elif "roles" in changed or "claims" in changed:
        revocations = await gateway.sessions.make_stale(session, [user.id])
    else:
        revocations = []
    address = client_address(request)
    if body.password is not None:
        audit.record(session, "user.password_changed", actor=principal, target=user, client_address=address)
    if changed:
        audit.record(session, "user.updated", actor=principal, target=user, details=changed, client_address=address)
    await commit_and_announce(session, gateway, revocations)
    set_etag(response, user)
    return UserRead.model_validate(user)


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    request: Request,
    user_id: uuid.UUID,
    session: GatewaySessionDep,
    principal: UserManager,
    gateway: GatewayDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a user; their sessions end. With `If-Match`, a user changed since is kept (412)."""
    if user_id == principal.user_id:
        raise Conflict("You cannot delete yourself.", code=OWN_ACCOUNT)
    user = await user_service.get_user(session, user_id, for_update=True)
    user_service.ensure_can_manage(principal, user)
    check_if_match(if_match, user, principal)
    audit.record(session, "user.deleted", actor=principal, target=user, client_address=client_address(request))
    await session.delete(user)
    await user_service.ensure_a_full_admin_remains(session)
    revocations = await gateway.sessions.end(session, reason="user_deleted", user_ids=[user_id])
    await commit_and_announce(session, gateway, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users/{user_id}/sessions", response_model=list[SessionRead], summary="A user's live sessions")
async def list_user_sessions(
    user_id: uuid.UUID, principal: UserManager, session: GatewaySessionDep, gateway: GatewayDep
) -> list[SessionRead]:
    await user_service.get_user(session, user_id)
    return [SessionRead.model_validate(s) for s in await gateway.sessions.sessions_of(session, user_id)]


@router.post(
    "/users/{user_id}/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Log a user out everywhere: every session ends on every service",
)
async def end_user_sessions(
    request: Request, user_id: uuid.UUID, principal: UserManager, session: GatewaySessionDep, gateway: GatewayDep
) -> Response:
    user = await user_service.get_user(session, user_id)
    user_service.ensure_can_manage(principal, user)
    revocations = await gateway.sessions.end(session, reason="logged_out_by_admin", user_ids=[user_id])
    audit.record(
        session,
        "sessions.ended",
        actor=principal,
        target=user,
        details={"sessions": len(revocations)},
        client_address=client_address(request),
    )
    await commit_and_announce(session, gateway, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/{user_id}/unlock",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Forgive a user's failed logins, so they can log in again at once",
)
async def unlock_user(
    request: Request, user_id: uuid.UUID, principal: UserManager, session: GatewaySessionDep, gateway: GatewayDep
) -> Response:
    user = await user_service.get_user(session, user_id)
    user_service.ensure_can_manage(principal, user)
    addresses = await gateway.throttle.forgive(session, user.username)
    audit.record(
        session,
        "login.unlocked",
        actor=principal,
        target=user,
        details={"addresses": addresses},
        client_address=client_address(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- roles ----------------------------------------------------------------------------------


@router.get(
    "/roles", response_model=Page[RoleRead], summary="Roles and their rights", dependencies=[require("gateway.users")]
)
async def list_roles(session: GatewaySessionDep) -> Page[RoleRead]:
    roles = (await session.execute(select(Role).order_by(Role.name))).scalars().all()
    return Page(items=[RoleRead.model_validate(r) for r in roles], total=len(roles))


@router.post("/roles", response_model=RoleRead, status_code=status.HTTP_201_CREATED)
async def create_role(
    request: Request, body: RoleCreate, principal: UserManager, session: GatewaySessionDep, gateway: GatewayDep
) -> RoleRead:
    """Create a role with rights the caller holds itself."""
    await _check_known_rights(gateway, body.rights)
    user_service.ensure_can_grant(principal, body.rights)
    if (await session.execute(select(Role.id).where(Role.name == body.name))).first():
        raise Conflict(
            f"Role '{body.name}' already exists.",
            errors=[{"field": "name", "code": "taken", "message": "taken"}],
            code=ROLE_NAME_TAKEN,
        )
    role = Role(name=body.name, description=body.description, rights=body.rights)
    session.add(role)
    await session.flush()
    audit.record(
        session,
        "role.created",
        actor=principal,
        target=role,
        details={"rights": body.rights},
        client_address=client_address(request),
    )
    return RoleRead.model_validate(role)


@router.patch("/roles/{role_id}", response_model=RoleRead)
async def update_role(
    request: Request,
    role_id: uuid.UUID,
    body: RoleUpdate,
    principal: UserManager,
    session: GatewaySessionDep,
    gateway: GatewayDep,
    response: Response,
    if_match: IfMatch = None,
) -> RoleRead:
    """Change a role. Its users' current tokens stop working at once and are refreshed with the new rights.
    With `If-Match` (the role's `version` in quotes, as the answers' `ETag` says it), a role
    changed since is not changed (412)."""
    role = await user_service.get_role(session, role_id, for_update=True)
    user_service.ensure_can_manage(principal, role)
    check_if_match(if_match, role, principal)
    details: dict[str, Any] = {}
    revocations: list[Revocation] = []
    if body.rights is not None and body.rights != sorted(role.rights):
        user_service.ensure_admin_role_kept(role, rights=body.rights)
        await _check_known_rights(gateway, body.rights)
        user_service.ensure_can_grant(principal, body.rights)
        details["rights"] = {"before": sorted(role.rights), "after": body.rights}
        role.rights = body.rights
        await user_service.ensure_a_full_admin_remains(session)
        revocations = await gateway.sessions.make_stale(session, await gateway.sessions.users_of_role(session, role.id))
    if body.description is not None and body.description != role.description:
        role.description = body.description
        details["description"] = True
    if details:
        role.version += 1
        audit.record(
            session,
            "role.updated",
            actor=principal,
            target=role,
            details=details,
            client_address=client_address(request),
        )
    await commit_and_announce(session, gateway, revocations)
    set_etag(response, role)
    return RoleRead.model_validate(role)


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_role(
    request: Request,
    role_id: uuid.UUID,
    principal: UserManager,
    session: GatewaySessionDep,
    gateway: GatewayDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a role; its users lose its rights at once. With `If-Match`, a role changed since is kept (412)."""
    role = await user_service.get_role(session, role_id, for_update=True)
    user_service.ensure_admin_role_kept(role, deleting=True)
    user_service.ensure_can_manage(principal, role)
    check_if_match(if_match, role, principal)
    holders = await gateway.sessions.users_of_role(session, role.id)
    audit.record(
        session,
        "role.deleted",
        actor=principal,
        target=role,
        details={"rights": sorted(role.rights), "users": len(holders)},
        client_address=client_address(request),
    )
    await session.delete(role)
    await session.flush()
    session.expire_all()  # the holders' role lists changed in the database (ON DELETE CASCADE)
    await user_service.ensure_a_full_admin_remains(session)
    revocations = await gateway.sessions.make_stale(session, holders)
    await commit_and_announce(session, gateway, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _check_known_rights(gateway: GatewayRuntime, rights: list[str]) -> None:
    """Refuse rights no service declares (typos would silently grant nothing)."""
    catalogue = await gateway.rights_catalogue()
    known = {right for service_rights in catalogue.values() for right in service_rights}
    services = set(catalogue)
    unknown = [r for r in rights if r != "*" and r not in known and not (r.endswith(".*") and r[:-2] in services)]
    if unknown:
        raise ValidationFailed.field("rights", f"unknown right(s): {', '.join(unknown[:10])}", "unknown_right")


# -- audit log ------------------------------------------------------------------------------


@router.get(
    "/audit",
    response_model=Page[AuditEntryRead],
    summary="The audit log: who logged in, and who changed which user, role, right, password or session",
    dependencies=[require("gateway.audit")],
)
async def list_audit_log(
    session: GatewaySessionDep,
    actor_id: Annotated[uuid.UUID | None, Query(description="who acted")] = None,
    target_id: Annotated[uuid.UUID | None, Query(description="the user or role acted on")] = None,
    action: Annotated[str | None, Query(description="one of the actions listed in the description")] = None,
    since: Annotated[ApiAwareDateTime | None, Query(description="from this instant (with offset)")] = None,
    until: Annotated[ApiAwareDateTime | None, Query(description="before this instant (with offset)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[AuditEntryRead]:
    if action is not None and action not in audit.ACTIONS:
        raise ValidationFailed.field("action", f"must be one of: {', '.join(sorted(audit.ACTIONS))}", "unknown_action")
    rows, total = await audit.search(
        session,
        actor_id=actor_id,
        target_id=target_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return Page(items=[AuditEntryRead.model_validate(r) for r in rows], total=total)
