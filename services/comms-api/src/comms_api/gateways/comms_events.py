"""The comms events outbox: an event is written in the same transaction as the change it
reports (a message sent, delivered or failed), and published to SQS afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from comms_api.gateways.tables import comms_events
from ma_shared.events import EventEnvelope

SOURCE_SERVICE = "comms-api"
MESSAGE_SENT = "comms.message_sent"
MESSAGE_DELIVERED = "comms.message_delivered"
MESSAGE_FAILED = "comms.message_failed"
# A caseworker has dealt with a letter Notify rejected: the case no longer needs reviewing.
LETTER_FAILURE_REVIEWED = "comms.letter_failure_reviewed"


def message_event_data(message: Mapping[Any, Any]) -> dict[str, Any]:
    """What every event about a message says (its row, with the new status applied)."""
    return {
        "message_id": message["id"],
        "channel": message["channel"],
        "tenancy_ref": message["tenancy_ref"],
        "payment_ref": message["payment_ref"],
        "template_id": message["template_id"],
        "template_name": message["template_name"],
        "status": message["status"],
        "notify_id": message["notify_id"],
        "notify_status": message["notify_status"],
        "document_id": message["document_id"],
        "error": message["error"],
    }


def record_comms_event(
    conn: Connection, event_type: str, entity_id: str, event_data: dict[str, Any]
) -> None:
    envelope = EventEnvelope.new(
        event_type=event_type,
        source_service=SOURCE_SERVICE,
        entity_id=entity_id,
        event_data=event_data,
    )
    now = dt.datetime.now(tz=dt.UTC)
    conn.execute(
        comms_events.insert().values(
            id=str(envelope.id),
            event_type=event_type,
            entity_id=entity_id,
            envelope=envelope.model_dump(mode="json"),
            created_at=now,
            published_at=None,
            attempts=0,
            next_attempt_at=now,
        )
    )
