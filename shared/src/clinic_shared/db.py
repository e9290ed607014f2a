"""Async database access: PostgreSQL (a schema per service) or SQLite (a file per service).

Tables are declared without a schema. On PostgreSQL every connection's `search_path` is the
service's schema (then `public`, where extensions live); on SQLite the service has its own
file. The same models, queries and migrations therefore serve both modes.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import DateTime, MetaData, String, Table, TypeDecorator, event, text
from sqlalchemy.engine import CursorResult, Dialect, Result
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from clinic_shared import secretbox
from clinic_shared.settings import ServiceSettings
from clinic_shared.tracing import trace_statements, traced_driver

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A fresh MetaData per service: services share a process in embedded mode."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def insert_for(dialect_name: str) -> Any:
    """The dialect's INSERT construct (it has `on_conflict_do_nothing/update` on both)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL; on SQLite stored naive UTC and returned aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class GUID(TypeDecorator[uuid.UUID]):
    """uuid on PostgreSQL, 32-char hex text on SQLite."""

    impl = String(36)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import UUID

            return dialect.type_descriptor(UUID(as_uuid=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value: uuid.UUID | str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = uuid.UUID(str(value))
        return value if dialect.name == "postgresql" else value.hex

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))


class Database:
    """Engine + session factory of one service, built in the app's lifespan."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.schema = settings.schema_name
        self.url = settings.effective_database_url
        self.is_postgres = settings.is_postgres
        self._after_commit: list[Callable[[], None]] = []
        self.engine = self._make_engine()
        trace_statements(self.engine, system="postgresql" if self.is_postgres else "sqlite", namespace=self.schema)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        # Encrypted columns find the service's key through the dialect (resolved on first use).
        secretbox.bind(self.engine.sync_engine.dialect, lambda: secretbox.box_for_settings(settings))

    def secret_box(self) -> secretbox.SecretBox:
        """The key ring of this service's encrypted columns; raises when distributed mode has no key."""
        return secretbox.box_of(self.engine.sync_engine.dialect)

    def _make_engine(self) -> AsyncEngine:
        if self.is_postgres:
            engine = create_async_engine(
                self.url,
                pool_size=self.settings.db_pool_size,
                max_overflow=self.settings.db_pool_size,
                pool_timeout=10,
                hide_parameters=True,
                connect_args={
                    "server_settings": {
                        "search_path": f"{self.schema},public",
                        "application_name": self.settings.service_name,
                    },
                    "timeout": 10,
                },
            )
            _check_connections_on_checkout(engine)
            return engine
        self.settings.sqlite_path().parent.mkdir(parents=True, exist_ok=True)
        # One kept connection per database file, and units of work queue for it. SQLite has one
        # writer at a time and every transaction here begins IMMEDIATE (below), so a second
        # connection would only wait in SQLite's busy handler, which sleeps in growing steps (up to
        # 100 ms) and wakes no one in order; the pool hands the connection over the moment it is
        # returned, first come first served. Kept, not one per session: each aiosqlite connection
        # is a thread of its own and opening one runs the pragmas below.
        engine = create_async_engine(
            self.url,
            hide_parameters=True,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"timeout": 30},
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is deferred).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock at once: SQLite serialises writers, so a
            # check-then-insert (e.g. booking a slot) cannot interleave with another one.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every successful unit of work (e.g. to wake the outbox relay)."""
        self._after_commit.append(callback)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success, rolls back on error. Services never commit."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        for callback in self._after_commit:
            callback()

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session that never writes; rolled back at the end."""
        async with self.sessionmaker() as session:
            try:
                yield session
            finally:
                await session.rollback()

    async def ensure_schema(self) -> None:
        if not self.is_postgres:
            return
        async with self.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(3):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


def on_postgres(session: AsyncSession) -> bool:
    """The session talks to PostgreSQL (else SQLite): for the few statements written per dialect."""
    return bool(session.get_bind().dialect.name == "postgresql")


async def driver_connection(session: AsyncSession) -> Any | None:
    """The asyncpg connection under the session's transaction on PostgreSQL; None on SQLite.

    For the few statements every booking runs (a sequence number, an overlap check, a journal
    row, an outbox row): sent through SQLAlchemy each costs ~270 µs of CPU, straight through
    asyncpg ~80 µs, in the same transaction. Callers keep an SQLAlchemy path for SQLite, and
    flush the session first when the statement must see (or refer to) its pending changes.
    """
    if not on_postgres(session):
        return None
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return traced_driver(raw.driver_connection)


# A pooled connection idle for this long is pinged before use (see _check_connections_on_checkout).
IDLE_PING_SECONDS = 10.0


def _check_connections_on_checkout(engine: AsyncEngine) -> None:
    """Hand out only live connections, without a round trip per checkout.

    SQLAlchemy's `pool_pre_ping` costs two round trips (BEGIN; ROLLBACK) on every checkout:
    about a tenth of a booking. Instead: a connection the server closed (restart, failover,
    `pg_terminate_backend`) has already seen its socket close, which asyncpg notes at once, so
    checking that flag is free; a connection idle for `IDLE_PING_SECONDS` or more (where a
    silent drop by a firewall or NAT is possible) is pinged as before. A dead one raises
    DisconnectionError, and the pool replaces it with a new connection. A connection that dies
    between the checkout and its first statement fails that request with a 503 (see errors.py),
    and SQLAlchemy invalidates the rest of the pool's connections of that age.
    """
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "checkin")
    def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _refuse_dead(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        raw = getattr(dbapi_connection, "_connection", None)  # the driver's connection (asyncpg)
        if raw is not None and raw.is_closed():
            raise DisconnectionError("the database closed this connection")
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since >= IDLE_PING_SECONDS:
            try:
                sync_engine.dialect.do_ping(dbapi_connection)
            except Exception as exc:
                raise DisconnectionError("the idle connection did not answer a ping") from exc


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT changed (SQLAlchemy types `execute`'s result
    without `rowcount`, which only a cursor's result has)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def table_of(model: type[Any]) -> Table:
    """A mapped class's Table, typed as one (`Model.__table__` is typed as any FromClause)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def column_types() -> dict[Any, Any]:
    """A declarative base's `type_annotation_map`: instants as UTC-aware datetimes, UUIDs as GUIDs.

    Each service writes its base as a class statement (a type checker cannot take a class made
    by a call as a base):

        class Base(DeclarativeBase):
            metadata = make_metadata()
            type_annotation_map = column_types()
    """
    return {datetime: UTCDateTime(), uuid.UUID: GUID()}
