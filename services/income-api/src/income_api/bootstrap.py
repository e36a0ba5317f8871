"""Wiring: the engine, the uh-gateway client, the events publisher, the outbox and the sync,
built once from settings for the web app and the command line alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx
from sqlalchemy import Engine

from income_api.gateways.case_events import SqsPublisher
from income_api.gateways.comms_events import SqsReceiver
from income_api.gateways.outbox import OutboxDispatcher
from income_api.gateways.uh_gateway import UhGateway
from income_api.migrations import upgrade
from income_api.settings import Settings
from income_api.use_cases.comms_events import CommsEventsConsumer
from income_api.use_cases.sync import CaseSync, SyncClock
from ma_shared.database import create_database_engine


@dataclass(frozen=True)
class Services:
    engine: Engine
    gateway: UhGateway
    dispatcher: OutboxDispatcher
    clock: SyncClock
    sync: CaseSync
    # Comms events from comms-api, when a queue is configured.
    comms_events: CommsEventsConsumer | None

    async def aclose(self) -> None:
        await self.sync.wait_for_runs()
        await self.gateway.aclose()
        self.engine.dispose()


def build_services(
    settings: Settings, *, gateway_transport: httpx.AsyncBaseTransport | None = None
) -> Services:
    engine = create_database_engine(settings.database_url)
    if settings.migrate_on_startup:
        upgrade(settings.database_url)
    gateway = UhGateway.connect(
        settings.uh_gateway_url,
        service_name=settings.service_name,
        service_jwt_secret=settings.service_jwt_secret.get_secret_value(),
        timeout=settings.uh_gateway_timeout_seconds,
        transport=gateway_transport,
    )
    publisher = (
        SqsPublisher(
            queue_name=settings.case_events_queue_name,
            region=settings.aws_region,
            endpoint_url=settings.sqs_endpoint_url,
            create_queue=settings.sqs_create_queue,
        )
        if settings.case_events_queue_name
        else None
    )
    dispatcher = OutboxDispatcher(engine=engine, gateway=gateway, publisher=publisher)
    clock = SyncClock(settings.classification_date)
    sync = CaseSync(
        engine=engine,
        gateway=gateway,
        dispatcher=dispatcher,
        clock=clock,
        page_size=settings.sync_page_size,
        tolerance_days=settings.agreement_breach_tolerance_days,
        stale_after=dt.timedelta(minutes=settings.stale_job_minutes),
    )
    comms_events = (
        CommsEventsConsumer(
            engine=engine,
            receiver=SqsReceiver(
                queue_name=settings.comms_events_queue_name,
                region=settings.aws_region,
                endpoint_url=settings.sqs_endpoint_url,
                create_queue=settings.sqs_create_queue,
            ),
            sync=sync,
        )
        if settings.comms_events_queue_name
        else None
    )
    return Services(
        engine=engine,
        gateway=gateway,
        dispatcher=dispatcher,
        clock=clock,
        sync=sync,
        comms_events=comms_events,
    )
