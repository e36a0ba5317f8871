"""Case events reach SQS (moto's server, as locally) in the shared envelope, from the outbox:
none is lost while the queue is unreachable."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from income_api.gateways.tables import outbox
from income_api.main import create_app
from income_api.settings import Settings
from ma_shared.events import EventEnvelope
from ma_shared.testing import local_aws_server


@pytest.fixture(scope="module")
def aws_endpoint() -> Iterator[str]:
    with local_aws_server() as endpoint:
        yield endpoint


def _drain(endpoint: str, queue_name: str) -> list[dict[str, Any]]:
    sqs = boto3.client(
        "sqs",
        region_name="eu-west-2",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
    bodies: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = batch.get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _pending_events(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.kind == "case_event", outbox.c.status == "pending")
            ).scalar_one()
        )


def test_a_sync_publishes_each_classification_change_once_in_the_envelope(
    settings: Settings,
    network: Any,
    team_leader: dict[str, str],
    aws_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    queue = f"case-events-{uuid.uuid4().hex[:8]}"
    app = create_app(
        settings.model_copy(
            update={"case_events_queue_name": queue, "sqs_endpoint_url": aws_endpoint}
        ),
        gateway_transport=network,
    )
    with TestClient(app) as client:
        started = client.post("/api/v1/sync", json={}, headers=team_leader).json()
        while client.get(started["status_url"], headers=team_leader).json()["status"] == "running":
            time.sleep(0.05)
        job = client.get(started["status_url"], headers=team_leader).json()
        client.portal.call(app.state.dispatcher.deliver)  # type: ignore[union-attr]
        engine: Engine = app.state.engine

        published = _drain(aws_endpoint, queue)

        changes = [e for e in published if e["event_type"] == "income.case_classification_changed"]
        assert len(changes) == job["classification_changes"] == job["cases_created"]
        assert len({e["id"] for e in published}) == len(published), "each event once"
        envelope = EventEnvelope.model_validate(changes[0])
        assert envelope.source_service == "income-api"
        assert envelope.version == "v1"
        assert envelope.correlation_id
        assert envelope.event_data["previous_recommended_action"] is None
        assert envelope.event_data["recommended_action"]
        assert _pending_events(engine) == 0


def test_events_wait_in_the_outbox_while_the_queue_is_unreachable(
    settings: Settings,
    network: Any,
    team_leader: dict[str, str],
    aws_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    app = create_app(
        settings.model_copy(
            update={
                "case_events_queue_name": "nowhere",
                "sqs_endpoint_url": "http://127.0.0.1:9",
            }
        ),
        gateway_transport=network,
    )
    with TestClient(app) as client:
        started = client.post("/api/v1/sync", json={}, headers=team_leader).json()
        while client.get(started["status_url"], headers=team_leader).json()["status"] == "running":
            time.sleep(0.05)
        job = client.get(started["status_url"], headers=team_leader).json()
        assert job["status"] in {"succeeded", "completed_with_errors"}
        assert _pending_events(app.state.engine) >= job["classification_changes"] > 0
