"""The gateway's `/metrics`: proxied calls labelled by service and route template, and in
embedded mode every service's own metrics as well.

Every proxied call passes through one route, `/api/{service}/{path:path}`; labelled by that, the
gateway's request metrics could not tell a booking from a patient search. The proxy labels a
call instead with `upstream` (the service) and `route`, the service's own route template
(`/appointments/{appointment_id}`), as the service's metrics label it. Label values come only
from the services' route tables, never from the path, so their number stays bounded: a path no
template matches is `unmatched`.

The templates are compiled once per service into one regular expression per method
(`RouteTable`); a call costs one `fullmatch`. In embedded mode they are read from the service
apps' routes; in distributed mode from each service's `/openapi.json` (the gateway image need
not hold the services' code), fetched in the background at start, again while a service does
not answer, and again when a service answers a path its table does not know (it was upgraded
after the gateway started).

Embedded mode (`make run`) has one process and one port: the gateway's `/metrics` there also
carries each service's `/metrics` (its request metrics and its gauges: outbox, consumer
queues, outbound queues), each already labelled with its `service`, merged family by family.
In distributed mode Prometheus scrapes every service itself.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from clinic_shared.logging import get_logger
from clinic_shared.middleware import UNMATCHED
from clinic_shared.tasks import wait_event
from gateway.openapi import fetch_service_docs

log = get_logger(__name__)

_PARAMETER = re.compile(r"\{([^}:]+)(?::(\w+))?\}")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _pattern(template: str) -> str:
    """The regular expression of a route template, without its leading slash (the proxy's
    `path` has none) and without groups of its own (see `RouteTable`)."""
    parts: list[str] = []
    position = 0
    for parameter in _PARAMETER.finditer(template):
        parts.append(re.escape(template[position : parameter.start()]))
        # Starlette's `path` convertor takes slashes too; every other one takes one segment.
        parts.append(".+" if parameter.group(2) == "path" else "[^/]+")
        position = parameter.end()
    parts.append(re.escape(template[position:]))
    return "".join(parts).removeprefix("/")


class RouteTable:
    """One service's route templates, compiled: `match(method, path)` → the template.

    Like the service's router, the first template (in the service's order) that matches the path
    and allows the method wins; when none allows the method (the service answers 405), the first
    that matches the path. Each method's templates are one alternation of one group each, so the
    index of the group that matched names the template."""

    def __init__(self, routes: Iterable[tuple[str, Iterable[str]]]) -> None:
        ordered: dict[str, set[str]] = {}
        for template, methods in routes:
            ordered.setdefault(template, set()).update(method.upper() for method in methods)
        self.templates = list(ordered)
        self._any = self._compile(self.templates)
        methods = {method for allowed in ordered.values() for method in allowed}
        self._by_method = {
            method: self._compile([t for t, allowed in ordered.items() if method in allowed]) for method in methods
        }

    @staticmethod
    def _compile(templates: list[str]) -> tuple[re.Pattern[str], list[str]]:
        return re.compile("|".join(f"({_pattern(t)})" for t in templates) or "(?!)"), templates

    def match(self, method: str, path: str) -> str:
        """The template of `method path` (`path` without its leading slash), or `UNMATCHED`."""
        for pattern, templates in (self._by_method.get(method, self._any), self._any):
            found = pattern.fullmatch(path)
            if found is not None:
                return templates[(found.lastindex or 1) - 1]
        return UNMATCHED

    @classmethod
    def from_app(cls, app: FastAPI) -> RouteTable:
        """The routes a service app serves and documents (what the gateway proxies), as its
        router sees them (FastAPI resolves included routers into these once, for routing too)."""
        return cls(
            (route.path or "", route.methods or ())
            for route in iter_route_contexts(app.routes)
            if isinstance(route.original_route, APIRoute) and route.include_in_schema
        )

    @classmethod
    def from_openapi(cls, document: Mapping[str, Any]) -> RouteTable:
        """The operations of a service's own OpenAPI document (paths in the service's order)."""
        return cls(
            (path, [method for method in item if method in HTTP_METHODS])
            for path, item in document.get("paths", {}).items()
        )


class RouteLabels:
    """The route tables of the services the gateway proxies to, by service name."""

    def __init__(self) -> None:
        self._tables: dict[str, RouteTable] = {}
        self._stale: set[str] = set()
        self._later: dict[str, Callable[[], RouteTable]] = {}

    def learn(self, service: str, table: RouteTable) -> None:
        self._tables[service] = table
        self._stale.discard(service)

    def learn_later(self, service: str, build: Callable[[], RouteTable]) -> None:
        """Build the service's table on its first call (embedded mode: an app nobody calls,
        as in most tests, never has its routes resolved for this)."""
        self._later[service] = build

    def label(self, service: str, method: str, path: str) -> str:
        """The route label of a proxied call (`path` without its leading slash)."""
        table = self._tables.get(service)
        if table is None:
            build = self._later.pop(service, None)
            if build is None:
                return UNMATCHED
            table = self._tables[service] = build()
        return table.match(method, path)

    def answered_unmatched(self, service: str, status: int) -> None:
        """A call labelled `unmatched` was answered: with a success, the service serves a route its
        table lacks (it was upgraded since), and the table is fetched again. (An unknown path is a
        404; a trailing slash a redirect.)"""
        if 200 <= status < 300 and service in self._tables:
            self._stale.add(service)

    def wanted(self, services: Iterable[str]) -> list[str]:
        """Services whose table is missing or stale."""
        return [name for name in services if name not in self._tables or name in self._stale]

    @asynccontextmanager
    async def kept_current(
        self, clients: Mapping[str, httpx.AsyncClient], *, retry_seconds: float = 1.0, check_seconds: float = 30.0
    ) -> AsyncIterator[None]:
        """Fetch the tables of `clients`' services in the background while the context is open:
        at once, then with a growing delay (up to `check_seconds`) while one is missing, and every
        `check_seconds` those marked stale."""
        stop = asyncio.Event()

        async def keep() -> None:
            delay = retry_seconds
            while not stop.is_set():
                wanted = self.wanted(clients)
                if wanted:
                    documents = await fetch_service_docs({name: clients[name] for name in wanted})
                    for name, document in documents.items():
                        self.learn(name, RouteTable.from_openapi(document))
                if any(name not in self._tables for name in clients):
                    await wait_event(stop, delay)
                    delay = min(delay * 2, check_seconds)
                else:
                    delay = retry_seconds
                    await wait_event(stop, check_seconds)

        task = asyncio.create_task(keep(), name="route-labels")
        try:
            yield
        finally:
            stop.set()
            task.cancel()  # a fetch in flight has nothing to finish
            await asyncio.gather(task, return_exceptions=True)


class _Families:
    """Metric families as a registry `generate_latest` can expose."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> list[Metric]:
        return self._families


async def exposition(own: CollectorRegistry, services: Mapping[str, httpx.AsyncClient]) -> bytes:
    """The gateway's registry, plus (embedded mode) each service's `/metrics` fetched in-process,
    merged family by family: the exposition format wants one `# TYPE` line per name, and every
    service has an `http_requests_total`. Their series differ by their `service` label. A service
    whose metrics cannot be read is left out of this scrape; the rest still answer."""
    if not services:
        return generate_latest(own)

    async def scrape(name: str, client: httpx.AsyncClient) -> str:
        try:
            response = await client.get("/metrics", timeout=5)
            response.raise_for_status()
            return response.text
        except httpx.HTTPError as exc:
            log.warning("gateway.metrics.service_unavailable", service=name, error=type(exc).__name__)
            return ""

    texts = await asyncio.gather(*(scrape(name, client) for name, client in services.items()))
    # The gateway's own registry goes through the same parser: as text, a counter's `_created`
    # series is a gauge family of its own, and so it merges with the services' ones.
    merged: dict[str, Metric] = {}
    for text in [generate_latest(own).decode(), *texts]:
        for family in text_string_to_metric_families(text):
            known = merged.get(family.name)
            if known is None:
                merged[family.name] = family
            elif known.type == family.type:
                known.samples.extend(family.samples)
            else:
                log.warning("gateway.metrics.type_conflict", metric=family.name)
    return generate_latest(_Families(merged.values()))
