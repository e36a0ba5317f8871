"""Comms events from SQS (moto's server): an income letter Notify rejected makes its case
`review_failed_letter` (income-rules R2) and marking the failure reviewed clears it; each
event is acted on once, whatever order and however often it arrives."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from income_api.gateways.comms_events import SqsReceiver
from income_api.gateways.tables import cases
from income_api.use_cases.comms_events import CommsEventsConsumer, Outcome
from ma_shared.events import EventEnvelope
from ma_shared.testing import local_aws_server

NOW = dt.datetime.now(tz=dt.UTC)


@pytest.fixture(scope="module")
def aws_endpoint() -> Iterator[str]:
    with local_aws_server() as endpoint:
        yield endpoint


@pytest.fixture
def queue(aws_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str, str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    sqs = boto3.client("sqs", region_name="eu-west-2", endpoint_url=aws_endpoint)
    name = f"comms-events-{uuid.uuid4().hex[:8]}"
    return sqs, name, sqs.create_queue(QueueName=name)["QueueUrl"]


@pytest.fixture
def consumer(app: FastAPI, queue: tuple[Any, str, str], aws_endpoint: str) -> CommsEventsConsumer:
    _, name, _ = queue
    return CommsEventsConsumer(
        engine=app.state.engine,
        # Seen again at once when left on the queue, so the test need not wait.
        receiver=SqsReceiver(
            queue_name=name,
            region="eu-west-2",
            endpoint_url=aws_endpoint,
            create_queue=False,
            visibility_timeout=0,
        ),
        sync=app.state.sync,
    )


@pytest.fixture
def rent_case(synced: dict[str, Any], engine: Engine) -> Any:
    """A rent case whose action a failed letter can take over (R2 is second only to R1)."""
    with engine.connect() as conn:
        return conn.execute(
            select(cases).where(
                cases.c.service_area == "rent",
                cases.c.recommended_action == "send_letter_one",
                cases.c.payment_ref.is_not(None),
            )
        ).first()


def _letter_event(event_type: str, case: Any, *, at: dt.datetime, **data: Any) -> EventEnvelope:
    """An event about a letter as comms-api publishes it."""
    message_id = str(uuid.uuid4())
    envelope = EventEnvelope.new(
        event_type=event_type,
        source_service="comms-api",
        entity_id=message_id,
        event_data={
            "message_id": message_id,
            "channel": "letter",
            "tenancy_ref": case.tenancy_ref,
            "payment_ref": case.payment_ref,
            "template_id": "income_collection_letter_1",
            "template_name": "Income collection letter 1",
            "status": "sent",
            "notify_id": str(uuid.uuid4()),
            "notify_status": None,
            "document_id": str(uuid.uuid4()),
            "error": None,
        }
        | data,
    )
    return envelope.model_copy(update={"occurred_at": at})


def _publish(queue: tuple[Any, str, str], *bodies: EventEnvelope | str) -> None:
    sqs, _, url = queue
    for body in bodies:
        text = body if isinstance(body, str) else body.model_dump_json()
        sqs.send_message(QueueUrl=url, MessageBody=text)


def _consume(client: TestClient, consumer: CommsEventsConsumer) -> Counter[Outcome]:
    outcomes: Counter[Outcome] = client.portal.call(consumer.consume_once)  # type: ignore[union-attr]
    return outcomes


def _case(engine: Engine, tenancy_ref: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(cases).where(cases.c.tenancy_ref == tenancy_ref)).one()


def test_a_rejected_income_letter_is_reviewed_then_the_case_moves_on(
    client: TestClient,
    engine: Engine,
    consumer: CommsEventsConsumer,
    queue: tuple[Any, str, str],
    rent_case: Any,
) -> None:
    sent = _letter_event("comms.message_sent", rent_case, at=NOW - dt.timedelta(minutes=2))
    rejected = _letter_event(
        "comms.message_failed",
        rent_case,
        at=NOW - dt.timedelta(minutes=1),
        status="failed",
        notify_status="validation-failed",
        error="Notify rejected the letter: content outside the printable area.",
    )
    _publish(queue, sent, rejected)

    assert sum(_consume(client, consumer).values()) == 2
    case = _case(engine, rent_case.tenancy_ref)
    assert (case.latest_document_status, case.latest_document_template_id) == (
        "validation-failed",
        "income_collection_letter_1",
    )
    assert case.recommended_action == "review_failed_letter"

    _publish(queue, _letter_event("comms.letter_failure_reviewed", rent_case, at=NOW))
    assert _consume(client, consumer) == Counter({Outcome.APPLIED: 1})

    reviewed = _case(engine, rent_case.tenancy_ref)
    assert reviewed.latest_document_status == "failure_reviewed"
    assert reviewed.recommended_action == rent_case.recommended_action


def test_each_event_is_acted_on_once_and_never_over_a_later_one(
    client: TestClient,
    engine: Engine,
    consumer: CommsEventsConsumer,
    queue: tuple[Any, str, str],
    rent_case: Any,
) -> None:
    rejected = _letter_event(
        "comms.message_failed",
        rent_case,
        at=NOW - dt.timedelta(minutes=1),
        status="failed",
        notify_status="validation-failed",
    )
    _publish(queue, rejected)
    assert _consume(client, consumer) == Counter({Outcome.APPLIED: 1})
    _publish(queue, _letter_event("comms.letter_failure_reviewed", rent_case, at=NOW))
    assert _consume(client, consumer) == Counter({Outcome.APPLIED: 1})

    # The rejection published twice, and a send from before it arriving late.
    late = _letter_event("comms.message_sent", rent_case, at=NOW - dt.timedelta(minutes=5))
    _publish(queue, rejected, late)
    assert _consume(client, consumer) == Counter({Outcome.DUPLICATE: 1, Outcome.OLDER: 1})

    case = _case(engine, rent_case.tenancy_ref)
    assert case.latest_document_status == "failure_reviewed"
    assert case.recommended_action != "review_failed_letter"


def test_a_letter_found_by_payment_reference_alone(
    client: TestClient,
    engine: Engine,
    consumer: CommsEventsConsumer,
    queue: tuple[Any, str, str],
    rent_case: Any,
) -> None:
    rejected = _letter_event(
        "comms.message_failed",
        rent_case,
        at=NOW,
        tenancy_ref=None,
        status="failed",
        notify_status="validation-failed",
    )
    _publish(queue, rejected)

    assert _consume(client, consumer) == Counter({Outcome.APPLIED: 1})
    assert _case(engine, rent_case.tenancy_ref).recommended_action == "review_failed_letter"


def test_events_about_texts_or_tenancies_without_a_case_are_acknowledged(
    client: TestClient,
    consumer: CommsEventsConsumer,
    queue: tuple[Any, str, str],
    rent_case: Any,
) -> None:
    text = _letter_event("comms.message_delivered", rent_case, at=NOW, channel="sms")
    elsewhere = _letter_event(
        "comms.message_failed",
        rent_case,
        at=NOW,
        tenancy_ref="999999/99",
        status="failed",
        notify_status="validation-failed",
    )
    _publish(queue, text, elsewhere)

    assert _consume(client, consumer) == Counter({Outcome.IGNORED: 1, Outcome.NO_CASE: 1})
    assert _consume(client, consumer) == Counter(), "both taken off the queue"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not JSON", id="not JSON"),
        pytest.param(json.dumps({"event_type": "comms.message_failed"}), id="not an envelope"),
    ],
)
def test_a_message_that_cannot_be_read_is_left_for_the_dead_letter_queue(
    client: TestClient, consumer: CommsEventsConsumer, queue: tuple[Any, str, str], body: str
) -> None:
    _publish(queue, body)

    assert _consume(client, consumer) == Counter({Outcome.UNREADABLE: 1})
    assert _consume(client, consumer) == Counter({Outcome.UNREADABLE: 1}), "still there"
