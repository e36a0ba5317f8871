"""comms-api's own database: every message accepted for sending with its Notify id, the
documents (letters sent and legacy ones), bulk letter batches, and the comms events outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import JSON, Index, MetaData, String, Table, Text, UniqueConstraint, false
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
    channel: Mapped[str] = mapped_column(String(10))  # sms, email or letter
    tenancy_ref: Mapped[str | None] = mapped_column(String(11), index=True)
    payment_ref: Mapped[str | None] = mapped_column(String(20))
    # A letter's template is one of ours (e.g. `income_collection_letter_1`), not Notify's.
    template_id: Mapped[str] = mapped_column(String(100))
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
    # Indexed for the reports, which count the messages sent in the last few days.
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    # Letters: the stored PDF that is posted, and the postage class.
    document_id: Mapped[str | None] = mapped_column(String(36))
    postage: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (Index("ix_messages_due", "status", "next_attempt_at"),)


class DiaryEntry(Base):
    """A UH action diary entry owed for a message sent (or a letter rejected): written through
    uh-gateway with its own idempotency key, retried until UH has it (never lost, never
    doubled)."""

    __tablename__ = "diary_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The message sent (its diary entry, and VFL if the letter is rejected); none for an LBA
    # downloaded to post by hand.
    message_id: Mapped[str | None] = mapped_column(String(36), index=True)
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


class Document(Base):
    """A letter's PDF (every letter sent is stored) or a document imported from the old system,
    with what caseworkers search by. The file itself is in the document store (S3 or a folder)
    under `storage_key`."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # letter or legacy
    message_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    payment_ref: Mapped[str | None] = mapped_column(String(20), index=True)
    tenancy_ref: Mapped[str | None] = mapped_column(String(11), index=True)
    template_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # The template's name for a letter; the old system's document type for a legacy one.
    template_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # A letter's follows its message (accepted, sending, sent, delivered, failed), then
    # failure_reviewed; an LBA is to_download then downloaded; a legacy document is imported.
    status: Mapped[str] = mapped_column(String(30), index=True)
    storage_key: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    created_by: Mapped[str] = mapped_column(String(200))
    # When the document was written: today for a letter, the CSV's date for a legacy one.
    document_date: Mapped[dt.date]
    # A legacy import's row identity, so importing the same CSV twice imports nothing twice.
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    failure_reviewed_by: Mapped[str | None] = mapped_column(String(200))
    failure_reviewed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class LetterBatch(Base):
    """Bulk letters: one template for many payment references, previewed row by row, then
    sent once (`send_requested_at` is set once; a second "send all" finds it set)."""

    __tablename__ = "letter_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(100))
    template_name: Mapped[str] = mapped_column(String(200))
    service_area: Mapped[str] = mapped_column(String(10))
    # Fields the caseworker gave for every letter of the batch.
    fields: Mapped[dict[str, Any]]
    row_count: Mapped[int]
    valid_count: Mapped[int]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    send_requested_by: Mapped[str | None] = mapped_column(String(200))
    send_requested_at: Mapped[dt.datetime | None]


class LetterBatchRow(Base):
    """One payment reference of a batch: valid (with the letter's data) or its problems; once
    sent, the letter's message."""

    __tablename__ = "letter_batch_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int]
    payment_ref: Mapped[str] = mapped_column(String(40))
    tenancy_ref: Mapped[str | None] = mapped_column(String(11))
    # valid, invalid, then queued (send asked for) and sent (its message exists), or
    # not_sent (the letter could not be made at send time: see problems).
    status: Mapped[str] = mapped_column(String(12))
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    letter_fields: Mapped[dict[str, Any]]
    message_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        UniqueConstraint("batch_id", "position"),
        Index("ix_letter_batch_rows_status", "status"),
    )


class CommsEvent(Base):
    """The outbox of comms events (message sent, delivered, failed): written in the same
    transaction as the change it reports, published to SQS afterwards, each exactly once per
    id (consumers ignore an id seen before)."""

    __tablename__ = "comms_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(36))
    envelope: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime]
    published_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_comms_events_due", "published_at", "next_attempt_at"),)


messages = cast(Table, Message.__table__)
diary_entries = cast(Table, DiaryEntry.__table__)
documents = cast(Table, Document.__table__)
letter_batches = cast(Table, LetterBatch.__table__)
letter_batch_rows = cast(Table, LetterBatchRow.__table__)
comms_events = cast(Table, CommsEvent.__table__)
