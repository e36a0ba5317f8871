"""The envelope of every event on SQS (ARCHITECTURE.md): consumers are idempotent on `id`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ma_shared.auth import User
from ma_shared.correlation import current_correlation_id, new_correlation_id


class EventUser(BaseModel):
    name: str
    email: str


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(description="Unique per event; consumers ignore an id seen before.")
    event_type: str = Field(description="What happened, e.g. `comms.message_sent`.")
    source_service: str
    version: str = "v1"
    correlation_id: str
    occurred_at: dt.datetime = Field(description="UTC instant.")
    user: EventUser | None = None
    entity_id: str = Field(description="The thing that changed, e.g. a tenancy ref.")
    event_data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def new(
        cls,
        *,
        event_type: str,
        source_service: str,
        entity_id: str,
        event_data: dict[str, Any],
        user: User | None = None,
    ) -> EventEnvelope:
        return cls(
            id=uuid.uuid4(),
            event_type=event_type,
            source_service=source_service,
            correlation_id=current_correlation_id() or new_correlation_id(),
            occurred_at=dt.datetime.now(tz=dt.UTC),
            user=EventUser(name=user.name, email=user.email) if user else None,
            entity_id=entity_id,
            event_data=event_data,
        )
