"""income-api's full sync: every account in arrears read from uh-gateway, classified and
written as cases, end to end.

uh-gateway and income-api each run as a real process (`python -m uh_gateway.main`,
`python -m income_api.main`, free ports, dev auth, income-api on a fresh SQLite database with
no scheduler and no SQS, "today" pinned to the bench databases' day). A sync is started with
`POST /api/v1/sync` as a team leader and timed until `GET /api/v1/jobs/{id}` says it has
finished (polled every 0.1 s). Per database size and repeat, on a fresh income-api database:

* **first sync**: the income-api database is empty, so every case is created and UH's court
  cases, evictions and agreements are migrated (agreements need one gateway call each);
* **re-run**: the same sync again with nothing changed in UH: it should write almost nothing
  (the rows it did write are counted by comparing the income-api database before and after).

**Baseline**, interleaved with the syncs (before each one): the gateway's bulk criteria read
alone, every page of `/api/v1/arrears-criteria/rent` and `/leasehold` at income-api's page
size (2,000), JSON parsed, over HTTP: what reading costs, so the tables show what syncing
adds. The job run's own split (`timings`: gateway reads, classification, database writes) is
quoted too; gateway reads overlap the processing (the next page is fetched while one is
processed), so the parts may add up to more than the whole.

`--profile` instead runs one first sync and one re-run in this process under cProfile (the
gateway still a real server), with `asyncio.to_thread` made inline so the profile sees the
page processing, and prints the top functions: where income-api's own time goes.

    uv run python bench/income_sync.py [--sizes 10000,30000,100000] [--repeats 3]
    uv run python bench/income_sync.py --profile --sizes 30000
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import io
import logging
import os
import pstats
import sqlite3
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ParamSpec, TypeVar

import httpx

from bench.common import (
    BENCH_AS_OF,
    OUT,
    configure_logging,
    ensure_bench_database,
    file_size,
    gateway_server,
    handle_signals,
    income_api_server,
    markdown_table,
    median,
    mib,
    passed,
    run_sync,
    size_label,
    spread,
    sqlite_path,
    sqlite_url,
    write_json,
)
from income_api.settings import Settings

logger = logging.getLogger("bench.income_sync")

RENT_PATH = "/api/v1/arrears-criteria/rent"
LEASEHOLD_PATH = "/api/v1/arrears-criteria/leasehold"
# What income-api asks the gateway for per page (its SYNC_PAGE_SIZE default).
PAGE_SIZE = int(Settings.model_fields["sync_page_size"].default)

TARGET_SIZE = 30_000
TARGET_FIRST_SYNC_SECONDS = 20.0
# The income-api tables a sync writes; compared row by row around the re-run.
WRITTEN_TABLES = ("cases", "court_cases", "evictions", "agreements", "agreement_states", "outbox")


@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: [10_000, 30_000])
    repeats: int = 3
    poll_seconds: float = 0.1
    profile: bool = False
    profile_top: int = 30


@dataclass
class SyncRun:
    """One job run as `GET /api/v1/jobs/{id}` reported it, with the client's wall clock."""

    wall_seconds: float
    job: dict[str, Any]

    @property
    def job_seconds(self) -> float:
        return float(self.job["seconds"] or 0.0)

    def timing(self, name: str) -> float:
        return float(self.job["timings"].get(name, float("nan")))

    def count(self, name: str) -> int:
        return int(self.job.get(name) or 0)


@dataclass
class Written:
    """Rows a run added, changed and deleted per income-api table."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values()) + sum(self.changed.values()) + sum(self.deleted.values())

    def describe(self) -> str:
        parts = []
        for table in WRITTEN_TABLES:
            bits = [
                f"{sign}{counts[table]:,}"
                for sign, counts in (("+", self.added), ("~", self.changed), ("-", self.deleted))
                if counts.get(table)
            ]
            if bits:
                parts.append(f"{table} {' '.join(bits)}")
        return ", ".join(parts) or "nothing"


@dataclass
class SizeResult:
    rent_accounts: int
    database: str
    database_bytes: int
    rent_in_arrears: int = 0
    leasehold_in_arrears: int = 0
    read_seconds: list[float] = field(default_factory=list)
    first: list[SyncRun] = field(default_factory=list)
    rerun: list[SyncRun] = field(default_factory=list)
    rerun_written: list[Written] = field(default_factory=list)
    income_database_bytes: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return size_label(self.rent_accounts)

    @property
    def accounts(self) -> int:
        return self.rent_in_arrears + self.leasehold_in_arrears

    @property
    def read(self) -> float:
        return median(self.read_seconds)

    def wall(self, runs: Sequence[SyncRun]) -> float:
        return median([r.wall_seconds for r in runs])

    def per_thousand(self, runs: Sequence[SyncRun]) -> float:
        return self.wall(runs) / self.accounts * 1000 if self.accounts else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "rent_accounts": self.rent_accounts,
            "database": self.database,
            "database_bytes": self.database_bytes,
            "rent_in_arrears": self.rent_in_arrears,
            "leasehold_in_arrears": self.leasehold_in_arrears,
            "read_seconds": self.read_seconds,
            "median_read_seconds": self.read,
            "first_sync": [asdict(r) for r in self.first],
            "rerun": [asdict(r) for r in self.rerun],
            "rerun_written": [asdict(w) for w in self.rerun_written],
            "median_first_sync_seconds": self.wall(self.first),
            "median_rerun_seconds": self.wall(self.rerun),
            "first_sync_seconds_per_1000_accounts": self.per_thousand(self.first),
            "income_database_bytes": self.income_database_bytes,
        }


# The baseline: the gateway's bulk read alone ------------------------------------------------


def read_criteria(client: httpx.Client, path: str, as_of: dt.date) -> int:
    """Every page of a criteria endpoint as income-api pages it; the number of accounts."""
    count = 0
    params: dict[str, Any] = {"limit": PAGE_SIZE, "as_of": as_of.isoformat()}
    while True:
        response = client.get(path, params=params)
        response.raise_for_status()
        body = response.json()
        count += len(body["results"])
        if not body["next_cursor"]:
            return count
        params["cursor"] = body["next_cursor"]


def read_all(client: httpx.Client) -> tuple[float, int, int]:
    """(seconds, rent accounts, leasehold accounts) of the whole bulk read."""
    started = time.perf_counter()
    rent = read_criteria(client, RENT_PATH, BENCH_AS_OF)
    leasehold = read_criteria(client, LEASEHOLD_PATH, BENCH_AS_OF)
    return time.perf_counter() - started, rent, leasehold


# What a run wrote -----------------------------------------------------------------------------

Snapshot = dict[str, dict[int, tuple[Any, ...]]]


def snapshot(database_url: str) -> Snapshot:
    """Every row of the tables a sync writes, by rowid (untimed; the server is idle)."""
    path = sqlite_path(database_url)
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables: Snapshot = {}
        for table in WRITTEN_TABLES:
            rows = conn.execute(f"SELECT rowid, * FROM {table}")  # noqa: S608 (our own names)
            tables[table] = {row[0]: tuple(row[1:]) for row in rows}
        return tables


def written(before: Snapshot, after: Snapshot) -> Written:
    result = Written()
    for table in WRITTEN_TABLES:
        old, new = before[table], after[table]
        result.added[table] = len(new.keys() - old.keys())
        result.deleted[table] = len(old.keys() - new.keys())
        result.changed[table] = sum(1 for key in new.keys() & old.keys() if new[key] != old[key])
    return result


# The measurement ------------------------------------------------------------------------------


def _check(run: SyncRun, label: str, what: str, log_path: Path) -> None:
    job = run.job
    if job["status"] not in {"succeeded", "completed_with_errors"}:
        tail = log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"{label} {what}: the sync {job['status']}: {job['message']}\n{tail}")
    logger.info(
        "%s %s: %.2f s (job %.2f s; gateway %.2f, classification %.2f, database %.2f): "
        "%d accounts, %d created, %d changed, %d deleted, %d errors",
        label,
        what,
        run.wall_seconds,
        run.job_seconds,
        run.timing("gateway_reads_seconds"),
        run.timing("classification_seconds"),
        run.timing("database_seconds"),
        run.count("accounts_seen"),
        run.count("cases_created"),
        run.count("cases_changed"),
        run.count("cases_deleted"),
        run.count("error_count"),
    )


def measure(rent_accounts: int, options: Options) -> SizeResult:
    path = ensure_bench_database(rent_accounts)
    result = SizeResult(rent_accounts, str(path), file_size(path))
    label = result.label
    with gateway_server(sqlite_url(path)) as gateway, gateway.client() as reader:
        logger.info("%s: warm-up read", label)
        _, result.rent_in_arrears, result.leasehold_in_arrears = read_all(reader)
        for repeat in range(1, options.repeats + 1):
            with tempfile.TemporaryDirectory(prefix="bench-income-") as workdir:
                database_url = sqlite_url(Path(workdir) / "income-api.sqlite3")
                with (
                    income_api_server(database_url, gateway.base_url) as api,
                    api.client("team-leader") as client,
                ):
                    seconds, rent, leasehold = read_all(reader)
                    result.read_seconds.append(seconds)
                    first = SyncRun(*run_sync(client, poll_seconds=options.poll_seconds))
                    _check(first, label, f"first sync {repeat}/{options.repeats}", api.log_path)
                    result.first.append(first)
                    if first.count("accounts_seen") != rent + leasehold:
                        logger.warning(
                            "%s: the sync saw %d accounts, the read %d",
                            label,
                            first.count("accounts_seen"),
                            rent + leasehold,
                        )
                    result.income_database_bytes.append(file_size(sqlite_path(database_url)))
                    before = snapshot(database_url)
                    seconds, _, _ = read_all(reader)
                    result.read_seconds.append(seconds)
                    rerun = SyncRun(*run_sync(client, poll_seconds=options.poll_seconds))
                    _check(rerun, label, f"re-run {repeat}/{options.repeats}", api.log_path)
                    result.rerun.append(rerun)
                    result.rerun_written.append(written(before, snapshot(database_url)))
                    logger.info(
                        "%s: repeat %d/%d: read %.2f/%.2f s; re-run wrote %s",
                        label,
                        repeat,
                        options.repeats,
                        result.read_seconds[-2],
                        result.read_seconds[-1],
                        result.rerun_written[-1].describe(),
                    )
    return result


def _med(runs: Sequence[SyncRun], pick: Callable[[SyncRun], float]) -> float:
    return median([pick(r) for r in runs])


def render(results: Sequence[SizeResult], options: Options) -> tuple[str, dict[str, Any]]:
    main = markdown_table(
        [
            "database",
            "accounts in arrears (rent + leasehold)",
            "bulk read s (min-max)",
            "first sync s (min-max)",
            "first / read",
            "re-run s (min-max)",
            "re-run / read",
            "first sync s per 1,000",
            "re-run s per 1,000",
        ],
        [
            [
                f"{r.label} SQLite",
                f"{r.accounts:,} ({r.rent_in_arrears:,} + {r.leasehold_in_arrears:,})",
                f"{r.read:.2f} ({spread(r.read_seconds)})",
                f"{r.wall(r.first):.2f} ({spread([x.wall_seconds for x in r.first])})",
                f"{r.wall(r.first) / r.read:.1f}x",
                f"{r.wall(r.rerun):.2f} ({spread([x.wall_seconds for x in r.rerun])})",
                f"{r.wall(r.rerun) / r.read:.1f}x",
                f"{r.per_thousand(r.first):.3f}",
                f"{r.per_thousand(r.rerun):.3f}",
            ]
            for r in results
        ],
    )
    split_rows = []
    for r in results:
        for what, runs in (("first sync", r.first), ("re-run", r.rerun)):
            split_rows.append(
                [
                    f"{r.label} {what}",
                    f"{r.wall(runs):.2f}",
                    f"{_med(runs, lambda x: x.job_seconds):.2f}",
                    f"{_med(runs, lambda x: x.timing('gateway_reads_seconds')):.2f}",
                    f"{_med(runs, lambda x: x.timing('classification_seconds')):.2f}",
                    f"{_med(runs, lambda x: x.timing('database_seconds')):.2f}",
                    f"{r.wall(runs) - r.read:.2f}",
                    f"{r.accounts / r.wall(runs):,.0f}",
                ]
            )
    split = markdown_table(
        [
            "run",
            "wall s",
            "job s",
            "gateway reads s",
            "classification s",
            "database s",
            "wall - bulk read s",
            "accounts/s",
        ],
        split_rows,
    )
    counts = markdown_table(
        [
            "database",
            "cases created (first)",
            "agreements checked",
            "errors (first / re-run)",
            "re-run: cases changed",
            "re-run: rows written (median)",
            "re-run: rows written (last repeat)",
            "income-api database after first",
        ],
        [
            [
                f"{r.label} SQLite",
                r.first[-1].count("cases_created"),
                r.first[-1].count("agreements_checked"),
                f"{r.first[-1].count('error_count')} / {r.rerun[-1].count('error_count')}",
                r.rerun[-1].count("cases_changed"),
                f"{median([w.total for w in r.rerun_written]):,.0f}",
                r.rerun_written[-1].describe(),
                mib(int(median(r.income_database_bytes))),
            ]
            for r in results
        ],
    )
    at_target = next((r for r in results if r.rent_accounts == TARGET_SIZE), None)
    growth = (
        results[-1].per_thousand(results[-1].first) / results[0].per_thousand(results[0].first)
        if len(results) > 1
        else None
    )
    target: dict[str, Any] = {
        "measured_at_target_size": at_target is not None,
        "first_sync_seconds": at_target.wall(at_target.first) if at_target else None,
        "first_sync_under_20s": at_target.wall(at_target.first) < TARGET_FIRST_SYNC_SECONDS
        if at_target
        else None,
        "rerun_seconds": at_target.wall(at_target.rerun) if at_target else None,
        "per_1000_growth_first_sync": growth,
    }
    lines = [
        "### income-api full sync, end to end",
        "",
        f"Medians of {options.repeats} repeats, each on a fresh income-api database (SQLite): "
        "uh-gateway and income-api as real processes; `POST /api/v1/sync` as a team leader, "
        f"timed until `GET /api/v1/jobs/{{id}}` (polled every {options.poll_seconds:g} s) says "
        "it finished. **First sync**: empty income-api database (every case created, UH court "
        "cases, evictions and agreements migrated). **Re-run**: the same again, nothing changed "
        "in UH. **Bulk read** (baseline, before each sync, same gateway): every page of "
        f"`/api/v1/arrears-criteria/rent` and `/leasehold` at `limit={PAGE_SIZE}`, JSON parsed, "
        f"over HTTP. All as of {BENCH_AS_OF}.",
        "",
        main,
        "",
        "Where the time goes: the job run's own `timings` (medians). Gateway reads overlap the "
        "processing (the next page is fetched while one is processed), and classification "
        "includes loading each page's stored records, agreement checks and migration; database "
        "is the page's case, outbox and deletion writes.",
        "",
        split,
        "",
        counts,
        "",
        f"Targets ({size_label(TARGET_SIZE)} rent accounts on SQLite):",
        "",
    ]
    if at_target is not None:
        lines.append(
            f"* first sync (every account in arrears, end to end) < "
            f"{TARGET_FIRST_SYNC_SECONDS:g} s: {at_target.wall(at_target.first):.2f} s — "
            f"{passed(target['first_sync_under_20s'])}"
        )
        lines.append(
            f"* re-run with nothing changed: {at_target.wall(at_target.rerun):.2f} s, "
            f"{median([w.total for w in at_target.rerun_written]):,.0f} rows written"
        )
    else:
        lines.append(f"* {size_label(TARGET_SIZE)} not measured in this run")
    if growth is not None:
        lines.append(
            f"* growth: first sync s per 1,000 accounts at {results[-1].label} is "
            f"{growth:.2f}x that at {results[0].label}"
        )
    return "\n".join(lines), target


def run(options: Options) -> dict[str, Any]:
    results: list[SizeResult] = []
    for size in options.sizes:
        logger.info("== income-api sync at %s rent accounts", size_label(size))
        results.append(measure(size, options))
    markdown, target = render(results, options)
    report: dict[str, Any] = {
        "options": asdict(options),
        "page_size": PAGE_SIZE,
        "as_of": BENCH_AS_OF.isoformat(),
        "results": [r.summary() for r in results],
        "target": target,
        "markdown": markdown,
    }
    report["json_path"] = str(write_json("income_sync", report))
    return report


# Profiling in process -------------------------------------------------------------------------

P = ParamSpec("P")
T = TypeVar("T")


async def _inline(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`asyncio.to_thread` run on the event loop's thread, so one profiler sees it all."""
    return func(*args, **kwargs)


@contextlib.contextmanager
def _to_thread_inline() -> Iterator[None]:
    original = asyncio.to_thread
    asyncio.to_thread = _inline
    try:
        yield
    finally:
        asyncio.to_thread = original


def _profiled(
    label: str, action: Callable[[], Coroutine[Any, Any, str]], top: int
) -> tuple[float, str]:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    job_id = asyncio.run(action())
    profiler.disable()
    seconds = time.perf_counter() - started
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dump = OUT / f"income_sync-profile-{label}-{stamp}.prof"
    profiler.dump_stats(dump)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    logger.info("%s: %.2f s under cProfile (job %s); profile in %s", label, seconds, job_id, dump)
    return seconds, text.getvalue()


def profile(rent_accounts: int, options: Options) -> str:
    """One first sync and one re-run in this process under cProfile; the gateway real."""
    from income_api.gateways.outbox import OutboxDispatcher
    from income_api.gateways.uh_gateway import UhGateway
    from income_api.migrations import upgrade
    from income_api.use_cases.sync import FULL, CaseSync, SyncClock
    from ma_shared.database import create_database_engine

    path = ensure_bench_database(rent_accounts)
    settings = Settings()
    label = size_label(rent_accounts)
    texts: list[str] = []
    with (
        gateway_server(sqlite_url(path)) as gateway,
        gateway.client() as reader,
        tempfile.TemporaryDirectory(prefix="bench-income-") as workdir,
    ):
        read_all(reader)
        database_url = sqlite_url(Path(workdir) / "income-api.sqlite3")
        upgrade(database_url)
        engine = create_database_engine(database_url)

        async def one_sync() -> str:
            client = UhGateway.connect(
                gateway.base_url,
                service_name=settings.service_name,
                service_jwt_secret=settings.service_jwt_secret.get_secret_value(),
                timeout=settings.uh_gateway_timeout_seconds,
            )
            try:
                sync = CaseSync(
                    engine=engine,
                    gateway=client,
                    dispatcher=OutboxDispatcher(engine=engine, gateway=client, publisher=None),
                    clock=SyncClock(BENCH_AS_OF),
                    page_size=PAGE_SIZE,
                    tolerance_days=settings.agreement_breach_tolerance_days,
                    stale_after=dt.timedelta(minutes=settings.stale_job_minutes),
                )
                return await sync.run_now(FULL, triggered_by="bench profile")
            finally:
                await client.aclose()

        try:
            with _to_thread_inline():
                for what in ("first", "rerun"):
                    seconds, text = _profiled(f"{label}-{what}", one_sync, options.profile_top)
                    texts.append(f"## {label} {what} sync: {seconds:.2f} s under cProfile\n{text}")
        finally:
            engine.dispose()
    return "\n".join(texts)


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "10000,30000"),
        help="rent accounts per SQLite database, comma-separated (default 10000,30000; "
        "env BENCH_SIZES)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--poll-seconds", type=float, default=0.1)
    parser.add_argument(
        "--profile", action="store_true", help="profile one sync in process instead (cProfile)"
    )
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        sizes=[int(s) for s in str(args.sizes).split(",") if s.strip()],
        repeats=args.repeats,
        poll_seconds=args.poll_seconds,
        profile=args.profile,
        profile_top=args.profile_top,
    )


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    if options.profile:
        for size in options.sizes:
            print(profile(size, options))
        return
    report = run(options)
    print(report["markdown"])


if __name__ == "__main__":
    main()
