"""Set-based reads and writes of cases and their Manage Arrears records for the sync.

A page of accounts costs a fixed handful of statements whatever its size: the stored cases,
court cases, evictions, agreements and their latest states are each read with one `IN` query,
and changed cases are written with one executemany."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from income_api.gateways.tables import (
    agreement_states,
    agreements,
    cases,
    court_cases,
    evictions,
    outbox,
)

# Bind-parameter budget per IN list (SQLite allows 32,766; PostgreSQL 65,535).
IN_CHUNK = 5000


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class TenancyRecords:
    """What Manage Arrears holds about one tenancy, as the sync needs it."""

    case: Row[Any] | None = None
    court_cases: list[Row[Any]] = field(default_factory=list)
    latest_eviction: Row[Any] | None = None
    agreements: list[Row[Any]] = field(default_factory=list)
    latest_states: dict[int, Row[Any]] = field(default_factory=dict)

    @property
    def latest_court_case(self) -> Row[Any] | None:
        return self.court_cases[-1] if self.court_cases else None

    @property
    def latest_agreement(self) -> Row[Any] | None:
        return self.agreements[-1] if self.agreements else None


def load_tenancy_records(conn: Connection, refs: Sequence[str]) -> dict[str, TenancyRecords]:
    records: dict[str, TenancyRecords] = defaultdict(TenancyRecords)
    for chunk in _chunks(refs):
        for row in conn.execute(select(cases).where(cases.c.tenancy_ref.in_(chunk))):
            records[row.tenancy_ref].case = row
        for row in conn.execute(
            select(court_cases)
            .where(court_cases.c.tenancy_ref.in_(chunk))
            .order_by(court_cases.c.id)
        ):
            records[row.tenancy_ref].court_cases.append(row)
        for row in conn.execute(
            select(evictions).where(evictions.c.tenancy_ref.in_(chunk)).order_by(evictions.c.id)
        ):
            records[row.tenancy_ref].latest_eviction = row
        tenancy_of_agreement: dict[int, str] = {}
        for row in conn.execute(
            select(agreements).where(agreements.c.tenancy_ref.in_(chunk)).order_by(agreements.c.id)
        ):
            records[row.tenancy_ref].agreements.append(row)
            tenancy_of_agreement[row.id] = row.tenancy_ref
        for ids in _chunks(list(tenancy_of_agreement)):
            latest = (
                select(func.max(agreement_states.c.id))
                .where(agreement_states.c.agreement_id.in_(ids))
                .group_by(agreement_states.c.agreement_id)
            )
            for row in conn.execute(
                select(agreement_states).where(agreement_states.c.id.in_(latest))
            ):
                ref = tenancy_of_agreement[row.agreement_id]
                records[ref].latest_states[row.agreement_id] = row
    return records


def refs_with_agreements(conn: Connection, refs: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(refs):
        found.update(
            conn.execute(
                select(agreements.c.tenancy_ref)
                .where(agreements.c.tenancy_ref.in_(chunk))
                .distinct()
            ).scalars()
        )
    return found


def existing_refs(conn: Connection, refs: Sequence[str]) -> list[str]:
    found: list[str] = []
    for chunk in _chunks(refs):
        found.extend(
            conn.execute(
                select(cases.c.tenancy_ref).where(cases.c.tenancy_ref.in_(chunk))
            ).scalars()
        )
    return found


def insert_court_case(conn: Connection, values: dict[str, Any]) -> int:
    result = conn.execute(insert(court_cases).values(**values).returning(court_cases.c.id))
    return int(result.scalar_one())


def update_court_case(conn: Connection, court_case_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(court_cases).where(court_cases.c.id == court_case_id).values(**values))


def insert_eviction(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(evictions).values(**values))


def insert_agreement(conn: Connection, values: dict[str, Any], first_state: dict[str, Any]) -> int:
    agreement_id = int(
        conn.execute(insert(agreements).values(**values).returning(agreements.c.id)).scalar_one()
    )
    conn.execute(insert(agreement_states).values(agreement_id=agreement_id, **first_state))
    return agreement_id


def append_agreement_state(
    conn: Connection, agreement_id: int, state: dict[str, Any], *, now: dt.datetime
) -> None:
    conn.execute(insert(agreement_states).values(agreement_id=agreement_id, **state))
    conn.execute(
        update(agreements)
        .where(agreements.c.id == agreement_id)
        .values(current_state=state["state"], last_checked_at=now, updated_at=now)
    )


def mark_agreements_checked(
    conn: Connection, agreement_ids: Sequence[int], *, now: dt.datetime
) -> None:
    """A check that found the same balances as last time only moves `last_checked_at`."""
    for chunk in _chunks(agreement_ids):
        conn.execute(
            update(agreements).where(agreements.c.id.in_(chunk)).values(last_checked_at=now)
        )


def latest_court_case_id(conn: Connection, tenancy_ref: str) -> int | None:
    return conn.execute(
        select(func.max(court_cases.c.id)).where(court_cases.c.tenancy_ref == tenancy_ref)
    ).scalar_one_or_none()


def convert_agreement_to_informal(conn: Connection, agreement_id: int, *, now: dt.datetime) -> None:
    conn.execute(
        update(agreements)
        .where(agreements.c.id == agreement_id)
        .values(agreement_type="informal", updated_at=now)
    )


def insert_cases(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(cases), rows)


def update_cases(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Rows carry `case_id` plus the columns to set; grouped by column set for executemany."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[tuple(sorted(k for k in row if k != "case_id"))].append(row)
    for columns, group in by_columns.items():
        statement = (
            update(cases)
            .where(cases.c.id == bindparam("case_id"))
            .values({name: bindparam(name) for name in columns})
        )
        conn.execute(statement, group)


def case_refs(conn: Connection, service_area: str) -> set[str]:
    return set(
        conn.execute(select(cases.c.tenancy_ref).where(cases.c.service_area == service_area))
        .scalars()
        .all()
    )


def delete_cases(conn: Connection, refs: Sequence[str]) -> None:
    for chunk in _chunks(list(refs)):
        conn.execute(delete(cases).where(cases.c.tenancy_ref.in_(chunk)))


def refresh_statistics(engine: Engine) -> None:
    """After a full sync has rewritten the cases, give the planner fresh statistics so the
    worktray's queries pick the right index."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE cases")


def add_outbox_messages(conn: Connection, messages: list[dict[str, Any]]) -> None:
    if messages:
        conn.execute(insert(outbox), messages)
