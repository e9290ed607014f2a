"""Event benchmarks (issue #9) on a distributed cluster: patients + scheduling as their own
processes on PostgreSQL and RabbitMQ.

1. Event latency commit → consumer. Patient cards are created through the gateway at a
   steady rate; for each, the time from the producer's outbox row (`created_at`, written in the
   card's transaction a few ms before its commit, so the figure errs on the slow side) to the
   moment the card is visible in scheduling's patients projection (its consumer applied the
   `patient.created` event and committed; polled every 10 ms). p50/p99, target p99 < 1 s.
   Baseline: a raw aio-pika publish (persistent, confirmed) → consume round trip on the same
   broker at the same rate, in the same run.
2. Outbox throughput. K rows are inserted straight into the patients' outbox in one
   transaction; the patients process's relay drains them to the broker (routed to a durable
   queue, like every real event). Events/s from the commit to the last `published_at`, against
   raw aio-pika confirmed publishes of the same messages sent 200 at a time with their confirms
   awaited together (what the relay does with each batch of up to 200 rows), same broker, just
   before and just after the relay (their mean). The queue must then hold exactly K messages.
   One confirm at a time (what the relay did until it published batches) is in the details.

The probe queue is the isolation's `spy` queue on the cluster's own exchange, so
`Isolation.cleanup` removes it with the rest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid
from typing import Any

import aio_pika
import asyncpg
import httpx

from bench.harness import Figure, Report, percentile
from clinic_shared.events import EventEnvelope, PatientState
from clinic_shared.testing.backends import Isolation, asyncpg_dsn
from gateway.devcluster import Cluster

LATENCY_EVENTS = 300
RATE_PER_SECOND = 10  # cards created per second, open loop: ten busy front desks (one is ~1/s)
OUTBOX_ROWS = 3_000
RAW_SEQUENTIAL = 1_000  # raw publishes confirmed one by one: a rate, enough samples (~7 ms each on a busy disk)
RAW_WINDOW = 200  # raw publishes with their confirms awaited together: the relay's batch size
POLL_SECONDS = 0.01
PROBE_KEY = "bench.probe"  # no service binds bench.*: only the probe queue gets these


def latency_summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "count": len(values_ms),
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p95_ms": round(percentile(values_ms, 95), 1),
        "p99_ms": round(percentile(values_ms, 99), 1),
        "max_ms": round(max(values_ms, default=0.0), 1),
    }


async def steady(count: int, rate: float, action: Any) -> None:
    """Start `action(i)` at t0 + i/rate (open loop: a slow answer does not slow the arrivals)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks = []
    for i in range(count):
        delay = started + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(action(i)))
    await asyncio.gather(*tasks)


async def card_latency(
    api: httpx.AsyncClient, headers: dict[str, str], conn: asyncpg.Connection, prefix: str
) -> dict[str, Any]:
    """Create cards at a steady rate; when did each appear in scheduling's projection?"""
    answered: dict[str, float] = {}  # card id → when its 201 arrived
    visible: dict[str, float] = {}  # card id → when scheduling's projection first showed it
    failures: dict[str, int] = {}  # status code or error → count (the figure fails on any)
    done = asyncio.Event()

    async def create(i: int) -> None:
        body = {
            "last_name": "Задержкин",
            "first_name": "Бенч",
            "birth_date": "1985-04-12",
            "mobile_phone": f"+7923{i:07d}",
        }
        try:
            response = await api.post("/api/patients/cards", json=body, headers=headers)
        except httpx.HTTPError as exc:
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
            return
        if response.status_code != 201:
            failures[str(response.status_code)] = failures.get(str(response.status_code), 0) + 1
            return
        answered[response.json()["id"]] = time.time()

    async def watch() -> None:
        while not done.is_set() or len(visible) < len(answered):
            waiting = [uuid.UUID(i) for i in answered if i not in visible]
            if waiting:
                rows = await conn.fetch(projection_query, waiting)
                now = time.time()
                for row in rows:
                    visible[str(row["id"])] = now
            await asyncio.sleep(POLL_SECONDS)

    # Schema names are the isolation's own (`t<hex>_`), never input.
    projection_query = f'SELECT id FROM "{prefix}scheduling".patients WHERE id = ANY($1)'  # noqa: S608
    watcher = asyncio.create_task(watch())
    await steady(LATENCY_EVENTS, RATE_PER_SECOND, create)
    done.set()
    try:
        await asyncio.wait_for(asyncio.shield(watcher), timeout=30)
    except TimeoutError:
        watcher.cancel()
    joined = (
        f'"{prefix}patients".outbox o LEFT JOIN "{prefix}scheduling".inbox i ON i.event_id = o.event_id'
        " WHERE o.event_type = 'patient.created'"
    )
    rows = await conn.fetch(f"SELECT o.aggregate_id, o.created_at, o.published_at, i.received_at FROM {joined}")  # noqa: S608
    by_card = {row["aggregate_id"]: row for row in rows}
    commit_to_applied, to_inbox, inbox_to_visible, answer_to_applied = [], [], [], []
    for card_id, seen_at in visible.items():
        row = by_card.get(card_id)
        if row is None:
            continue
        created = row["created_at"].timestamp()
        commit_to_applied.append((seen_at - created) * 1000)
        answer_to_applied.append((seen_at - answered[card_id]) * 1000)
        if row["received_at"] is not None:
            to_inbox.append((row["received_at"].timestamp() - created) * 1000)
            inbox_to_visible.append((seen_at - row["received_at"].timestamp()) * 1000)
    return {
        "cards": LATENCY_EVENTS,
        "rate_per_s": RATE_PER_SECOND,
        "created": len(answered),
        "failed": failures,
        "applied": len(visible),
        "missing": len(answered) - len(visible),
        "commit_to_applied": latency_summary(commit_to_applied),
        # where the time goes: relay + broker + the consumer taking the message (its inbox row) …
        "outbox_to_consumer_inbox": latency_summary(to_inbox),
        # … then the handler, its commit and the 10 ms poll
        "consumer_inbox_to_visible": latency_summary(inbox_to_visible),
        "http_201_to_applied": latency_summary(answer_to_applied),
        "_values": commit_to_applied,
    }


async def probe_queue(channel: aio_pika.abc.AbstractChannel, isolation: Isolation) -> aio_pika.abc.AbstractQueue:
    exchange = await channel.declare_exchange(isolation.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(f"{isolation.prefix}spy", durable=True)
    await queue.bind(exchange, routing_key="bench.#")
    await queue.purge()
    return queue


async def raw_round_trip(amqp_url: str, isolation: Isolation) -> dict[str, Any]:
    """The broker's own floor: persistent confirmed publish → consume, at the same rate."""
    consumer_conn = await aio_pika.connect(amqp_url)
    publisher_conn = await aio_pika.connect(amqp_url)
    latencies: list[float] = []
    try:
        consumer_channel = await consumer_conn.channel()
        await consumer_channel.set_qos(prefetch_count=32)
        queue = await probe_queue(consumer_channel, isolation)
        received = asyncio.Event()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                latencies.append((time.time() - json.loads(message.body)["sent"]) * 1000)
                if len(latencies) >= LATENCY_EVENTS:
                    received.set()

        tag = await queue.consume(on_message)
        channel = await publisher_conn.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(isolation.exchange)

        async def publish(i: int) -> None:
            body = json.dumps({"n": i, "sent": time.time()}).encode()
            await exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=PROBE_KEY
            )

        await steady(LATENCY_EVENTS, RATE_PER_SECOND, publish)
        await asyncio.wait_for(received.wait(), timeout=30)
        await queue.cancel(tag)
    finally:
        await publisher_conn.close()
        await consumer_conn.close()
    return {"messages": len(latencies), **latency_summary(latencies), "_values": latencies}


def probe_payload(i: int) -> str:
    """A realistic event body: a patient card's state, as `patient.created` carries it."""
    state = PatientState(
        id=uuid.uuid4(),
        card_number=f"{i:06d}",
        last_name="Пропускной",
        first_name="Бенч",
        middle_name="Тестович",
        birth_date=dt.date(1985, 4, 12),
        sex="male",
        mobile_phone=f"+7924{i:07d}",
        email=f"bench{i}@example.org",
    )
    envelope = EventEnvelope(
        type="bench.outbox",
        producer="bench",
        aggregate_id=str(state.id),
        aggregate_version=1,
        data=state.model_dump(mode="json"),
    )
    return envelope.model_dump_json()


async def relay_throughput(conn: asyncpg.Connection, amqp_url: str, isolation: Isolation) -> dict[str, Any]:
    """Insert OUTBOX_ROWS rows into the patients' outbox at once; time the relay draining them."""
    schema = f"{isolation.prefix}patients"
    probes = f"FROM \"{schema}\".outbox WHERE event_type = 'bench.outbox'"  # the isolation's own schema, not input
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await probe_queue(channel, isolation)
        now = dt.datetime.now(dt.UTC)
        records = [
            (uuid.uuid4(), "bench.outbox", str(uuid.uuid4()), probe_payload(i), now, 0) for i in range(OUTBOX_ROWS)
        ]
        async with conn.transaction():
            await conn.copy_records_to_table(
                "outbox",
                schema_name=schema,
                columns=["event_id", "event_type", "aggregate_id", "payload", "created_at", "attempts"],
                records=records,
            )
        committed = time.time()
        deadline = committed + 300
        pending = OUTBOX_ROWS
        while pending and time.time() < deadline:
            await asyncio.sleep(0.05)
            pending = await conn.fetchval(f"SELECT count(*) {probes} AND published_at IS NULL")
        first, last = await conn.fetchrow(f"SELECT min(published_at), max(published_at) {probes}")
        declared = await channel.declare_queue(queue.name, durable=True, passive=True)
        in_queue = declared.declaration_result.message_count
        await queue.purge()
    finally:
        await connection.close()
    if pending or first is None:
        raise RuntimeError(f"the relay left {pending} of {OUTBOX_ROWS} outbox rows unpublished")
    seconds = last.timestamp() - committed
    return {
        "rows": OUTBOX_ROWS,
        "seconds_commit_to_last_publish": round(seconds, 2),
        "events_per_s": round(OUTBOX_ROWS / seconds, 1),
        "events_per_s_first_to_last_batch": round(OUTBOX_ROWS / max(last.timestamp() - first.timestamp(), 1e-6), 1),
        "first_batch_marked_after_s": round(first.timestamp() - committed, 3),  # pickup + one batch of publishes
        "messages_in_queue": in_queue,
        "payload_bytes": len(records[0][3]),
    }


async def raw_publishes(amqp_url: str, isolation: Isolation, *, pipelined_too: bool = True) -> dict[str, Any]:
    """The same messages published with aio-pika straight to the broker, confirmed one by one
    (and, with `pipelined_too`, `RAW_WINDOW` confirms awaited together, as the relay does)."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        queue = await probe_queue(channel, isolation)
        exchange = await channel.get_exchange(isolation.exchange)
        bodies = [probe_payload(i).encode() for i in range(OUTBOX_ROWS)]

        def message(body: bytes) -> aio_pika.Message:
            return aio_pika.Message(
                body, content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT
            )

        started = time.perf_counter()
        for body in bodies[:RAW_SEQUENTIAL]:
            await exchange.publish(message(body), routing_key=PROBE_KEY)
        sequential = time.perf_counter() - started
        result: dict[str, Any] = {
            "sequential_messages": RAW_SEQUENTIAL,
            "sequential_per_s": round(RAW_SEQUENTIAL / sequential, 1),
        }
        await queue.purge()
        if pipelined_too:
            window = RAW_WINDOW
            started = time.perf_counter()
            for start in range(0, len(bodies), window):
                await asyncio.gather(
                    *(exchange.publish(message(b), routing_key=PROBE_KEY) for b in bodies[start : start + window])
                )
            result["pipelined_messages"] = OUTBOX_ROWS
            result["pipelined_per_s"] = round(OUTBOX_ROWS / (time.perf_counter() - started), 1)
            declared = await channel.declare_queue(queue.name, durable=True, passive=True)
            result["messages_in_queue_after_pipelined"] = declared.declaration_result.message_count
            await queue.purge()
    finally:
        await connection.close()
    return result


async def run(report: Report, cluster: Cluster, headers: dict[str, str], isolation: Isolation, amqp_url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(isolation.backends.database_url or ""))
    try:
        async with httpx.AsyncClient(base_url=cluster.base_url, timeout=30) as api:
            for i in range(20):  # warm-up: connections, the consumer's first messages
                await api.post(
                    "/api/patients/cards",
                    json={
                        "last_name": "Разогрев",
                        "first_name": "Бенч",
                        "birth_date": "1985-04-12",
                        "mobile_phone": f"+7925{i:07d}",
                    },
                    headers=headers,
                )
            platform = await card_latency(api, headers, conn, isolation.prefix)
        raw = await raw_round_trip(amqp_url, isolation)
        values, raw_values = platform.pop("_values"), raw.pop("_values")
        p99, raw_p99 = percentile(values, 99), percentile(raw_values, 99)
        shape = f"{LATENCY_EVENTS} patient cards at {RATE_PER_SECOND}/s, patients → scheduling"
        report.add(
            Figure(
                f"events: latency commit → consumer applied, p50 ({shape})",
                percentile(values, 50),
                "ms",
                baseline=percentile(raw_values, 50),
                baseline_name="raw aio-pika publish → consume p50, same rate",
                target="(the p99 line has the target)",
            )
        )
        report.add(
            Figure(
                f"events: latency commit → consumer applied, p99 ({shape})",
                p99,
                "ms",
                baseline=raw_p99,
                baseline_name="raw aio-pika publish → consume p99, same rate",
                target="p99 < 1000 ms, none missing",
                passed=p99 < 1000 and platform["missing"] == 0 and platform["created"] == LATENCY_EVENTS,
                details={"platform": platform, "raw_aio_pika": raw},
            )
        )
        # The raw publishes run before and after the relay and their mean is the baseline: the
        # broker's confirm latency (an fsync each) moves with whatever else the disk is doing.
        before = await raw_publishes(amqp_url, isolation)
        relay = await relay_throughput(conn, amqp_url, isolation)
        direct = await raw_publishes(amqp_url, isolation)
        direct["before_the_relay"] = before
        raw_rate = (before["pipelined_per_s"] + direct["pipelined_per_s"]) / 2
        ratio = relay["events_per_s"] / raw_rate
        report.add(
            Figure(
                f"events: outbox relay throughput ({OUTBOX_ROWS:,} rows drained to RabbitMQ)",
                relay["events_per_s"],
                "events/s",
                baseline=raw_rate,
                baseline_name=f"raw aio-pika publishes, {RAW_WINDOW} confirms awaited together, mean of before and after",
                target="ratio ≥ 0.5, every row in the queue",
                passed=ratio >= 0.5 and relay["messages_in_queue"] == OUTBOX_ROWS,
                details={"relay": relay, "raw_aio_pika": direct},
            )
        )
        report.notes.append(
            f"events: the outbox relay publishes each batch with its confirms awaited together, so it drains"
            f" {relay['events_per_s']:.0f} events/s where raw publishes confirmed one at a time (a broker fsync"
            f" each) reach {direct['sequential_per_s']:.0f}/s on the same broker"
        )
    finally:
        await conn.close()
