"""Remembering writes by their `Idempotency-Key`, in the gateway's own database.

UH has no idempotency column we may add (its schema belongs to the supplier), so the gateway
keeps the key, a fingerprint of the request and the response it gave. A retry with the same
key and request gets the same response without touching UH; the same key with a different
request is a 409. Diary rows additionally carry a hash of the key in UH itself
(`araction.u_saff_araction_ref`) so that even a crash between the UH commit and this record
cannot produce a second row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from ma_shared.errors import Conflict

metadata = MetaData()

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("idempotency_key", String(200), primary_key=True),
    Column("request_fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("idempotency_records_created_at", "created_at"),
)


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any


def request_fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def uh_reference_for_key(idempotency_key: str) -> str:
    """A 30-character value for `araction.u_saff_araction_ref` (char(30)) that identifies the
    key: keys may be longer than the column, so store a prefix plus a digest."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()
    return f"MA:{digest[:27]}"


class IdempotencyStore:
    def __init__(self, engine: Engine, retention: dt.timedelta) -> None:
        self.engine = engine
        self.retention = retention

    def replay(self, key: str, fingerprint: str) -> StoredResponse | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(idempotency_records).where(idempotency_records.c.idempotency_key == key)
            ).one_or_none()
        if row is None:
            return None
        if row.request_fingerprint != fingerprint:
            raise Conflict(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new write.",
                code="idempotency_key_reused",
            )
        return StoredResponse(row.status_code, json.loads(row.response_body))

    def remember(self, key: str, fingerprint: str, status_code: int, body: Any) -> None:
        now = dt.datetime.now(tz=dt.UTC)
        with self.engine.begin() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(idempotency_records).values(
                            idempotency_key=key,
                            request_fingerprint=fingerprint,
                            status_code=status_code,
                            response_body=json.dumps(body, default=str),
                            created_at=now,
                        )
                    )
            except IntegrityError:
                # A concurrent retry recorded it first; UH was protected by the diary reference.
                pass
            conn.execute(
                delete(idempotency_records).where(
                    idempotency_records.c.created_at < now - self.retention
                )
            )
