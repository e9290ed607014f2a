"""Test ↔ service links (LAB-3): one by one, in bulk for a test, and per test."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match, etag
from clinic_shared.errors import Conflict, NotFound
from clinic_shared.service import ServiceRuntime
from lab.lab_tests import service as tests_service
from lab.links.models import TestServiceLink
from lab.links.repository import LinkRepository, LinkRow
from lab.links.scheduling import check_service
from lab.links.schemas import LinkRead


def link_read(row: LinkRow) -> LinkRead:
    """A link with the names people recognise it by."""
    link, test, cached = row
    return LinkRead(
        id=link.id,
        test_id=link.test_id,
        test_code=test.code,
        test_name=test.name,
        lab_id=test.lab_id,
        service_id=link.service_id,
        service_code=cached.code if cached else None,
        service_name=cached.name if cached else None,
        created_at=link.created_at,
    )


async def list_links(
    session: AsyncSession,
    *,
    test_id: uuid.UUID | None,
    service_id: uuid.UUID | None,
    lab_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[LinkRead], int]:
    """Links by test name."""
    rows, total = await LinkRepository(session).search(
        test_id=test_id, service_id=service_id, lab_id=lab_id, limit=limit, offset=offset
    )
    return [link_read(row) for row in rows], total


async def _verified(
    session: AsyncSession, runtime: ServiceRuntime, authorization: str | None, service_id: uuid.UUID, field: str
) -> None:
    entry = await check_service(runtime, authorization=authorization, service_id=service_id, field=field)
    if entry.verified:
        await LinkRepository(session).remember_service(service_id, entry.code, entry.name)


async def create_link(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    authorization: str | None,
    principal: Principal,
    test_id: uuid.UUID,
    service_id: uuid.UUID,
) -> LinkRead:
    """Link one test to one service; the same pair twice is a 409 naming the link."""
    await tests_service.get_test(session, test_id=test_id)
    repository = LinkRepository(session)
    existing = await repository.find(test_id, service_id)
    if existing is not None:
        raise Conflict(
            "The test is already linked to this service.",
            code="test-already-linked",
            conflicts=[{"link_id": str(existing.id)}],
        )
    await _verified(session, runtime, authorization, service_id, "service_id")
    link = await repository.add(
        TestServiceLink(id=uuid.uuid4(), test_id=test_id, service_id=service_id, created_by_username=principal.username)
    )
    row = await repository.joined(link.id)
    assert row is not None
    return link_read(row)


async def link_services(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    authorization: str | None,
    principal: Principal,
    test_id: uuid.UUID,
    service_ids: list[uuid.UUID],
    replace: bool,
) -> tuple[list[LinkRead], int]:
    """Link a test to every listed service (existing links stay); `replace` drops the others.

    Every id is checked before anything is written, so one unknown service changes nothing.
    """
    await tests_service.get_test(session, test_id=test_id)
    repository = LinkRepository(session)
    wanted = list(dict.fromkeys(service_ids))
    current = {link.service_id: link for link in await repository.of_test(test_id)}
    checked: set[uuid.UUID] = set(current)
    for index, service_id in enumerate(service_ids):
        if service_id not in checked:
            checked.add(service_id)
            await _verified(session, runtime, authorization, service_id, f"service_ids.{index}")
    for service_id in wanted:
        if service_id not in current:
            session.add(
                TestServiceLink(
                    id=uuid.uuid4(), test_id=test_id, service_id=service_id, created_by_username=principal.username
                )
            )
    if replace:
        await repository.remove([link.id for sid, link in current.items() if sid not in wanted])
    await session.flush()
    return await list_links(session, test_id=test_id, service_id=None, lab_id=None, limit=1000, offset=0)


@dataclass(frozen=True)
class _LinkVersion:
    updated_at: datetime


def link_etag(link: LinkRead) -> str:
    """A link's ETag: it never changes, so its version is when it was made (as `TestServiceLink`'s)."""
    return etag(_LinkVersion(link.created_at))


async def delete_link(
    session: AsyncSession, *, link_id: uuid.UUID, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Remove a link (the version `if_match` names, 412 otherwise); orders already made keep their tests."""
    repository = LinkRepository(session)
    link = await repository.get(link_id, for_update=True)
    if link is None:
        raise NotFound(f"Test-service link {link_id} not found.")
    check_if_match(if_match, link, principal)
    await repository.delete(link)
