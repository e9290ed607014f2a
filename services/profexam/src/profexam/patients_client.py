"""The patients service as profexam uses it: through its API only, acting as the calling user.

Cards for an import are resolved with `POST /cards/batch` (all-or-nothing per call, existing
cards matched by name and birth date; a few calls in flight at once). An all-or-nothing import
larger than one batch is checked whole first (#19): every batch is sent with `dry_run` (patients
checks each card as it would create it and writes nothing), and only when none is refused are
the batches sent to create. So a card patients refuses in a later batch no longer leaves the
cards of the earlier batches created. What remains: patients failing (5xx) or its card rules
changing between the check and the creation; cards created by then stay, and are matched, not
duplicated, by the next import. An import that fits in one batch is one atomic call already.

When patients does not offer the batch endpoint yet (404/405), the same result is reached card
by card: a search by name and birth date, then `POST /cards` for those not found. That fallback
is not atomic: cards created before a later card fails stay in the archive (they are matched,
not duplicated, by the next import).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from clinic_shared.errors import ClinicError, Forbidden, NotFound, ServiceUnavailable, Unauthorized, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import PeerClient
from profexam.names import person_key

log = get_logger(__name__)
SEARCH_PAGE = 100
_BATCH_FIELD = re.compile(r"^(?:body\.)?cards[.\[](\d+)\]?(?:\.(\w+))?")


class PatientsRefused(ClinicError):
    """The patients service answered something profexam cannot use."""

    status, title = 502, "Bad gateway"


@dataclass(frozen=True)
class NewCard:
    """A card to find or create."""

    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    sex: str | None = None
    mobile_phone: str | None = None

    def body(self) -> dict[str, Any]:
        phone = self.mobile_phone
        if phone and phone.isdigit():
            # Already E.164 digits (profexam normalises phones): a '+' makes patients read them
            # without its region, as it reads its own stored phones.
            phone = f"+{phone}"
        return {
            "last_name": self.last_name,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "mobile_phone": phone,
        }


@dataclass
class CardResolution:
    """Card ids by the index of the requested card; which were created; why others failed.

    `numbers` holds the card numbers the answers carried: the per-card fallback always knows
    them, `/cards/batch` answers only ids (its items carry no `card_number` today).
    """

    ids: dict[int, uuid.UUID] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)
    errors: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    numbers: dict[int, str] = field(default_factory=dict)
    batch_used: bool = False


@dataclass(frozen=True)
class FoundCard:
    id: uuid.UUID
    card_number: str | None


class PatientsClient:
    """Calls to the patients service with the caller's token."""

    def __init__(
        self,
        client: Callable[[], httpx.AsyncClient | PeerClient],
        authorization: str,
        *,
        batch_size: int = 5000,
        concurrency: int = 4,
        batches_in_flight: int = 2,
    ) -> None:
        # A factory: the client is only looked up on the first call (503 then if patients is absent).
        self._client_factory = client
        # Per request, never on the shared client: concurrent requests carry different users.
        self.headers = {"Authorization": authorization} if authorization else {}
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.batches_in_flight = batches_in_flight

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client_factory().request(method, url, headers=self.headers, **kwargs)
        except httpx.HTTPError as exc:
            log.warning("profexam.patients.unreachable", error=type(exc).__name__)
            raise ServiceUnavailable("The patients service is unavailable; try again shortly.") from exc

    async def create_card(self, card: dict[str, Any]) -> dict[str, Any]:
        """POST /cards; the card's own validation errors come back under `patient.<field>`."""
        response = await self._send("POST", "/cards", json=card)
        if response.status_code == 201:
            return response.json()
        if response.status_code == 422:
            errors = [
                {"field": f"patient.{e.get('field', '')}", "message": e.get("message", "invalid")}
                for e in _problem(response).get("errors", [])
            ]
            raise ValidationFailed("The patients service refused the card.", errors=errors or None)
        raise _unexpected(response)

    async def get_card(self, card_id: uuid.UUID) -> dict[str, Any] | None:
        """GET /cards/{id}; None when there is no such card."""
        response = await self._send("GET", f"/cards/{card_id}")
        if response.status_code == 200:
            return response.json()
        if response.status_code == 404:
            return None
        raise _unexpected(response)

    async def card_numbers(self, card_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The card numbers of these cards (`GET /cards/{id}`, `concurrency` at a time); unknown ids are left out."""
        gate = asyncio.Semaphore(self.concurrency)
        found: dict[uuid.UUID, str] = {}

        async def fetch(card_id: uuid.UUID) -> None:
            async with gate:
                card = await self.get_card(card_id)
            if card is not None and card.get("card_number"):
                found[card_id] = str(card["card_number"])

        # Every call runs to its end before an error is raised (none is cut off half-way).
        outcomes = await asyncio.gather(*(fetch(i) for i in card_ids), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return found

    async def sex_endings(self) -> dict[str, str]:
        """The sex-by-patronymic dictionary (PAT-6) as ending → sex."""
        response = await self._send("GET", "/sex-endings")
        if response.status_code != 200:
            raise _unexpected(response)
        return {item["ending"]: item["sex"] for item in response.json()["items"]}

    async def resolve(
        self,
        cards: Sequence[NewCard],
        *,
        create: bool,
        drop_failed: bool,
        on_progress: Callable[[int], None] | None = None,
    ) -> CardResolution:
        """Find (and with `create`, create) a card for each entry.

        With `drop_failed`, cards patients refuses are left out and the rest still resolved;
        without it, all or nothing: when patients would refuse any card, none is created and
        every refused card of every batch is reported in `errors`.

        `batches_in_flight` batches are sent at once: patients checks a batch's cards before it
        waits for the one ahead to be written, so checking overlaps the database's work.
        """
        result = CardResolution()
        if not create:
            await self._resolve_one_by_one(cards, result, create=False, on_progress=on_progress)
            return result
        chunks = [
            list(range(start, min(start + self.batch_size, len(cards))))
            for start in range(0, len(cards), self.batch_size)
        ]
        if not drop_failed and len(chunks) > 1:
            refused = await self._check_batches(cards, chunks)
            if refused is None:  # patients has no batch endpoint
                await self._resolve_one_by_one(cards, result, create=True, on_progress=on_progress)
                return result
            if refused:
                result.errors.update(refused)
                return result
        gate = asyncio.Semaphore(self.batches_in_flight)
        done = 0

        async def send(chunk: list[int]) -> bool | None:
            nonlocal done
            async with gate:
                if result.errors and not drop_failed:
                    return True
                used = await self._resolve_batch(cards, chunk, result, drop_failed=drop_failed)
                done += len(chunk)
                if used and on_progress is not None:
                    on_progress(done)
                return used

        # Every call runs to its end before an error is raised: none is cut off half-way.
        outcomes = await asyncio.gather(*(send(chunk) for chunk in chunks), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        if None in outcomes:  # patients has no batch endpoint
            await self._resolve_one_by_one(cards, result, create=True, on_progress=on_progress)
            return result
        result.batch_used = bool(chunks)
        return result

    async def _check_batches(
        self, cards: Sequence[NewCard], chunks: list[list[int]]
    ) -> dict[int, list[dict[str, str]]] | None:
        """Every batch sent with `dry_run` (nothing is written): the cards patients would refuse,
        of all batches; None when there is no batch endpoint. Matching is off here: it changes
        no card's checks, and patients would journal each match as a read of that card."""
        gate = asyncio.Semaphore(self.batches_in_flight)
        refused: dict[int, list[dict[str, str]]] = {}

        async def check(chunk: list[int]) -> bool:
            async with gate:
                body = {"cards": [cards[i].body() for i in chunk], "match_existing": False, "dry_run": True}
                response = await self._send("POST", "/cards/batch", json=body)
            if response.status_code in (404, 405):
                return False
            if response.status_code == 422:
                refused.update(_batch_errors(response, chunk))
            elif response.status_code != 200:
                raise _unexpected(response)
            return True

        # Every call runs to its end before an error is raised: none is cut off half-way.
        outcomes = await asyncio.gather(*(check(chunk) for chunk in chunks), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        if not all(outcomes):
            return None
        return refused

    async def _resolve_batch(
        self, cards: Sequence[NewCard], indexes: list[int], result: CardResolution, *, drop_failed: bool
    ) -> bool | None:
        """One `/cards/batch` call (repeated without refused cards); None when there is no such endpoint."""
        pending = list(indexes)
        while pending:
            body = {"cards": [cards[i].body() for i in pending], "match_existing": True}
            response = await self._send("POST", "/cards/batch", json=body)
            if response.status_code in (404, 405):
                return None
            if response.status_code == 200:
                for item in response.json()["items"]:
                    index = pending[int(item["index"])]
                    result.ids[index] = uuid.UUID(str(item["id"]))
                    if item.get("created"):
                        result.created.add(index)
                    if item.get("card_number"):
                        result.numbers[index] = str(item["card_number"])
                return True
            if response.status_code != 422:
                raise _unexpected(response)
            refused = _batch_errors(response, pending)
            result.errors.update(refused)
            if not drop_failed:
                return True
            pending = [i for i in pending if i not in refused]
        return True

    async def cards_born_on(self, day: date) -> dict[tuple[str, str, str, date], FoundCard]:
        """Every non-deleted card with this birth date, by person key (first card wins)."""
        found: dict[tuple[str, str, str, date], FoundCard] = {}
        offset = 0
        while True:
            params = {"birth_date": day.isoformat(), "limit": SEARCH_PAGE, "offset": offset}
            response = await self._send("GET", "/cards", params=params)
            if response.status_code != 200:
                raise _unexpected(response)
            body = response.json()
            for item in body["items"]:
                if item.get("deleted") or not item.get("birth_date"):
                    continue
                key = person_key(
                    item["last_name"],
                    item["first_name"],
                    item.get("middle_name"),
                    date.fromisoformat(item["birth_date"]),
                )
                found.setdefault(key, FoundCard(uuid.UUID(item["id"]), item.get("card_number")))
            offset += len(body["items"])
            if not body["items"] or offset >= body["total"]:
                return found

    async def _resolve_one_by_one(
        self,
        cards: Sequence[NewCard],
        result: CardResolution,
        *,
        create: bool,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        # One search per birth date (not per person), then one POST per card not found.
        gate = asyncio.Semaphore(self.concurrency)
        known: dict[tuple[str, str, str, date], FoundCard] = {}

        async def search(day: date) -> None:
            async with gate:
                known.update(await self.cards_born_on(day))

        await asyncio.gather(*(search(day) for day in sorted({c.birth_date for c in cards})))
        missing = []
        for index, card in enumerate(cards):
            found = known.get(person_key(card.last_name, card.first_name, card.middle_name, card.birth_date))
            if found is not None:
                result.ids[index] = found.id
                if found.card_number:
                    result.numbers[index] = found.card_number
            else:
                missing.append(index)
        if not create:
            return
        done = len(result.ids)

        async def make(index: int) -> None:
            nonlocal done
            async with gate:
                try:
                    created = await self.create_card(cards[index].body())
                except ValidationFailed as refused:
                    result.errors[index] = [
                        {"field": e["field"].removeprefix("patient."), "message": e["message"]}
                        for e in (refused.errors or [{"field": "", "message": refused.detail}])
                    ]
                else:
                    result.ids[index] = uuid.UUID(created["id"])
                    result.created.add(index)
                    if created.get("card_number"):
                        result.numbers[index] = str(created["card_number"])
                done += 1
                if on_progress is not None and done % 100 == 0:
                    on_progress(done)

        await asyncio.gather(*(make(i) for i in missing))


def _batch_errors(response: httpx.Response, pending: list[int]) -> dict[int, list[dict[str, str]]]:
    refused: dict[int, list[dict[str, str]]] = {}
    for error in _problem(response).get("errors", []):
        match = _BATCH_FIELD.match(str(error.get("field", "")))
        if match is None or int(match.group(1)) >= len(pending):
            continue
        refused.setdefault(pending[int(match.group(1))], []).append(
            {"field": match.group(2) or "", "message": str(error.get("message", "invalid"))}
        )
    if not refused:
        raise PatientsRefused("The patients service refused the cards without saying which: " + _detail(response))
    return refused


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: httpx.Response) -> str:
    return str(_problem(response).get("detail") or f"HTTP {response.status_code}")


def _unexpected(response: httpx.Response) -> ClinicError:
    detail = _detail(response)
    if response.status_code == 403:
        problem = _problem(response)
        extra = {"missing_right": problem["missing_right"]} if "missing_right" in problem else {}
        return Forbidden(f"The patients service refused: {detail}", **extra)
    if response.status_code == 401:
        return Unauthorized(f"The patients service refused the token: {detail}")
    if response.status_code == 404:
        return NotFound(f"The patients service answered 404: {detail}")
    if response.status_code in (502, 503, 504):
        return ServiceUnavailable(f"The patients service is unavailable: {detail}")
    return PatientsRefused(f"The patients service answered {response.status_code}: {detail}")
