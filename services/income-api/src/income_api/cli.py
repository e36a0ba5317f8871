"""`income-api-sync`: run a sync now from the command line (cron, operators) and print its job
run. Exit status 0 when every account synced, 1 when some failed, 2 when the run failed."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from income_api.bootstrap import build_services
from income_api.gateways import job_runs
from income_api.settings import Settings, get_settings
from income_api.use_cases.sync import CHANGES, FULL
from ma_shared.structured_logging import configure_logging

EXIT_CODES = {job_runs.SUCCEEDED: 0, job_runs.COMPLETED_WITH_ERRORS: 1}


async def _sync(settings: Settings, kind: str) -> Row[Any]:
    services = build_services(settings)
    try:
        job_id = await services.sync.run_now(kind, triggered_by="income-api-sync command")
        run = job_runs.get_job_run(services.engine, job_id)
        assert run is not None
        return run
    finally:
        await services.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="income-api-sync", description=__doc__)
    parser.add_argument("--kind", choices=(FULL, CHANGES), default=FULL)
    arguments = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    run = asyncio.run(_sync(settings, arguments.kind))
    summary = {
        "job_run_id": run.id,
        "status": run.status,
        "accounts_seen": run.accounts_seen,
        "cases_created": run.cases_created,
        "cases_changed": run.cases_changed,
        "cases_deleted": run.cases_deleted,
        "error_count": run.error_count,
        "by_recommended_action": run.by_recommended_action,
        "timings": run.timings,
        "message": run.message,
    }
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return EXIT_CODES.get(run.status, 2)


if __name__ == "__main__":
    sys.exit(main())
