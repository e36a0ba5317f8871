"""income-api settings (environment variables, with local defaults)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ma_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "income-api"
    database_url: str = "sqlite:///data/income-api.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8001
    # Locally the service brings its own database up to date as it starts; in production
    # migrations run as a deployment step instead.
    migrate_on_startup: bool = True
    uh_gateway_url: str = "http://127.0.0.1:8003"
    uh_gateway_timeout_seconds: float = 30.0
    # Bulk criteria page size asked of the gateway (it allows up to 5000).
    sync_page_size: int = 2000
    # The background scheduler: the full nightly sync (UTC hour) and the intraday refresh from
    # the gateway's changes feed. Off in tests, which trigger runs explicitly.
    scheduler_enabled: bool = True
    nightly_sync_hour_utc: int = 2
    changes_sync_interval_seconds: int = 180
    outbox_retry_interval_seconds: int = 30
    # A run still marked running after this long is presumed dead (the process stopped).
    stale_job_minutes: int = 120
    # Agreement breach detection: days allowed for a payment to clear (income-rules §3.3).
    agreement_breach_tolerance_days: int = 5
    # Case events: SQS (moto's server locally). Without a queue URL or name, events wait in
    # the outbox table until one is configured.
    sqs_endpoint_url: str | None = "http://127.0.0.1:8005"
    aws_region: str = "eu-west-2"
    case_events_queue_name: str | None = "ma-case-events"
    # Create the queue if it is missing: right for the local stand-in, never in AWS, where
    # queues (with their dead-letter queues) are infrastructure.
    sqs_create_queue: bool = True
    # Comms events from comms-api (a letter sent, rejected by Notify, its failure reviewed):
    # read by long polling, waiting up to this long for the next. Unset: not read.
    comms_events_queue_name: str | None = "ma-comms-events"
    comms_events_wait_seconds: int = 10
    # Pin "today" for the classifier and the criteria (e.g. a simulator database built for a
    # fixed day, as the benchmarks use). Unset means the real date.
    classification_date: dt.date | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
