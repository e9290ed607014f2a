"""The patients client against the /cards/batch contract and the per-card fallback.

The patients service itself is exercised by the API tests; here an httpx MockTransport plays
patients exactly as its contract says, so the batch path is checked before it is deployed.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from clinic_shared.errors import Forbidden
from profexam.patients_client import NewCard, PatientsClient

CARDS = [NewCard("Иванов", "Иван", None, date(1980, 1, 1)), NewCard("Петров", "Пётр", "Ильич", date(1981, 2, 2))]


def client(handler: Any, **kwargs: Any) -> PatientsClient:
    http = httpx.AsyncClient(base_url="http://patients", transport=httpx.MockTransport(handler))
    return PatientsClient(lambda: http, "Bearer t", **kwargs)


async def test_the_batch_answer_maps_ids_back_to_the_cards() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert request.url.path == "/cards/batch" and body["match_existing"] is True
        assert request.headers["authorization"] == "Bearer t"
        return httpx.Response(
            200,
            json={
                "items": [
                    {"index": 0, "id": str(ids[0]), "created": True},
                    {"index": 1, "id": str(ids[1]), "created": False},
                ]
            },
        )

    result = await client(patients).resolve(CARDS, create=True, drop_failed=False)
    assert result.ids == {0: ids[0], 1: ids[1]} and result.created == {0} and result.batch_used


def created_all(cards: list[Any]) -> httpx.Response:
    """/cards/batch creating every card (a dry run answers the same, with no ids)."""
    return httpx.Response(
        200, json={"items": [{"index": i, "id": str(uuid.uuid4()), "created": True} for i in range(len(cards))]}
    )


async def test_cards_are_sent_in_batches_of_the_configured_size() -> None:
    sizes = []

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if not body.get("dry_run"):
            sizes.append(len(body["cards"]))
        return created_all(body["cards"])

    result = await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=False)
    assert sizes == [1, 1] and len(result.ids) == 2


async def test_all_or_nothing_checks_every_batch_with_a_dry_run_before_creating_any() -> None:
    calls: list[tuple[bool, bool, int]] = []  # (dry run, matching, cards)

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append((bool(body.get("dry_run")), body["match_existing"], len(body["cards"])))
        return created_all(body["cards"])

    result = await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=False)
    assert calls == [(True, False, 1), (True, False, 1), (False, True, 1), (False, True, 1)]
    assert len(result.ids) == 2 and result.created == {0, 1}


async def test_a_card_refused_in_a_later_batch_leaves_no_card_created_when_all_or_nothing() -> None:
    created: list[str] = []

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["cards"][0]["last_name"] == "Петров":
            return httpx.Response(
                422, json={"status": 422, "errors": [{"field": "cards.0.mobile_phone", "message": "bad"}]}
            )
        if not body.get("dry_run"):
            created.append(body["cards"][0]["last_name"])
        return created_all(body["cards"])

    result = await client(patients, batch_size=1, batches_in_flight=1).resolve(CARDS, create=True, drop_failed=False)
    assert created == [] and result.ids == {}
    assert result.errors == {1: [{"field": "mobile_phone", "message": "bad"}]}


async def test_refused_cards_of_every_batch_are_reported_when_all_or_nothing() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            422, json={"status": 422, "errors": [{"field": "cards.0.birth_date", "message": "future"}]}
        )

    result = await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=False)
    assert set(result.errors) == {0, 1} and result.ids == {}


async def test_an_import_of_one_batch_is_sent_once_without_a_dry_run() -> None:
    calls: list[bool] = []

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(bool(body.get("dry_run")))
        return created_all(body["cards"])

    await client(patients).resolve(CARDS, create=True, drop_failed=False)
    assert calls == [False]


async def test_partial_imports_create_without_a_dry_run() -> None:
    calls: list[bool] = []

    def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(bool(body.get("dry_run")))
        return created_all(body["cards"])

    await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=True)
    assert calls == [False, False]


async def test_without_the_batch_endpoint_the_dry_run_falls_back_to_card_by_card() -> None:
    seen: list[str] = []

    def patients(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/cards/batch":
            return httpx.Response(404, json={"status": 404})
        if request.method == "GET":
            return httpx.Response(200, json={"items": [], "total": 0})
        return httpx.Response(201, json={"id": str(uuid.uuid4())})

    result = await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=False)
    assert len(result.ids) == 2 and not result.batch_used
    assert seen.count("POST /cards") == 2


async def test_refused_cards_are_dropped_and_the_rest_sent_again_when_partial() -> None:
    calls = []

    def patients(request: httpx.Request) -> httpx.Response:
        cards = json.loads(request.content)["cards"]
        calls.append(len(cards))
        if len(cards) == 2:
            return httpx.Response(
                422, json={"status": 422, "errors": [{"field": "cards.1.mobile_phone", "message": "bad"}]}
            )
        return httpx.Response(200, json={"items": [{"index": 0, "id": str(uuid.uuid4()), "created": True}]})

    result = await client(patients).resolve(CARDS, create=True, drop_failed=True)
    assert calls == [2, 1] and set(result.ids) == {0}
    assert result.errors == {1: [{"field": "mobile_phone", "message": "bad"}]}


async def test_refused_cards_stop_creation_when_all_or_nothing() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            422, json={"status": 422, "errors": [{"field": "cards.0.birth_date", "message": "future"}]}
        )

    result = await client(patients).resolve(CARDS, create=True, drop_failed=False)
    assert result.ids == {} and result.errors == {0: [{"field": "birth_date", "message": "future"}]}


async def test_without_the_batch_endpoint_cards_are_searched_by_birth_date_then_created() -> None:
    existing = uuid.uuid4()
    created = uuid.uuid4()
    seen: list[str] = []

    def patients(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/cards/batch":
            return httpx.Response(405, json={"status": 405})
        if request.method == "GET":
            day = request.url.params["birth_date"]
            items = (
                [
                    {
                        "id": str(existing),
                        "last_name": "ИВАНОВ",
                        "first_name": "иван",
                        "middle_name": None,
                        "birth_date": day,
                        "deleted": False,
                    }
                ]
                if day == "1980-01-01"
                else []
            )
            return httpx.Response(200, json={"items": items, "total": len(items)})
        return httpx.Response(201, json={"id": str(created)})

    result = await client(patients).resolve(CARDS, create=True, drop_failed=False)
    assert result.ids == {0: existing, 1: created} and result.created == {1} and not result.batch_used
    assert sorted(seen) == ["GET /cards", "GET /cards", "POST /cards", "POST /cards/batch"]


async def test_a_dry_run_only_searches() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET"
        return httpx.Response(200, json={"items": [], "total": 0})

    result = await client(patients).resolve(CARDS, create=False, drop_failed=False)
    assert result.ids == {} and result.created == set()


async def test_a_refusal_for_lack_of_rights_is_403_naming_the_right() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            403,
            json={
                "status": 403,
                "detail": "The right 'patients.write' is required.",
                "missing_right": "patients.write",
            },
        )

    with pytest.raises(Forbidden) as caught:
        await client(patients).resolve(CARDS, create=True, drop_failed=False)
    assert caught.value.extra["missing_right"] == "patients.write"


async def test_the_next_batch_is_sent_while_one_is_being_written() -> None:
    arrived: list[int] = []
    both_in = asyncio.Event()

    async def patients(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        cards = body["cards"]
        if body.get("dry_run"):
            return created_all(cards)
        arrived.append(len(cards))
        if len(arrived) == 2:
            both_in.set()
        await asyncio.wait_for(both_in.wait(), timeout=5)  # the first answers only once the second came
        return httpx.Response(
            200, json={"items": [{"index": i, "id": str(uuid.uuid4()), "created": True} for i in range(len(cards))]}
        )

    result = await client(patients, batch_size=1, batches_in_flight=2).resolve(CARDS, create=True, drop_failed=False)
    assert arrived == [1, 1] and len(result.ids) == 2


async def test_no_batch_is_created_after_a_refused_check_when_all_or_nothing() -> None:
    calls = []

    def patients(request: httpx.Request) -> httpx.Response:
        calls.append(bool(json.loads(request.content).get("dry_run")))
        return httpx.Response(
            422, json={"status": 422, "errors": [{"field": "cards.0.mobile_phone", "message": "bad"}]}
        )

    result = await client(patients, batch_size=1, batches_in_flight=1).resolve(CARDS, create=True, drop_failed=False)
    assert calls == [True, True] and result.ids == {} and set(result.errors) == {0, 1}


async def test_progress_counts_the_cards_of_finished_batches() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        cards = json.loads(request.content)["cards"]
        return httpx.Response(
            200, json={"items": [{"index": i, "id": str(uuid.uuid4()), "created": True} for i in range(len(cards))]}
        )

    seen: list[int] = []
    await client(patients, batch_size=1).resolve(CARDS, create=True, drop_failed=False, on_progress=seen.append)
    assert sorted(seen) == [1, 2]


async def test_a_normalised_phone_is_sent_with_its_plus() -> None:
    sent = []

    def patients(request: httpx.Request) -> httpx.Response:
        cards = json.loads(request.content)["cards"]
        sent.extend(c["mobile_phone"] for c in cards)
        return httpx.Response(
            200, json={"items": [{"index": i, "id": str(uuid.uuid4()), "created": True} for i in range(len(cards))]}
        )

    cards = [NewCard("Иванов", "Иван", None, date(1980, 1, 1), mobile_phone="493012345678"), CARDS[1]]
    await client(patients).resolve(cards, create=True, drop_failed=False)
    assert sent == ["+493012345678", None]


async def test_card_numbers_are_fetched_per_card_and_unknown_cards_left_out() -> None:
    known, unknown = uuid.uuid4(), uuid.uuid4()

    def patients(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/cards/{known}":
            return httpx.Response(200, json={"id": str(known), "card_number": "000123"})
        return httpx.Response(404, json={"status": 404, "detail": "no card"})

    assert await client(patients).card_numbers([known, unknown]) == {known: "000123"}


async def test_a_refusal_while_fetching_card_numbers_is_raised() -> None:
    def patients(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"status": 403, "detail": "no", "missing_right": "patients.read"})

    with pytest.raises(Forbidden):
        await client(patients).card_numbers([uuid.uuid4()])
