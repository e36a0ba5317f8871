"""The caseworkers' web app: the worktray and the case page rendered in full, p50/p95, and
under 50 concurrent simulated caseworkers.

Real processes on the bench database (30k rent accounts, built with the seed CLI if absent):
uh-gateway, income-api (synced the real way, `POST /api/v1/sync`) and the frontend in front
of it, each on a free port. A signed-in client (the rent caseworker's `hackneyToken` cookie)
fetches the HTML, so each page is frontend → income-api → uh-gateway, as in the browser.

* **sequential**: `--requests` of each after a warm-up, over keep-alive connections, taking
  turns request by request with the **baseline**: income-api's own JSON for the same page
  (`GET /api/v1/cases?...` as the worktray asks it, `GET /api/v1/cases/{ref}`), so the
  frontend's share is the difference. Pages of the worktray 1-10 and random rent cases
  (seeded).
* **load**: `--users` simulated caseworkers (threads, one httpx client each) for `--seconds`,
  each opening the worktray then two cases, over and over, reading each page for a random
  `--think` seconds (2-5 by default, as locust's `between(2, 5)`; `--think 0,0` clicks without
  pause, which measures saturation rather than caseworkers); every response must be a 200.

    uv run python bench/frontend_pages.py [--requests 200] [--users 50] [--seconds 60] [--think 2,5]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import logging
import random
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bench.case_page import rent_case_refs
from bench.common import (
    configure_logging,
    dev_token,
    ensure_bench_database,
    gateway_server,
    handle_signals,
    income_api_server,
    markdown_table,
    passed,
    percentile,
    service_process,
    size_label,
    sqlite_url,
    sync_income_api,
    write_json,
)

logger = logging.getLogger("bench.frontend_pages")

TARGET_P95_MS = 300.0
TARGET_LOAD_P95_MS = 500.0
WORKTRAY_PAGES = 10
# What the frontend asks income-api for its worktray's first tab (domain/worktray.py).
WORKTRAY_API_PARAMS = {"service_area": "rent", "immediate_actions": "true", "per_page": "20"}


@dataclass
class Options:
    rent_accounts: int = 30_000
    requests: int = 200
    warmup: int = 20
    users: int = 50
    seconds: float = 60.0
    think: tuple[float, float] = (2.0, 5.0)
    seed: int = 20261123


@dataclass
class Series:
    name: str
    seconds: list[float] = field(default_factory=list)
    errors: int = 0

    def p(self, pct: float) -> float:
        return percentile(self.seconds, pct) * 1000

    def record(self, client: httpx.Client, url: str) -> None:
        started = time.perf_counter()
        try:
            response = client.get(url)
            response.read()
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        self.seconds.append(time.perf_counter() - started)
        if not ok:
            self.errors += 1


def worktray_url(page: int) -> str:
    return f"/worktray?page={page}"


def case_url(ref: str) -> str:
    return f"/cases/{ref}"


def sequential(
    frontend: httpx.Client, income: httpx.Client, refs: Sequence[str], options: Options
) -> list[Series]:
    rng = random.Random(options.seed)
    worktray, worktray_api = Series("worktray page (HTML)"), Series("baseline: income-api worktray")
    case, case_api = Series("case page (HTML)"), Series("baseline: income-api case")
    for _ in range(options.warmup):
        frontend.get(worktray_url(rng.randint(1, WORKTRAY_PAGES)))
        frontend.get(case_url(rng.choice(refs)))
    for _ in range(options.requests):
        page = rng.randint(1, WORKTRAY_PAGES)
        worktray.record(frontend, worktray_url(page))
        worktray_api.record(
            income,
            "/api/v1/cases?"
            + "&".join(f"{k}={v}" for k, v in WORKTRAY_API_PARAMS.items())
            + f"&page={page}",
        )
        ref = rng.choice(refs)
        case.record(frontend, case_url(ref))
        case_api.record(income, f"/api/v1/cases/{quote(ref, safe='')}")
    return [worktray, worktray_api, case, case_api]


def load(make_client: Callable[[], httpx.Client], refs: Sequence[str], options: Options) -> Series:
    """`options.users` caseworkers at once: worktray, case, case, … for `options.seconds`."""
    everything = Series(f"{options.users} caseworkers at once: worktray and case pages")
    lock = threading.Lock()
    stop = time.monotonic() + options.seconds

    def caseworker(number: int) -> None:
        rng = random.Random(options.seed + number)
        mine = Series("one caseworker")
        with make_client() as client:
            step = 0
            while time.monotonic() < stop:
                if step % 3 == 0:
                    mine.record(client, worktray_url(rng.randint(1, WORKTRAY_PAGES)))
                else:
                    mine.record(client, case_url(rng.choice(refs)))
                step += 1
                time.sleep(min(rng.uniform(*options.think), max(stop - time.monotonic(), 0)))
        with lock:
            everything.seconds.extend(mine.seconds)
            everything.errors += mine.errors

    threads = [threading.Thread(target=caseworker, args=(n,)) for n in range(options.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return everything


def run(options: Options) -> dict[str, Any]:
    path = ensure_bench_database(options.rent_accounts)
    cookie = {"hackneyToken": dev_token("rent")}
    with (
        tempfile.TemporaryDirectory(prefix="bench-frontend-") as workdir,
        gateway_server(sqlite_url(path)) as gateway,
    ):
        database_url = sqlite_url(Path(workdir) / "income-api.sqlite3")
        with income_api_server(database_url, gateway.base_url) as api:
            sync_income_api(api)
            refs = rent_case_refs(database_url)
            env = {
                "INCOME_API_URL": api.base_url,
                # Not called by these pages; a closed port.
                "COMMS_API_URL": "http://127.0.0.1:9",
                "LOG_LEVEL": "INFO",
            }
            with service_process("frontend", "frontend.main", env) as frontend:
                logger.info("frontend up at %s (pid %d)", frontend.base_url, frontend.pid)

                def make_client() -> httpx.Client:
                    return httpx.Client(base_url=frontend.base_url, cookies=cookie, timeout=30)

                with make_client() as client, api.client("rent", timeout=30) as income:
                    logger.info("sequential: %d of each page", options.requests)
                    series = sequential(client, income, refs, options)
                logger.info("load: %d caseworkers for %.0f s", options.users, options.seconds)
                under_load = load(make_client, refs, options)
    report: dict[str, Any] = {
        "options": asdict(options),
        "rent_cases": len(refs),
        "series": [
            {
                "name": s.name,
                "requests": len(s.seconds),
                "errors": s.errors,
                "p50_ms": s.p(50),
                "p95_ms": s.p(95),
            }
            for s in [*series, under_load]
        ],
        "load_requests_per_second": len(under_load.seconds) / options.seconds,
    }
    report["markdown"] = render(series, under_load, options, len(refs))
    write_json("frontend_pages", report)
    return report


def render(series: Sequence[Series], under_load: Series, options: Options, cases: int) -> str:
    worktray, worktray_api, case, case_api = series
    rows = [
        [s.name, len(s.seconds), s.errors, s.p(50), s.p(95), target, result]
        for s, target, result in (
            (worktray, "< 300", passed(worktray.p(95) < TARGET_P95_MS and not worktray.errors)),
            (worktray_api, "-", None),
            (case, "< 300", passed(case.p(95) < TARGET_P95_MS and not case.errors)),
            (case_api, "-", None),
            (
                under_load,
                "< 500, 0 errors",
                passed(under_load.p(95) < TARGET_LOAD_P95_MS and not under_load.errors),
            ),
        )
    ]
    return "\n".join(
        [
            f"### Frontend pages ({size_label(options.rent_accounts)} rent accounts, "
            f"{cases:,} rent cases)",
            "",
            markdown_table(
                ["request", "n", "errors", "p50 ms", "p95 ms", "target p95 ms", "result"], rows
            ),
            "",
            f"Under load: {len(under_load.seconds) / options.seconds:.0f} pages a second "
            f"for {options.seconds:.0f} s from {options.users} caseworkers, each reading a "
            f"page for {options.think[0]:g}-{options.think[1]:g} s before the next.",
        ]
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rent-accounts", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=200, help="of each page, sequentially")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think", default="2,5", help="seconds a caseworker reads a page: min,max (0,0: none)"
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        rent_accounts=args.rent_accounts,
        requests=args.requests,
        warmup=args.warmup,
        users=args.users,
        seconds=args.seconds,
        think=_think(args.think),
        seed=args.seed,
    )


def _think(text: str) -> tuple[float, float]:
    low, high = (float(part) for part in text.split(","))
    return low, high


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
