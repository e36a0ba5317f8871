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

from comms_api.api import documents, letter_batches, letters, messages, reports
from comms_api.gateways.document_store import make_document_store
from comms_api.gateways.notify import NotifyGateway, SendRateLimiter
from comms_api.gateways.queues import comms_events_queue, comms_requests_queue, sqs_client
from comms_api.gateways.uh_gateway import HttpClient, UhGateway
from comms_api.migrations import upgrade
from comms_api.settings import Settings, get_settings
from comms_api.use_cases.comms_requests import CommsRequestConsumer
from comms_api.use_cases.letter_batches import send_queued_rows
from comms_api.use_cases.letters import london_today
from comms_api.use_cases.messages import (
    recover_in_flight,
    retry_due,
    track_deliveries,
    write_diary_entries,
)
from comms_api.use_cases.publish_events import publish_due_events
from ma_shared.app import create_service_app
from ma_shared.database import create_database_engine
from ma_shared.health import database_check
from ma_shared.structured_logging import configure_logging

logger = logging.getLogger(__name__)

# Messages a worker round sends at most. A full round means more are waiting: the next round
# starts at once rather than after `retry_interval_seconds`.
SEND_BATCH = 500
# A bulk letter batch whose "send all" began this long ago and still has rows queued lost its
# sender (a restart): the worker finishes it. 1,000 letters take about 5 minutes.
ABANDONED_BATCH_SEND = dt.timedelta(minutes=15)

DESCRIPTION = """
Texts, emails and letters to tenants and leaseholders through GOV.UK Notify, each sent
exactly once per `Idempotency-Key` and recorded with Notify's id; letters one at a time or in
bulk by payment reference, each letter's PDF kept in the document store beside the documents
imported from the old system.

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
    store = make_document_store(settings)
    notify = (
        NotifyGateway(
            api_key=settings.notify_api_key.get_secret_value(),
            base_url=settings.notify_base_url,
            timeout=settings.notify_timeout_seconds,
            template_cache_seconds=settings.template_cache_seconds,
            rate_limiter=SendRateLimiter(settings.notify_rate_limit_per_minute),
            send_max_wait=settings.notify_send_max_wait_seconds,
        )
        if settings.notify_api_key
        else None
    )

    sqs = sqs_client(settings)
    events_queue = comms_events_queue(settings, sqs)

    async def worker() -> None:
        assert notify is not None
        while True:
            more_due = False
            try:
                await asyncio.to_thread(
                    recover_in_flight,
                    engine,
                    notify,
                    dt.timedelta(seconds=settings.in_flight_seconds),
                )
                tried = await asyncio.to_thread(
                    retry_due,
                    engine,
                    notify,
                    store,
                    limit=SEND_BATCH,
                    concurrency=settings.send_concurrency,
                )
                more_due = tried == SEND_BATCH
                # Bulk letters whose "send all" was asked for but not finished (a restart).
                await asyncio.to_thread(
                    send_queued_rows,
                    engine,
                    notify.waiting_for_rate_limit(),
                    store,
                    today=london_today(),
                    requested_before=dt.datetime.now(tz=dt.UTC) - ABANDONED_BATCH_SEND,
                )
                await asyncio.to_thread(track_deliveries, engine, notify)
                await asyncio.to_thread(write_diary_entries, engine, uh_gateway)
                await asyncio.to_thread(publish_due_events, engine, events_queue)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("message retry round failed")
            if not more_due:
                await asyncio.sleep(settings.retry_interval_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks: list[asyncio.Task[None]] = []
        if settings.worker_enabled and notify:
            tasks.append(asyncio.create_task(worker()))
            if settings.comms_requests_enabled:
                consumer = CommsRequestConsumer(
                    engine=engine,
                    notify=notify.waiting_for_rate_limit(),  # nobody waits on these sends
                    uh_gateway=uh_gateway,
                    store=store,
                    queue=comms_requests_queue(settings, sqs),
                )
                tasks.append(
                    asyncio.create_task(
                        consumer.run(wait_seconds=settings.comms_requests_wait_seconds)
                    )
                )
        yield
        for task in tasks:
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
    app.state.documents = store
    app.include_router(messages.router)
    app.include_router(letters.router)
    app.include_router(letter_batches.router)
    app.include_router(documents.router)
    app.include_router(reports.router)
    return app


def main() -> None:
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
