"""The case page's data, `GET /api/v1/cases/{tenancy_ref}`: p50/p95 over HTTP.

income-api reads the case from its own database and calls uh-gateway four times in parallel
(tenancy, transactions, action diary, contacts, 20 rows each). The bench database (30k rent
accounts, built with the seed CLI if absent) is synced into a fresh income-api database the
real way (uh-gateway and income-api as real processes, `POST /api/v1/sync`), then for random
rent cases (seeded), sequentially over keep-alive connections, the requests taking turns
request by request so a noisy neighbour hits them alike:

* the case page (`GET /api/v1/cases/{ref}`, as the rent caseworker);
* the same with `include_uh=false`: income-api's own part (no gateway calls);
* **baseline**: the gateway's slowest call of the four,
  `GET /api/v1/tenancies/{ref}/transactions?limit=20` straight to the gateway, and the other
  three (`/tenancies/{ref}`, `/action-diary?limit=20`, `/contacts`) for reference.

`--rounds` rounds of `--requests` each after a warm-up; percentiles are the median over rounds.

    uv run python bench/case_page.py [--rent-accounts 30000] [--requests 200] [--rounds 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import contextlib
import logging
import random
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bench.common import (
    configure_logging,
    ensure_bench_database,
    gateway_server,
    handle_signals,
    income_api_server,
    markdown_table,
    median,
    passed,
    percentile,
    size_label,
    sqlite_path,
    sqlite_url,
    sync_income_api,
    write_json,
)

logger = logging.getLogger("bench.case_page")

TARGET_P95_MS = 150.0
ROWS = 20  # transactions and diary entries on the case page (income-api's defaults)


@dataclass
class Options:
    rent_accounts: int = 30_000
    requests: int = 200
    rounds: int = 3
    warmup: int = 30
    seed: int = 20240601


@dataclass
class Endpoint:
    name: str
    service: str  # "income-api" or "uh-gateway"
    path: str  # `{ref}` is replaced by the tenancy ref, quoted
    rounds: list[list[float]] = field(default_factory=list)
    errors: int = 0

    def url(self, ref: str) -> str:
        return self.path.replace("{ref}", quote(ref, safe=""))

    def p(self, pct: float) -> float:
        """Median over rounds of each round's percentile, in milliseconds."""
        return median([percentile(r, pct) for r in self.rounds]) * 1000

    def round_p95s(self) -> list[float]:
        return [percentile(r, 95) * 1000 for r in self.rounds]


ENDPOINTS = (
    ("case page (4 gateway calls in parallel)", "income-api", "/api/v1/cases/{ref}"),
    ("case page, include_uh=false", "income-api", "/api/v1/cases/{ref}?include_uh=false"),
    (
        f"gateway transactions?limit={ROWS} (baseline)",
        "uh-gateway",
        f"/api/v1/tenancies/{{ref}}/transactions?limit={ROWS}",
    ),
    ("gateway tenancy", "uh-gateway", "/api/v1/tenancies/{ref}"),
    (
        f"gateway action-diary?limit={ROWS}",
        "uh-gateway",
        f"/api/v1/tenancies/{{ref}}/action-diary?limit={ROWS}",
    ),
    ("gateway contacts", "uh-gateway", "/api/v1/tenancies/{ref}/contacts"),
)


def call(client: httpx.Client, endpoint: Endpoint, ref: str) -> float:
    started = time.perf_counter()
    response = client.get(endpoint.url(ref))
    response.json()
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        endpoint.errors += 1
    return seconds


def rent_case_refs(database_url: str) -> list[str]:
    path = sqlite_path(database_url)
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT tenancy_ref FROM cases WHERE service_area = 'rent' ORDER BY tenancy_ref"
            )
        ]


def run(options: Options) -> dict[str, Any]:
    path = ensure_bench_database(options.rent_accounts)
    rng = random.Random(options.seed)
    endpoints = [Endpoint(*spec) for spec in ENDPOINTS]
    with (
        tempfile.TemporaryDirectory(prefix="bench-case-page-") as workdir,
        gateway_server(sqlite_url(path)) as gateway,
    ):
        database_url = sqlite_url(Path(workdir) / "income-api.sqlite3")
        with (
            income_api_server(database_url, gateway.base_url) as api,
            api.client("rent", timeout=60) as income,
            gateway.client(timeout=60) as uh,
        ):
            sync_income_api(api)
            refs = rent_case_refs(database_url)
            clients = {"income-api": income, "uh-gateway": uh}
            for endpoint in endpoints:
                for ref in rng.sample(refs, min(options.warmup, len(refs))):
                    call(clients[endpoint.service], endpoint, ref)
                if endpoint.errors:
                    raise RuntimeError(f"{endpoint.name}: non-200 answers in the warm-up")
            for round_number in range(1, options.rounds + 1):
                sample = rng.sample(refs, min(options.requests, len(refs)))
                for endpoint in endpoints:
                    endpoint.rounds.append([])
                for ref in sample:
                    for endpoint in endpoints:
                        endpoint.rounds[-1].append(call(clients[endpoint.service], endpoint, ref))
                logger.info(
                    "round %d/%d: %s",
                    round_number,
                    options.rounds,
                    ", ".join(
                        f"{e.name} p95 {percentile(e.rounds[-1], 95) * 1000:.1f} ms"
                        for e in endpoints[:3]
                    ),
                )
    markdown = render(endpoints, options, len(refs))
    report: dict[str, Any] = {
        "options": asdict(options),
        "database": str(path),
        "rent_cases": len(refs),
        "endpoints": [
            {
                "name": e.name,
                "service": e.service,
                "path": e.path,
                "errors": e.errors,
                "p50_ms": e.p(50),
                "p95_ms": e.p(95),
                "p99_ms": e.p(99),
                "round_p95_ms": e.round_p95s(),
                "seconds_per_round": e.rounds,
            }
            for e in endpoints
        ],
        "markdown": markdown,
    }
    report["json_path"] = str(write_json("case_page", report))
    return report


def render(endpoints: Sequence[Endpoint], options: Options, rent_cases: int) -> str:
    case, _, baseline = endpoints[0], endpoints[1], endpoints[2]
    rows = [
        [
            e.name,
            e.service,
            sum(len(r) for r in e.rounds),
            f"{e.p(50):.1f}",
            f"{e.p(95):.1f}",
            f"{e.p(99):.1f}",
            ", ".join(f"{v:.1f}" for v in e.round_p95s()),
            e.errors,
        ]
        for e in endpoints
    ]
    table = markdown_table(
        [
            "request",
            "server",
            "requests",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p95 per round ms",
            "non-200",
        ],
        rows,
    )
    ok = case.p(95) < TARGET_P95_MS and case.errors == 0
    return "\n".join(
        [
            f"### Case page `GET /api/v1/cases/{{ref}}` ({size_label(options.rent_accounts)} rent "
            "accounts, SQLite)",
            "",
            f"The bench database synced into a fresh income-api database ({rent_cases:,} rent "
            f"cases); {options.rounds} rounds of {options.requests} sequential requests per "
            f"request kind for random rent cases (seed {options.seed}), after {options.warmup} "
            "warm-up requests each, the kinds taking turns request by request; percentiles are "
            "the median over rounds. The gateway's calls go straight to uh-gateway, in the same "
            "run: the transactions call is the baseline (the slowest of the four the case page "
            "makes in parallel).",
            "",
            table,
            "",
            f"Target: case page p95 < {TARGET_P95_MS:g} ms: {case.p(95):.1f} ms — {passed(ok)} "
            f"({case.p(95) / baseline.p(95):.1f}x the gateway transactions call's p95, "
            f"{case.p(50) - baseline.p(50):.1f} ms over it at p50).",
        ]
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rent-accounts", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=200, help="per request kind per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        rent_accounts=args.rent_accounts,
        requests=args.requests,
        rounds=args.rounds,
        warmup=args.warmup,
        seed=args.seed,
    )


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
