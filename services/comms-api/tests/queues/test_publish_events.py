"""Comms events reach SQS (moto's server) from the outbox in the shared envelope, each once,
and wait in the outbox, backing off, while the queue cannot be reached."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import boto3
from fastapi import FastAPI
from sqlalchemy import select, update

from comms_api.gateways.queues import QueueMessage, SqsQueue
from comms_api.gateways.tables import comms_events
from comms_api.use_cases.comms_requests import CommsRequestConsumer
from comms_api.use_cases.messages import track_deliveries
from comms_api.use_cases.publish_events import publish_due_events
from fake_notify.config import GREEN_IN_ARREARS_SMS_ID
from fake_notify.testing import FakeNotifyAdmin
from ma_shared.events import EventEnvelope
from ma_shared.testing import refused_port

Drain = Callable[[SqsQueue], list[QueueMessage]]


def _text_requested(comms_request: Callable[..., str]) -> tuple[str, str]:
    key = f"income-api-sms-{uuid.uuid4()}"
    body = comms_request(
        "comms.sms_requested",
        {
            "idempotency_key": key,
            "template_id": str(GREEN_IN_ARREARS_SMS_ID),
            "phone_number": "07700 900123",
            "personalisation": {"balance": "£312.50"},
            "tenancy_ref": "012345/01",
        },
    )
    return key, body


def _outbox(app: FastAPI) -> list[Any]:
    with app.state.engine.connect() as conn:
        return list(conn.execute(select(comms_events).order_by(comms_events.c.created_at)))


def test_a_text_sent_and_delivered_publishes_each_event_once_in_the_envelope(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    events_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    drain: Drain,
) -> None:
    key, body = _text_requested(comms_request)
    requests_queue.send(body)
    consumer.consume_once()
    (at_notify,) = notify.sent(reference=key)
    notify.force_status(at_notify["id"], "delivered")
    track_deliveries(app.state.engine, app.state.notify)

    assert publish_due_events(app.state.engine, events_queue) == 2
    assert publish_due_events(app.state.engine, events_queue) == 0, "each once"

    received = drain(events_queue)
    envelopes = [EventEnvelope.model_validate_json(m.body) for m in received]
    assert [e.event_type for e in envelopes] == ["comms.message_sent", "comms.message_delivered"]
    request = EventEnvelope.model_validate_json(body)
    for message, envelope in zip(received, envelopes, strict=True):
        assert envelope.source_service == "comms-api"
        assert envelope.version == "v1"
        assert envelope.event_data["channel"] == "sms"
        assert envelope.event_data["tenancy_ref"] == "012345/01"
        assert envelope.entity_id == envelope.event_data["message_id"]
        assert message.attributes["event_type"] == envelope.event_type
    # The request's correlation id follows it through to the events it led to.
    assert envelopes[0].correlation_id == request.correlation_id
    assert {str(e.id) for e in envelopes} == {row.id for row in _outbox(app)}
    assert all(row.published_at is not None for row in _outbox(app))


def test_events_wait_and_back_off_while_the_queue_cannot_be_reached(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    events_queue: SqsQueue,
    comms_request: Callable[..., str],
    drain: Drain,
) -> None:
    _, body = _text_requested(comms_request)
    requests_queue.send(body)
    consumer.consume_once()
    with refused_port() as port:
        nowhere = SqsQueue(
            boto3.client("sqs", region_name="eu-west-2", endpoint_url=f"http://127.0.0.1:{port}"),
            events_queue.name,
            create=True,
        )

        assert publish_due_events(app.state.engine, nowhere) == 0

    (waiting,) = _outbox(app)
    assert waiting.published_at is None
    assert waiting.attempts == 1
    assert waiting.last_error
    assert waiting.next_attempt_at > dt.datetime.now(tz=dt.UTC)
    assert publish_due_events(app.state.engine, events_queue) == 0, "not due yet"

    with app.state.engine.begin() as conn:
        conn.execute(update(comms_events).values(next_attempt_at=dt.datetime.now(tz=dt.UTC)))
    assert publish_due_events(app.state.engine, events_queue) == 1
    (published,) = drain(events_queue)
    assert json.loads(published.body)["id"] == waiting.id
