"""Matching a website booking to a card (OND-4): the pure rule, no database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from scheduling.patients.matching import CardMatch, TypedPatient, decide

FIRST, SECOND = uuid.UUID(int=1), uuid.UUID(int=2)
TYPED = TypedPatient("Семенова", "Алена", None, "79221112233", date(1990, 2, 3))


@dataclass(frozen=True)
class Card:
    last_name: str = "Семёнова"
    first_name: str = "АЛЁНА"
    middle_name: str | None = None
    birth_date: date | None = date(1990, 2, 3)
    mobile_phone: str | None = "79221112233"
    id: uuid.UUID = FIRST


def test_one_card_with_the_name_birth_date_and_phone_is_the_match() -> None:
    assert decide(TYPED, [Card()]) == CardMatch(patient_id=FIRST, candidates=1)


def test_an_exact_match_wins_over_a_relative_sharing_the_phone() -> None:
    parent = Card(first_name="Ольга", birth_date=date(1965, 1, 1), id=SECOND)
    assert decide(TYPED, [parent, Card()]).patient_id == FIRST


def test_two_exact_matches_are_ambiguous() -> None:
    assert decide(TYPED, [Card(), Card(id=SECOND)]) == CardMatch(kind="ambiguous", candidates=2)


def test_a_middle_name_on_one_side_only_is_not_the_same_name() -> None:
    assert decide(TYPED, [Card(middle_name="Петровна")]).kind == "partial"


def test_without_a_birth_date_a_booking_matches_no_card_exactly() -> None:
    assert decide(replace(TYPED, birth_date=None), [Card()]).kind == "partial"


def test_a_namesake_with_another_birth_date_and_phone_is_no_match() -> None:
    assert decide(TYPED, [Card(birth_date=date(1991, 2, 3), mobile_phone="79220000000")]) == CardMatch()
