"""Writes made with an `Idempotency-Key` (a form's double submit, a client's retry after a
timeout), remembered in `idempotent_requests`.

The key is claimed by adding its row to the write's own session, so it commits with the
change or not at all: a write that fails validation leaves the key free, and two requests
racing with one key cannot both commit (the primary key refuses the second). The response is
recorded just after, and a repeat gets it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from income_api.gateways.tables import IdempotentRequest, idempotent_requests

# How long a key is remembered: far longer than any retry, short enough to keep the table small.
RETENTION = dt.timedelta(days=30)


@dataclass(frozen=True)
class Remembered:
    fingerprint: str
    # None while the first request is still writing (or if it stopped before answering).
    status_code: int | None
    body: dict[str, Any] | None


def request_fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(session: Session, *, caller: str, key: str, fingerprint: str, now: dt.datetime) -> None:
    session.add(
        IdempotentRequest(
            caller=caller, idempotency_key=key, request_fingerprint=fingerprint, created_at=now
        )
    )


def find(engine: Engine, *, caller: str, key: str) -> Remembered | None:
    table = idempotent_requests
    with engine.connect() as conn:
        row = conn.execute(
            select(table.c.request_fingerprint, table.c.status_code, table.c.response_body).where(
                table.c.caller == caller, table.c.idempotency_key == key
            )
        ).one_or_none()
    if row is None:
        return None
    return Remembered(row.request_fingerprint, row.status_code, row.response_body)


def record_response(
    engine: Engine,
    *,
    caller: str,
    key: str,
    status_code: int,
    body: dict[str, Any],
    now: dt.datetime,
) -> None:
    """Keep the response for repeats (a write that changed nothing, and so committed no claim,
    updates no row: a repeat simply runs again), and forget keys past `RETENTION`."""
    table = idempotent_requests
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.caller == caller, table.c.idempotency_key == key)
            .values(status_code=status_code, response_body=body)
        )
        conn.execute(delete(table).where(table.c.created_at < now - RETENTION))
