"""The bare baseline of embedded mode: FastAPI + aiosqlite inserting one row per request into a
SQLite file with the pragmas the platform's SQLite databases use (clinic_shared.db: WAL,
synchronous=NORMAL), one connection, a commit per insert. `bench.embedded` runs it as its own
uvicorn process next to `make run`'s single process."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite
from fastapi import FastAPI, Request

PATH = os.environ.get("BASELINE_SQLITE", "baseline.sqlite3")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with aiosqlite.connect(PATH) as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute(
            "CREATE TABLE IF NOT EXISTS booking (id TEXT PRIMARY KEY, doctor TEXT, start_at TEXT, note TEXT)"
        )
        await db.commit()
        app.state.db = db
        app.state.lock = asyncio.Lock()  # one writer at a time, as SQLite allows
        yield


app = FastAPI(lifespan=lifespan)


@app.post("/bookings", status_code=201)
async def book(request: Request) -> dict[str, str]:
    body = await request.json()
    booking_id = str(uuid.uuid4())
    async with request.app.state.lock:
        await request.app.state.db.execute(
            "INSERT INTO booking (id, doctor, start_at, note) VALUES (?, ?, datetime('now'), ?)",
            (booking_id, str(uuid.UUID(body["doctor_id"])), body.get("note", "")),
        )
        await request.app.state.db.commit()
    return {"id": booking_id}
