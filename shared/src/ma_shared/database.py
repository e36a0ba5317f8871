"""Database engines tuned per backend, and Alembic migrations, for every service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, DateTime, Dialect, Engine, Integer, Numeric, create_engine, event
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator, TypeEngine

# One advisory lock per database: each service has its own database.
WRITER_LOCK_KEY = 7_340_001


def create_database_engine(url: str) -> Engine:
    """An engine tuned for how our services use each backend.

    SQLite: WAL so readers are not blocked by the writer, a busy timeout so concurrent writes
    wait instead of failing, and a large page cache for the set-based criteria queries.
    """
    if url.startswith("sqlite"):
        in_memory = url in {"sqlite://", "sqlite:///:memory:"}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if in_memory else None,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA cache_size=-262144")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.close()
            # Let SQLAlchemy, not the driver, decide when transactions begin (see below).
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # Writers ask for BEGIN IMMEDIATE (execution option `sqlite_begin`) to hold the
            # write lock from the start; readers begin deferred and never block each other.
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)

    @event.listens_for(engine, "begin")
    def _postgres_writer_lock(conn: Connection) -> None:
        # The PostgreSQL counterpart of BEGIN IMMEDIATE: a writer that must not interleave
        # with another writer of the same service holds a transaction-scoped advisory lock.
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITER_LOCK_KEY})

    return engine


def serialized_writes(engine: Engine) -> Engine:
    """The engine for writes that must not interleave with one another (read, decide, write):
    BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL. Readers are never blocked."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def alembic_config(database_url: str, migrations_dir: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logger"] = False
    return config


def upgrade_database(database_url: str, migrations_dir: Path) -> None:
    """Bring a service's own database to the latest migration."""
    command.upgrade(alembic_config(database_url, migrations_dir), "head")


class Money(TypeDecorator[Decimal]):
    """`numeric(p,2)` money. SQLite has no decimal type, so there it is integer pence:
    sums stay exact and nothing passes through a float."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 9) -> None:
        super().__init__()
        self.precision = precision

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(self.precision, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(Decimal("0.01"))
        if dialect.name == "sqlite":
            return int(amount * 100)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            # Pence to pounds without division: scaleb keeps it exact and is cheap, which
            # matters when a criteria page reads tens of thousands of amounts.
            return Decimal(int(value)).scaleb(-2)
        return Decimal(value).quantize(Decimal("0.01"))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant, stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(DateTime(timezone=dialect.name != "sqlite"))

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs a timezone-aware datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime
