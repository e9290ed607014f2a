"""Contract price lists (PRO-7): create, read, change, delete; the prices a calculation takes.

The source program's price list (прайс-лист) shows a service's group, its name and "the price
of the service under the contract with the organisation"; here each contract carries its own
list of services (code, name, group, price), and calculations take those prices (see rules.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from profexam.exams.models import Exam
from profexam.names import fold
from profexam.organizations import service as organization_service
from profexam.organizations.models import Contract
from profexam.organizations.repository import ContractRepository
from profexam.prices.models import ContractPrice
from profexam.prices.repository import PriceRepository
from profexam.prices.rules import code_key, contract_in_force
from profexam.prices.schemas import PriceCreate, PriceUpdate
from profexam.scope import OrganizationScope

log = get_logger(__name__)


async def list_prices(
    session: AsyncSession, *, contract_id: uuid.UUID, q: str | None, limit: int, offset: int, scope: OrganizationScope
) -> tuple[Sequence[ContractPrice], int]:
    """A contract's price list by code; `q` matches part of the code or the name."""
    await organization_service.get_contract(session, contract_id=contract_id, scope=scope)
    return await PriceRepository(session).of_contract(
        contract_id, q=(q or "").strip() or None, limit=limit, offset=offset
    )


async def get_price(
    session: AsyncSession,
    *,
    contract_id: uuid.UUID,
    price_id: uuid.UUID,
    scope: OrganizationScope,
    for_update: bool = False,
) -> ContractPrice:
    """One service of a contract's price list; 404 when it is not that contract's (or not the caller's)."""
    await organization_service.get_contract(session, contract_id=contract_id, scope=scope)
    price = await PriceRepository(session).get(price_id, for_update=for_update)
    if price is None or price.contract_id != contract_id:
        raise NotFound(f"Price {price_id} not found in contract {contract_id}.")
    return price


def _duplicate(existing: ContractPrice | None, code: str) -> Conflict:
    conflicts = [{"id": str(existing.id), "code": existing.code}] if existing is not None else []
    return Conflict(
        f"The service {code!r} is already in this contract's price list.", code="price-code-taken", conflicts=conflicts
    )


async def create_price(
    session: AsyncSession, *, contract_id: uuid.UUID, data: PriceCreate, scope: OrganizationScope
) -> ContractPrice:
    """Add a service to a contract's price list; 409 when its code is already listed."""
    await organization_service.get_contract(session, contract_id=contract_id, scope=scope)
    repository = PriceRepository(session)
    key = code_key(data.code)
    existing = await repository.find(contract_id, key)
    if existing is not None:
        raise _duplicate(existing, data.code)
    now = utcnow()
    price = ContractPrice(
        id=uuid.uuid4(),
        contract_id=contract_id,
        code=data.code,
        code_key=key,
        name=data.name,
        name_norm=fold(data.name),
        group=data.group,
        price=data.price,
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            await repository.add(price)
    except IntegrityError as exc:  # the same code added at the same moment
        raise _duplicate(await repository.find(contract_id, key), data.code) from exc
    log.info("profexam.price.created", contract_id=str(contract_id), price_id=str(price.id))
    return price


async def update_price(
    session: AsyncSession,
    *,
    contract_id: uuid.UUID,
    price_id: uuid.UUID,
    data: PriceUpdate,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> ContractPrice:
    """Change the fields sent (of the version `if_match` names: 412 otherwise); a new code must
    not be listed already (409)."""
    price = await get_price(session, contract_id=contract_id, price_id=price_id, scope=scope, for_update=True)
    check_if_match(if_match, price, principal)
    sent = data.model_dump(exclude_unset=True)
    for name in ("code", "name", "price"):
        if name in sent and sent[name] is None:
            raise ValidationFailed.field(name, "must not be empty")
    repository = PriceRepository(session)
    if "code" in sent and code_key(sent["code"]) != price.code_key:
        key = code_key(sent["code"])
        existing = await repository.find(contract_id, key)
        if existing is not None:
            raise _duplicate(existing, sent["code"])
        price.code_key = key
    for name, value in sent.items():
        setattr(price, name, value)
    price.name_norm = fold(price.name)
    price.updated_at = utcnow()
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise _duplicate(await repository.find(contract_id, price.code_key), price.code) from exc
    return price


async def delete_price(
    session: AsyncSession,
    *,
    contract_id: uuid.UUID,
    price_id: uuid.UUID,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> None:
    """Take a service off a contract's price list (saved calculations keep their prices)."""
    price = await get_price(session, contract_id=contract_id, price_id=price_id, scope=scope, for_update=True)
    check_if_match(if_match, price, principal)
    await PriceRepository(session).delete(price)
    log.info("profexam.price.deleted", contract_id=str(contract_id), price_id=str(price_id))


async def contract_for_exam(session: AsyncSession, exam: Exam) -> Contract | None:
    """The contract whose prices apply to the exam's calculations (see rules.py)."""
    repository = ContractRepository(session)
    if exam.contract_id is not None:
        return await repository.get(exam.contract_id)
    contracts = await repository.all_of_organization(exam.organization_id)
    return contract_in_force(contracts, exam.period_from)  # type: ignore[return-value]  # the contracts passed are price contracts


async def prices_by_code(session: AsyncSession, contract_id: uuid.UUID) -> dict[str, Decimal]:
    """The contract's price list as folded code → price."""
    return await PriceRepository(session).prices_by_code(contract_id)
