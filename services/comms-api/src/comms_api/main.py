"""The comms-api application: `create_app(settings)`; `python -m comms_api.main` serves it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from importlib.metadata import version

import httpx
import uvicorn
from fastapi import FastAPI

from comms_api.api import letters, messages
from comms_api.gateways.notify import NotifyGateway
from comms_api.gateways.uh_gateway import HttpClient, UhGateway
from comms_api.migrations import upgrade
from comms_api.settings import Settings, get_settings
from comms_api.use_cases.messages import (
    recover_in_flight,
    retry_due,
    track_deliveries,
    write_diary_entries,
)
from ma_shared.app import create_service_app
from ma_shared.database import create_database_engine
from ma_shared.health import database_check
from ma_shared.structured_logging import configure_logging

logger = logging.getLogger(__name__)

DESCRIPTION = """
Texts and emails to tenants and leaseholders through GOV.UK Notify, each sent exactly once
per `Idempotency-Key` and recorded with Notify's id.

* **Auth**: `Authorization: Bearer <jwt>` on every route but the health check.
* **Errors**: always `{"error": {"code", "message", "details"}, "correlation_id"}`.
* A message Notify cannot take now is kept (`accepted`) and retried; one Notify refuses is
  `failed` with the reason.
"""


def create_app(
    settings: Settings | None = None, *, uh_gateway_client: HttpClient | None = None
) -> FastAPI:
    settings = settings or get_settings()
    uh_gateway = UhGateway(
        uh_gateway_client
        or httpx.Client(
            base_url=settings.uh_gateway_url, timeout=settings.uh_gateway_timeout_seconds
        ),
        service_name=settings.service_name,
        service_jwt_secret=settings.service_jwt_secret.get_secret_value(),
    )
    engine = create_database_engine(settings.database_url)
    if settings.migrate_on_startup:
        upgrade(settings.database_url)
    notify = (
        NotifyGateway(
            api_key=settings.notify_api_key.get_secret_value(),
            base_url=settings.notify_base_url,
            timeout=settings.notify_timeout_seconds,
            template_cache_seconds=settings.template_cache_seconds,
        )
        if settings.notify_api_key
        else None
    )

    async def worker() -> None:
        assert notify is not None
        while True:
            try:
                await asyncio.to_thread(
                    recover_in_flight,
                    engine,
                    notify,
                    dt.timedelta(seconds=settings.in_flight_seconds),
                )
                await asyncio.to_thread(retry_due, engine, notify)
                await asyncio.to_thread(track_deliveries, engine, notify)
                await asyncio.to_thread(write_diary_entries, engine, uh_gateway)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("message retry round failed")
            await asyncio.sleep(settings.retry_interval_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(worker()) if settings.worker_enabled and notify else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        engine.dispose()

    app = create_service_app(
        title="comms-api",
        description=DESCRIPTION,
        version=version("comms-api"),
        settings=settings,
        health_checks={"database": database_check(engine)},
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.notify = notify
    app.state.uh_gateway = uh_gateway
    app.include_router(messages.router)
    app.include_router(letters.router)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
