"""The bare baseline: FastAPI + asyncpg inserting one row per request (and reading one row by
its primary key), nothing else.

Run by the benchmark as its own uvicorn process next to the platform, so "booking through
the gateway" is compared with the cheapest possible write endpoint on the same machine, and
"an appointment by id through the gateway" with the cheapest possible read.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, HTTPException, Request

DSN = os.environ.get("BASELINE_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
SCHEMA = os.environ.get("BASELINE_SCHEMA", "bench_baseline")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool = await asyncpg.create_pool(DSN, min_size=4, max_size=10, server_settings={"search_path": SCHEMA})
    async with pool.acquire() as conn:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"')
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS booking (id uuid PRIMARY KEY, doctor uuid, start_at timestamptz, note text)"
        )
    app.state.pool = pool
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/bookings", status_code=201)
async def book(request: Request) -> dict[str, str]:
    body = await request.json()
    booking_id = uuid.uuid4()
    async with request.app.state.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO booking (id, doctor, start_at, note) VALUES ($1, $2, now(), $3)",
            booking_id,
            uuid.UUID(body["doctor_id"]),
            body.get("note", ""),
        )
    return {"id": str(booking_id)}


@app.get("/bookings/{booking_id}")
async def read(booking_id: uuid.UUID, request: Request) -> dict[str, str]:
    async with request.app.state.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT id, doctor, start_at, note FROM booking WHERE id = $1", booking_id)
    if row is None:
        raise HTTPException(404)
    return {"id": str(row["id"]), "doctor_id": str(row["doctor"]), "start": row["start_at"].isoformat()}
