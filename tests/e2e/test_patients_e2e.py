"""Gateway + patients as real processes: a card created through the gateway reaches RabbitMQ."""

from __future__ import annotations

import asyncio
import json

import aio_pika
import httpx

from clinic_shared.testing.backends import Isolation
from gateway.devcluster import Cluster


async def test_card_created_through_gateway_publishes_patient_created(
    patients_cluster: Cluster, e2e_isolation: Isolation
) -> None:
    connection = await aio_pika.connect(e2e_isolation.backends.amqp_url or "")
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(e2e_isolation.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(f"{e2e_isolation.prefix}spy", durable=False, exclusive=True)
        await queue.bind(exchange, routing_key="patient.*")

        async with httpx.AsyncClient(base_url=patients_cluster.base_url, timeout=30) as api:
            health = await api.get("/api/health")
            assert health.json()["services"]["patients"] == "ok"
            login = await api.post(
                "/api/auth/token", data={"username": "admin", "password": patients_cluster.admin_password}
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            created = await api.post(
                "/api/patients/cards",
                json={"last_name": "Петров", "first_name": "Пётр", "mobile_phone": "8 (922) 999-99-99"},
                headers=headers,
            )
            assert created.status_code == 201, created.text
            card = created.json()
            assert card["mobile_phone"] == "79229999999"
            unauthenticated = await api.get(f"/api/patients/cards/{card['id']}")
            assert unauthenticated.status_code == 401

        message = None
        for _ in range(40):  # the relay publishes within a second; allow for a slow CI machine
            message = await queue.get(timeout=5, fail=False)
            if message is not None:
                break
            await asyncio.sleep(0.25)
        assert message is not None, "patient.created never reached the exchange"
        envelope = json.loads(message.body)
        assert envelope["type"] == "patient.created"
        assert envelope["aggregate_id"] == card["id"]
        assert envelope["data"]["card_number"] == card["card_number"]
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert message.message_id == envelope["id"]
        await message.ack()
