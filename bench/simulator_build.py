"""How long the UH simulator takes to build, and how big its database is, per profile.

Each profile is built with the seed CLI (`uh-gateway-seed --profile P --force`) into
data/bench/uh-<profile>.sqlite3, timed from process start to exit (what a developer waits
for, interpreter start-up included). Small profiles (at most 5,000 rent accounts) are built
`--repeats` times and the median quoted; bigger ones once. The bench profile's file is the
30k database the other benchmarks use (data/bench/uh-bench-30k.sqlite3): it is reused if
present (size reported, not timed) unless --rebuild.

    uv run python bench/simulator_build.py [--rebuild] [--rent-accounts 100000] [--postgres]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import contextlib
import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg

from bench.common import (
    BENCH_AS_OF,
    BENCH_DATA,
    SeedRequest,
    bench_database,
    configure_logging,
    file_size,
    handle_signals,
    markdown_table,
    median,
    mib,
    postgres_conninfo,
    run_seed,
    size_label,
    spread,
    sqlite_url,
    write_json,
)
from uh_gateway.simulator import PROFILES

logger = logging.getLogger("bench.simulator_build")

PROFILE_NAMES = ("test", "run", "bench")
BENCH_RENT_ACCOUNTS = 30_000
SMALL = 5_000  # rent accounts: profiles up to this size are built --repeats times
COUNTED_TABLES = ("tenagree", "rtrans", "araction", "arag", "member")


@dataclass
class Options:
    profiles: list[str] = field(default_factory=lambda: list(PROFILE_NAMES))
    repeats: int = 3
    rebuild: bool = False
    rent_accounts: int | None = None
    postgres: bool = False


@dataclass
class Build:
    label: str
    backend: str
    target: str
    seconds: list[float] = field(default_factory=list)
    reused: bool = False
    database_bytes: int | None = None
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def median_seconds(self) -> float:
        return median(self.seconds)


def profile_path(profile: str) -> Path:
    if profile == "bench":
        return bench_database(BENCH_RENT_ACCOUNTS)
    return BENCH_DATA / f"uh-{profile}.sqlite3"


def sqlite_rows(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {
            table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
            for table in COUNTED_TABLES
        }


def build_sqlite(
    label: str, path: Path, request: SeedRequest, *, repeats: int, reuse: bool
) -> Build:
    """Build `repeats` times; or, if `reuse` and the file exists, only measure it."""
    build = Build(label=label, backend="sqlite", target=str(path))
    if reuse and path.exists():
        build.reused = True
        logger.info("%s: reusing %s (--rebuild to time a build)", label, path.name)
    else:
        for attempt in range(1, repeats + 1):
            seconds = run_seed(request, force=True)
            build.seconds.append(seconds)
            logger.info("%s: build %d/%d took %.1f s", label, attempt, repeats, seconds)
    build.database_bytes = file_size(path)
    build.rows = sqlite_rows(path)
    return build


def build_postgres(profile: str, rent_accounts: int | None) -> Build:
    from ma_shared.testing import throwaway_postgres

    label = f"{profile} on PostgreSQL" + (
        f" ({size_label(rent_accounts)})" if rent_accounts else ""
    )
    with throwaway_postgres(("uh",)) as urls:
        request = SeedRequest(
            profile=profile,
            database_url=urls["uh"],
            rent_accounts=rent_accounts,
            leasehold_accounts=rent_accounts // 3 if rent_accounts else None,
            as_of=BENCH_AS_OF,
        )
        build = Build(label=label, backend="postgresql", target="throwaway PostgreSQL")
        build.seconds.append(run_seed(request, force=True))
        with psycopg.connect(postgres_conninfo(urls["uh"])) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            build.database_bytes = int(size[0]) if size else None
            for table in COUNTED_TABLES:
                count = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608
                build.rows[table] = int(count[0]) if count else 0
    logger.info("%s: built in %.1f s", label, build.seconds[0])
    return build


def run(options: Options) -> dict[str, Any]:
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    builds: list[Build] = []
    wanted: list[tuple[str, Path, SeedRequest, int]] = [
        (
            profile,
            profile_path(profile),
            SeedRequest(
                profile=profile, database_url=sqlite_url(profile_path(profile)), as_of=BENCH_AS_OF
            ),
            PROFILES[profile].rent_accounts,
        )
        for profile in options.profiles
    ]
    if options.rent_accounts:
        n = options.rent_accounts
        path = bench_database(n)
        request = SeedRequest(
            profile="bench",
            database_url=sqlite_url(path),
            rent_accounts=n,
            leasehold_accounts=n // 3,
            as_of=BENCH_AS_OF,
        )
        wanted.append((f"bench, {size_label(n)} rent", path, request, n))
    for label, path, request, rent_accounts in wanted:
        small = rent_accounts <= SMALL
        builds.append(
            build_sqlite(
                label,
                path,
                request,
                repeats=options.repeats if small else 1,
                reuse=not small and not options.rebuild,
            )
        )
    if options.postgres:
        builds.append(build_postgres("bench", None))
    rows = []
    for b in builds:
        rows.append(
            [
                b.label,
                b.backend,
                b.rows.get("tenagree"),
                b.rows.get("rtrans"),
                b.rows.get("araction"),
                "reused (not timed)" if b.reused else f"{b.median_seconds:.1f}",
                "-" if b.reused else f"{len(b.seconds)} ({spread(b.seconds)})",
                f"{b.rows.get('rtrans', 0) / b.median_seconds:,.0f}" if b.seconds else "-",
                mib(b.database_bytes) if b.database_bytes else "-",
            ]
        )
    table = markdown_table(
        [
            "profile",
            "database",
            "tenancies",
            "transactions",
            "diary entries",
            "build s (median)",
            "builds (min-max s)",
            "transactions/s",
            "size",
        ],
        rows,
    )
    markdown = "\n".join(
        [
            "### Simulator build",
            "",
            "`uh-gateway-seed --profile P --force`, wall clock from process start (interpreter "
            f"start-up included); profiles up to {SMALL:,} rent accounts built "
            f"{options.repeats} time(s) (median), bigger ones once. Size on disk after the build.",
            "",
            table,
        ]
    )
    report: dict[str, Any] = {
        "options": asdict(options),
        "builds": [{**asdict(b), "median_seconds": b.median_seconds} for b in builds],
        "markdown": markdown,
    }
    report["json_path"] = str(write_json("simulator_build", report))
    return report


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Simulator build time and database size")
    parser.add_argument(
        "--profiles",
        default=",".join(PROFILE_NAMES),
        help="comma-separated (default test,run,bench)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="builds of each small profile")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild (and time) the 30k bench database too"
    )
    parser.add_argument(
        "--rent-accounts",
        type=int,
        help="also build the bench profile with this many rent accounts (e.g. 100000)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        default=os.environ.get("BENCH_POSTGRES") == "1",
        help="also time the bench profile on a throwaway PostgreSQL (env BENCH_POSTGRES=1)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        profiles=[p for p in str(args.profiles).split(",") if p],
        repeats=args.repeats,
        rebuild=args.rebuild,
        rent_accounts=args.rent_accounts,
        postgres=args.postgres,
    )


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
