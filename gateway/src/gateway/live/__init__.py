"""Live updates (`GET /api/events/stream`): the domain events a user may see, as Server-Sent Events.

How an event gets to a browser:

1. A service publishes it through its outbox onto the bus. Every gateway process subscribes to
   the streamed topics on a subscription of its own (`EventBus.subscribe_private`: in embedded
   mode the in-process bus; on RabbitMQ a private, auto-deleted queue per gateway process bound
   to the topic exchange — not the competing-consumer queue of a service — so every replica
   sees every event). Which topics, for which right, with which fields: topics.py.
2. Each replica keeps the event in the retention table of the gateway's database (store.py),
   which the replicas share in distributed mode. The first replica to write it gives it the
   next number of a gapless sequence (`max + 1` under a table lock); the others find it there.
   That number is the SSE `id`, so it means the same on every replica: a client that
   reconnects through a load balancer to another replica resumes from it.
3. Each replica's hub (hub.py) reads new rows into a small in-memory window and wakes its
   streams; it also polls the table every `poll_seconds`, so rows kept by another replica reach
   it even if it missed the event itself (a broker reconnection drops a private queue's backlog).
4. Each stream (stream.py) filters by the rights of the token it was opened with (the lab's
   events also by the viewer's labs: the `lab_id` claim or the lab-doctors row, asked of the lab
   service, and for results the lab service's own answer whether it shows that order) and
   writes the event with its clinic-time instants.

Resuming: `Last-Event-ID` n within the retention (10 min / 10 000 events by default; pruned
oldest first, the newest always kept) replays every event after n, then goes live; an id
older than the oldest kept, unknown or from the future gets the event `reset` (reload) carrying
the current id, and the stream goes on live. A fresh stream's first block carries the current
id too, so even a client that saw no event yet resumes without loss. The heartbeat (a comment
every 15 s) also moves the client's id past events it may not see.

Ending: the token is checked every second against expiry and the revocations every process
keeps (clinic_shared.auth.RevocationList): when refused, the stream sends `reconnect`
(`token_expired` or `token_refused`) and ends; the client refreshes its token and reconnects
with its Last-Event-ID, and a token with other rights gets a stream filtered by those. A
stopping gateway sends `reconnect` (`server_stopping`) too: uvicorn waits for open answers
before it stops the app, so the hub watches the server's `should_exit` (`_uvicorn_server`).

Tunables (LiveOptions): heartbeat, retention, `retry:`; they are read from the gateway's
settings when those have `live_*` fields, else the defaults.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from clinic_shared.query import REFUSE_UNKNOWN_QUERY
from gateway.live.hub import LiveHub, LiveOptions
from gateway.live.stream import router

__all__ = ["LiveHub", "LiveOptions", "install"]


def install(app: FastAPI) -> None:
    """Serve the stream and run the hub within the gateway's lifespan (after its start, before its end)."""
    app.include_router(router, dependencies=[REFUSE_UNKNOWN_QUERY])
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            gateway = app_.state.gateway
            shared = getattr(app_.state, "bus", None)  # embedded mode: the platform's in-process bus
            hub = LiveHub(gateway.db, LiveOptions.from_settings(gateway.settings))
            await hub.start(lambda: shared if shared is not None else gateway.sessions.bus)
            server = _uvicorn_server()
            if server is not None:
                hub.watch_server(lambda: bool(server.should_exit))
            app_.state.live = hub
            try:
                yield state
            finally:
                await hub.stop()

    app.router.lifespan_context = lifespan


def _uvicorn_server() -> Any | None:
    """The uvicorn server running this app, if any: it has taken SIGTERM (`Server.handle_exit`),
    and its `should_exit` is the one sign an app gets that a graceful shutdown has begun."""
    handler = signal.getsignal(signal.SIGTERM)
    server = getattr(handler, "__self__", None)
    return server if hasattr(server, "should_exit") else None
