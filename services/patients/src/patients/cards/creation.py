"""Creating cards, one (POST /cards) or thousands (POST /cards/batch), the same way (PAT-1).

A new card gets the next card number, its phone and name index rows, a "created" journal entry
(PAT-8), an audit row (GW-3) and a `patient.created` event at version 1, all in the caller's
transaction. Many cards take one counter step and one INSERT per table, not one per card.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.service import ServiceRuntime
from patients import counters, events
from patients.audit import service as audit_service
from patients.audit.schemas import AuditAction
from patients.cards import rules
from patients.cards.models import TRACKED_FIELDS, PatientCard, snapshot_of
from patients.cards.names import card_name_tokens, normalize_for_search
from patients.cards.repository import CardRepository, PersonKey
from patients.cards.rules import NAME_FIELDS
from patients.history import rules as history_rules
from patients.history import service as history_service
from patients.policy import service as policy_service
from patients.settings import PatientsSettings
from patients.sex import service as sex_service

CARD_NUMBER_COUNTER = "card_number"
CARD_NUMBER_DIGITS = 6


def format_card_number(value: int) -> str:
    """1 → '000001'; numbers past 999999 just grow longer."""
    return f"{value:0{CARD_NUMBER_DIGITS}d}"


def settings_of(runtime: ServiceRuntime) -> PatientsSettings:
    """The service's own settings (create_app always builds PatientsSettings)."""
    return cast(PatientsSettings, runtime.settings)


@dataclass(frozen=True)
class CardChecks:
    """Everything checking a card needs, read once per request (policy and dictionary included)."""

    region: str
    today: date
    required_fields: bool
    sex_endings: Mapping[str, str]

    def prepare(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Cleaned values of a card's full field set; ValidationFailed lists every bad field."""
        return rules.prepare_card(
            values,
            region=self.region,
            today=self.today,
            required_fields=self.required_fields,
            sex_endings=self.sex_endings,
        )


async def load_checks(session: AsyncSession, settings: PatientsSettings) -> CardChecks:
    """The rules in force now: phone region, clinic date, PAT-2 policy and PAT-6 endings."""
    return CardChecks(
        region=settings.phone_region,
        today=rules.clinic_today(settings.timezone),
        required_fields=await policy_service.required_fields_enabled(session),
        sex_endings=await sex_service.endings_mapping(session),
    )


def stored_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns prepared values fill: journaled fields and the normalised name copies."""
    stored = {name: values.get(name) for name in TRACKED_FIELDS}
    stored["vip"] = bool(values.get("vip"))
    stored["other_phones"] = list(values.get("other_phones") or [])
    for name in NAME_FIELDS:
        stored[f"{name}_norm"] = normalize_for_search(stored[name])
    return stored


def name_tokens_of(stored: Mapping[str, Any]) -> list[str]:
    """The name index rows of a card (stored values or a row), from its normalised names."""
    return card_name_tokens(*(stored[f"{name}_norm"] or "" for name in NAME_FIELDS))


def apply_values(card: PatientCard, values: Mapping[str, Any]) -> None:
    """Set the journaled fields of a card from prepared values, and the normalised name copies."""
    for name, value in stored_values(values).items():
        setattr(card, name, value)


def person_key(values: Mapping[str, Any]) -> PersonKey | None:
    """Who prepared values describe, for matching: normalised names and birth date; None without one."""
    birth_date = values.get("birth_date")
    if birth_date is None:
        return None
    return (
        normalize_for_search(values.get("last_name")),
        normalize_for_search(values.get("first_name")),
        normalize_for_search(values.get("middle_name")),
        birth_date,
    )


async def lock_card_numbers(session: AsyncSession) -> None:
    """Hold the card-number counter until the transaction ends: no one else creates cards meanwhile.

    A batch takes it before matching, so two imports of the same people one after the other
    (or at once) cannot both miss each other's cards and create duplicates.
    """
    await counters.allocate(session, CARD_NUMBER_COUNTER, 0)


async def insert_cards(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    prepared: Sequence[Mapping[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    """Create a card from each of `prepared` (values from `CardChecks.prepare`), numbered in order.

    Returns the new cards' rows (column → value). Rows, not entities: building and flushing
    thousands of ORM objects costs more than the whole rest of an import.
    """
    if not prepared:
        return []
    numbers = await counters.allocate(session, CARD_NUMBER_COUNTER, len(prepared))
    now = utcnow()
    identity = {
        "version": 1,
        "deleted": False,
        "deleted_at": None,
        "created_at": now,
        "created_by": principal.user_id,
        "created_by_username": principal.username,
        "updated_at": now,
        "updated_by": principal.user_id,
        "updated_by_username": principal.username,
    }
    rows = [
        {**stored_values(values), **identity, "id": uuid.uuid4(), "card_number": format_card_number(number)}
        for values, number in zip(prepared, numbers, strict=True)
    ]
    repository = CardRepository(session)
    await repository.insert_rows(rows)
    await repository.add_phones([(row["id"], [row["mobile_phone"], *row["other_phones"]]) for row in rows])
    await repository.add_name_tokens([(row["id"], name_tokens_of(row)) for row in rows])
    await history_service.record_many(
        session,
        action="created",
        principal=principal,
        entries=[(row["id"], 1, history_rules.creation(snapshot_of(row))) for row in rows],
    )
    await audit_service.record(
        session, principal=principal, action=AuditAction.CREATE, card_ids=[r["id"] for r in rows]
    )
    await events.publish_patient_events(
        runtime, session, "patient.created", rows, today=today, minor_age=settings_of(runtime).minor_age
    )
    return rows
