"""Request latency of the pages a caseworker opens: tenancy detail and its transactions.

The gateway runs as a real server (`python -m uh_gateway.main`) over the bench database (30k
rent accounts, built with the seed CLI if absent). Requests are sequential over one keep-alive
connection, for random tenancies (seeded), after a warm-up, the endpoints taking turns request
by request. The health check ping (no token, two `SELECT 1`s) is measured in the same run as
the floor: what any request through this server, its middleware and one database round trip
costs.

    uv run python bench/latency.py [--requests 500] [--rounds 3] [--rent-accounts 30000]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bench.common import (
    HEALTH_PATH,
    configure_logging,
    ensure_bench_database,
    file_size,
    gateway_server,
    handle_signals,
    markdown_table,
    median,
    mib,
    percentile,
    size_label,
    sqlite_tenancy_refs,
    sqlite_url,
    write_json,
)

logger = logging.getLogger("bench.latency")


@dataclass
class Options:
    rent_accounts: int = 30_000
    requests: int = 500
    rounds: int = 3
    warmup: int = 50
    transactions_limit: int = 100
    seed: int = 20240601


@dataclass
class Endpoint:
    name: str
    path: str  # `{ref}` is replaced by a tenancy ref
    rounds: list[list[float]] = field(default_factory=list)  # seconds per request
    errors: int = 0

    def url(self, ref: str) -> str:
        return self.path.replace("{ref}", quote(ref, safe=""))

    @property
    def all_seconds(self) -> list[float]:
        return [s for round_ in self.rounds for s in round_]

    def p(self, pct: float) -> float:
        """Median over rounds of each round's percentile, in milliseconds."""
        return median([percentile(r, pct) for r in self.rounds]) * 1000

    def round_p50s(self) -> list[float]:
        return [percentile(r, 50) * 1000 for r in self.rounds]


def call(client: httpx.Client, endpoint: Endpoint, ref: str) -> float:
    started = time.perf_counter()
    response = client.get(endpoint.url(ref))
    response.json()
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        endpoint.errors += 1
    return seconds


def run(options: Options) -> dict[str, Any]:
    path = ensure_bench_database(options.rent_accounts)
    refs = sqlite_tenancy_refs(path)
    rng = random.Random(options.seed)
    endpoints = [
        Endpoint("healthcheck ping (floor)", HEALTH_PATH),
        Endpoint("tenancy detail", "/api/v1/tenancies/{ref}"),
        Endpoint(
            f"transactions (limit={options.transactions_limit})",
            f"/api/v1/tenancies/{{ref}}/transactions?limit={options.transactions_limit}",
        ),
    ]
    with gateway_server(sqlite_url(path)) as gateway, gateway.client() as client:
        for endpoint in endpoints:
            for ref in rng.sample(refs, min(options.warmup, len(refs))):
                call(client, endpoint, ref)
            endpoint.errors = 0
        for round_number in range(1, options.rounds + 1):
            # Each round draws fresh tenancies; the endpoints take turns request by request,
            # so a burst of noise from a neighbour hits them all alike.
            sample = rng.sample(refs, min(options.requests, len(refs)))
            for endpoint in endpoints:
                endpoint.rounds.append([])
            for ref in sample:
                for endpoint in endpoints:
                    endpoint.rounds[-1].append(call(client, endpoint, ref))
            logger.info(
                "round %d/%d: %s",
                round_number,
                options.rounds,
                ", ".join(
                    f"{e.name} p50 {percentile(e.rounds[-1], 50) * 1000:.1f} ms" for e in endpoints
                ),
            )
    floor_p50 = endpoints[0].p(50)
    rows = [
        [
            e.name,
            len(e.all_seconds),
            f"{e.p(50):.1f}",
            f"{e.p(95):.1f}",
            f"{e.p(99):.1f}",
            "-" if e is endpoints[0] else f"{e.p(50) - floor_p50:.1f}",
            ", ".join(f"{v:.1f}" for v in e.round_p50s()),
            e.errors,
        ]
        for e in endpoints
    ]
    table = markdown_table(
        [
            "request",
            "requests",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p50 over ping ms",
            "p50 per round ms",
            "non-200",
        ],
        rows,
    )
    markdown = "\n".join(
        [
            f"### Latency over HTTP ({size_label(options.rent_accounts)} rent accounts, SQLite, "
            f"{mib(file_size(path))})",
            "",
            f"{options.rounds} rounds of {options.requests} sequential requests per endpoint for "
            f"random tenancies (seed {options.seed}) after {options.warmup} warm-up requests; "
            "percentiles are the median over rounds. The ping is the floor, measured in the same "
            "run.",
            "",
            table,
        ]
    )
    report: dict[str, Any] = {
        "options": asdict(options),
        "database": str(path),
        "tenancies": len(refs),
        "endpoints": [
            {
                "name": e.name,
                "path": e.path,
                "errors": e.errors,
                "p50_ms": e.p(50),
                "p95_ms": e.p(95),
                "p99_ms": e.p(99),
                "round_p50_ms": e.round_p50s(),
                "seconds_per_round": e.rounds,
            }
            for e in endpoints
        ],
        "markdown": markdown,
    }
    report["json_path"] = str(write_json("latency", report))
    return report


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Tenancy detail and transactions latency")
    parser.add_argument("--rent-accounts", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=500, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=50)
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
