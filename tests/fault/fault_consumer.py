"""A consumer process of the fault tests' own, on the production bus code (`RabbitMqBus`).

It subscribes queue `spy` to every event and writes one line per event to a log file: `handled
<event id>` once a handler is done, and for the one event it is told is poisoned `started <id>`,
after which that handler never returns — a handler stuck on an event until the process is killed.
The tests kill it with SIGKILL and start it again.

    python fault_consumer.py AMQP_URL EXCHANGE QUEUE_PREFIX DELIVERY_LIMIT LOG_FILE POISON_ID
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope

QUEUE = "spy"  # a consumer name the test isolation cleanup knows (clinic_shared.testing.backends)


async def main(url: str, exchange: str, prefix: str, delivery_limit: int, log: TextIO, poison: str) -> None:
    async def handle(envelope: EventEnvelope) -> None:
        if str(envelope.id) == poison:
            log.write(f"started {envelope.id}\n")
            await asyncio.Event().wait()
        log.write(f"handled {envelope.id}\n")

    bus = RabbitMqBus(
        url, exchange=exchange, queue_prefix=prefix, delivery_limit=delivery_limit, connection_name="fault-consumer"
    )
    await bus.start()
    await bus.subscribe(QUEUE, ["#"], handle)
    log.write("subscribed\n")
    await asyncio.Event().wait()


if __name__ == "__main__":
    url, exchange, prefix, limit, log_file, poison = sys.argv[1:7]
    with open(log_file, "a", buffering=1) as log:  # line-buffered: each line is written at once
        asyncio.run(main(url, exchange, prefix, int(limit), log, poison))
