"""comms-api settings (environment variables, with local defaults)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from ma_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "comms-api"
    database_url: str = "sqlite:///data/comms-api.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8002
    migrate_on_startup: bool = True
    # GOV.UK Notify, or locally the project's fake Notify server (`make run` passes its key).
    notify_base_url: str = "http://127.0.0.1:8004"
    notify_api_key: SecretStr | None = None
    notify_timeout_seconds: float = 10.0
    # Notify's SMS and email templates change rarely: read them at most this often.
    template_cache_seconds: int = 300
    # Notify allows 3,000 send requests a minute per key type: every send this process makes
    # waits its turn at a pace that stays under that. Processes sharing a key share the limit:
    # give each its part.
    notify_rate_limit_per_minute: int = Field(default=3000, ge=2)
    # How long a caseworker's send waits for its turn before the message is queued for the
    # worker instead: at 50 sends a second that is about 25 sends in line, so the API's 40
    # request threads are never all asleep waiting for Notify.
    notify_send_max_wait_seconds: float = Field(default=0.5, ge=0)
    # Messages the worker sends at once: one send is a round trip of tens of milliseconds, so
    # one at a time falls short of Notify's 50 a second.
    send_concurrency: int = Field(default=4, ge=1)
    # Sends that failed for a reason that may pass (Notify down, 429) are retried this often;
    # a send found still "sending" after `in_flight_seconds` is checked against Notify by its
    # reference before anything is sent again.
    retry_interval_seconds: int = 30
    in_flight_seconds: int = 120
    worker_enabled: bool = True
    # uh-gateway, for the action diary entry each message sent to a tenancy earns.
    uh_gateway_url: str = "http://127.0.0.1:8003"
    uh_gateway_timeout_seconds: float = 10.0
    # Where letter PDFs and imported documents are kept: "s3" (moto's server locally) or
    # "folder".
    document_store: Literal["s3", "folder"] = "folder"
    documents_folder: Path = Path("data/documents")
    # S3: moto's server locally; in AWS leave S3_ENDPOINT_URL empty (the regional endpoint).
    documents_bucket: str = "ma-documents"
    s3_endpoint_url: str | None = "http://127.0.0.1:8005"
    # Create the bucket if it is missing: right for the local stand-in, never in AWS, where
    # the bucket (with its encryption and retention) is infrastructure.
    s3_create_bucket: bool = True
    # Used only with `s3_endpoint_url`: moto accepts any credentials, so none need setting up
    # locally. In AWS (no endpoint) boto3 takes the task role's as usual.
    s3_access_key_id: str = "local"
    s3_secret_access_key: SecretStr = SecretStr("local")
    # SQS (moto's server locally): comms requests in (one message each, exactly once per
    # idempotency key), comms events out (from the outbox).
    sqs_endpoint_url: str | None = "http://127.0.0.1:8005"
    aws_region: str = "eu-west-2"
    comms_requests_enabled: bool = True
    comms_requests_queue_name: str = "ma-comms-requests"
    comms_requests_dead_letter_queue_name: str = "ma-comms-requests-dlq"
    # Receives before SQS moves a request that keeps failing (e.g. Notify down for long) to
    # the dead-letter queue.
    comms_requests_max_receive_count: int = 5
    # Long polling: how long one receive waits for a request to arrive.
    comms_requests_wait_seconds: int = 10
    comms_events_queue_name: str = "ma-comms-events"
    # Create missing queues (a request queue with its redrive policy): right for the local
    # stand-in, never in AWS, where queues and dead-letter queues are infrastructure.
    sqs_create_queue: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
