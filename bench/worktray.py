"""The worktray, `GET /api/v1/cases`, at 100,000 cases: p50/p95 per filter.

The 100k simulator (100,000 rent + 33,333 leasehold accounts, built with the seed CLI if
absent) is synced into a fresh income-api database the real way (uh-gateway and income-api
as real processes, `POST /api/v1/sync`); that gives about 49,000 cases (36k rent, 13k
leasehold). To reach `--cases` (100,000) the synced rows are then cloned in the income-api
database directly (SQLAlchemy Core inserts), each clone a copy of a seeded random synced case
under a new tenancy ref, so the mix of service areas, actions, balances and patches stays
the sync's. A few hundred cases are paused and marked vulnerable (with a vulnerability
record), and a few hundred caseworkers (the dev rent caseworker among them) are given patches,
so those filters have rows to find.

Then, over HTTP against the running income-api with one keep-alive connection per role: a
warm-up, and `--requests` (200) requests per filter, the filters taking turns request by
request so a noisy neighbour hits them alike; p50/p95 per filter. The health check ping (no
token, one `SELECT 1`) is measured in the same run as the floor. From the same database, in
process: the service's own `worktray()` query function per filter (its two statements, no
HTTP), and the SQLite query plans (bench/out JSON).

    uv run python bench/worktray.py [--rent-accounts 100000] [--cases 100000] [--requests 200]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import collections
import contextlib
import datetime as dt
import logging
import random
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any, cast

import httpx
from sqlalchemy import Engine, Table, event, func, insert, select, update

from bench.common import (
    BENCH_AS_OF,
    HEALTH_PATH,
    configure_logging,
    dev_token,
    ensure_bench_database,
    gateway_server,
    handle_signals,
    income_api_server,
    markdown_table,
    median,
    passed,
    percentile,
    size_label,
    sqlite_url,
    sync_income_api,
    write_json,
)
from income_api.domain.terms import PauseReason, ServiceArea
from income_api.gateways.tables import Vulnerability, cases, patch_assignments
from income_api.gateways.worktray import UNASSIGNED, WorktrayFilters, WorktraySort, worktray
from income_api.use_cases.sync import SyncClock
from ma_shared.auth import DEV_ROLE_GROUPS
from ma_shared.database import create_database_engine

logger = logging.getLogger("bench.worktray")

TARGET_P95_MS = 50.0
PER_PAGE = 20
DEEP_PAGE = 50
RENT_CASEWORKER_EMAIL = DEV_ROLE_GROUPS["rent"][1]
CLONE_BATCH = 5000
vulnerabilities = cast(Table, Vulnerability.__table__)


@dataclass
class Options:
    rent_accounts: int = 100_000
    cases: int = 100_000
    requests: int = 200
    warmup: int = 20
    in_process_calls: int = 50
    pauses: int = 500
    vulnerable: int = 500
    caseworkers: int = 300
    seed: int = 20240601


@dataclass
class Filter:
    name: str
    role: str  # the dev role asking: rent caseworker for rent, leasehold for leasehold
    params: dict[str, str | int]
    filters: WorktrayFilters  # the same, for the in-process query
    page: int = 1
    seconds: list[float] = field(default_factory=list)
    in_process_seconds: list[float] = field(default_factory=list)
    total_count: int | None = None
    errors: int = 0
    plans: list[str] = field(default_factory=list)
    # The statements worktray() runs (count, then page) and each one's seconds alone.
    statements: list[tuple[str, Any]] = field(default_factory=list)
    statement_seconds: list[list[float]] = field(default_factory=list)

    def statements_ms(self) -> str:
        return " + ".join(f"{median(s) * 1000:.1f}" for s in self.statement_seconds)

    def p(self, pct: float) -> float:
        return percentile(self.seconds, pct) * 1000


@dataclass
class Dataset:
    synced_cases: int = 0
    cloned_cases: int = 0
    by_service_area: dict[str, int] = field(default_factory=dict)
    paused: int = 0
    vulnerable: int = 0
    patch_assignments: int = 0
    sync_seconds: float = 0.0
    patch: str = ""
    pause_reason: str = ""
    rent_patches_of_caseworker: list[str] = field(default_factory=list)


# The data ---------------------------------------------------------------------------------


def _clone_ref(ref: str, copy: int) -> str:
    """`123456/01` -> `123456/5<copy>`: still a valid tenancy ref, never a real one's."""
    number, _, _ = ref.partition("/")
    return f"{number}/{50 + copy:02d}"


def grow(engine: Engine, options: Options, data: Dataset) -> None:
    """Clone synced cases (seeded random picks) under new refs up to `options.cases`."""
    rng = random.Random(options.seed)
    with engine.connect() as conn:
        synced = [dict(row._mapping) for row in conn.execute(select(cases))]
    data.synced_cases = len(synced)
    need = options.cases - len(synced)
    if need <= 0:
        return
    taken = {row["tenancy_ref"] for row in synced}
    copies: collections.Counter[str] = collections.Counter()
    clones: list[dict[str, Any]] = []
    # Whole rounds over every synced case while they fit, then a random sample: the mix stays
    # the sync's.
    order: list[dict[str, Any]] = []
    while len(order) + len(synced) <= need:
        order += synced
    order += rng.sample(synced, need - len(order))
    for row in order:
        ref = row["tenancy_ref"]
        copies[ref] += 1
        new_ref = _clone_ref(ref, copies[ref])
        if new_ref in taken:
            raise RuntimeError(f"clone ref {new_ref} is taken")
        taken.add(new_ref)
        clone = {k: v for k, v in row.items() if k != "id"}
        clone["tenancy_ref"] = new_ref
        if row["payment_ref"]:
            clone["payment_ref"] = f"{row['payment_ref']}{copies[ref]:02d}"
        clones.append(clone)
    with engine.begin() as conn:
        for start in range(0, len(clones), CLONE_BATCH):
            conn.execute(insert(cases), clones[start : start + CLONE_BATCH])
    data.cloned_cases = len(clones)


def decorate(engine: Engine, options: Options, data: Dataset) -> None:
    """Pauses, vulnerabilities and patch assignments on seeded random cases."""
    rng = random.Random(options.seed + 1)
    now = SyncClock(BENCH_AS_OF).now()
    reasons = [r.value for r in PauseReason]
    with engine.begin() as conn:
        rows = list(conn.execute(select(cases.c.id, cases.c.tenancy_ref, cases.c.service_area)))
        patches = sorted(
            {
                code
                for code in conn.execute(
                    select(cases.c.patch_code)
                    .where(cases.c.service_area == ServiceArea.RENT.value)
                    .distinct()
                ).scalars()
                if code
            }
        )
        for row in rng.sample(rows, options.pauses):
            conn.execute(
                update(cases)
                .where(cases.c.id == row.id)
                .values(
                    is_paused_until=now + dt.timedelta(days=rng.randint(1, 90)),
                    pause_reason=rng.choice(reasons),
                    pause_comment="Paused for the worktray benchmark.",
                    paused_by="Bench Mark",
                )
            )
        vulnerable = rng.sample(rows, options.vulnerable)
        conn.execute(
            update(cases)
            .where(cases.c.id.in_([row.id for row in vulnerable]))
            .values(has_vulnerability=True)
        )
        conn.execute(
            insert(vulnerabilities),
            [
                {
                    "tenancy_ref": row.tenancy_ref,
                    "category": "bench",
                    "note": "Recorded for the worktray benchmark.",
                    "review_date": now.date() + dt.timedelta(days=rng.randint(1, 180)),
                    "recorded_by": "Bench Mark",
                    "recorded_at": now,
                }
                for row in vulnerable
            ],
        )
        assignments = [
            {"user_email": f"caseworker{n:03d}@hackney.gov.uk", "patch_code": code}
            for n in range(options.caseworkers)
            for code in rng.sample(patches, rng.randint(1, 3))
        ]
        data.rent_patches_of_caseworker = rng.sample(patches, 2)
        assignments += [
            {"user_email": RENT_CASEWORKER_EMAIL, "patch_code": code}
            for code in data.rent_patches_of_caseworker
        ]
        conn.execute(insert(patch_assignments), [a | {"created_at": now} for a in assignments])
        data.patch_assignments = len(assignments)
        data.by_service_area = {
            str(area): int(n)
            for area, n in conn.execute(
                select(cases.c.service_area, func.count()).group_by(cases.c.service_area)
            )
        }
        data.paused = options.pauses
        data.vulnerable = options.vulnerable
        data.patch = str(
            conn.execute(
                select(cases.c.patch_code)
                .where(
                    cases.c.service_area == ServiceArea.RENT.value, cases.c.patch_code.is_not(None)
                )
                .group_by(cases.c.patch_code)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()
        )
        data.pause_reason = str(
            conn.execute(
                select(cases.c.pause_reason)
                .where(
                    cases.c.service_area == ServiceArea.RENT.value,
                    cases.c.pause_reason.is_not(None),
                )
                .group_by(cases.c.pause_reason)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()
        )


# The filters --------------------------------------------------------------------------------


def filters_for(data: Dataset) -> list[Filter]:
    rent = WorktrayFilters(service_area=ServiceArea.RENT)
    rent_params: dict[str, str | int] = {"service_area": "rent"}

    def rent_filter(
        name: str, params: dict[str, str | int], page: int = 1, **changes: Any
    ) -> Filter:
        return Filter(name, "rent", rent_params | params, replace(rent, **changes), page)

    return [
        Filter("rent: immediate actions (default)", "rent", rent_params, rent),
        rent_filter(f"patch={data.patch}", {"patch": data.patch}, patches=(data.patch,)),
        rent_filter("patch=unassigned", {"patch": UNASSIGNED}, patches=(UNASSIGNED,)),
        rent_filter(
            "recommended_action=send_letter_one",
            {"recommended_action": "send_letter_one"},
            recommended_actions=("send_letter_one",),
        ),
        rent_filter("paused=true", {"paused": "true"}, paused=True),
        rent_filter(
            f"pause_reason={data.pause_reason}",
            {"pause_reason": data.pause_reason},
            pause_reason=data.pause_reason,
        ),
        rent_filter(
            "upcoming_court_dates=true",
            {"upcoming_court_dates": "true"},
            upcoming_court_dates=True,
        ),
        rent_filter(
            "upcoming_evictions=true", {"upcoming_evictions": "true"}, upcoming_evictions=True
        ),
        rent_filter("vulnerable=true", {"vulnerable": "true"}, vulnerable=True),
        rent_filter(
            "min_balance=1000&max_balance=2000",
            {"min_balance": "1000", "max_balance": "2000"},
            min_balance=Decimal(1000),
            max_balance=Decimal(2000),
        ),
        rent_filter(
            "my_patches=true", {"my_patches": "true"}, patches_of_user=RENT_CASEWORKER_EMAIL
        ),
        rent_filter("sort=balance", {"sort": "balance"}, sort=WorktraySort.BALANCE),
        rent_filter(
            "sort=days_since_last_payment",
            {"sort": "days_since_last_payment"},
            sort=WorktraySort.DAYS_SINCE_LAST_PAYMENT,
        ),
        rent_filter(f"page={DEEP_PAGE}", {"page": DEEP_PAGE}, page=DEEP_PAGE),
        Filter(
            "leasehold: immediate actions (default)",
            "leasehold",
            {"service_area": "leasehold"},
            WorktrayFilters(service_area=ServiceArea.LEASEHOLD),
        ),
    ]


# Measuring -----------------------------------------------------------------------------------


def call(client: httpx.Client, path: str, params: dict[str, str | int]) -> tuple[float, Any, int]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    body = response.json()
    return time.perf_counter() - started, body, response.status_code


@contextlib.contextmanager
def captured_statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def in_process(engine: Engine, filters: Sequence[Filter], options: Options) -> None:
    """The service's own query function per filter (no HTTP); each of its statements alone
    (raw SQL through the driver, rows fetched), and their query plans."""
    now = SyncClock(BENCH_AS_OF).now()
    for f in filters:
        with captured_statements(engine) as captured:
            worktray(engine, f.filters, now=now, page=f.page, per_page=PER_PAGE)
        f.statements = [(s, p) for s, p in captured if not s.lstrip().upper().startswith("BEGIN")]
        f.statement_seconds = [[] for _ in f.statements]
        with engine.connect() as conn:
            for statement, parameters in f.statements:
                plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                f.plans.append("\n".join(str(row[-1]) for row in plan))
    for _ in range(options.in_process_calls):
        for f in filters:
            started = time.perf_counter()
            worktray(engine, f.filters, now=now, page=f.page, per_page=PER_PAGE)
            f.in_process_seconds.append(time.perf_counter() - started)
            with engine.connect() as conn:
                for n, (statement, parameters) in enumerate(f.statements):
                    started = time.perf_counter()
                    conn.exec_driver_sql(statement, parameters).fetchall()
                    f.statement_seconds[n].append(time.perf_counter() - started)


def measure_http(base_url: str, filters: Sequence[Filter], options: Options) -> list[float]:
    """Interleaved requests per filter; returns the ping's seconds (the floor)."""
    clients = {
        role: httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {dev_token(role)}"}, timeout=60
        )
        for role in {f.role for f in filters}
    }
    ping = httpx.Client(base_url=base_url, timeout=60)
    ping_seconds: list[float] = []
    try:
        for f in filters:
            for _ in range(options.warmup):
                _, body, status = call(clients[f.role], "/api/v1/cases", f.params)
                if status != 200:
                    raise RuntimeError(f"{f.name}: {status} {body}")
                f.total_count = int(body["total_count"])
        for _ in range(options.warmup):
            call(ping, HEALTH_PATH, {})
        for n in range(1, options.requests + 1):
            ping_seconds.append(call(ping, HEALTH_PATH, {})[0])
            for f in filters:
                seconds, _, status = call(clients[f.role], "/api/v1/cases", f.params)
                f.seconds.append(seconds)
                f.errors += status != 200
            if n % 50 == 0:
                logger.info("%d/%d requests per filter", n, options.requests)
    finally:
        for client in (*clients.values(), ping):
            client.close()
    return ping_seconds


def run(options: Options) -> dict[str, Any]:
    path = ensure_bench_database(options.rent_accounts)
    data = Dataset()
    with (
        tempfile.TemporaryDirectory(prefix="bench-worktray-") as workdir,
        gateway_server(sqlite_url(path)) as gateway,
    ):
        database_url = sqlite_url(Path(workdir) / "income-api.sqlite3")
        with income_api_server(database_url, gateway.base_url) as api:
            logger.info("syncing %s into a fresh income-api database", path.name)
            started = time.perf_counter()
            sync_income_api(api)
            data.sync_seconds = time.perf_counter() - started
            engine = create_database_engine(database_url)
            try:
                grow(engine, options, data)
                decorate(engine, options, data)
                logger.info(
                    "%d cases (%d synced, %d cloned): %s",
                    sum(data.by_service_area.values()),
                    data.synced_cases,
                    data.cloned_cases,
                    data.by_service_area,
                )
                filters = filters_for(data)
                ping_seconds = measure_http(api.base_url, filters, options)
                logger.info("in process: the worktray query function per filter")
                in_process(engine, filters, options)
            finally:
                engine.dispose()
    markdown = render(filters, ping_seconds, data, options)
    report: dict[str, Any] = {
        "options": asdict(options),
        "dataset": asdict(data),
        "ping_seconds": ping_seconds,
        "filters": [
            {
                "name": f.name,
                "params": f.params,
                "total_count": f.total_count,
                "errors": f.errors,
                "p50_ms": f.p(50),
                "p95_ms": f.p(95),
                "in_process_p50_ms": median(f.in_process_seconds) * 1000,
                "meets_target": f.p(95) < TARGET_P95_MS,
                "plans": f.plans,
                "statements": [statement for statement, _ in f.statements],
                "statement_p50_ms": [median(s) * 1000 for s in f.statement_seconds],
                "seconds": f.seconds,
            }
            for f in filters
        ],
        "markdown": markdown,
    }
    for f in filters:
        if f.p(95) >= TARGET_P95_MS:
            logger.warning(
                "%s: p95 %.1f ms; query plans:\n%s", f.name, f.p(95), "\n--\n".join(f.plans)
            )
    report["json_path"] = str(write_json("worktray", report))
    return report


def render(
    filters: Sequence[Filter], ping_seconds: Sequence[float], data: Dataset, options: Options
) -> str:
    ping_p50 = percentile(ping_seconds, 50) * 1000
    rows: list[list[object]] = [
        [
            "healthcheck ping (floor)",
            "-",
            f"{ping_p50:.1f}",
            f"{percentile(ping_seconds, 95) * 1000:.1f}",
            "-",
            "-",
            "-",
            "-",
        ]
    ]
    rows += [
        [
            f.name,
            f.total_count,
            f"{f.p(50):.1f}",
            f"{f.p(95):.1f}",
            f"{median(f.in_process_seconds) * 1000:.1f}",
            f.statements_ms(),
            f"{f.p(50) - ping_p50:.1f}",
            passed(f.p(95) < TARGET_P95_MS and f.errors == 0)
            + (f" ({f.errors} non-200)" if f.errors else ""),
        ]
        for f in filters
    ]
    table = markdown_table(
        [
            "filter (service_area=rent unless said)",
            "cases matched",
            "p50 ms",
            "p95 ms",
            "in-process query p50 ms",
            "count + page SQL ms",
            "p50 over ping ms",
            f"p95 < {TARGET_P95_MS:g} ms",
        ],
        rows,
    )
    total = sum(data.by_service_area.values())
    failing = [f.name for f in filters if f.p(95) >= TARGET_P95_MS or f.errors]
    return "\n".join(
        [
            f"### Worktray `GET /api/v1/cases` at {total:,} cases (SQLite)",
            "",
            f"{data.synced_cases:,} cases synced from the {size_label(options.rent_accounts)} "
            f"simulator through income-api ({data.sync_seconds:.0f} s), then "
            f"{data.cloned_cases:,} clones of seeded random synced cases under new refs: "
            + ", ".join(f"{n:,} {area}" for area, n in sorted(data.by_service_area.items()))
            + f". {data.paused} paused, {data.vulnerable} vulnerable, "
            f"{data.patch_assignments} patch assignments ({options.caseworkers} caseworkers, "
            f"and the rent caseworker asking has {', '.join(data.rent_patches_of_caseworker)}). "
            f"{options.requests} sequential requests per filter (page size {PER_PAGE}) after "
            f"{options.warmup} warm-up requests, the filters taking turns request by request, one "
            "keep-alive connection per role; the ping (no token, one `SELECT 1`) is the floor, in "
            "the same run. In-process: the service's `worktray()` query function alone (count "
            "and page statements, no HTTP), and each of its two SQL statements alone through the "
            f"driver, medians of {options.in_process_calls} calls.",
            "",
            table,
            "",
            f"Target: p95 < {TARGET_P95_MS:g} ms for every filter — "
            + ("PASS" if not failing else f"FAIL ({', '.join(failing)})"),
        ]
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rent-accounts", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=100_000, help="cases after cloning")
    parser.add_argument("--requests", type=int, default=200, help="per filter")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--in-process-calls", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        rent_accounts=args.rent_accounts,
        cases=args.cases,
        requests=args.requests,
        warmup=args.warmup,
        in_process_calls=args.in_process_calls,
        seed=args.seed,
    )


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
