"""The SQS event envelope every service publishes and consumes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ma_shared.auth import Role, User
from ma_shared.correlation import set_correlation_id
from ma_shared.events import EventEnvelope


def test_a_new_event_carries_the_requests_correlation_id_and_who_acted() -> None:
    caseworker = User(
        sub="1",
        email="rita.rent@hackney.gov.uk",
        name="Rita Rent",
        groups=("income-collection",),
        roles=frozenset({Role.RENT_CASEWORKER}),
    )
    set_correlation_id("corr-7")
    try:
        event = EventEnvelope.new(
            event_type="comms.message_sent",
            source_service="comms-api",
            entity_id="012345/01",
            event_data={"channel": "sms"},
            user=caseworker,
        )
    finally:
        set_correlation_id(None)

    body = event.model_dump(mode="json")
    assert body["correlation_id"] == "corr-7"
    assert body["user"] == {"name": "Rita Rent", "email": "rita.rent@hackney.gov.uk"}
    assert body["version"] == "v1"
    assert body["occurred_at"].endswith("Z")
    assert EventEnvelope.model_validate_json(event.model_dump_json()) == event


def test_events_get_distinct_ids_so_consumers_can_ignore_repeats() -> None:
    first, second = (
        EventEnvelope.new(event_type="x.happened", source_service="s", entity_id="e", event_data={})
        for _ in range(2)
    )

    assert first.id != second.id
    assert first.correlation_id  # made up when no request is in progress


def test_an_envelope_with_unknown_fields_is_rejected() -> None:
    with pytest.raises(ValidationError):
        EventEnvelope.model_validate(
            {
                "id": "6f1c2a4e-0d7b-4a53-9d52-9c1f0b7a1e11",
                "event_type": "x",
                "source_service": "s",
                "correlation_id": "c",
                "occurred_at": "2026-11-23T10:00:00Z",
                "entity_id": "e",
                "eventType": "camelCase from elsewhere",
            }
        )
