"""Comms requests from SQS (moto's server) to the fake Notify: each sent exactly once per
idempotency key, through duplicate deliveries and crashes at every step; a request that can
never succeed stored as failed; one that is not a comms request on the dead-letter queue."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from comms_api.gateways.notify import NotifyUnavailable
from comms_api.gateways.queues import (
    QueueMessage,
    SqsQueue,
    comms_requests_queue,
    sqs_client,
)
from comms_api.gateways.tables import comms_events, messages
from comms_api.main import create_app
from comms_api.settings import Settings
from comms_api.use_cases import comms_requests
from comms_api.use_cases import messages as message_use_cases
from comms_api.use_cases.comms_requests import CommsRequestConsumer, Outcome
from comms_api.use_cases.messages import recover_in_flight, retry_due
from fake_notify.config import GREEN_IN_ARREARS_EMAIL_ID, GREEN_IN_ARREARS_SMS_ID
from fake_notify.testing import FakeNotifyAdmin
from ma_shared.events import EventUser
from ma_shared.testing import refused_port

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

Drain = Callable[[SqsQueue], list[QueueMessage]]


class Crash(BaseException):
    """The process stopping dead at this point (nothing below it runs)."""


def _sms(**changes: Any) -> dict[str, Any]:
    return {
        "idempotency_key": f"income-api-sms-{uuid.uuid4()}",
        "template_id": str(GREEN_IN_ARREARS_SMS_ID),
        "phone_number": "07700 900123",
        "personalisation": {"balance": "£312.50"},
        "tenancy_ref": "012345/01",
    } | changes


def _email(**changes: Any) -> dict[str, Any]:
    return {
        "idempotency_key": f"income-api-email-{uuid.uuid4()}",
        "template_id": str(GREEN_IN_ARREARS_EMAIL_ID),
        "email_address": "tenant@example.com",
        "personalisation": {"balance": "£312.50"},
    } | changes


def _message(client: TestClient, headers: dict[str, str], key: str) -> dict[str, Any]:
    found = client.get("/api/v1/messages", params={"idempotency_key": key}, headers=headers)
    assert found.status_code == 200, found.text
    (message,) = found.json()
    assert isinstance(message, dict)
    return message


def _count(app: FastAPI, table: Any = messages) -> int:
    with app.state.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_text_and_an_email_on_the_queue_each_reach_notify_once(
    client: TestClient,
    caseworker: dict[str, str],
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
) -> None:
    sms, email = _sms(), _email()
    requests_queue.send(comms_request("comms.sms_requested", sms))
    requests_queue.send(
        comms_request(
            "comms.email_requested", email, user=EventUser(name="Rita Rent", email="rita@example")
        )
    )

    assert consumer.consume_once() == Counter({Outcome.ACCEPTED: 2})
    assert consumer.consume_once() == Counter(), "both taken off the queue"

    sent = {n["reference"]: n for n in notify.sent()}
    assert set(sent) == {sms["idempotency_key"], email["idempotency_key"]}
    text = _message(client, caseworker, sms["idempotency_key"])
    assert (text["status"], text["recipient"], text["notify_id"]) == (
        "sent",
        "+447700900123",
        sent[sms["idempotency_key"]]["id"],
    )
    assert text["sent_by"] == "MANAGE ARREARS SYSTEM"
    mail = _message(client, caseworker, email["idempotency_key"])
    assert (mail["status"], mail["sent_by"]) == ("sent", "Rita Rent")


def test_the_same_request_delivered_twice_is_sent_once(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
) -> None:
    sms = _sms()
    # Two envelopes (two ids) with one idempotency key: a requester that retried its put.
    requests_queue.send(comms_request("comms.sms_requested", sms))
    requests_queue.send(comms_request("comms.sms_requested", sms))

    outcomes = consumer.consume_once() + consumer.consume_once()

    assert outcomes == Counter({Outcome.ACCEPTED: 1, Outcome.REPLAYED: 1})
    assert len(notify.sent(reference=sms["idempotency_key"])) == 1
    assert _count(app) == 1


def test_a_crash_after_storing_and_before_sending_sends_once_on_the_next_round(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sms = _sms()
    requests_queue.send(comms_request("comms.sms_requested", sms))

    def crash(*_: Any, **__: Any) -> Any:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(comms_requests, "send_accepted", crash)
        with pytest.raises(Crash):
            consumer.consume_once()
    assert notify.sent() == []

    # The restarted process: the request is off the queue; the worker's round sends it.
    assert consumer.consume_once() == Counter()
    assert retry_due(app.state.engine, app.state.notify, app.state.documents) == 1
    assert retry_due(app.state.engine, app.state.notify, app.state.documents) == 0
    assert len(notify.sent(reference=sms["idempotency_key"])) == 1


def test_a_crash_before_the_request_is_deleted_sends_once_when_sqs_delivers_it_again(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sms = _sms()
    requests_queue.send(comms_request("comms.sms_requested", sms))

    def crash(_: QueueMessage) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(requests_queue, "delete", crash)
        with pytest.raises(Crash):
            consumer.consume_once()

    time.sleep(1.2)  # the visibility timeout: SQS hands the request out again
    assert consumer.consume_once(wait_seconds=1) == Counter({Outcome.REPLAYED: 1})
    retry_due(app.state.engine, app.state.notify, app.state.documents)
    assert len(notify.sent(reference=sms["idempotency_key"])) == 1
    assert _count(app) == 1


def test_a_crash_after_notify_took_it_and_before_it_was_recorded_never_sends_again(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sms = _sms()
    requests_queue.send(comms_request("comms.sms_requested", sms))

    def crash(*_: Any, **__: Any) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(message_use_cases, "_mark_sent", crash)
        with pytest.raises(Crash):
            consumer.consume_once()
    (at_notify,) = notify.sent(reference=sms["idempotency_key"])
    assert _message(client, caseworker, sms["idempotency_key"])["status"] == "sending"

    engine, gateway = app.state.engine, app.state.notify
    assert recover_in_flight(engine, gateway, dt.timedelta(0)) == 1
    assert retry_due(engine, gateway, app.state.documents) == 0
    assert consumer.consume_once() == Counter()

    assert len(notify.sent(reference=sms["idempotency_key"])) == 1
    recovered = _message(client, caseworker, sms["idempotency_key"])
    assert (recovered["status"], recovered["notify_id"]) == ("sent", at_notify["id"])


@pytest.mark.parametrize(
    ("request_data", "error"),
    [
        pytest.param(_sms(phone_number="020 7946 0001"), "UK mobile", id="a landline"),
        pytest.param(_email(email_address="not-an-address"), "email", id="a bad email"),
        pytest.param(_sms(template_id=str(uuid.uuid4())), "template", id="no such template"),
        pytest.param(_sms(personalisation={}), "balance", id="personalisation missing"),
    ],
)
def test_a_request_that_can_never_be_sent_is_stored_as_failed_and_taken_off_the_queue(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    dead_letters: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    drain: Drain,
    request_data: dict[str, Any],
    error: str,
) -> None:
    event_type = (
        "comms.sms_requested" if "phone_number" in request_data else "comms.email_requested"
    )
    body = comms_request(event_type, request_data)
    requests_queue.send(body)
    requests_queue.send(body)  # delivered twice: still one failed message

    assert consumer.consume_once() + consumer.consume_once() == Counter(
        {Outcome.FAILED: 1, Outcome.REPLAYED: 1}
    )

    assert notify.sent() == []
    assert drain(requests_queue) == []
    assert drain(dead_letters) == []
    failed = _message(client, caseworker, request_data["idempotency_key"])
    assert failed["status"] == "failed"
    assert error in failed["error"]
    assert client.get(f"/api/v1/messages/{failed['id']}", headers=caseworker).json() == failed
    with app.state.engine.connect() as conn:
        events = conn.execute(select(comms_events.c.event_type, comms_events.c.envelope)).all()
    assert [e.event_type for e in events] == ["comms.message_failed"]
    assert events[0].envelope["event_data"]["message_id"] == failed["id"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param("this is not JSON", "not_an_envelope", id="not JSON"),
        pytest.param(json.dumps({"phone_number": "07700 900123"}), "not_an_envelope", id="bare"),
        pytest.param("comms.pigeon_requested", "unknown_event_type", id="unknown event type"),
        pytest.param("no-key", "invalid_event_data", id="no idempotency key"),
    ],
)
def test_a_message_that_is_not_a_comms_request_goes_to_the_dead_letter_queue_at_once(
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    dead_letters: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    drain: Drain,
    body: str,
    reason: str,
) -> None:
    if body == "comms.pigeon_requested":
        body = comms_request(body, _sms())
    elif body == "no-key":
        without_key = {k: v for k, v in _sms().items() if k != "idempotency_key"}
        body = comms_request("comms.sms_requested", without_key)
    requests_queue.send(body)

    assert consumer.consume_once() == Counter({Outcome.DEAD_LETTERED: 1})

    (dead,) = drain(dead_letters)
    assert dead.body == body
    assert dead.attributes["dead_letter_reason"] == reason
    assert drain(requests_queue) == []
    assert notify.sent() == []


def test_while_notify_cannot_be_reached_the_request_stays_until_sqs_gives_up_on_it(
    app: FastAPI,
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    dead_letters: SqsQueue,
    comms_request: Callable[..., str],
    drain: Drain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreachable(*, refresh: bool = False) -> Any:
        raise NotifyUnavailable(503, "Request failed")

    monkeypatch.setattr(app.state.notify, "templates", unreachable)
    body = comms_request("comms.sms_requested", _sms())
    requests_queue.send(body)

    assert consumer.consume_once() == Counter({Outcome.RETRY: 1})
    time.sleep(1.2)  # the visibility timeout
    assert consumer.consume_once(wait_seconds=1) == Counter({Outcome.RETRY: 1})
    time.sleep(1.2)
    # The receive beyond maxReceiveCount (2 here): SQS moves it to the dead-letter queue.
    assert consumer.consume_once(wait_seconds=1) == Counter()

    assert [m.body for m in drain(dead_letters)] == [body]
    assert _count(app) == 0, "nothing stored: it was never accepted"


def test_a_letter_requested_on_the_queue_is_posted_once(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    tenancy_ref: str,
) -> None:
    letter = {
        "idempotency_key": f"income-api-letter-{uuid.uuid4()}",
        "template_id": "income_collection_letter_1",
        "tenancy_ref": tenancy_ref,
    }
    requests_queue.send(comms_request("comms.letter_requested", letter))
    requests_queue.send(comms_request("comms.letter_requested", letter))

    outcomes = consumer.consume_once() + consumer.consume_once()

    assert outcomes == Counter({Outcome.ACCEPTED: 1, Outcome.REPLAYED: 1})
    (posted,) = notify.sent(reference=letter["idempotency_key"])
    sent = _message(client, caseworker, letter["idempotency_key"])
    assert (sent["channel"], sent["status"], sent["notify_id"]) == ("letter", "sent", posted["id"])
    assert (sent["postage"], sent["sent_by"]) == ("second", "MANAGE ARREARS SYSTEM")
    assert sent["document_id"]


def test_a_letter_for_a_tenancy_uh_does_not_have_is_stored_as_failed(
    client: TestClient,
    caseworker: dict[str, str],
    consumer: CommsRequestConsumer,
    requests_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
) -> None:
    letter = {
        "idempotency_key": f"income-api-letter-{uuid.uuid4()}",
        "template_id": "income_collection_letter_1",
        "tenancy_ref": "999999/99",
        "postage": "first",
    }
    requests_queue.send(comms_request("comms.letter_requested", letter))

    assert consumer.consume_once() == Counter({Outcome.FAILED: 1})

    failed = _message(client, caseworker, letter["idempotency_key"])
    assert (failed["channel"], failed["status"], failed["postage"]) == ("letter", "failed", "first")
    assert "999999/99" in failed["error"]
    assert notify.sent() == []


def test_the_running_service_takes_requests_off_the_queue_by_itself(
    queue_settings: Settings,
    uh_gateway: TestClient,
    requests_queue: SqsQueue,
    events_queue: SqsQueue,
    notify: FakeNotifyAdmin,
    comms_request: Callable[..., str],
    drain: Drain,
) -> None:
    sms = _sms()
    requests_queue.send(comms_request("comms.sms_requested", sms))
    running = create_app(
        queue_settings.model_copy(
            update={
                "worker_enabled": True,
                "comms_requests_wait_seconds": 1,
                "retry_interval_seconds": 1,
            }
        ),
        uh_gateway_client=uh_gateway,
    )
    published: list[QueueMessage] = []
    with TestClient(running):
        deadline = time.monotonic() + 15
        while not published and time.monotonic() < deadline:
            time.sleep(0.2)
            published = drain(events_queue)

    assert len(notify.sent(reference=sms["idempotency_key"])) == 1
    assert [json.loads(m.body)["event_type"] for m in published] == ["comms.message_sent"]


def test_while_sqs_cannot_be_reached_the_consumer_logs_and_waits(
    app: FastAPI, queue_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # An earlier test in this worker may have configured logging at CRITICAL (the income-api
    # command's test does): the warning is looked for whatever the root logger's level is.
    caplog.set_level(logging.WARNING, logger="comms_api")

    async def run_until_logged(consumer: CommsRequestConsumer) -> bool:
        # botocore retries a refused connection with backoff first: on a busy machine the
        # first "unreachable" can take seconds.
        task = asyncio.create_task(consumer.run(wait_seconds=0))
        try:
            for _ in range(150):
                if "comms requests queue unreachable" in caplog.messages:
                    return not task.done()  # still running: it waits, it does not stop
                await asyncio.sleep(0.1)
            return False
        finally:
            task.cancel()

    with refused_port() as port:
        unreachable = queue_settings.model_copy(
            update={"sqs_endpoint_url": f"http://127.0.0.1:{port}"}
        )
        consumer = CommsRequestConsumer(
            engine=app.state.engine,
            notify=app.state.notify,
            uh_gateway=app.state.uh_gateway,
            store=app.state.documents,
            queue=comms_requests_queue(unreachable, sqs_client(unreachable)),
        )

        assert asyncio.run(run_until_logged(consumer))


def test_a_request_queue_another_service_created_first_is_used_as_it_is(
    queue_settings: Settings, sqs: SQSClient, requests_queue: SqsQueue
) -> None:
    # Without the redrive policy: locally the requester may start first and create it plain.
    made = sqs.create_queue(QueueName=queue_settings.comms_requests_queue_name)["QueueUrl"]

    assert requests_queue.url() == made
    assert requests_queue.receive() == []
