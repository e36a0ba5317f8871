"""Counts of cases for team leaders' reports, one grouped query each over the cases table (a
few tens of thousands of rows: an index would cost the sync more than it saves here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, Row, func, select

from income_api.gateways.tables import cases


def cases_by_patch(engine: Engine, *, service_area: str) -> list[Row[Any]]:
    """`patch_code` (null: unassigned, last), `case_count`, `collectable_arrears` (a sum)."""
    query = (
        select(
            cases.c.patch_code,
            func.count().label("case_count"),
            func.coalesce(func.sum(cases.c.collectable_arrears), 0).label("collectable_arrears"),
        )
        .where(cases.c.service_area == service_area)
        .group_by(cases.c.patch_code)
        .order_by(cases.c.patch_code.is_(None), cases.c.patch_code)
    )
    with engine.connect() as conn:
        return list(conn.execute(query))


def cases_by_action(engine: Engine, *, service_area: str) -> list[Row[Any]]:
    """`recommended_action`, `case_count`, `collectable_arrears` (a sum), most urgent first."""
    query = (
        select(
            cases.c.recommended_action,
            func.count().label("case_count"),
            func.coalesce(func.sum(cases.c.collectable_arrears), 0).label("collectable_arrears"),
        )
        .where(cases.c.service_area == service_area)
        .group_by(cases.c.action_rank, cases.c.recommended_action)
        .order_by(cases.c.action_rank, cases.c.recommended_action)
    )
    with engine.connect() as conn:
        return list(conn.execute(query))


def action_changes(engine: Engine, *, service_area: str, since: dt.datetime) -> list[Row[Any]]:
    """Cases whose recommended action changed at or after `since`, by the action they have now
    (`recommended_action`, `case_count`), most urgent first. The sync stamps
    `classification_changed_at` only when the action changes, and sets
    `previous_recommended_action` then: a case classified for the first time has none, and is
    new rather than changed."""
    query = (
        select(cases.c.recommended_action, func.count().label("case_count"))
        .where(
            cases.c.service_area == service_area,
            cases.c.classification_changed_at >= since,
            cases.c.previous_recommended_action.is_not(None),
        )
        .group_by(cases.c.action_rank, cases.c.recommended_action)
        .order_by(cases.c.action_rank, cases.c.recommended_action)
    )
    with engine.connect() as conn:
        return list(conn.execute(query))
