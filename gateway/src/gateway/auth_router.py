"""`/api/auth/*`: login, users, roles, rights catalogue (GW-2, GW-3)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from clinic_shared.auth import CurrentPrincipal, require, sign_token
from clinic_shared.errors import Conflict, TooManyRequests, Unauthorized, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.pagination import Page
from gateway import users as user_service
from gateway.models import Role, User
from gateway.runtime import GatewayRuntime, GatewaySessionDep, get_gateway
from gateway.schemas import Me, RoleCreate, RoleRead, RoleUpdate, Token, UserCreate, UserRead, UserUpdate

log = get_logger(__name__)
router = APIRouter(prefix="/api/auth", tags=["auth"])
GatewayDep = Annotated[GatewayRuntime, Depends(get_gateway)]


@router.post("/token", response_model=Token, summary="Log in (OAuth2 password form) and get a JWT")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: GatewaySessionDep,
    gateway: GatewayDep,
) -> Token:
    client_ip = request.client.host if request.client else "unknown"
    keys = (f"user:{form.username.lower()}", f"ip:{client_ip}")
    if wait := gateway.throttle.retry_after(*keys):
        log.warning("auth.login.throttled", username_length=len(form.username))
        raise TooManyRequests("Too many failed logins; try again later.", retry_after=wait)
    user = await user_service.authenticate(session, gateway.passwords, form.username, form.password)
    if user is None:
        gateway.throttle.failed(*keys)
        log.info("auth.login.failed")
        raise Unauthorized("Wrong username or password.")
    # Only the username's count is forgiven: clearing the address's too would let anyone with an
    # account of their own guess other users' passwords without end, logging in between guesses.
    gateway.throttle.succeeded(keys[0])
    ttl = gateway.settings.token_ttl_minutes * 60
    token = sign_token(
        gateway.private_key,
        user_id=user.id,
        username=user.username,
        rights=sorted(user.rights()),
        issuer=gateway.settings.jwt_issuer,
        audience=gateway.settings.jwt_audience,
        ttl_seconds=ttl,
        extra={k: v for k, v in user.claims.items() if k not in {"sub", "rights", "iss", "aud", "exp"}},
    )
    log.info("auth.login.succeeded", user_id=str(user.id))
    return Token(access_token=token, expires_in=ttl)


@router.get("/me", response_model=Me, summary="The current user and the rights in their token")
async def me(principal: CurrentPrincipal) -> Me:
    return Me(id=principal.user_id, username=principal.username, rights=sorted(principal.rights))


@router.get("/rights", summary="Every right the platform's services declare", dependencies=[require("gateway.users")])
async def rights_catalogue(gateway: GatewayDep) -> dict[str, dict[str, str]]:
    return await gateway.rights_catalogue()


@router.get("/users", response_model=Page[UserRead], dependencies=[require("gateway.users")])
async def list_users(session: GatewaySessionDep) -> Page[UserRead]:
    users = (await session.execute(select(User).order_by(User.username))).scalars().all()
    return Page(items=[UserRead.model_validate(u) for u in users], total=len(users))


@router.post(
    "/users", response_model=UserRead, status_code=status.HTTP_201_CREATED, dependencies=[require("gateway.users")]
)
async def create_user(body: UserCreate, session: GatewaySessionDep, gateway: GatewayDep) -> UserRead:
    user = await user_service.create_user(
        session,
        gateway.passwords,
        username=body.username,
        password=body.password,
        role_names=body.roles,
        full_name=body.full_name,
        claims=body.claims,
    )
    log.info("auth.user.created", user_id=str(user.id))
    return UserRead.model_validate(user)


@router.get("/users/{user_id}", response_model=UserRead, dependencies=[require("gateway.users")])
async def get_user(user_id: uuid.UUID, session: GatewaySessionDep) -> UserRead:
    return UserRead.model_validate(await user_service.get_user(session, user_id))


@router.patch("/users/{user_id}", response_model=UserRead, dependencies=[require("gateway.users")])
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, session: GatewaySessionDep, gateway: GatewayDep
) -> UserRead:
    user = await user_service.get_user(session, user_id)
    if body.password is not None:
        user.password_hash = gateway.passwords.hash(body.password)
    if body.roles is not None:
        user.roles = await user_service.roles_by_name(session, body.roles)
    if body.full_name is not None:
        user.full_name = body.full_name
    if body.active is not None:
        user.active = body.active
    if body.claims is not None:
        user.claims = body.claims
    await session.flush()
    return UserRead.model_validate(user)


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[require("gateway.users")])
async def delete_user(user_id: uuid.UUID, session: GatewaySessionDep, principal: CurrentPrincipal) -> Response:
    if user_id == principal.user_id:
        raise Conflict("You cannot delete yourself.")
    await session.delete(await user_service.get_user(session, user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/roles", response_model=Page[RoleRead], summary="Roles and their rights", dependencies=[require("gateway.users")]
)
async def list_roles(session: GatewaySessionDep) -> Page[RoleRead]:
    roles = (await session.execute(select(Role).order_by(Role.name))).scalars().all()
    return Page(items=[RoleRead.model_validate(r) for r in roles], total=len(roles))


@router.post(
    "/roles", response_model=RoleRead, status_code=status.HTTP_201_CREATED, dependencies=[require("gateway.users")]
)
async def create_role(body: RoleCreate, session: GatewaySessionDep, gateway: GatewayDep) -> RoleRead:
    await _check_known_rights(gateway, body.rights)
    if (await session.execute(select(Role.id).where(Role.name == body.name))).first():
        raise Conflict(f"Role '{body.name}' already exists.", errors=[{"field": "name", "message": "taken"}])
    role = Role(name=body.name, description=body.description, rights=body.rights)
    session.add(role)
    await session.flush()
    return RoleRead.model_validate(role)


@router.patch("/roles/{role_id}", response_model=RoleRead, dependencies=[require("gateway.users")])
async def update_role(
    role_id: uuid.UUID, body: RoleUpdate, session: GatewaySessionDep, gateway: GatewayDep
) -> RoleRead:
    role = await user_service.get_role(session, role_id)
    if body.rights is not None:
        await _check_known_rights(gateway, body.rights)
        role.rights = body.rights
    if body.description is not None:
        role.description = body.description
    await session.flush()
    return RoleRead.model_validate(role)


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[require("gateway.users")])
async def delete_role(role_id: uuid.UUID, session: GatewaySessionDep) -> Response:
    await session.delete(await user_service.get_role(session, role_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _check_known_rights(gateway: GatewayRuntime, rights: list[str]) -> None:
    """Refuse rights no service declares (typos would silently grant nothing)."""
    catalogue = await gateway.rights_catalogue()
    known = {right for service_rights in catalogue.values() for right in service_rights}
    services = set(catalogue)
    unknown = [r for r in rights if r != "*" and r not in known and not (r.endswith(".*") and r[:-2] in services)]
    if unknown:
        raise ValidationFailed.field("rights", f"unknown right(s): {', '.join(unknown[:10])}")
