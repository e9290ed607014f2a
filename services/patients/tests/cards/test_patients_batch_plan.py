"""How a batch decides each card: existing card, earlier card of the batch, or new (no database)."""

from __future__ import annotations

import uuid
from datetime import date

from patients.cards.batch import plan_batch
from patients.cards.creation import person_key
from patients.cards.repository import PersonKey

BORN = date(1985, 4, 12)


def key(last: str, first: str = "иван", middle: str = "петрович", born: date | None = BORN) -> PersonKey | None:
    return person_key({"last_name": last, "first_name": first, "middle_name": middle, "birth_date": born})


def test_person_key_is_case_and_yo_insensitive_and_needs_a_birth_date() -> None:
    assert key("Семёнов", "Пётр", "  Ильич ") == key("СЕМЕНОВ", "петр", "ильич")
    assert key("Семенов", middle=None) == ("семенов", "иван", "", BORN)
    assert key("Семенов", born=None) is None


def test_existing_first_then_the_first_card_of_the_batch_then_new() -> None:
    known = uuid.uuid4()
    keys = [key("Старов"), key("Новов"), key("новов"), None, None, key("Старов")]
    known_key = key("Старов")
    assert known_key is not None
    plan = plan_batch(keys, {known_key: known})
    result = plan.result({1: uuid.UUID(int=1), 3: uuid.UUID(int=3), 4: uuid.UUID(int=4)})
    assert plan.new == [1, 3, 4]
    assert [(i.id, i.created, i.matched) for i in result.items] == [
        (known, False, True),
        (uuid.UUID(int=1), True, False),
        (uuid.UUID(int=1), False, True),
        (uuid.UUID(int=3), True, False),
        (uuid.UUID(int=4), True, False),
        (known, False, True),
    ]
    assert (result.created, result.matched) == (3, 3)


def test_a_dry_run_answers_no_ids_for_new_cards() -> None:
    result = plan_batch([key("Пробов"), key("Пробов")], {}).result({})
    assert [(i.id, i.created, i.matched) for i in result.items] == [(None, True, False), (None, False, True)]
