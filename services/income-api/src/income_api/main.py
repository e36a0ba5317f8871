"""The income-api application: `create_app(settings)`; `python -m income_api.main` serves it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from importlib.metadata import version

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from income_api.api import (
    cases,
    classifications,
    jobs,
    patches,
    records,
    reports,
    uh_records,
    uh_writes,
)
from income_api.bootstrap import build_services
from income_api.domain.agreements import AgreementRuleBroken
from income_api.domain.court_cases import CourtCaseRuleBroken
from income_api.settings import Settings, get_settings
from income_api.use_cases.scheduler import Schedule, run_scheduler
from ma_shared.app import create_service_app
from ma_shared.errors import ErrorDetail, ValidationFailed, error_response
from ma_shared.health import database_check
from ma_shared.structured_logging import configure_logging

DESCRIPTION = """
Arrears cases and their **next recommended action**, for rent and leasehold (service charge)
accounts: the caseworkers' worktray, each case with the reason for its action, agreements with
breach detection, court cases, evictions, pauses and vulnerabilities. Cases come from
Universal Housing (through uh-gateway) by a nightly sync and an intraday refresh.

* **Auth**: `Authorization: Bearer <jwt>` on every route but the health check. Rent
  caseworkers see rent cases, leasehold caseworkers leasehold cases, team leaders both;
  read-only clients may read.
* **Errors**: always `{"error": {"code", "message", "details"}, "correlation_id"}`.
* **Money** is a decimal string (`"123.45"`); dates are ISO 8601; instants are UTC.
* Writes that reach UH's action diary answer `written`, or `queued` when UH cannot be reached
  now: the entry is then retried until UH has it, exactly once.
"""


async def _rule_broken(_: Request, exc: Exception) -> JSONResponse:
    problems = getattr(exc, "problems", [])
    return error_response(
        ValidationFailed.status_code,
        ValidationFailed.code,
        str(exc) or "The request breaks a rule.",
        [ErrorDetail(field=p.field, code=p.code, message=p.message) for p in problems],
    )


def create_app(
    settings: Settings | None = None,
    *,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    services = build_services(settings, gateway_transport=gateway_transport)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks: list[asyncio.Task[None]] = []
        if settings.scheduler_enabled:
            schedule = Schedule(
                nightly_hour_utc=settings.nightly_sync_hour_utc,
                changes_every=dt.timedelta(seconds=settings.changes_sync_interval_seconds),
                outbox_every=dt.timedelta(seconds=settings.outbox_retry_interval_seconds),
            )
            tasks.append(
                asyncio.create_task(run_scheduler(services.sync, services.dispatcher, schedule))
            )
            if services.comms_events is not None:
                # Long polling: an event is acted on within moments of its publication.
                tasks.append(
                    asyncio.create_task(
                        services.comms_events.run(wait_seconds=settings.comms_events_wait_seconds)
                    )
                )
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await services.aclose()

    app = create_service_app(
        title="income-api",
        description=DESCRIPTION,
        version=version("income-api"),
        settings=settings,
        health_checks={"database": database_check(services.engine)},
        lifespan=lifespan,
    )
    app.state.engine = services.engine
    app.state.uh_gateway = services.gateway
    app.state.dispatcher = services.dispatcher
    app.state.clock = services.clock
    app.state.sync = services.sync
    app.state.comms_events = services.comms_events
    app.add_exception_handler(AgreementRuleBroken, _rule_broken)
    app.add_exception_handler(CourtCaseRuleBroken, _rule_broken)
    # Specific case routes before `GET /cases/{tenancy_ref:path}`, which would match them.
    for router in (
        records.router,
        uh_records.router,
        uh_writes.router,
        cases.router,
        classifications.router,
        jobs.router,
        patches.router,
        reports.router,
    ):
        app.include_router(router)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
