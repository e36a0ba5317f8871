"""Build a simulated UH database: schema from `uh_schema.metadata`, lookups, generated data."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from uh_gateway.gateways.uh_schema import metadata
from uh_gateway.simulator.generator import PROFILES, SimulatorSize, UHSimulation
from uh_gateway.simulator.rows import table_loads
from uh_gateway.simulator.writer import bulk_writer

logger = logging.getLogger(__name__)

DEFAULT_SEED = 1
DEFAULT_PROFILE = "run"


class SimulatorAlreadyBuilt(Exception):
    """The database already holds a populated UH simulator (rebuild with force=True)."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    database_url: str
    size: SimulatorSize
    as_of: dt.date
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    database_bytes: int = 0
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return f"UH simulator already present at {self.database_url}; left as it is"
        counts = " ".join(f"{table}={count}" for table, count in self.counts.items())
        return (
            f"UH simulator built at {self.database_url} "
            f"(rent={self.size.rent_accounts} leasehold={self.size.leasehold_accounts} "
            f"as_of={self.as_of} seed={self.seed}) in {self.seconds:.1f}s, "
            f"{self.database_bytes / 1_000_000:.1f} MB: {counts}"
        )


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def build_simulator(
    database_url: str,
    *,
    size: SimulatorSize = PROFILES[DEFAULT_PROFILE],
    as_of: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    if_absent: bool = False,
) -> BuildReport:
    """Create and fill a UH simulator database.

    A populated database is left alone with `if_absent`, rebuilt with `force`, and otherwise
    refused (`SimulatorAlreadyBuilt`). A SQLite file is built next to its final path and moved
    into place at the end, so nothing ever sees a half-built database.
    """
    as_of = as_of or today_utc()
    url = make_url(database_url)
    shown = url.render_as_string(hide_password=True)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.exists():
        populated = False
    else:
        populated = _is_populated(url)
    if populated and if_absent:
        logger.info("UH simulator already present", extra={"database_url": shown})
        return BuildReport(database_url=shown, size=size, as_of=as_of, seed=seed, skipped=True)
    if populated and not force:
        raise SimulatorAlreadyBuilt(f"{shown} already holds a UH simulator; use force to rebuild")
    started = time.perf_counter()
    if sqlite_file is None:
        engine = create_engine(url)
        try:
            metadata.drop_all(engine)
            counts, size_bytes = _build(engine, size, as_of, seed)
        finally:
            engine.dispose()
    else:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        building = sqlite_file.with_name(sqlite_file.name + ".building")
        _remove_sqlite(building)
        engine = create_engine(url.set(database=str(building)))
        try:
            counts, size_bytes = _build(engine, size, as_of, seed)
        finally:
            engine.dispose()
        _remove_sqlite(sqlite_file, keep_main=True)
        os.replace(building, sqlite_file)
    seconds = time.perf_counter() - started
    return BuildReport(
        database_url=shown,
        size=size,
        as_of=as_of,
        seed=seed,
        counts=counts,
        seconds=seconds,
        database_bytes=size_bytes,
    )


def _build(
    engine: Engine, size: SimulatorSize, as_of: dt.date, seed: int
) -> tuple[dict[str, int], int]:
    started = time.perf_counter()
    simulation = UHSimulation(size, as_of, seed)
    logger.info("generated", extra={"seconds": round(time.perf_counter() - started, 2)})
    with engine.connect() as connection:
        writer = bulk_writer(connection)
        writer.create_tables()
        writer.seed_reference_data()
        for load in table_loads(simulation):
            table_started = time.perf_counter()
            rows = writer.load(load.table, load.columns, load.rows)
            logger.info(
                "loaded table",
                extra={
                    "table": load.table.name,
                    "rows": rows,
                    "seconds": round(time.perf_counter() - table_started, 2),
                },
            )
        writer.create_indexes()
        writer.finish()
        counts = writer.counts()
        size_bytes = writer.database_bytes()
    return counts, size_bytes


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _is_populated(url: URL) -> bool:
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("tenagree"):
            return False
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM tenagree LIMIT 1")).first() is not None
    finally:
        engine.dispose()


def _remove_sqlite(path: Path, *, keep_main: bool = False) -> None:
    """A SQLite database and its side files (a stale -wal next to a new file corrupts it)."""
    names = ["-journal", "-wal", "-shm"] if keep_main else ["", "-journal", "-wal", "-shm"]
    for suffix in names:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
