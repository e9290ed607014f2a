"""Directory items: list, create, edit, delete (SCH-1), and the lookups other domains use.

Deleting an item that something refers to is refused with 409 naming the uses; such an item
is deactivated instead (`PATCH {"active": false}`): it stays on old appointments and
schedules, and new ones cannot choose it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.phones import InvalidPhone, normalize_phone
from scheduling.directories.models import DeletionReason, Doctor, RecordType, Specialization
from scheduling.directories.registry import DirectorySpec
from scheduling.directories.repository import DirectoryRepository, existing_ids

log = get_logger(__name__)
T = TypeVar("T")


async def list_items(
    session: AsyncSession, spec: DirectorySpec, *, filters: BaseModel, active: bool | None, limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    """A page of a directory's items."""
    return await DirectoryRepository(session, spec).page(
        filters=filters.model_dump(), active=active, limit=limit, offset=offset
    )


async def get_item(session: AsyncSession, spec: DirectorySpec, item_id: uuid.UUID, *, for_update: bool = False) -> Any:
    """An item by id; 404 when there is none."""
    item = await DirectoryRepository(session, spec).get(item_id, for_update=for_update)
    if item is None:
        raise NotFound(f"No {spec.label} {item_id}.")
    return item


async def create_item(session: AsyncSession, spec: DirectorySpec, data: BaseModel, *, phone_region: str) -> Any:
    """Create an item after checking its references and unique fields."""
    values = data.model_dump()
    _normalize_phones(spec, values, phone_region)
    await _check_values(session, spec, values, item_id=None)
    item = spec.model(id=uuid.uuid4())
    await _apply(session, item, values)
    session.add(item)
    await _flush_unique(session, spec)
    log.info("scheduling.directory.created", directory=spec.path, item_id=str(item.id))
    return item


async def update_item(
    session: AsyncSession,
    spec: DirectorySpec,
    item_id: uuid.UUID,
    data: BaseModel,
    *,
    phone_region: str,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> Any:
    """Change the fields sent; null clears an optional field; 412 when the item changed since
    `If-Match` (not required)."""
    item = await get_item(session, spec, item_id, for_update=True)
    check_if_match(if_match, item, principal)
    values = data.model_dump(exclude_unset=True)
    _normalize_phones(spec, values, phone_region)
    for name in spec.required:
        if name in values and values[name] is None:
            raise ValidationFailed.field(name, "must not be null")
    if isinstance(item, RecordType) and item.system and values.get("code", item.code) != item.code:
        raise ValidationFailed.field("code", "a system record type keeps its code")
    if isinstance(item, DeletionReason):
        _check_reserved_update(item, values)
    await _check_values(session, spec, values, item_id=item.id)
    await _apply(session, item, values)
    if values:
        item.updated_at = utcnow()  # a new version (the ETag) even when only a relation changed
    await _flush_unique(session, spec)
    return item


async def delete_item(
    session: AsyncSession,
    spec: DirectorySpec,
    item_id: uuid.UUID,
    *,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> None:
    """Delete an unused item; 409 naming its uses otherwise (deactivate it instead); 412 when it
    changed since `If-Match` (not required)."""
    item = await get_item(session, spec, item_id, for_update=True)
    check_if_match(if_match, item, principal)
    if isinstance(item, RecordType) and item.system:
        raise Conflict(
            "A system record type cannot be deleted; deactivate it instead.", code="system-item", reason="system_item"
        )
    if isinstance(item, DeletionReason) and item.reserved:
        raise Conflict(
            "A reserved deletion reason cannot be deleted: patients' cancellations from ONDOC and "
            "the website are recorded with it.",
            code="reserved-item",
            reason="reserved_item",
        )
    uses = await DirectoryRepository(session, spec).uses(item.id)
    if uses:
        raise Conflict(
            f"The {spec.label} is in use ({', '.join(uses)}); deactivate it with active=false instead.",
            code="in-use",
            reason="in_use",
            uses=uses,
        )
    try:
        async with session.begin_nested():
            await session.delete(item)
            await session.flush()
    except IntegrityError as exc:
        # Someone started using it between our check and the delete.
        raise Conflict(f"The {spec.label} is in use; deactivate it instead.", code="in-use", reason="in_use") from exc
    log.info("scheduling.directory.deleted", directory=spec.path, item_id=str(item_id))


def _check_reserved_update(item: DeletionReason, values: dict[str, Any]) -> None:
    """A reserved reason keeps its name, stays active and reserved; no reason becomes reserved."""
    wanted = values.pop("reserved", None)
    if wanted is not None and wanted != item.reserved:
        raise Conflict(
            "The reserved flag of a deletion reason cannot be changed: reserved reasons are created by the platform.",
            code="reserved-item",
            reason="reserved_item",
            field="reserved",
        )
    if not item.reserved:
        return
    for name, keeps in (("name", item.name), ("active", True)):
        if name in values and values[name] != keeps:
            raise Conflict(
                f"A reserved deletion reason cannot be changed ({name}): patients' cancellations from "
                "ONDOC and the website are recorded with it.",
                code="reserved-item",
                reason="reserved_item",
                field=name,
            )


async def require_item(
    session: AsyncSession,
    model: type[T],
    item_id: uuid.UUID,
    *,
    field: str,
    label: str,
    active: bool = True,
    options: Sequence[ORMOption] = (),
) -> T:
    """The item a request names in `field`; 422 naming the field when unknown (or inactive)."""
    return checked_item(await session.get(model, item_id, options=options), field=field, label=label, active=active)


def checked_item(item: T | None, *, field: str, label: str, active: bool = True) -> T:
    """`require_item`'s check of an item already read (None: there is none)."""
    if item is None:
        raise ValidationFailed.field(field, f"no such {label}", "unknown")
    if active and not item.active:  # type: ignore[attr-defined]  # every directory model has `active`; the TypeVar cannot say so
        raise ValidationFailed.field(field, f"the {label} is inactive", "inactive")
    return item


async def optional_item(
    session: AsyncSession, model: type[T], item_id: uuid.UUID | None, *, field: str, label: str
) -> T | None:
    """`require_item` for an optional reference."""
    if item_id is None:
        return None
    return await require_item(session, model, item_id, field=field, label=label)


async def record_type_by_code(session: AsyncSession, code: str) -> RecordType | None:
    """A record type by its code (e.g. the seeded 'online' and 'ondoc')."""
    return (await session.execute(select(RecordType).where(RecordType.code == code))).scalar_one_or_none()


def _normalize_phones(spec: DirectorySpec, values: dict[str, Any], region: str) -> None:
    """Phone fields as card phones are kept: E.164 digits ('8 843 555 12 12' → '78435551212');
    an empty one clears the field; a bad one is 422 naming the field with the cards' message.
    Phones stored before this rule stay as they were until the item's phone is edited."""
    errors = []
    for name in spec.phones:
        raw = values.get(name)
        if raw is None:
            continue
        if not raw.strip():
            values[name] = None
            continue
        try:
            values[name] = normalize_phone(raw, region)
        except InvalidPhone as exc:
            errors.append({"field": name, "code": "invalid_phone", "message": str(exc)})
    if errors:
        raise ValidationFailed(f"Invalid input: {', '.join(e['field'] for e in errors)}", errors=errors)


async def _check_values(
    session: AsyncSession, spec: DirectorySpec, values: dict[str, Any], *, item_id: uuid.UUID | None
) -> None:
    errors = []
    for name, (model, label) in spec.references.items():
        ref = values.get(name)
        if ref is not None and await session.get(model, ref) is None:
            errors.append({"field": name, "code": "unknown", "message": f"no such {label}"})
    if values.get("specialization_ids"):
        wanted = list(dict.fromkeys(values["specialization_ids"]))
        found = await existing_ids(session, Specialization, wanted)
        errors += [
            {"field": f"specialization_ids.{index}", "code": "unknown", "message": "no such specialization"}
            for index, ref in enumerate(values["specialization_ids"])
            if ref not in found
        ]
    if errors:
        raise ValidationFailed(f"Invalid input: {', '.join(e['field'] for e in errors)}", errors=errors)
    repository = DirectoryRepository(session, spec)
    for name in spec.unique:
        if values.get(name) is not None:
            holder = await repository.holder_of(name, values[name], other_than=item_id)
            if holder is not None:
                raise Conflict(
                    f"Another {spec.label} already has {name} '{values[name]}'.",
                    code="duplicate-value",
                    conflicts=[str(holder)],
                )


async def _apply(session: AsyncSession, item: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "specialization_ids" and isinstance(item, Doctor):
            found = await existing_ids(session, Specialization, list(dict.fromkeys(value or [])))
            item.specializations = list(found.values())
        else:
            setattr(item, name, value)


async def _flush_unique(session: AsyncSession, spec: DirectorySpec) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        # Two creates with the same code raced past the check; the database kept one.
        raise Conflict(
            f"Another {spec.label} already has one of: {', '.join(spec.unique)}.", code="duplicate-value"
        ) from exc
