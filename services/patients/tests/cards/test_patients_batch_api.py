"""POST /cards/batch: imports find or create many cards at once, all or nothing (PAT-1)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
BATCH = "/api/patients/cards/batch"


def person(
    last_name: str, first_name: str = "Иван", middle_name: str | None = "Петрович", **extra: Any
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "last_name": last_name,
        "first_name": first_name,
        "middle_name": middle_name,
        "birth_date": "1985-04-12",
    }
    card.update(extra)
    return card


def many_people(count: int, prefix: str) -> list[dict[str, Any]]:
    """`count` different people: distinct last names, birth dates spread over decades."""
    start = date(1950, 1, 1)
    return [
        {
            "last_name": f"{prefix}{i}",
            "first_name": "Мария",
            "middle_name": "Ивановна",
            "birth_date": (start + timedelta(days=i * 3)).isoformat(),
            "mobile_phone": f"+7 922 {i:07d}",
        }
        for i in range(count)
    ]


async def post_batch(
    platform: Platform, cards: list[Any], headers: dict[str, str] | None = None, **options: Any
) -> httpx.Response:
    return await platform.client.post(
        BATCH, json={"cards": cards, **options}, headers=headers or platform.admin_headers, timeout=120
    )


async def batch_ok(platform: Platform, cards: list[Any], **options: Any) -> dict[str, Any]:
    response = await post_batch(platform, cards, **options)
    assert response.status_code == 200, response.text[:2000]
    return response.json()  # type: ignore[no-any-return]


async def found(platform: Platform, q: str) -> list[dict[str, Any]]:
    response = await platform.client.get(CARDS, params={"q": q, "limit": 100}, headers=platform.admin_headers)
    assert response.status_code == 200, response.text[:2000]
    return response.json()["items"]  # type: ignore[no-any-return]


def error_fields(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["field"] for e in response.json()["errors"]}


async def events_settled(platform: Platform) -> None:
    """Wait until every event queued so far went out: create a card and wait for its event."""
    marker = await platform.client.post(
        CARDS, json={"last_name": f"Маркер{uuid.uuid4().hex[:6]}", "first_name": "М"}, headers=platform.admin_headers
    )
    await platform.wait_for_event("patient.created", lambda e: e.aggregate_id == marker.json()["id"])


async def no_created_events_for(platform: Platform, last_names: set[str]) -> bool:
    """True when no `patient.created` went out for these names."""
    await events_settled(platform)
    return not [e for e in platform.spy.of_type("patient.created") if e.data["last_name"] in last_names]


async def test_every_new_card_is_created_with_its_number(platform: Platform) -> None:
    cards = [person("Батчев"), person("Батчева", "Анна", "Петровна", sex="female"), person("Батчин", birth_date=None)]
    body = await batch_ok(platform, cards)
    assert (body["created"], body["matched"]) == (3, 0)
    assert [(i["index"], i["created"], i["matched"]) for i in body["items"]] == [
        (0, True, False),
        (1, True, False),
        (2, True, False),
    ]
    stored = [
        (await platform.client.get(f"{CARDS}/{i['id']}", headers=platform.admin_headers)).json() for i in body["items"]
    ]
    assert [(c["last_name"], c["birth_date"], c["version"]) for c in stored] == [
        ("Батчев", "1985-04-12", 1),
        ("Батчева", "1985-04-12", 1),
        ("Батчин", None, 1),
    ]
    assert [int(c["card_number"]) for c in stored] == list(
        range(int(stored[0]["card_number"]), int(stored[0]["card_number"]) + 3)
    )
    history = await platform.client.get(f"{CARDS}/{stored[0]['id']}/history", headers=platform.admin_headers)
    assert [e["action"] for e in history.json()["items"]] == ["created"]


async def test_cards_are_checked_and_cleaned_like_single_ones(platform: Platform) -> None:
    cards = [person("  Чистов ", mobile_phone="8 (922) 111-22-33", email=" Chist@Mail.RU ", middle_name="Петровна")]
    body = await batch_ok(platform, cards)
    card = (await platform.client.get(f"{CARDS}/{body['items'][0]['id']}", headers=platform.admin_headers)).json()
    # Names cleaned, phone and e-mail normalised, sex from the patronymic (PAT-6).
    assert (card["last_name"], card["mobile_phone"], card["email"], card["sex"]) == (
        "Чистов",
        "79221112233",
        "chist@mail.ru",
        "female",
    )


async def test_existing_card_is_matched_regardless_of_case_and_yo(platform: Platform) -> None:
    existing = await platform.client.post(
        CARDS, json=person("Семёнов", "Пётр", "Ильич", birth_date="1980-01-01"), headers=platform.admin_headers
    )
    body = await batch_ok(platform, [person("СЕМЕНОВ", "петр", "ильич", birth_date="1980-01-01")])
    assert body["items"] == [{"index": 0, "id": existing.json()["id"], "created": False, "matched": True}]
    assert (body["created"], body["matched"]) == (0, 1)
    assert len(await found(platform, "семенов петр")) == 1


async def test_another_birth_date_or_patronymic_is_another_person(platform: Platform) -> None:
    await platform.client.post(CARDS, json=person("Двойников"), headers=platform.admin_headers)
    body = await batch_ok(
        platform, [person("Двойников", birth_date="1985-04-13"), person("Двойников", middle_name="Павлович")]
    )
    assert body["created"] == 2 and body["matched"] == 0
    assert len(await found(platform, "двойников")) == 3


async def test_deleted_cards_and_cards_without_birth_date_are_never_matched(platform: Platform) -> None:
    deleted = (await platform.client.post(CARDS, json=person("Удалёнов"), headers=platform.admin_headers)).json()
    await platform.client.delete(f"{CARDS}/{deleted['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    undated = person("Бездатов", birth_date=None)
    await platform.client.post(CARDS, json=undated, headers=platform.admin_headers)
    body = await batch_ok(platform, [person("Удаленов"), undated, undated])
    assert [i["created"] for i in body["items"]] == [True, True, True]
    assert deleted["id"] not in {i["id"] for i in body["items"]}
    assert len(await found(platform, "бездатов")) == 3


async def test_the_same_person_twice_in_a_batch_gets_one_card(platform: Platform) -> None:
    cards = [person("Повторкин"), person("Другов"), person("ПОВТОРКИН", "иван", "петрович")]
    body = await batch_ok(platform, cards)
    first, _, again = body["items"]
    assert again == {"index": 2, "id": first["id"], "created": False, "matched": True}
    assert (body["created"], body["matched"]) == (2, 1)
    assert len(await found(platform, "повторкин")) == 1


async def test_without_match_existing_every_card_is_new(platform: Platform) -> None:
    await platform.client.post(CARDS, json=person("Несверкин"), headers=platform.admin_headers)
    body = await batch_ok(platform, [person("Несверкин"), person("Несверкин")], match_existing=False)
    assert body["created"] == 2 and body["matched"] == 0
    assert len(await found(platform, "несверкин")) == 3


async def test_an_invalid_card_refuses_the_batch_naming_every_invalid_card(platform: Platform) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    cards = [
        person("Верный"),
        person("Будущев", birth_date=tomorrow),
        person("Бесполов", sex="unknown"),
        person("Беззвонов", mobile_phone="12345"),
        person("Упр\x07авлев"),
        person("", first_name=""),
        "not a card",
        person("Лишнев", passport="1234"),
    ]
    response = await post_batch(platform, cards)
    assert error_fields(response) == {
        "cards.1.birth_date",
        "cards.2.sex",
        "cards.3.mobile_phone",
        "cards.4.last_name",
        "cards.5.last_name",
        "cards.5.first_name",
        "cards.6",
        "cards.7.passport",
    }
    assert "nothing was saved" in response.json()["detail"]
    # Nothing written: not the valid card either, and no event.
    assert await found(platform, "верный") == []
    assert await no_created_events_for(platform, {"Верный"})


async def test_required_data_policy_applies_to_every_card(platform: Platform) -> None:
    await platform.client.put(
        "/api/patients/settings",
        json={"required_fields_enabled": True},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    complete = person("Полнов", mobile_phone="+79221234567")
    response = await post_batch(platform, [complete, person("Неполнов", middle_name=None, mobile_phone="+79221234568")])
    assert error_fields(response) == {"cards.1.middle_name"}
    assert await found(platform, "полнов") == []


async def test_dry_run_checks_and_matches_but_writes_nothing(platform: Platform) -> None:
    existing = (await platform.client.post(CARDS, json=person("Пробин"), headers=platform.admin_headers)).json()
    cards = [person("Пробин"), person("Новопробин"), person("Новопробин")]
    body = await batch_ok(platform, cards, dry_run=True)
    assert body["items"] == [
        {"index": 0, "id": existing["id"], "created": False, "matched": True},
        {"index": 1, "id": None, "created": True, "matched": False},
        {"index": 2, "id": None, "created": False, "matched": True},
    ]
    assert (body["created"], body["matched"]) == (1, 2)
    assert await found(platform, "новопробин") == []
    assert await no_created_events_for(platform, {"Новопробин"})
    refused = await post_batch(platform, [person("Пробин", sex="x")], dry_run=True)
    assert error_fields(refused) == {"cards.0.sex"}


async def test_more_than_5000_cards_is_422_naming_cards(platform: Platform) -> None:
    response = await post_batch(platform, [person("Многов")] * 5001)
    assert error_fields(response) == {"cards"}
    assert await found(platform, "многов") == []


async def test_a_batch_that_is_not_a_list_is_422(platform: Platform) -> None:
    assert error_fields(await post_batch(platform, {"last_name": "Х"})) == {"cards"}  # type: ignore[arg-type]


async def test_one_patient_created_event_per_new_card(platform: Platform) -> None:
    existing = (await platform.client.post(CARDS, json=person("Событиев"), headers=platform.admin_headers)).json()
    cards = [
        person("Событиев"),
        person("Событийный", birth_date="2015-06-01"),
        person("Событийный", birth_date="2015-06-01"),
    ]
    body = await batch_ok(platform, cards)
    new_id = body["items"][1]["id"]
    event = await platform.wait_for_event("patient.created", lambda e: e.aggregate_id == new_id)
    card = (await platform.client.get(f"{CARDS}/{new_id}", headers=platform.admin_headers)).json()
    assert event.aggregate_version == 1 and event.producer == "patients"
    assert (event.data["card_number"], event.data["is_minor"], event.data["deleted"]) == (
        card["card_number"],
        True,
        False,
    )
    await events_settled(platform)
    created = [e.aggregate_id for e in platform.spy.of_type("patient.created")]
    assert created.count(new_id) == 1 and created.count(existing["id"]) == 1
    assert not platform.spy.of_type("patient.updated")


async def test_the_write_right_is_required(platform: Platform) -> None:
    reader = await platform.headers_with(["patients.read"])
    response = await post_batch(platform, [person("Читателев")], headers=reader)
    assert response.status_code == 403
    assert "patients.write" in response.json()["detail"]
    assert (await platform.client.post(BATCH, json={"cards": []})).status_code == 401
    writer = await platform.headers_with(["patients.write"])
    assert (await post_batch(platform, [person("Писателев")], headers=writer)).status_code == 200


async def test_matches_are_audited_as_reads(platform: Platform) -> None:
    existing = (await platform.client.post(CARDS, json=person("Аудитов"), headers=platform.admin_headers)).json()
    await batch_ok(platform, [person("Аудитов")])
    audit = await platform.client.get(
        "/api/patients/audit", params={"card_id": existing["id"]}, headers=platform.admin_headers
    )
    latest = audit.json()["items"][0]
    assert (latest["action"], latest["detail"]) == ("search", "batch match")


async def test_card_numbers_are_unique_and_sequential_between_concurrent_batches(platform: Platform) -> None:
    single = asyncio.gather(
        *(platform.client.post(CARDS, json=person(f"Одинцов{i}"), headers=platform.admin_headers) for i in range(3))
    )
    batches = asyncio.gather(*(post_batch(platform, many_people(40, f"Параллель{n}-")) for n in range(3)))
    singles, answers = await asyncio.gather(single, batches)
    numbers: list[int] = [int(r.json()["card_number"]) for r in singles]
    for n, answer in enumerate(answers):
        assert answer.status_code == 200, answer.text[:2000]
        number_of = {c["id"]: int(c["card_number"]) for c in await found(platform, f"Параллель{n}-")}
        batch_numbers = [number_of[i["id"]] for i in answer.json()["items"]]
        assert batch_numbers == list(range(batch_numbers[0], batch_numbers[0] + 40))
        numbers += batch_numbers
    assert len(set(numbers)) == len(numbers) == 123


async def test_concurrent_imports_of_the_same_people_create_each_card_once(platform: Platform) -> None:
    people = many_people(30, "Гонщиков")
    answers = await asyncio.gather(*(post_batch(platform, people) for _ in range(3)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    ids = [[i["id"] for i in a.json()["items"]] for a in answers]
    assert ids[0] == ids[1] == ids[2]
    assert sum(a.json()["created"] for a in answers) == 30


async def test_5000_cards_are_created_and_a_second_import_matches_them_all(platform: Platform) -> None:
    # Speed is measured by `make bench` (profexam import), not asserted here.
    people = many_people(5000, "Массов")
    first = await batch_ok(platform, people)
    assert first["created"] == 5000
    second = await batch_ok(platform, people)
    assert (second["created"], second["matched"]) == (0, 5000)
    assert [i["id"] for i in second["items"]] == [i["id"] for i in first["items"]]


async def test_a_repeated_request_with_its_idempotency_key_gets_the_same_answer(platform: Platform) -> None:
    key = {**platform.admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    cards = [person("Ключников", birth_date=None), person("Ключникова", "Анна", "Петровна")]
    first = await post_batch(platform, cards, headers=key)
    second = await post_batch(platform, cards, headers=key)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert len(await found(platform, "ключников")) == 2
    other_body = await post_batch(platform, [person("Ключников")], headers=key)
    assert error_fields(other_body) == {"Idempotency-Key"}


async def test_a_refused_batch_does_not_use_up_its_idempotency_key(platform: Platform) -> None:
    key = {**platform.admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    assert (await post_batch(platform, [person("Отказов", sex="x")], headers=key)).status_code == 422
    body = (await post_batch(platform, [person("Отказов")], headers=key)).json()
    assert body["created"] == 1
