"""The uh-gateway application: `create_app(settings)`; `python -m uh_gateway.main` serves it."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

import uvicorn
from fastapi import FastAPI

from ma_shared.app import create_service_app
from ma_shared.database import create_database_engine
from ma_shared.health import database_check
from ma_shared.structured_logging import configure_logging
from uh_gateway.api import arrears, reference, tenancies
from uh_gateway.gateways.idempotency import IdempotencyStore
from uh_gateway.gateways.uh_criteria import UhCriteria
from uh_gateway.gateways.uh_reads import UhReads
from uh_gateway.gateways.uh_writes import UhWrites
from uh_gateway.migrations import upgrade
from uh_gateway.settings import Settings, get_settings

DESCRIPTION = """
The documented REST API over Universal Housing (UH), the council's housing system: tenancies,
rent and service-charge transactions, the arrears action diary, arrears agreements, contacts
and patches, for Manage Arrears and any other council team.

* **Auth**: every route but the health check needs `Authorization: Bearer <jwt>` (a Hackney
  user token, or a service token). Read-only API clients may read; caseworkers, team leaders
  and services may also write.
* **Errors**: always `{"error": {"code", "message", "details"}, "correlation_id"}`; request
  validation errors are 422 with one detail per field.
* **Writes** need an `Idempotency-Key` header: a retry with the same key never writes twice.
* **Money** is a decimal string such as `"123.45"` (never a float); a positive balance is
  arrears. **Dates** are ISO 8601; UH's times are as UH stores them (no zone).
* JSON is snake_case (Hackney's platform uses camelCase; this suite deliberately does not).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    uh_engine = create_database_engine(settings.uh_database_url)
    gateway_engine = create_database_engine(settings.gateway_database_url)
    if settings.migrate_on_startup:
        upgrade(settings.gateway_database_url)
    app = create_service_app(
        title="uh-gateway",
        description=DESCRIPTION,
        version=version("uh-gateway"),
        settings=settings,
        health_checks={
            "uh_database": database_check(uh_engine),
            "gateway_database": database_check(gateway_engine),
        },
    )
    app.state.uh_reads = UhReads(uh_engine)
    app.state.uh_criteria = UhCriteria(uh_engine)
    app.state.uh_writes = UhWrites(uh_engine)
    app.state.idempotency = IdempotencyStore(
        gateway_engine, dt.timedelta(days=settings.idempotency_retention_days)
    )
    for router in (arrears.router, reference.router, tenancies.router):
        app.include_router(router)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
