"""The exchange worker (LAB-8): sends queued orders and polls sent ones for results.

Durable and retried: the queue is a table, so nothing is lost on restart. Due rows are claimed
with a lease (and `FOR UPDATE SKIP LOCKED` on PostgreSQL) so replicas never work on the same
row at once; the HTTP call happens outside any transaction; a failure is retried with
exponential backoff and jitter until `lab_exchange_max_attempts`, then the row is `failed`.
Sends carry the order id as idempotency key, so a retry after a lost answer is harmless.

Cancellations the lab must hear of go the same way (same backoff, same attempts), keyed by
order id too. One is queued only once the lab acknowledged the order — at cancel time, or when
a send that was in flight comes back — so a cancellation never overtakes its order.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select, update

from clinic_shared.db import Database, utcnow
from clinic_shared.errors import ClinicError
from clinic_shared.http import make_client
from clinic_shared.logging import get_logger
from clinic_shared.outbound import guarded_transport
from clinic_shared.tasks import finish_or_cancel, wait_event
from lab.exchange import service as exchange_service
from lab.exchange.http import HttpLabExchange
from lab.exchange.interface import CancelOutcome, ExchangeError, ExchangeResult, LabExchange
from lab.exchange.models import ExchangeItem
from lab.exchange.reasons import NO_EXCHANGE_URL, RESULTS_REFUSED
from lab.exchange.rules import state_after_ack
from lab.history import service as history
from lab.history.service import Actor
from lab.labs.models import ExternalLab
from lab.orders import service as orders_service
from lab.orders.models import LabOrder, OrderTest
from lab.orders.repository import OrderRepository
from lab.orders.rules import OrderStatus
from lab.results import service as results_service
from lab.results.rules import Flag
from lab.results.schemas import ResultEntry
from lab.settings import LabSettings

log = get_logger(__name__)
OPEN_STATUSES = (OrderStatus.CREATED, OrderStatus.SENT, OrderStatus.IN_PROGRESS)


def backoff_delay(attempt: int, *, base: float, cap: float, jitter: float) -> float:
    """Seconds before the next try after `attempt` failures: doubling, capped, times 0.5–1.5 (`jitter` in [0, 1))."""
    return min(cap, base * 2 ** max(0, attempt - 1)) * (0.5 + jitter)


class Exchanges:
    """Which LabExchange serves a lab: its own URL, else the in-process fake lab (when on).

    A lab's own URL is called through the outbound address policy (clinic_shared.outbound): each
    connection goes to an address checked right before it, so an exchange URL on a loopback,
    private or link-local address (or a name resolving to one) fails the try with the policy's
    reason unless the operator allows private targets (`outbound_allow_private`).
    """

    def __init__(self, settings: LabSettings, fake_transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self._clients: dict[str, httpx.AsyncClient] = {}
        if fake_transport is not None:
            self._clients[""] = make_client(
                "http://fake-lab", transport=fake_transport, timeout=settings.lab_exchange_timeout_seconds
            )

    def for_lab(self, exchange_url: str | None) -> LabExchange:
        """The adapter for a lab; ExchangeError when the lab cannot be reached at all."""
        key = exchange_url or ""
        client = self._clients.get(key)
        if client is None:
            if not exchange_url:
                raise ExchangeError(NO_EXCHANGE_URL)
            # Retries are the worker's job (with backoff), not the transport's.
            client = make_client(
                exchange_url,
                timeout=self.settings.lab_exchange_timeout_seconds,
                transport=guarded_transport(allow_private=self.settings.outbound_allow_private),
            )
            self._clients[key] = client
        return HttpLabExchange(client)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


def match_results(tests: list[OrderTest], results: list[ExchangeResult], done: set[uuid.UUID]) -> list[ResultEntry]:
    """The lab's results as entries for tests of the order still without one (by test id, else code)."""
    by_code = {t.code: t for t in tests}
    by_id = {t.test_id: t for t in tests}
    entries: dict[uuid.UUID, ResultEntry] = {}
    for result in results:
        test = by_id.get(result.test_id) if result.test_id else None
        test = test or (by_code.get(result.code) if result.code else None)
        if test is None or test.test_id in done or test.test_id in entries:
            continue
        try:
            entries[test.test_id] = ResultEntry(
                test_id=test.test_id,
                value=result.value,
                units=result.units,
                reference_low=result.reference_low,
                reference_high=result.reference_high,
                flag=Flag(result.flag) if result.flag else None,
                comment=result.comment,
            )
        except ValidationError:
            log.warning("lab.exchange.result_unreadable", test_id=str(test.test_id))
    return list(entries.values())


class ExchangeWorker:
    def __init__(self, db: Database, settings: LabSettings, exchanges: Exchanges, *, batch_size: int = 20) -> None:
        self.db = db
        self.settings = settings
        self.exchanges = exchanges
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"lab-exchange:{self.db.schema}")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self, timeout: float = 5.0) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        await finish_or_cancel(task, grace=timeout)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_once()
            except Exception as exc:
                log.warning("lab.exchange.pass_failed", error=type(exc).__name__, detail=str(exc)[:200])
            if self._stopping:
                return
            await wait_event(self._wake, self.settings.lab_exchange_tick_seconds)

    async def run_once(self) -> int:
        """One pass: send what is due, poll what is due, tell labs of cancellations. Returns the rows worked on."""
        sends, polls, cancels = await self._claim_due()
        for item_id in sends:
            await self._send(item_id)
        for item_id in polls:
            await self._poll(item_id)
        for item_id in cancels:
            await self._deliver_cancel(item_id)
        return len(sends) + len(polls) + len(cancels)

    async def _claim_due(self) -> tuple[list[uuid.UUID], list[uuid.UUID], list[uuid.UUID]]:
        """Lease the due sends, polls and cancellations in one short transaction."""
        now = utcnow()
        lease = now + timedelta(seconds=self.settings.lab_exchange_lease_seconds)
        due = (
            (ExchangeItem.state, "pending", ExchangeItem.next_attempt_at),
            (ExchangeItem.state, "sent", ExchangeItem.next_poll_at),
            (ExchangeItem.cancel_state, "pending", ExchangeItem.cancel_next_attempt_at),
        )
        # Not `db.session()`: its after-commit callbacks would wake the outbox relay for nothing.
        async with self.db.sessionmaker() as session, session.begin():
            claimed = []
            for state_column, state, column in due:
                statement = (
                    select(ExchangeItem.id)
                    .where(state_column == state, column <= now)
                    .order_by(column)
                    .limit(self.batch_size)
                )
                if self.db.is_postgres:
                    statement = statement.with_for_update(skip_locked=True)
                ids = list((await session.execute(statement)).scalars())
                if ids:
                    await session.execute(
                        update(ExchangeItem).where(ExchangeItem.id.in_(ids)).values({column.key: lease})
                    )
                claimed.append(ids)
        return claimed[0], claimed[1], claimed[2]

    async def _send(self, item_id: uuid.UUID) -> None:
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None or item.state != "pending":
                return
            order = await session.get(LabOrder, item.order_id)
            assert order is not None
            if order.status == OrderStatus.CANCELLED:
                item.state = "cancelled"
                return
            lab = await session.get(ExternalLab, order.lab_id)
            exchange_url = lab.exchange_url if lab else None
            payload = await exchange_service.build_exchange_order(session, order)
        try:
            external_id = await self.exchanges.for_lab(exchange_url).send_order(payload)
        except ExchangeError as exc:
            await self._send_failed(item_id, str(exc))
            return
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            order = await session.get(LabOrder, payload.order_id, with_for_update=True)
            assert item is not None and order is not None
            now = utcnow()
            state, tell_lab = state_after_ack(order.status)
            item.attempts += 1
            item.state, item.external_id, item.sent_at, item.last_error = state, external_id, now, None
            item.next_poll_at, item.updated_at = now, now
            actor = Actor(None, "lab-exchange")
            await history.record(
                session, order_id=order.id, action="sent", actor=actor, details={"external_id": external_id}
            )
            if tell_lab:
                # Cancelled while the send was in flight: the lab has it now, so it must hear.
                exchange_service.queue_cancel(item, reason=item.cancel_reason)
                await history.record(session, order_id=order.id, action="cancel_queued", actor=actor)
                self.wake()
            if order.status == OrderStatus.CREATED:
                await orders_service.change_status(session, order=order, status=OrderStatus.SENT.value, actor=actor)
        log.info("lab.exchange.sent", order_id=str(payload.order_id), attempts=item.attempts)

    async def _send_failed(self, item_id: uuid.UUID, error: str) -> None:
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None:
                return
            now = utcnow()
            item.attempts += 1
            item.last_error = error[:1000]
            item.updated_at = now
            if item.state != "pending":
                return  # cancelled while this try was in flight: nothing more to send
            if item.attempts >= self.settings.lab_exchange_max_attempts:
                item.state = "failed"
                await history.record(
                    session,
                    order_id=item.order_id,
                    action="send_failed",
                    actor=Actor(None, "lab-exchange"),
                    details={"attempts": item.attempts, "error": item.last_error},
                )
            else:
                item.next_attempt_at = self._retry_at(item.attempts, now)
        log.warning("lab.exchange.send_failed", item_id=str(item_id), error=error[:200])

    def _retry_at(self, attempts: int, now: datetime) -> datetime:
        """When to try a send or a cancel again after `attempts` failures (backoff with jitter)."""
        delay = backoff_delay(
            attempts,
            base=self.settings.lab_exchange_backoff_seconds,
            cap=self.settings.lab_exchange_backoff_cap_seconds,
            jitter=random.random(),
        )
        return now + timedelta(seconds=delay)

    async def _poll(self, item_id: uuid.UUID) -> None:
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None or item.state != "sent" or not item.external_id:
                return
            order = await session.get(LabOrder, item.order_id)
            assert order is not None
            if order.status not in OPEN_STATUSES:
                item.state = "completed" if order.status == OrderStatus.COMPLETED else "cancelled"
                item.completed_at = item.updated_at = utcnow()
                return
            lab = await session.get(ExternalLab, order.lab_id)
            exchange_url, external_id, lab_code = (
                (lab.exchange_url if lab else None),
                item.external_id,
                lab.code if lab else "?",
            )
        try:
            results = await self.exchanges.for_lab(exchange_url).fetch_results(external_id)
            error = None
        except ExchangeError as exc:
            results, error = None, str(exc)
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            assert item is not None
            now = utcnow()
            item.polls += 1
            item.updated_at = now
            item.next_poll_at = now + timedelta(seconds=self.settings.lab_exchange_poll_seconds)
            if error:
                item.last_error = error[:1000]
            if not results:
                return
            await self._apply(session, item, results, Actor(None, f"lab:{lab_code}"))

    async def _apply(self, session: Any, item: ExchangeItem, results: list[ExchangeResult], actor: Actor) -> None:
        order = await session.get(LabOrder, item.order_id, with_for_update=True)
        repository = OrderRepository(session)
        tests = list(await repository.tests(order.id))
        done = {r.test_id for r in await repository.results(order.id)}
        entries = match_results(tests, results, done)
        if entries and order.status == OrderStatus.CANCELLED:
            # The lab answered anyway (a poll crossed the cancellation, or it refused it).
            await results_service.journal_refused_results(
                session, order_id=order.id, test_ids=[e.test_id for e in entries], actor=actor, source="exchange"
            )
            log.warning("lab.exchange.results_refused", order_id=str(order.id), tests=len(entries))
            return
        if entries and order.status in OPEN_STATUSES:
            try:
                await results_service.record_results(
                    session, order=order, entries=entries, actor=actor, source="exchange"
                )
            except ClinicError as exc:
                item.last_error = (RESULTS_REFUSED + exc.detail)[:1000]
                log.warning("lab.exchange.results_refused", order_id=str(order.id), detail=exc.detail[:200])
                return
        if order.status == OrderStatus.COMPLETED:
            item.state = "completed"
            item.completed_at = utcnow()
            log.info("lab.exchange.completed", order_id=str(order.id))

    async def _deliver_cancel(self, item_id: uuid.UUID) -> None:
        """Tell the lab an order it acknowledged is cancelled; its refusal is final, an error is retried."""
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None or item.cancel_state != "pending" or not item.external_id:
                return
            order = await session.get(LabOrder, item.order_id)
            assert order is not None
            lab = await session.get(ExternalLab, order.lab_id)
            exchange_url, external_id, reason = (
                (lab.exchange_url if lab else None),
                item.external_id,
                item.cancel_reason,
            )
        try:
            outcome = await self.exchanges.for_lab(exchange_url).cancel_order(
                external_id, order_id=order.id, reason=reason
            )
        except ExchangeError as exc:
            await self._cancel_failed(item_id, str(exc))
            return
        await self._cancel_answered(item_id, outcome)

    async def _cancel_answered(self, item_id: uuid.UUID, outcome: CancelOutcome) -> None:
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None or item.cancel_state != "pending":
                return
            now = utcnow()
            item.cancel_attempts = (item.cancel_attempts or 0) + 1
            item.cancel_state = "delivered" if outcome.accepted else "refused"
            item.cancel_refusal = None if outcome.accepted else outcome.reason
            item.cancel_last_error = None
            item.cancel_done_at = item.updated_at = now
            await history.record(
                session,
                order_id=item.order_id,
                action="cancel_delivered" if outcome.accepted else "cancel_refused",
                actor=Actor(None, "lab-exchange"),
                details={"attempts": item.cancel_attempts, "reason": outcome.reason},
            )
        log.info("lab.exchange.cancel_answered", item_id=str(item_id), accepted=outcome.accepted)

    async def _cancel_failed(self, item_id: uuid.UUID, error: str) -> None:
        async with self.db.session() as session:
            item = await session.get(ExchangeItem, item_id)
            if item is None or item.cancel_state != "pending":
                return
            now = utcnow()
            item.cancel_attempts = (item.cancel_attempts or 0) + 1
            item.cancel_last_error = error[:1000]
            item.updated_at = now
            if item.cancel_attempts >= self.settings.lab_exchange_max_attempts:
                item.cancel_state = "failed"
                await history.record(
                    session,
                    order_id=item.order_id,
                    action="cancel_failed",
                    actor=Actor(None, "lab-exchange"),
                    details={"attempts": item.cancel_attempts, "error": item.cancel_last_error},
                )
            else:
                item.cancel_next_attempt_at = self._retry_at(item.cancel_attempts, now)
        log.warning("lab.exchange.cancel_failed", item_id=str(item_id), error=error[:200])
