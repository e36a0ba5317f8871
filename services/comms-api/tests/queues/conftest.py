"""Queues on moto's SQS server (started once per test process), each test with queues of its
own; requests put on the queue as income-api would, in the shared envelope."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI

from comms_api.gateways.queues import (
    QueueMessage,
    SqsQueue,
    comms_events_queue,
    comms_requests_queue,
    sqs_client,
)
from comms_api.settings import Settings
from comms_api.use_cases.comms_requests import CommsRequestConsumer
from ma_shared.events import EventEnvelope, EventUser
from ma_shared.testing import local_aws_server

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# Short enough that a request left on the queue is seen again within the test.
VISIBILITY_SECONDS = 1

RequestBuilder = Callable[..., str]


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    with local_aws_server() as endpoint:
        yield endpoint


@pytest.fixture
def queue_settings(
    settings: Settings, aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    # moto accepts any credentials; boto3 needs some to sign with.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    suffix = uuid.uuid4().hex[:10]
    return settings.model_copy(
        update={
            "sqs_endpoint_url": aws_endpoint,
            "comms_requests_queue_name": f"comms-requests-{suffix}",
            "comms_requests_dead_letter_queue_name": f"comms-requests-dlq-{suffix}",
            "comms_requests_max_receive_count": 2,
            "comms_events_queue_name": f"comms-events-{suffix}",
        }
    )


@pytest.fixture
def sqs(queue_settings: Settings) -> SQSClient:
    return sqs_client(queue_settings)


@pytest.fixture
def requests_queue(queue_settings: Settings, sqs: SQSClient) -> SqsQueue:
    return comms_requests_queue(queue_settings, sqs, visibility_timeout=VISIBILITY_SECONDS)


@pytest.fixture
def dead_letters(queue_settings: Settings, sqs: SQSClient, requests_queue: SqsQueue) -> SqsQueue:
    requests_queue.url()  # creates the dead-letter queue with it
    return SqsQueue(sqs, queue_settings.comms_requests_dead_letter_queue_name, create=False)


@pytest.fixture
def events_queue(queue_settings: Settings, sqs: SQSClient) -> SqsQueue:
    return comms_events_queue(queue_settings, sqs)


@pytest.fixture
def consumer(app: FastAPI, requests_queue: SqsQueue) -> CommsRequestConsumer:
    return CommsRequestConsumer(
        engine=app.state.engine,
        notify=app.state.notify,
        uh_gateway=app.state.uh_gateway,
        store=app.state.documents,
        queue=requests_queue,
    )


def _comms_request(
    event_type: str, event_data: dict[str, Any], *, user: EventUser | None = None
) -> str:
    envelope = EventEnvelope.new(
        event_type=event_type,
        source_service="income-api",
        entity_id=event_data.get("tenancy_ref") or "none",
        event_data=event_data,
    )
    return envelope.model_copy(update={"user": user}).model_dump_json()


@pytest.fixture
def comms_request() -> RequestBuilder:
    """A request's message body as income-api puts it on the queue."""
    return _comms_request


def _drain(queue: SqsQueue) -> list[QueueMessage]:
    taken: list[QueueMessage] = []
    while batch := queue.receive(max_messages=10, wait_seconds=0):
        for message in batch:
            queue.delete(message)
        taken.extend(batch)
    return taken


@pytest.fixture
def drain() -> Callable[[SqsQueue], list[QueueMessage]]:
    """Everything visible on a queue now, taken off it."""
    return _drain
