"""Embedded mode (`make run`): one process, one port, and its `/metrics` shows every service's
metrics beside the gateway's (gateway/metrics.py), each series labelled with its service."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from clinic_shared.testing.platform import Platform, Scrape


@pytest.fixture
def platform_services() -> list[str]:
    # Request metrics and the outbox (all), a consumer queue (notifier), an outbound queue (ondoc).
    return ["scheduling", "notifier", "ondoc"]


# Merging the registries is the same on any backend (the gauges' own reads are tested per backend
# in shared/tests): CI's PostgreSQL + RabbitMQ pass leaves it out.
@pytest.mark.backend_free
async def test_the_embedded_gateways_metrics_carry_every_services_registry(platform: Platform) -> None:
    missing = uuid.uuid4()
    response = await platform.client.get(f"/api/scheduling/appointments/{missing}", headers=platform.admin_headers)
    assert response.status_code == 404

    await platform.client.get("/metrics")  # counted in each service's own request metrics
    answer = await platform.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    scrape = Scrape.parse(answer.text)
    for service in ["scheduling", "notifier", "ondoc"]:
        # Each service's gauges (read at scrape time) and its request metrics, with its own label.
        assert scrape.value("outbox_backlog", service=service) == 0, service
        assert scrape.value("http_requests_total", service=service, method="GET", route="/metrics", status="200") == 1
    assert scrape.value("consumer_queue_messages", service="notifier", queue="dead") == 0
    assert scrape.value("outbound_queue_depth", service="ondoc", target="ondoc", state="failed") == 0

    # The one call, counted by the gateway (service and template) and by scheduling (its template).
    route = "/appointments/{appointment_id}"
    at_gateway = {"service": "gateway", "upstream": "scheduling", "method": "GET", "route": route, "status": "404"}
    assert scrape.value("http_requests_total", **at_gateway) == 1
    at_service = {"service": "scheduling", "method": "GET", "route": route, "status": "404"}
    assert scrape.value("http_requests_total", **at_service) == 1
    assert str(missing) not in answer.text

    # One family per name, as the exposition format wants (every service has http_requests_total).
    names = [family.name for family in text_string_to_metric_families(answer.text)]
    assert len(names) == len(set(names))
    assert answer.text.count("# TYPE http_requests_total counter") == 1
