"""comms-api's own database: every message accepted for sending, with its Notify id."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import JSON, Index, MetaData, String, Table, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ma_shared.database import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON}


class Message(Base):
    """One text or email to one recipient. The idempotency key is stored before the send and
    given to Notify as the reference, so a send interrupted by a crash is found at Notify
    rather than sent twice."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10))
    tenancy_ref: Mapped[str | None] = mapped_column(String(11), index=True)
    template_id: Mapped[str] = mapped_column(String(36))
    template_name: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(320))
    personalisation: Mapped[dict[str, Any]]
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), index=True)
    notify_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    # Notify's own status as last read, and when the message reached a final one.
    notify_status: Mapped[str | None] = mapped_column(String(30))
    completed_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    sent_by: Mapped[str] = mapped_column(String(200))
    # Sent by automation (a service token) rather than a caseworker: it decides the diary code.
    automated: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_messages_due", "status", "next_attempt_at"),)


class DiaryEntry(Base):
    """A UH action diary entry owed for a message sent: written through uh-gateway with its
    own idempotency key, retried until UH has it (never lost, never doubled)."""

    __tablename__ = "diary_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11))
    action_code: Mapped[str] = mapped_column(String(3))
    comment: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    written_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_diary_entries_due", "status", "next_attempt_at"),)


messages = cast(Table, Message.__table__)
diary_entries = cast(Table, DiaryEntry.__table__)
