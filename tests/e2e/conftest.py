"""End-to-end tests: the gateway and services as separate processes on PostgreSQL + RabbitMQ."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from clinic_shared.testing.backends import Backends, Isolation
from gateway.devcluster import Cluster, free_port, start_cluster

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e_backends(backends: Backends) -> Backends:
    if not (backends.database_url and backends.amqp_url):
        pytest.skip("end-to-end tests need CLINIC_DATABASE_URL and CLINIC_AMQP_URL (real PostgreSQL and RabbitMQ)")
    return backends


@pytest.fixture
def e2e_isolation(e2e_backends: Backends, tmp_path: Path) -> Iterator[Isolation]:
    isolation = Isolation.new(e2e_backends, tmp_path / "var")
    yield isolation
    asyncio.run(isolation.cleanup())


def cluster_for(
    isolation: Isolation,
    services: list[str],
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    *,
    fakes: bool = False,
    gateway_ports: list[int] | None = None,
) -> Cluster:
    env = {
        **(extra_env or {}),
        "CLINIC_DB_SCHEMA_PREFIX": isolation.prefix,
        "CLINIC_EVENTS_EXCHANGE": isolation.exchange,
        "CLINIC_QUEUE_PREFIX": isolation.prefix,
        "CLINIC_DATA_DIR": str(tmp_path / "var"),
        "CLINIC_LOG_LEVEL": os.environ.get("CLINIC_E2E_LOG_LEVEL", "INFO"),
        "CLINIC_OUTBOX_POLL_SECONDS": "0.1",
    }
    return start_cluster(
        state_dir=tmp_path / "cluster",
        database_url=isolation.backends.database_url or "",
        amqp_url=isolation.backends.amqp_url or "",
        gateway_port=free_port(),
        extra_env=env,
        services=services,
        fakes=fakes,
        gateway_ports=gateway_ports,
    )


@pytest.fixture
def make_cluster(e2e_isolation: Isolation, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Start a cluster of the given services (in a thread: it waits for health)."""

    async def make(
        services: list[str], extra_env: dict[str, str] | None = None, *, gateway_ports: list[int] | None = None
    ) -> Cluster:
        return await asyncio.to_thread(
            lambda: cluster_for(e2e_isolation, services, tmp_path, extra_env, gateway_ports=gateway_ports)
        )

    return make


@pytest.fixture
async def patients_cluster(e2e_isolation: Isolation, tmp_path: Path) -> AsyncIterator[Cluster]:
    cluster = await asyncio.to_thread(cluster_for, e2e_isolation, ["patients"], tmp_path)
    try:
        yield cluster
    finally:
        await asyncio.to_thread(cluster.stop)


@pytest.fixture(scope="module")
def e2e_module_isolation(backends: Backends, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Isolation]:
    """One isolation for a whole module, for tests that share one cluster (a start costs ~10 s)."""
    if not (backends.database_url and backends.amqp_url):
        pytest.skip("end-to-end tests need CLINIC_DATABASE_URL and CLINIC_AMQP_URL (real PostgreSQL and RabbitMQ)")
    isolation = Isolation.new(backends, tmp_path_factory.mktemp("e2e-module") / "var")
    yield isolation
    asyncio.run(isolation.cleanup())


@pytest.fixture(scope="module")
def make_module_cluster(e2e_module_isolation: Isolation) -> Iterator[Callable[..., Cluster]]:
    """Start a cluster shared by the tests of one module; stopped after its last test.
    `make(services, extra_env=None, *, fakes=False, gateway_ports=None)`; `fakes` also runs the
    fake ONDOC, SMS provider and SMTP sink as processes, with the services configured to use them;
    `gateway_ports`: more gateway processes, on these ports."""
    started: list[Cluster] = []

    def make(
        services: list[str],
        extra_env: dict[str, str] | None = None,
        *,
        fakes: bool = False,
        gateway_ports: list[int] | None = None,
    ) -> Cluster:
        root = e2e_module_isolation.data_dir.parent
        cluster = cluster_for(e2e_module_isolation, services, root, extra_env, fakes=fakes, gateway_ports=gateway_ports)
        started.append(cluster)
        return cluster

    yield make
    for cluster in started:
        cluster.stop()
