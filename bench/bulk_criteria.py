"""The headline benchmark: bulk arrears criteria for every rent account in arrears.

For each database size (SQLite files under data/bench/, built with the seed CLI if absent;
optionally a throwaway PostgreSQL at 30k) and in the same run, interleaved repeat by repeat:

* API: every page of `GET /api/v1/arrears-criteria/rent?limit=1000` from the gateway running
  as a real server (`python -m uh_gateway.main`), followed by `next_cursor`, with httpx, JSON
  parsed; the same for `/arrears-criteria/leasehold`.
* Floor: one hand-written SQL statement per page of 1,000 (bench/floor.py) with the raw
  driver, no HTTP: how fast the database itself can produce the same fields. It reads each
  account's newest payment and this week's rows off the (tag_ref, post_date) index.
* History floor (optional, --history-floor): the same statement, but aggregating each
  account's whole transaction history with GROUP BY, the naive set-based way: what walking
  the index saves.
* In-process: the gateway's own `UhCriteria.rent` pages called directly (no HTTP), plus their
  JSON serialisation, to split the API's time between queries/models and the web layer.
* Old way: one `GET /api/v1/tenancies/{ref}/arrears-criteria` per tenancy for a seeded random
  sample of the accounts in arrears, extrapolated linearly to all of them.

Medians of repeats after a warm-up; the API answer is also checked field by field against the
floor's (untimed), so the ratio compares like with like.

    uv run python bench/bulk_criteria.py                       # 10k and 30k on SQLite
    uv run python bench/bulk_criteria.py --sizes 10000,30000,100000 --postgres
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import contextlib
import datetime as dt
import logging
import os
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import psycopg

from bench.common import (
    BENCH_AS_OF,
    BENCH_DATA,
    SeedRequest,
    configure_logging,
    database_bytes,
    ensure_bench_database,
    file_size,
    gateway_server,
    handle_signals,
    markdown_table,
    median,
    mib,
    passed,
    postgres_conninfo,
    run_seed,
    size_label,
    spread,
    sqlite_url,
    write_json,
)
from bench.floor import FloorReader, compare
from ma_shared.database import create_database_engine
from uh_gateway.gateways.uh_criteria import AccountFilter, UhCriteria

logger = logging.getLogger("bench.bulk_criteria")

PAGE_SIZE = 1000
RENT_PATH = "/api/v1/arrears-criteria/rent"
LEASEHOLD_PATH = "/api/v1/arrears-criteria/leasehold"

# Targets (docs: the bulk criteria must make the old per-tenancy approach obsolete).
TARGET_SIZE = 30_000
TARGET_API_SECONDS = 5.0
TARGET_FLOOR_RATIO = 5.0
TARGET_SPEEDUP = 20.0
# Linear: seconds per 1,000 accounts at the largest size within this factor of the smallest.
LINEARITY_TOLERANCE = 1.5


@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: [10_000, 30_000])
    postgres: bool = False
    postgres_size: int = TARGET_SIZE
    repeats: int = 5
    per_tenancy_sample: int = 1000
    per_tenancy_repeats: int = 3
    seed: int = 20240601
    as_of: dt.date | None = None
    leasehold: bool = True
    in_process: bool = True
    history_floor: bool = False


@dataclass
class Result:
    label: str
    backend: str
    rent_accounts: int
    database_url: str
    database_bytes: int | None
    as_of: str
    accounts_in_arrears: int = 0
    leasehold_in_arrears: int | None = None
    pages: int = 0
    api_seconds: list[float] = field(default_factory=list)
    floor_seconds: list[float] = field(default_factory=list)
    history_floor_seconds: list[float] = field(default_factory=list)
    in_process_seconds: list[float] = field(default_factory=list)
    in_process_json_seconds: list[float] = field(default_factory=list)
    leasehold_api_seconds: list[float] = field(default_factory=list)
    per_tenancy_sample: int = 0
    per_tenancy_seconds: list[float] = field(default_factory=list)
    per_tenancy_errors: int = 0
    build_seconds: float | None = None
    comparison: dict[str, Any] = field(default_factory=dict)
    history_comparison: dict[str, Any] = field(default_factory=dict)

    @property
    def api(self) -> float:
        return median(self.api_seconds)

    @property
    def floor(self) -> float:
        return median(self.floor_seconds)

    @property
    def history_floor(self) -> float:
        return median(self.history_floor_seconds)

    @property
    def per_tenancy_extrapolated(self) -> float:
        if not self.per_tenancy_sample:
            return float("nan")
        return median(self.per_tenancy_seconds) / self.per_tenancy_sample * self.accounts_in_arrears

    @property
    def per_thousand(self) -> float:
        return self.api / self.accounts_in_arrears * 1000 if self.accounts_in_arrears else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "median_api_seconds": self.api,
            "median_floor_seconds": self.floor,
            "median_history_floor_seconds": self.history_floor,
            "median_in_process_seconds": median(self.in_process_seconds),
            "median_in_process_json_seconds": median(self.in_process_json_seconds),
            "median_leasehold_api_seconds": median(self.leasehold_api_seconds),
            "median_per_tenancy_sample_seconds": median(self.per_tenancy_seconds),
            "per_tenancy_extrapolated_seconds": self.per_tenancy_extrapolated,
            "per_tenancy_is_extrapolated": True,
            "api_over_floor": self.api / self.floor if self.floor else None,
            "api_over_history_floor": self.api / self.history_floor
            if self.history_floor_seconds
            else None,
            "floor_seconds_per_1000_accounts": self.floor / self.accounts_in_arrears * 1000
            if self.accounts_in_arrears
            else None,
            "speedup_vs_per_tenancy": self.per_tenancy_extrapolated / self.api,
            "api_seconds_per_1000_accounts": self.per_thousand,
        }


# One measurement each ----------------------------------------------------------------------


def fetch_all(client: httpx.Client, path: str, as_of: dt.date) -> list[dict[str, Any]]:
    """Every page of a criteria endpoint, following `next_cursor`."""
    results: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": PAGE_SIZE, "as_of": as_of.isoformat()}
    while True:
        response = client.get(path, params=params)
        response.raise_for_status()
        body = response.json()
        results.extend(body["results"])
        if not body["next_cursor"]:
            return results
        params["cursor"] = body["next_cursor"]


def in_process(criteria: UhCriteria, as_of: dt.date) -> tuple[float, float, int]:
    """The gateway's own criteria pages without HTTP: (query+model seconds, JSON seconds, n)."""
    cursor: str | None = None
    query_seconds = json_seconds = 0.0
    count = 0
    while True:
        started = time.perf_counter()
        page = criteria.rent(
            as_of=as_of, account_filter=AccountFilter(), cursor=cursor, limit=PAGE_SIZE
        )
        between = time.perf_counter()
        page.model_dump_json()
        json_seconds += time.perf_counter() - between
        query_seconds += between - started
        count += len(page.results)
        if page.next_cursor is None:
            return query_seconds, json_seconds, count
        cursor = page.next_cursor


def per_tenancy(client: httpx.Client, refs: Sequence[str], as_of: dt.date) -> tuple[float, int]:
    """The old way: one request per tenancy. (seconds, non-200 answers)."""
    errors = 0
    started = time.perf_counter()
    for ref in refs:
        response = client.get(
            f"/api/v1/tenancies/{quote(ref, safe='')}/arrears-criteria",
            params={"as_of": as_of.isoformat()},
        )
        if response.status_code != 200:
            errors += 1
        response.json()
    return time.perf_counter() - started, errors


def infer_as_of(database_url: str) -> dt.date:
    """The day of the latest transaction: the simulator dates everything relative to its
    as-of day, so 'this week' has movements in it."""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            (latest,) = conn.execute("SELECT MAX(post_date) FROM rtrans").fetchone()
        return dt.date.fromisoformat(str(latest)[:10])
    with psycopg.connect(postgres_conninfo(database_url)) as pg:
        row = pg.execute("SELECT MAX(post_date) FROM rtrans").fetchone()
    assert row is not None
    value = row[0]
    return (
        value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])
    )


def measure(result: Result, options: Options, as_of: dt.date) -> None:
    url = result.database_url
    engine = create_database_engine(url)
    try:
        with contextlib.ExitStack() as stack:
            gateway = stack.enter_context(gateway_server(url))
            client = stack.enter_context(gateway.client())
            floor = stack.enter_context(FloorReader(url, "indexed"))
            history = (
                stack.enter_context(FloorReader(url, "grouped")) if options.history_floor else None
            )
            _measure(result, options, as_of, client, floor, history, UhCriteria(engine))
    finally:
        engine.dispose()


def _measure(
    result: Result,
    options: Options,
    as_of: dt.date,
    client: httpx.Client,
    floor: FloorReader,
    history: FloorReader | None,
    criteria: UhCriteria,
) -> None:
    label = result.label
    sqlite = floor.dialect.name == "sqlite"
    logger.info("%s: warm-up and answer check", label)
    api_results = fetch_all(client, RENT_PATH, as_of)
    result.accounts_in_arrears = len(api_results)
    result.pages = -(-len(api_results) // PAGE_SIZE)
    check = compare(api_results, floor.all_rows(as_of), sqlite=sqlite)
    result.comparison = asdict(check)
    if not check.identical:
        logger.warning("%s: the API and the floor disagree: %s", label, check.field_mismatches)
    if history is not None:
        result.history_comparison = asdict(
            compare(api_results, history.all_rows(as_of), sqlite=sqlite)
        )
    if options.leasehold:
        result.leasehold_in_arrears = len(fetch_all(client, LEASEHOLD_PATH, as_of))
    if options.in_process:
        in_process(criteria, as_of)
    refs = [r["tenancy_ref"] for r in api_results]
    sample = random.Random(options.seed).sample(refs, min(options.per_tenancy_sample, len(refs)))
    result.per_tenancy_sample = len(sample)
    per_tenancy(client, sample[:50], as_of)
    del api_results

    for repeat in range(1, options.repeats + 1):
        seconds, answer = _timed(lambda: fetch_all(client, RENT_PATH, as_of))
        result.api_seconds.append(seconds)
        if len(answer) != result.accounts_in_arrears:
            raise RuntimeError(f"{label}: the API returned {len(answer)} accounts this time")
        del answer
        seconds, rows = _timed(lambda: floor.all_rows(as_of))
        result.floor_seconds.append(seconds)
        if len(rows) != result.accounts_in_arrears:
            raise RuntimeError(f"{label}: the floor returned {len(rows)} accounts")
        del rows
        if history is not None:
            seconds, _ = _timed(lambda: history.all_rows(as_of))
            result.history_floor_seconds.append(seconds)
        if options.in_process:
            query_s, json_s, _ = in_process(criteria, as_of)
            result.in_process_seconds.append(query_s)
            result.in_process_json_seconds.append(json_s)
        if options.leasehold:
            seconds, _ = _timed(lambda: fetch_all(client, LEASEHOLD_PATH, as_of))
            result.leasehold_api_seconds.append(seconds)
        logger.info(
            "%s: repeat %d/%d: API %.2f s, floor %.2f s, history floor %s s, in-process %s s",
            label,
            repeat,
            options.repeats,
            result.api_seconds[-1],
            result.floor_seconds[-1],
            f"{result.history_floor_seconds[-1]:.2f}" if result.history_floor_seconds else "-",
            f"{result.in_process_seconds[-1]:.2f}" if result.in_process_seconds else "-",
        )
    for repeat in range(1, options.per_tenancy_repeats + 1):
        seconds, errors = per_tenancy(client, sample, as_of)
        result.per_tenancy_seconds.append(seconds)
        result.per_tenancy_errors += errors
        logger.info(
            "%s: per-tenancy %d/%d: %d requests in %.2f s",
            label,
            repeat,
            options.per_tenancy_repeats,
            len(sample),
            seconds,
        )


def _timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


# Targets -----------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_database(size: int) -> Iterator[tuple[str, float]]:
    """A throwaway PostgreSQL with the bench profile built into it: (url, build seconds)."""
    from ma_shared.testing import throwaway_postgres

    with throwaway_postgres(("uh",)) as urls:
        custom = size != TARGET_SIZE
        request = SeedRequest(
            profile="bench",
            database_url=urls["uh"],
            rent_accounts=size if custom else None,
            leasehold_accounts=size // 3 if custom else None,
            as_of=BENCH_AS_OF,
        )
        seconds = run_seed(request, force=True)
        logger.info("built the %s PostgreSQL database in %.1f s", size_label(size), seconds)
        yield urls["uh"], seconds


def run(options: Options) -> dict[str, Any]:
    results: list[Result] = []
    for size in options.sizes:
        path = ensure_bench_database(size)
        url = sqlite_url(path)
        as_of = options.as_of or infer_as_of(url)
        result = Result(
            label=f"{size_label(size)} SQLite",
            backend="sqlite",
            rent_accounts=size,
            database_url=url,
            database_bytes=file_size(path),
            as_of=as_of.isoformat(),
        )
        measure(result, options, as_of)
        results.append(result)
    if options.postgres:
        with postgres_database(options.postgres_size) as (url, build_seconds):
            as_of = options.as_of or infer_as_of(url)
            result = Result(
                label=f"{size_label(options.postgres_size)} PostgreSQL",
                backend="postgresql",
                rent_accounts=options.postgres_size,
                database_url=url,
                database_bytes=database_bytes(url),
                as_of=as_of.isoformat(),
                build_seconds=build_seconds,
            )
            measure(result, options, as_of)
            results.append(result)
    target = targets(results)
    report: dict[str, Any] = {
        "options": {**asdict(options), "as_of": str(options.as_of)},
        "results": [r.summary() for r in results],
        "targets": target,
        "markdown": render(results, target, options),
    }
    report["json_path"] = str(write_json("bulk_criteria", report))
    return report


def targets(results: Sequence[Result]) -> dict[str, Any]:
    at_target = next(
        (r for r in results if r.backend == "sqlite" and r.rent_accounts == TARGET_SIZE), None
    )
    sqlite_sizes = sorted(
        (r for r in results if r.backend == "sqlite"), key=lambda r: r.rent_accounts
    )
    linear: bool | None = None
    growth: float | None = None
    if len(sqlite_sizes) >= 2:
        growth = sqlite_sizes[-1].per_thousand / sqlite_sizes[0].per_thousand
        linear = growth <= LINEARITY_TOLERANCE
    answer: dict[str, Any] = {
        "measured_at_target_size": at_target is not None,
        "per_1000_growth": growth,
        "linear": linear,
    }
    if at_target is None:
        return answer
    ratio = at_target.api / at_target.floor
    speedup = at_target.per_tenancy_extrapolated / at_target.api
    return {
        **answer,
        "api_seconds": at_target.api,
        "api_under_5s": at_target.api < TARGET_API_SECONDS,
        "api_over_floor": ratio,
        "within_5x_of_floor": ratio <= TARGET_FLOOR_RATIO,
        "api_over_history_floor": at_target.api / at_target.history_floor
        if at_target.history_floor_seconds
        else None,
        "speedup_vs_per_tenancy": speedup,
        "at_least_20x_faster": speedup >= TARGET_SPEEDUP,
    }


def _answer(comparison: dict[str, Any]) -> str:
    if not comparison:
        return "-"
    if not (
        comparison["only_in_api"] or comparison["only_in_floor"] or comparison["field_mismatches"]
    ):
        return f"identical ({comparison['compared']:,})"
    return (
        f"DIFFERS: {comparison['api_count']:,} vs {comparison['floor_count']:,} accounts, "
        f"fields {comparison['field_mismatches']}"
    )


def _seconds(values: Sequence[float]) -> str:
    return f"{median(values):.2f}" if values else "-"


def render(results: Sequence[Result], target: dict[str, Any], options: Options) -> str:
    main = markdown_table(
        [
            "database",
            "rent accounts in arrears",
            "API s (min-max)",
            "floor s (min-max)",
            "API/floor",
            "per-tenancy s*",
            "speed-up",
            "API s per 1,000",
        ],
        [
            [
                r.label,
                r.accounts_in_arrears,
                f"{r.api:.2f} ({spread(r.api_seconds)})",
                f"{r.floor:.2f} ({spread(r.floor_seconds)})",
                f"{r.api / r.floor:.1f}x",
                f"{r.per_tenancy_extrapolated:.1f}",
                f"{r.per_tenancy_extrapolated / r.api:.0f}x",
                f"{r.per_thousand:.3f}",
            ]
            for r in results
        ],
    )
    where = markdown_table(
        [
            "database",
            "size",
            "as of",
            "pages",
            "history floor s",
            "API/history floor",
            "in-process s",
            "+ JSON s",
            "per-tenancy request",
        ],
        [
            [
                r.label,
                mib(r.database_bytes) if r.database_bytes else "-",
                r.as_of,
                r.pages,
                _seconds(r.history_floor_seconds),
                f"{r.api / r.history_floor:.1f}x" if r.history_floor_seconds else "-",
                _seconds(r.in_process_seconds),
                _seconds(r.in_process_json_seconds),
                f"{median(r.per_tenancy_seconds) / r.per_tenancy_sample * 1000:.1f} ms"
                + (f" ({r.per_tenancy_errors} non-200)" if r.per_tenancy_errors else "")
                if r.per_tenancy_sample
                else "-",
            ]
            for r in results
        ],
    )
    checks = markdown_table(
        [
            "database",
            "built in s",
            "leasehold in arrears",
            "leasehold API s",
            "API vs floor",
            "API vs history floor",
        ],
        [
            [
                r.label,
                f"{r.build_seconds:.0f}" if r.build_seconds else "-",
                r.leasehold_in_arrears,
                _seconds(r.leasehold_api_seconds),
                _answer(r.comparison),
                _answer(r.history_comparison),
            ]
            for r in results
        ],
    )
    lines = [
        "### Bulk rent arrears criteria",
        "",
        f"Medians of {options.repeats} repeats after a warm-up; API, floors and in-process "
        "interleaved in the same run. API: every page of `GET /api/v1/arrears-criteria/rent"
        f"?limit={PAGE_SIZE}` over HTTP. Floor: one hand-written SQL statement per page, raw "
        f"driver, no HTTP. \\* Per-tenancy: {options.per_tenancy_sample:,} random accounts in "
        f"arrears (seed {options.seed}) one request each, median of "
        f"{options.per_tenancy_repeats} runs, **extrapolated linearly** to all accounts in "
        "arrears.",
        "",
        main,
        "",
        "Where the time goes: in-process is the gateway's own `UhCriteria.rent` pages without "
        "HTTP (+ their JSON serialisation); the history floor (if measured, --history-floor) is "
        "the floor's statement aggregating each account's whole transaction history with "
        "GROUP BY instead of walking the index.",
        "",
        where,
        "",
        checks,
        "",
        f"Targets ({size_label(TARGET_SIZE)} rent accounts on SQLite):",
        "",
    ]
    if target["measured_at_target_size"]:
        lines += [
            f"* all criteria through the API < {TARGET_API_SECONDS:g} s: "
            f"{target['api_seconds']:.2f} s — {passed(target['api_under_5s'])}",
            f"* within {TARGET_FLOOR_RATIO:g}x of the floor: "
            f"{target['api_over_floor']:.1f}x — {passed(target['within_5x_of_floor'])}"
            + (
                f" (of the history floor: {target['api_over_history_floor']:.1f}x)"
                if target["api_over_history_floor"]
                else ""
            ),
            f"* >= {TARGET_SPEEDUP:g}x faster than per-tenancy (extrapolated): "
            f"{target['speedup_vs_per_tenancy']:.0f}x — {passed(target['at_least_20x_faster'])}",
        ]
    else:
        lines.append(f"* {size_label(TARGET_SIZE)} on SQLite not measured in this run")
    growth = target["per_1000_growth"]
    lines.append(
        "* time grows linearly (API s per 1,000 accounts at the largest SQLite size within "
        f"{LINEARITY_TOLERANCE:g}x of the smallest): "
        + (f"{growth:.2f}x — " if growth is not None else "")
        + passed(target["linear"])
    )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "10000,30000"),
        help="rent accounts per SQLite database, comma-separated (default 10000,30000; "
        "env BENCH_SIZES)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        default=os.environ.get("BENCH_POSTGRES") == "1",
        help="also measure on a throwaway PostgreSQL (env BENCH_POSTGRES=1)",
    )
    parser.add_argument("--postgres-size", type=int, default=TARGET_SIZE)
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", 5)))
    parser.add_argument("--per-tenancy-sample", type=int, default=1000)
    parser.add_argument("--per-tenancy-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601, help="for the per-tenancy sample")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, help="default: the day of the latest transaction"
    )
    parser.add_argument("--no-leasehold", action="store_true")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument(
        "--history-floor",
        action="store_true",
        help="also time the floor statement aggregating whole histories with GROUP BY",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        sizes=[int(s) for s in str(args.sizes).split(",") if s.strip()],
        postgres=args.postgres,
        postgres_size=args.postgres_size,
        repeats=args.repeats,
        per_tenancy_sample=args.per_tenancy_sample,
        per_tenancy_repeats=args.per_tenancy_repeats,
        seed=args.seed,
        as_of=args.as_of,
        leasehold=not args.no_leasehold,
        in_process=not args.no_in_process,
        history_floor=args.history_floor,
    )


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    report = run(options)
    print(report["markdown"])


if __name__ == "__main__":
    main()
