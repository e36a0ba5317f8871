"""Bulk writers for the simulator: SQLite through the raw DBAPI connection, PostgreSQL through
COPY. Both take the same canonical row tuples (`formats.py`).

Tables are created from `uh_schema.metadata` without their secondary indexes, loaded, and
then indexed: building an index once over sorted data is much cheaper than maintaining it row
by row, and the ledger is millions of rows.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, MetaData, Table, UniqueConstraint
from sqlalchemy.schema import CreateIndex, CreateTable

from uh_gateway.gateways.uh_schema import metadata
from uh_gateway.simulator.formats import postgres_converters
from uh_gateway.simulator.reference_data import seed_reference_data

logger = logging.getLogger(__name__)

Row = tuple[object, ...]
RowSource = Callable[[], Iterable[Row]]

# A throwaway build: no rollback journal and no fsync (a crash means building again). The
# modest page cache is deliberate: index builds on the ledger ran twice as fast with a 20 MB
# cache and the sorter spilling to temporary files as with a 1 GB cache sorting in memory.
SQLITE_BUILD_PRAGMAS = (
    "journal_mode=OFF",
    "synchronous=OFF",
    "locking_mode=EXCLUSIVE",
    "cache_size=-20000",
)


class BulkWriter(ABC):
    """Writes through the DBAPI connection under a SQLAlchemy `Connection`: the bulk loads
    need the driver, and the lookup tables are seeded by `seed_reference_data` with Core, on
    the same connection (on SQLite a second one would be locked out by the build)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._dbapi: Any = connection.connection.driver_connection

    def _ddl(self, statement: CreateTable | CreateIndex) -> str:
        return str(statement.compile(dialect=self._connection.dialect))

    def _create_table_sql(self, table: Table) -> str:
        return self._ddl(CreateTable(table))

    def create_tables(self) -> None:
        for table in metadata.sorted_tables:
            self._execute(self._create_table_sql(table))
        self._dbapi.commit()

    def seed_reference_data(self) -> None:
        seed_reference_data(self._connection)
        self._connection.commit()

    def create_indexes(self) -> None:
        for table in metadata.sorted_tables:
            for index in sorted(table.indexes, key=lambda index: str(index.name)):
                self._timed(str(index.name), self._ddl(CreateIndex(index)))
        self._dbapi.commit()

    def _timed(self, name: str, sql: str) -> None:
        started = time.perf_counter()
        self._execute(sql)
        seconds = round(time.perf_counter() - started, 2)
        logger.info("created index", extra={"index": name, "seconds": seconds})

    @abstractmethod
    def _execute(self, sql: str) -> None: ...

    @abstractmethod
    def load(self, table: Table, columns: tuple[str, ...], rows: RowSource) -> int:
        """Insert the rows; returns how many."""

    @abstractmethod
    def finish(self) -> None:
        """Commit and gather planner statistics."""

    @abstractmethod
    def database_bytes(self) -> int: ...

    def close(self) -> None:
        self._connection.close()

    def counts(self) -> dict[str, int]:
        """Rows per table, as the database has them."""
        cursor = self._dbapi.cursor()
        counts = {}
        for table in metadata.sorted_tables:
            cursor.execute(f"SELECT count(*) FROM {table.name}")  # noqa: S608 - names from uh_schema
            counts[table.name] = int(cursor.fetchone()[0])
        cursor.close()
        return counts


def _insert_sql(table: Table, columns: tuple[str, ...]) -> str:
    placeholders = ", ".join("?" for _ in columns)
    # Names come from uh_schema, not from input.
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608


class SqliteBulkWriter(BulkWriter):
    """SQLite. One difference from a plain `metadata.create_all`: table-level unique
    constraints (`rtrans01`, `araction01`) become unique indexes of the same name, created
    after the load. SQLite enforces both the same way, but the constraint would be maintained
    row by row during the load (a quarter of the ledger's insert time)."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._sqlite: sqlite3.Connection = self._dbapi
        for pragma in SQLITE_BUILD_PRAGMAS:
            self._sqlite.execute(f"PRAGMA {pragma}")

    def _create_table_sql(self, table: Table) -> str:
        copy = table.to_metadata(MetaData())
        for constraint in [
            c for c in copy.constraints if isinstance(c, UniqueConstraint) and c.name
        ]:
            copy.constraints.remove(constraint)
        return self._ddl(CreateTable(copy))

    def create_indexes(self) -> None:
        quote = self._connection.dialect.identifier_preparer.quote
        for table in metadata.sorted_tables:
            for constraint in table.constraints:
                if isinstance(constraint, UniqueConstraint) and constraint.name:
                    columns = ", ".join(quote(column.name) for column in constraint.columns)
                    name = str(constraint.name)
                    self._timed(
                        name,
                        f"CREATE UNIQUE INDEX {quote(name)} ON {quote(table.name)} ({columns})",
                    )
        super().create_indexes()

    def _execute(self, sql: str) -> None:
        self._sqlite.execute(sql)

    def load(self, table: Table, columns: tuple[str, ...], rows: RowSource) -> int:
        cursor = self._sqlite.cursor()
        cursor.executemany(_insert_sql(table, columns), rows())
        count = int(cursor.rowcount)
        cursor.close()
        return count

    def finish(self) -> None:
        self._sqlite.commit()
        # Planner statistics, as UH's SQL Server keeps. Exact for the account-sized tables: a
        # sampled estimate made `tenure = 'SEC'` look selective, so SQLite sorted every
        # account in arrears for each criteria page instead of walking tag_ref order. Sampled
        # for the big ledger and diary, so ANALYZE stays quick.
        sampled = {"rtrans", "araction"}
        self._sqlite.execute("PRAGMA analysis_limit=0")
        for table in sorted(set(metadata.tables) - sampled):
            self._sqlite.execute(f"ANALYZE {table}")
        self._sqlite.execute("PRAGMA analysis_limit=2000")
        for table in sorted(sampled):
            self._sqlite.execute(f"ANALYZE {table}")
        self._sqlite.commit()

    def database_bytes(self) -> int:
        page_count = self._sqlite.execute("PRAGMA page_count").fetchone()[0]
        page_size = self._sqlite.execute("PRAGMA page_size").fetchone()[0]
        return int(page_count) * int(page_size)


class PostgresBulkWriter(BulkWriter):
    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._psycopg = self._dbapi
        # Durability is pointless for a database we can rebuild.
        self._psycopg.execute("SET synchronous_commit = off")

    def _execute(self, sql: str) -> None:
        self._psycopg.execute(sql)

    def load(self, table: Table, columns: tuple[str, ...], rows: RowSource) -> int:
        converters = postgres_converters(table, columns)
        converting = [(index, convert) for index, convert in enumerate(converters) if convert]
        count = 0
        with self._psycopg.cursor() as cursor:
            statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows():
                    if converting:
                        values = list(row)
                        for index, convert in converting:
                            values[index] = convert(values[index])
                        copy.write_row(values)
                    else:
                        copy.write_row(row)
                    count += 1
        return count

    def finish(self) -> None:
        self._psycopg.commit()
        self._psycopg.execute("ANALYZE")
        self._psycopg.commit()

    def database_bytes(self) -> int:
        size = self._psycopg.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(size[0])


def bulk_writer(connection: Connection) -> BulkWriter:
    if connection.dialect.name == "sqlite":
        return SqliteBulkWriter(connection)
    if connection.dialect.name == "postgresql":
        return PostgresBulkWriter(connection)
    raise ValueError(f"the simulator writes SQLite or PostgreSQL, not {connection.dialect.name}")
