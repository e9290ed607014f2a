"""Fault-injection tests: real processes on PostgreSQL and a private RabbitMQ node.

One cluster (gateway, patients, scheduling, notifier, ONDOC bridge) serves the whole fault session: each
test works on its own doctors (hence its own appointments and messages) and checks the end state
of what it did, plus the global invariants (no unpublished outbox rows, empty dead-letter queues)
that every test must leave true. The broker is a node of our own (`fault_broker.py`), so the
outage test never touches the broker the rest of the suite shares; PostgreSQL faults only ever
hit the connections of our own service processes (`fault_harness.terminate_backends_of`).
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Iterator

import pytest
from fault_broker import PrivateBroker, rabbitmq_available
from fault_harness import FakeOndocServer, FakeSmsServer, FaultCluster, SmtpSinkServer, daytime_zone

from clinic_shared.testing.backends import Backends, Isolation, drop_schemas
from gateway.devcluster import free_port, start_cluster

# patients: the e-mail test needs cards with an address (the notifier learns them from its events).
SERVICES = ["patients", "scheduling", "notifier", "ondoc"]


@pytest.fixture(scope="session")
def fault_database_url(backends: Backends) -> str:
    if not (backends.database_url and backends.amqp_url):
        pytest.skip("fault tests need CLINIC_DATABASE_URL and CLINIC_AMQP_URL (real PostgreSQL and RabbitMQ)")
    if not rabbitmq_available():
        pytest.skip("fault tests need a local RabbitMQ installation to run a private node")
    return backends.database_url


@pytest.fixture(scope="session")
def private_broker(fault_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateBroker]:
    broker = PrivateBroker.start(tmp_path_factory.mktemp("rabbitmq"))
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def fake_sms() -> Iterator[FakeSmsServer]:
    server = FakeSmsServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSinkServer]:
    server = SmtpSinkServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def fault_cluster(
    fault_database_url: str,
    private_broker: PrivateBroker,
    fake_sms: FakeSmsServer,
    smtp_sink: SmtpSinkServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[FaultCluster]:
    base = tmp_path_factory.mktemp("cluster")
    isolation = Isolation.new(Backends(fault_database_url, private_broker.amqp_url), base / "var")
    zone = daytime_zone()
    env = {
        "CLINIC_DB_SCHEMA_PREFIX": isolation.prefix,
        "CLINIC_EVENTS_EXCHANGE": isolation.exchange,
        "CLINIC_QUEUE_PREFIX": isolation.prefix,
        "CLINIC_DATA_DIR": str(base / "var"),
        "CLINIC_LOG_LEVEL": "INFO",
        "CLINIC_OUTBOX_POLL_SECONDS": "0.2",
        "CLINIC_CONSUMER_MAX_ATTEMPTS": "3",
        "CLINIC_TIMEZONE": zone,
        "CLINIC_NOTIFIER_TICK_SECONDS": "0.5",
        "CLINIC_NOTIFIER_RETRY_BASE_SECONDS": "1",
        "CLINIC_NOTIFIER_RETRY_MAX_SECONDS": "2",
        "CLINIC_NOTIFIER_MAX_ATTEMPTS": "30",
        "CLINIC_NOTIFIER_PROVIDER_TIMEOUT_SECONDS": "3",
        # The ONDOC bridge gives up on a hanging ONDOC after 3 s and retries within seconds.
        "CLINIC_ONDOC_TIMEOUT_SECONDS": "3",
        "CLINIC_ONDOC_WORKER_POLL_SECONDS": "0.3",
        "CLINIC_ONDOC_BACKOFF_BASE_SECONDS": "0.5",
        "CLINIC_ONDOC_BACKOFF_CAP_SECONDS": "3",
        # Services that store provider credentials encrypt them; distributed mode has no default key.
        "CLINIC_SECRETS_KEY": os.environ.get("CLINIC_SECRETS_KEY") or base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    cluster = start_cluster(
        state_dir=base / "cluster",
        database_url=fault_database_url,
        amqp_url=private_broker.amqp_url,
        gateway_port=free_port(),
        extra_env=env,
        services=SERVICES,
    )
    fault = FaultCluster(cluster, isolation, private_broker, fake_sms, zone, smtp=smtp_sink)
    try:
        asyncio.run(fault.configure_sms())
        yield fault
    finally:
        fault.stop_extra_replicas()
        cluster.stop()
        asyncio.run(drop_schemas(fault_database_url, isolation.prefix))


@pytest.fixture(scope="session")
def fake_ondoc(fault_cluster: FaultCluster) -> Iterator[FakeOndocServer]:
    """A fake ONDOC whose callbacks reach the cluster's bridge; the bridge is pointed at it only
    by the tests that use it (and pointed back when they end)."""
    server = FakeOndocServer(free_port(), f"{fault_cluster.cluster.base_url}/api/ondoc/callbacks")
    server.start()
    try:
        yield server
    finally:
        server.stop()
