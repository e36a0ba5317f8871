"""Builders for documents as the letter-sending code and the legacy import store them: the
file in the app's document store, the row in the documents table (and a letter's message)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from comms_api.gateways.tables import documents, messages

PDF = b"%PDF-1.7\n% a letter\n%%EOF\n"


@pytest.fixture
def make_document(app: FastAPI) -> Callable[..., str]:
    """Store a document (a sent rent letter unless told otherwise) and return its id;
    `content` is the file, other keyword arguments are its columns."""

    def make(*, content: bytes = PDF, **changes: Any) -> str:
        document_id = str(uuid.uuid4())
        now = dt.datetime.now(tz=dt.UTC)
        row: dict[str, Any] = {
            "id": document_id,
            "kind": "letter",
            "message_id": None,
            "payment_ref": "1234567890",
            "tenancy_ref": "0123456/01",
            "template_id": "income_collection_letter_1",
            "template_name": "Income collection letter 1",
            "description": None,
            "status": "sent",
            "storage_key": f"letters/{document_id}.pdf",
            "filename": f"income_collection_letter_1-{document_id}.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(content),
            "created_by": "Rita Rent",
            "document_date": now.date(),
            "created_at": now,
            "updated_at": now,
        } | changes
        app.state.documents.put(row["storage_key"], content, row["content_type"])
        with app.state.engine.begin() as conn:
            conn.execute(documents.insert().values(**row))
        return document_id

    return make


@pytest.fixture
def make_letter_message(app: FastAPI) -> Callable[..., str]:
    """Store a letter's message for a document and return its id."""

    def make(*, document_id: str, status: str, tenancy_ref: str | None = "0123456/01") -> str:
        message_id = str(uuid.uuid4())
        now = dt.datetime.now(tz=dt.UTC)
        with app.state.engine.begin() as conn:
            conn.execute(
                messages.insert().values(
                    id=message_id,
                    idempotency_key=str(uuid.uuid4()),
                    request_fingerprint="0" * 64,
                    channel="letter",
                    tenancy_ref=tenancy_ref,
                    payment_ref="1234567890",
                    template_id="income_collection_letter_1",
                    template_name="Income collection letter 1",
                    recipient="Ms Amira Okafor, Flat 12, Banister House, E9 6BD",
                    personalisation={},
                    body="<html></html>",
                    status=status,
                    error="Notify refused the PDF" if status == "failed" else None,
                    attempts=1,
                    next_attempt_at=now,
                    sent_by="Rita Rent",
                    document_id=document_id,
                    postage="second",
                    created_at=now,
                    updated_at=now,
                )
            )
            conn.execute(
                documents.update()
                .where(documents.c.id == document_id)
                .values(message_id=message_id)
            )
        return message_id

    return make
