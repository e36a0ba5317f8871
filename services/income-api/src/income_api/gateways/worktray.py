"""The worktray query: filters of income-rules §7.3 plus "my patches", vulnerability and a
balance range; sorted by urgency then priority (domain.worktray); paginated with a count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, and_, func, not_, or_, select

from income_api.domain.terms import ServiceArea
from income_api.domain.worktray import NO_ACTION_RANK
from income_api.gateways.tables import cases, patch_assignments
from ma_shared.uk_time import london_date, start_of_london_day

UNASSIGNED = "unassigned"


class WorktraySort(StrEnum):
    PRIORITY = "priority"
    BALANCE = "balance"
    DAYS_SINCE_LAST_PAYMENT = "days_since_last_payment"
    COURT_DATE = "court_date"
    EVICTION_DATE = "eviction_date"
    PAUSED_UNTIL = "paused_until"
    RECENTLY_CHANGED = "recently_changed"


@dataclass(frozen=True)
class WorktrayFilters:
    service_area: ServiceArea
    patches: tuple[str, ...] = ()
    patches_of_user: str | None = None
    recommended_actions: tuple[str, ...] = ()
    paused: bool | None = None
    pause_reason: str | None = None
    upcoming_court_dates: bool = False
    upcoming_evictions: bool = False
    vulnerable: bool | None = None
    min_balance: Decimal | None = None
    max_balance: Decimal | None = None
    immediate_actions: bool | None = None
    sort: WorktraySort | None = None

    @property
    def shows_immediate_actions(self) -> bool:
        """The default view: cases needing something done now. It gives way to any filter
        that picks a view of its own (an action, pauses, court dates, evictions)."""
        if self.immediate_actions is not None:
            return self.immediate_actions
        return not (
            self.recommended_actions
            or self.paused
            or self.pause_reason
            or self.upcoming_court_dates
            or self.upcoming_evictions
        )

    @property
    def effective_sort(self) -> WorktraySort:
        if self.sort is not None:
            return self.sort
        if self.paused:
            return WorktraySort.PAUSED_UNTIL
        if self.upcoming_court_dates:
            return WorktraySort.COURT_DATE
        if self.upcoming_evictions:
            return WorktraySort.EVICTION_DATE
        return WorktraySort.PRIORITY


def _conditions(filters: WorktrayFilters, *, now: dt.datetime) -> list[ColumnElement[bool]]:
    c = cases.c
    # Upcoming means from the start of today in London (a hearing at 00:30 BST is today's).
    today = london_date(now)
    start_of_today = start_of_london_day(today)
    # Every stored case is in arrears (the sync closes the others): no balance test needed.
    where: list[ColumnElement[bool]] = [c.service_area == filters.service_area.value]
    if filters.patches:
        named = [code for code in filters.patches if code != UNASSIGNED]
        either: list[ColumnElement[bool]] = []
        if named:
            either.append(c.patch_code.in_(named))
        if UNASSIGNED in filters.patches:
            either.append(c.patch_code.is_(None))
        where.append(or_(*either))
    if filters.patches_of_user is not None:
        where.append(
            c.patch_code.in_(
                select(patch_assignments.c.patch_code).where(
                    patch_assignments.c.user_email == filters.patches_of_user
                )
            )
        )
    if filters.recommended_actions:
        where.append(c.recommended_action.in_(filters.recommended_actions))
    # Paused until a moment that has passed is not paused: the same test the classifier
    # applies, so the paused tab and the case's pause always agree.
    is_paused = c.is_paused_until > now
    if filters.shows_immediate_actions:
        no_action = NO_ACTION_RANK[filters.service_area]
        if filters.effective_sort is WorktraySort.PRIORITY:
            where.append(c.action_rank < no_action)
        else:
            # The same cases, said so that the planner reads the page in the chosen order from
            # that order's index instead of sorting every case off the urgency index: it does
            # not weigh LIMIT.
            where.append(c.action_rank != no_action)
        where.append(or_(c.is_paused_until.is_(None), not_(is_paused)))
    if filters.paused is True:
        where.append(is_paused)
    elif filters.paused is False:
        where.append(or_(c.is_paused_until.is_(None), not_(is_paused)))
    if filters.pause_reason:
        where.append(and_(is_paused, c.pause_reason == filters.pause_reason))
    if filters.upcoming_court_dates:
        where.append(c.court_date >= start_of_today)
    if filters.upcoming_evictions:
        where.append(c.eviction_date >= today)
    if filters.vulnerable is not None:
        where.append(c.has_vulnerability == filters.vulnerable)
    if filters.min_balance is not None:
        where.append(c.balance >= filters.min_balance)
    if filters.max_balance is not None:
        where.append(c.balance <= filters.max_balance)
    return where


def _order(sort: WorktraySort, *, single_action: bool, dialect: str) -> list[Any]:
    c = cases.c

    def most_first(column: Any) -> Any:
        # Unknown values last. SQLite already sorts NULL last in descending order, and only
        # the plain form lets it read the order from the index.
        return column.desc() if dialect == "sqlite" else column.desc().nulls_last()

    priority = [
        c.balance.desc(),
        most_first(c.weeks_of_rent_owed),
        most_first(c.days_since_last_payment),
        c.tenancy_ref,
    ]
    match sort:
        case WorktraySort.PRIORITY:
            # One action has one urgency: ordering by it would only stop the action's index
            # from giving the order.
            return priority if single_action else [c.action_rank, *priority]
        case WorktraySort.BALANCE:
            return priority
        case WorktraySort.DAYS_SINCE_LAST_PAYMENT:
            return [most_first(c.days_since_last_payment), *priority]
        case WorktraySort.COURT_DATE:
            return [c.court_date.asc().nulls_last(), *priority]
        case WorktraySort.EVICTION_DATE:
            return [c.eviction_date.asc().nulls_last(), *priority]
        case WorktraySort.PAUSED_UNTIL:
            return [c.is_paused_until.asc().nulls_last(), *priority]
        case WorktraySort.RECENTLY_CHANGED:
            return [c.classification_changed_at.desc(), *priority]


def worktray(
    engine: Engine,
    filters: WorktrayFilters,
    *,
    now: dt.datetime,
    page: int,
    per_page: int,
) -> tuple[list[Row[Any]], int]:
    where = _conditions(filters, now=now)
    with engine.connect() as conn:
        total = int(
            conn.execute(select(func.count()).select_from(cases).where(*where)).scalar_one()
        )
        rows = list(
            conn.execute(
                select(cases)
                .where(*where)
                .order_by(
                    *_order(
                        filters.effective_sort,
                        single_action=len(filters.recommended_actions) == 1,
                        dialect=engine.dialect.name,
                    )
                )
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
    return rows, total
