"""`make bench`: every benchmark with defaults that suit a developer's machine, one after the
other (never in parallel: they would measure each other), then all the tables together.

Defaults: simulator builds of the test and run profiles (the 30k bench database reused if
present), bulk criteria at 10k and 30k rent accounts on SQLite, latency at 30k; then
income-api: the rent classifier alone, the full sync end to end at the same sizes, the
worktray at 100,000 cases (synced from the largest size, then cloned) and the case page at
30k; the frontend's worktray and case pages at 30k, alone and under 50 caseworkers at once;
then comms-api: letter PDFs a second, a bulk letter batch of 1,000 payment references
previewed and sent, and texts sent at GOV.UK Notify's rate limit (4,000
posted in a minute against 3,000 a minute: about 3 minutes). More:

    BENCH_SIZES=10000,30000,100000 BENCH_POSTGRES=1 make bench
    uv run python bench/run_all.py --sizes 10000,30000,100000 --postgres --rebuild
    uv run python bench/run_all.py --quick          # fewer repeats, for trying things out

Raw numbers go to bench/out/*.json (one file per benchmark and a combined one).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

from bench import (
    bulk_criteria,
    case_page,
    classifier,
    comms_bulk_letters,
    comms_letters,
    comms_sms,
    frontend_pages,
    income_sync,
    latency,
    simulator_build,
    worktray,
)
from bench.common import configure_logging, handle_signals, machine, write_json

logger = logging.getLogger("bench.run_all")

STEPS = (
    "build",
    "criteria",
    "latency",
    "classifier",
    "sync",
    "worktray",
    "case_page",
    "frontend",
    "comms_letters",
    "comms_bulk_letters",
    "comms_sms",
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run every benchmark and print the tables")
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "10000,30000"),
        help="bulk criteria database sizes in rent accounts (env BENCH_SIZES)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        default=os.environ.get("BENCH_POSTGRES") == "1",
        help="also build and measure on a throwaway PostgreSQL (env BENCH_POSTGRES=1)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild and time the 30k bench database too"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and requests (numbers are rougher)"
    )
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    steps = {s for s in str(args.only).split(",") if s}
    quick = bool(args.quick)
    started = time.perf_counter()
    reports: dict[str, dict[str, Any]] = {}

    if "build" in steps:
        logger.info("== simulator build")
        reports["simulator_build"] = simulator_build.run(
            simulator_build.Options(
                repeats=1 if quick else 3, rebuild=args.rebuild, postgres=args.postgres
            )
        )
    if "criteria" in steps:
        logger.info("== bulk criteria")
        reports["bulk_criteria"] = bulk_criteria.run(
            bulk_criteria.Options(
                sizes=[int(s) for s in str(args.sizes).split(",") if s.strip()],
                postgres=args.postgres,
                repeats=2 if quick else int(os.environ.get("BENCH_REPEATS", 5)),
                per_tenancy_sample=200 if quick else 1000,
                per_tenancy_repeats=1 if quick else 3,
            )
        )
    if "latency" in steps:
        logger.info("== latency")
        reports["latency"] = latency.run(
            latency.Options(requests=100 if quick else 500, rounds=1 if quick else 3)
        )

    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    if "classifier" in steps:
        logger.info("== rent classifier")
        report = classifier.run(
            classifier.Options(cases=50_000 if quick else 200_000, repeats=2 if quick else 5)
        )
        if not str(report["markdown"]).startswith("#"):
            report["markdown"] = "### Rent classifier alone\n\n" + report["markdown"]
        reports["classifier"] = report
    if "sync" in steps:
        logger.info("== income-api sync")
        reports["income_sync"] = income_sync.run(
            income_sync.Options(sizes=sizes, repeats=1 if quick else 3)
        )
    if "worktray" in steps:
        logger.info("== worktray")
        reports["worktray"] = worktray.run(
            worktray.Options(rent_accounts=max(sizes), requests=50 if quick else 200)
        )
    if "case_page" in steps:
        logger.info("== case page")
        reports["case_page"] = case_page.run(
            case_page.Options(requests=50 if quick else 200, rounds=1 if quick else 3)
        )
    if "frontend" in steps:
        logger.info("== frontend pages")
        reports["frontend"] = frontend_pages.run(
            frontend_pages.Options(requests=50 if quick else 200, seconds=15 if quick else 60)
        )
    if "comms_letters" in steps:
        logger.info("== comms-api letter PDFs")
        reports["comms_letters"] = comms_letters.run(
            comms_letters.Options(repeats=1 if quick else 3)
        )
    if "comms_bulk_letters" in steps:
        logger.info("== comms-api bulk letters")
        reports["comms_bulk_letters"] = comms_bulk_letters.run(
            comms_bulk_letters.Options(refs=200 if quick else 1000, repeats=1 if quick else 3)
        )
    if "comms_sms" in steps:
        logger.info("== comms-api texts at Notify's rate limit")
        # --quick: 1,000 texts in 15 s, still above the limit, but too short a steady state to
        # quote.
        reports["comms_sms"] = comms_sms.run(
            comms_sms.Options(requests=1000, seconds=15) if quick else comms_sms.Options()
        )

    minutes = (time.perf_counter() - started) / 60
    header = [
        "## Benchmarks",
        "",
        f"{machine()['cpus']} CPUs, Python {machine()['python']}, SQLite "
        f"{machine()['sqlite']}; {minutes:.1f} minutes"
        + (" (--quick: rough numbers)" if quick else "")
        + ". Raw numbers in bench/out/.",
    ]
    print("\n\n".join(["\n".join(header), *(r["markdown"] for r in reports.values())]))
    write_json(
        "run_all",
        {
            "minutes": minutes,
            "quick": quick,
            "reports": {name: r.get("json_path") for name, r in reports.items()},
        },
    )


if __name__ == "__main__":
    main()
