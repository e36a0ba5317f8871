"""The Documents page: find documents, download one, and the two things a download or a
caseworker's click changes.

* Downloading a letter before action *to post it by hand* is what sends it: the first such
  download marks it `downloaded` and owes UH an SLB diary entry (never two: the change is
  guarded by the status, and the entry has its own idempotency key). Looking at it does not.
* Marking a failed letter reviewed records who and when, and queues a comms event in the same
  transaction, so income-api can clear the case's "review failed letter" action.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select, update

from comms_api.domain.documents import (
    DocumentStatus,
    is_posted_by_hand_on_download,
    lba_downloaded_comment,
)
from comms_api.domain.letters import LBA_DOWNLOAD_DIARY_CODE
from comms_api.gateways.comms_events import (
    LETTER_FAILURE_REVIEWED,
    message_event_data,
    record_comms_event,
)
from comms_api.gateways.document_store import (
    DocumentMissing,
    DocumentStore,
    DocumentStoreUnavailable,
)
from comms_api.gateways.tables import diary_entries, documents, messages
from comms_api.use_cases.messages import PENDING
from ma_shared.database import serialized_writes
from ma_shared.errors import Conflict, NotFound, UpstreamUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentFilters:
    payment_ref: str | None = None
    tenancy_ref: str | None = None
    status: str | None = None
    template_id: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class DocumentContent:
    document: Row[Any]
    content: bytes


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def list_documents(
    engine: Engine, filters: DocumentFilters, *, page: int, per_page: int
) -> tuple[list[Row[Any]], int]:
    """One page of the matching documents, most recently written first (a legacy document by
    the date it was written, not when it was imported), and how many match in all."""
    conditions = [
        column == value
        for column, value in (
            (documents.c.payment_ref, filters.payment_ref),
            (documents.c.tenancy_ref, filters.tenancy_ref),
            (documents.c.status, filters.status),
            (documents.c.template_id, filters.template_id),
            (documents.c.kind, filters.kind),
        )
        if value is not None
    ]
    with engine.connect() as conn:
        total = conn.execute(
            select(func.count()).select_from(documents).where(*conditions)
        ).scalar_one()
        rows = conn.execute(
            select(documents)
            .where(*conditions)
            .order_by(
                documents.c.document_date.desc(),
                documents.c.created_at.desc(),
                documents.c.id.desc(),
            )
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    return list(rows), int(total)


def _document(conn: Connection, document_id: str) -> Row[Any]:
    row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        raise NotFound(f"There is no document {document_id}.")
    return row


def get_document(engine: Engine, document_id: str) -> Row[Any]:
    with engine.connect() as conn:
        return _document(conn, document_id)


def download_document(
    engine: Engine, store: DocumentStore, document_id: str, *, posted_by: str | None
) -> DocumentContent:
    """The document's file. `posted_by` names the caseworker downloading it to post by hand
    (None: only to look at it)."""
    document = get_document(engine, document_id)
    try:
        content = store.get(document.storage_key)
    except DocumentStoreUnavailable as error:
        raise UpstreamUnavailable("The document store cannot be reached; try again.") from error
    except DocumentMissing as error:
        # Our fault, not the caller's: the row outlived its file.
        logger.error("document file missing", extra={"document_id": document_id})
        raise NotFound(
            f"The file of document {document_id} is missing from the document store.",
            code="document_file_missing",
        ) from error
    if posted_by is not None and is_posted_by_hand_on_download(
        template_id=document.template_id, status=document.status
    ):
        document = _mark_downloaded_to_post(engine, document_id, posted_by)
    return DocumentContent(document=document, content=content)


def _mark_downloaded_to_post(engine: Engine, document_id: str, posted_by: str) -> Row[Any]:
    now = _now()
    with engine.begin() as conn:
        changed = conn.execute(
            update(documents)
            .where(
                documents.c.id == document_id,
                documents.c.status == DocumentStatus.TO_DOWNLOAD.value,
            )
            .values(status=DocumentStatus.DOWNLOADED.value, updated_at=now)
        )
        document = _document(conn, document_id)
        # Only the download that made the change owes the entry; a concurrent one finds it done.
        if changed.rowcount != 1:
            return document
        if document.message_id:
            # The letter's message says the same: posted, by hand.
            conn.execute(
                update(messages)
                .where(
                    messages.c.id == document.message_id,
                    messages.c.status == DocumentStatus.TO_DOWNLOAD.value,
                )
                .values(status=DocumentStatus.DOWNLOADED.value, updated_at=now)
            )
        if document.tenancy_ref:
            conn.execute(
                diary_entries.insert().values(
                    message_id=None,
                    tenancy_ref=document.tenancy_ref,
                    action_code=LBA_DOWNLOAD_DIARY_CODE,
                    comment=lba_downloaded_comment(document_id),
                    username=posted_by,
                    idempotency_key=f"comms-api-diary-document-{document_id}-SLB",
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        else:
            logger.warning(
                "letter before action without a tenancy: no SLB entry",
                extra={"document_id": document_id},
            )
    return document


def mark_failure_reviewed(engine: Engine, document_id: str, *, reviewed_by: str) -> Row[Any]:
    """Only a failed letter can be marked reviewed (409 otherwise, with its status)."""
    now = _now()
    with serialized_writes(engine).begin() as conn:  # reads, then writes
        document = _document(conn, document_id)
        changed = conn.execute(
            update(documents)
            .where(documents.c.id == document_id, documents.c.status == DocumentStatus.FAILED.value)
            .values(
                status=DocumentStatus.FAILURE_REVIEWED.value,
                failure_reviewed_by=reviewed_by,
                failure_reviewed_at=now,
                updated_at=now,
            )
        )
        if changed.rowcount != 1:
            raise Conflict(
                f"Only a failed letter can be marked reviewed; document {document_id} is "
                f"{document.status}.",
                code="document_not_failed",
            )
        # A letter fails through its message; the event is about that message.
        message = (
            conn.execute(select(messages).where(messages.c.id == document.message_id)).first()
            if document.message_id
            else None
        )
        if message is not None:
            record_comms_event(
                conn,
                LETTER_FAILURE_REVIEWED,
                message.id,
                message_event_data(
                    {**message._mapping, "status": DocumentStatus.FAILURE_REVIEWED.value}
                ),
            )
        return _document(conn, document_id)
