"""The harmful factor dictionary and organisations' own codes mapped to it (PRO-4)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from profexam.factors.codes import match_factor_tokens, normalize_source_code, split_factor_cell
from profexam.factors.models import FactorMapping, HarmfulFactor
from profexam.factors.repository import FactorMappingRepository, FactorRepository
from profexam.factors.schemas import FactorMappingCreate
from profexam.names import fold
from profexam.organizations import service as organization_service
from profexam.scope import OrganizationScope

log = get_logger(__name__)
DICTIONARY_FILE = "harmful_factors_29n.csv"


@dataclass(frozen=True)
class DictionaryRow:
    code: str
    parent_code: str | None
    title: str
    section: str


def dictionary_rows() -> list[DictionaryRow]:
    """The Order 29n list shipped with the service (data/harmful_factors_29n.csv), in order."""
    text = resources.files("profexam.data").joinpath(DICTIONARY_FILE).read_text(encoding="utf-8")
    return [
        DictionaryRow(r["code"].strip(), r["parent_code"].strip() or None, r["title"].strip(), r["section"].strip())
        for r in csv.DictReader(io.StringIO(text))
    ]


async def load_dictionary(session: AsyncSession) -> int:
    """Insert missing and refresh changed dictionary rows; returns how many changed. Idempotent."""
    existing = await FactorRepository(session).by_code()
    changed = 0
    for position, row in enumerate(dictionary_rows(), start=1):
        values = {
            "parent_code": row.parent_code,
            "title": row.title,
            "title_norm": fold(row.title),
            "section": row.section,
            "position": position,
        }
        factor = existing.get(row.code)
        if factor is None:
            session.add(HarmfulFactor(code=row.code, **values))
            changed += 1
        elif any(getattr(factor, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(factor, key, value)
            changed += 1
    await session.flush()
    if changed:
        log.info("profexam.factors.loaded", changed=changed)
    return changed


async def search_factors(
    session: AsyncSession, *, q: str | None, section: str | None, parent_code: str | None, limit: int, offset: int
) -> tuple[Sequence[HarmfulFactor], int]:
    """Dictionary items by code prefix or words of the title, in the order's order."""
    return await FactorRepository(session).search(
        q=fold(q) or None, section=section, parent_code=parent_code, limit=limit, offset=offset
    )


async def organization_mappings(session: AsyncSession, organization_id: uuid.UUID) -> dict[str, str]:
    """The organisation's remembered codes: source code → dictionary code."""
    return {
        m.source_code: m.factor_code for m in await FactorMappingRepository(session).of_organization(organization_id)
    }


async def dictionary_codes(session: AsyncSession) -> set[str]:
    """Every code of the dictionary."""
    return await FactorRepository(session).all_codes()


async def resolve_codes(
    session: AsyncSession, *, organization_id: uuid.UUID, codes: Sequence[str], field: str
) -> list[str]:
    """Codes typed by a user → dictionary codes (through the organisation's mappings); 422 naming unknown ones."""
    tokens: list[str] = []
    for code in codes:
        tokens += [t for t in split_factor_cell(code) if t not in tokens]
    match = match_factor_tokens(
        tokens,
        dictionary=await dictionary_codes(session),
        mappings=await organization_mappings(session, organization_id),
    )
    if match.unknown:
        raise ValidationFailed.field(
            field, f"unknown harmful factor code(s): {', '.join(match.unknown)}", "unknown_factor_code"
        )
    return match.codes


async def list_mappings(
    session: AsyncSession, *, organization_id: uuid.UUID, scope: OrganizationScope
) -> Sequence[FactorMapping]:
    """An organisation's mappings by source code."""
    await organization_service.get_organization(session, organization_id=organization_id, scope=scope)
    return await FactorMappingRepository(session).of_organization(organization_id)


async def create_mapping(
    session: AsyncSession, *, organization_id: uuid.UUID, data: FactorMappingCreate, scope: OrganizationScope
) -> FactorMapping:
    """Remember that the organisation's `source_code` means the dictionary's `factor_code`."""
    await organization_service.get_organization(session, organization_id=organization_id, scope=scope)
    source = normalize_source_code(data.source_code)
    if not source:
        raise ValidationFailed.field("source_code", "must not be empty")
    factor_code = normalize_source_code(data.factor_code)
    if await FactorRepository(session).get(factor_code) is None:  # type: ignore[arg-type]  # a code checked to be a text by the schema
        raise ValidationFailed.field("factor_code", f"{data.factor_code!r} is not a code of the dictionary")
    repository = FactorMappingRepository(session)
    existing = await repository.find(organization_id, source)
    if existing is not None:
        raise Conflict(
            f"The code {source!r} is already mapped to {existing.factor_code}.",
            code="factor-code-mapped",
            conflicts=[{"id": str(existing.id), "source_code": source, "factor_code": existing.factor_code}],
        )
    mapping = FactorMapping(
        id=uuid.uuid4(), organization_id=organization_id, source_code=source, factor_code=factor_code
    )
    await repository.add(mapping)
    log.info("profexam.factor_mapping.created", organization_id=str(organization_id), mapping_id=str(mapping.id))
    return mapping


@dataclass(frozen=True)
class MappingVersion:
    """A mapping never changes (it is made, then forgotten): its version is when it was made,
    the `ETag` its creation answered (clinic_shared.concurrency reads `updated_at`)."""

    updated_at: datetime


def mapping_version(mapping: FactorMapping) -> MappingVersion:
    return MappingVersion(mapping.created_at)


async def delete_mapping(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    mapping_id: uuid.UUID,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> None:
    """Forget a mapping (412 when `if_match` names another version); later imports report that
    code as unknown again."""
    repository = FactorMappingRepository(session)
    mapping = await repository.get(mapping_id, for_update=True)
    if mapping is None or mapping.organization_id != organization_id or not scope.allows(organization_id):
        raise NotFound(f"Factor mapping {mapping_id} not found.")
    check_if_match(if_match, mapping_version(mapping), principal)
    await repository.delete(mapping)
