"""income-api's own database: cases (the worktray rows), agreements with their state history,
court cases, evictions, vulnerabilities, patch assignments, job runs, the outbox and the
writes made with an idempotency key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ma_shared.database import Money, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {Decimal: Money(12), dt.datetime: UtcDateTime(), dict[str, Any]: JSON}


class Case(Base):
    """One account in arrears (rent or leasehold): the criteria synced from UH, what
    Manage Arrears knows about it, and its next recommended action with the reason."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11), unique=True)
    service_area: Mapped[str] = mapped_column(String(10))
    payment_ref: Mapped[str | None] = mapped_column(String(20), index=True)
    patch_code: Mapped[str | None] = mapped_column(String(10))
    balance: Mapped[Decimal]
    collectable_arrears: Mapped[Decimal | None]
    weekly_gross_rent: Mapped[Decimal | None]
    total_payment_amount_in_week: Mapped[Decimal | None]
    # Arrears in weeks of rent: the second key of the worktray priority (rent only).
    weeks_of_rent_owed: Mapped[Decimal | None]
    last_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    days_since_last_payment: Mapped[int | None]
    last_communication_action: Mapped[str | None] = mapped_column(String(3))
    last_communication_date: Mapped[dt.datetime | None]
    nosp_served_date: Mapped[dt.date | None] = mapped_column(Date)
    universal_credit: Mapped[dt.datetime | None]
    uc_rent_verification: Mapped[dt.datetime | None]
    uc_direct_payment_requested: Mapped[dt.datetime | None]
    uc_direct_payment_received: Mapped[dt.datetime | None]
    # Leasehold attributes (null on rent cases).
    tenure: Mapped[str | None] = mapped_column(String(3))
    tenure_type: Mapped[str | None] = mapped_column(String(60))
    lessee: Mapped[str | None] = mapped_column(String(200))
    property_address: Mapped[str | None] = mapped_column(String(300))
    direct_debit_status: Mapped[str | None] = mapped_column(String(60))
    direct_debit_amount: Mapped[Decimal | None]
    latest_letter: Mapped[str | None] = mapped_column(String(3))
    latest_letter_date: Mapped[dt.datetime | None]
    money_judgement: Mapped[Decimal | None]
    charging_order: Mapped[Decimal | None]
    balance_in_dispute: Mapped[Decimal | None]
    # Copied from Manage Arrears' own records so the worktray can filter and sort on them.
    court_date: Mapped[dt.datetime | None]
    court_outcome: Mapped[str | None] = mapped_column(String(3))
    eviction_date: Mapped[dt.date | None] = mapped_column(Date)
    agreement_state: Mapped[str | None] = mapped_column(String(12))
    has_vulnerability: Mapped[bool] = mapped_column(Boolean, default=False)
    # The latest letter document for the payment reference (from comms events): rule R2.
    latest_document_status: Mapped[str | None] = mapped_column(String(30))
    latest_document_template_id: Mapped[str | None] = mapped_column(String(100))
    latest_document_updated_at: Mapped[dt.datetime | None]
    recommended_action: Mapped[str] = mapped_column(String(40))
    # The action's urgency (domain.worktray): the worktray's first sort key.
    action_rank: Mapped[int]
    classification_rule: Mapped[str] = mapped_column(String(60))
    classification_reason: Mapped[str] = mapped_column(Text)
    classification_changed_at: Mapped[dt.datetime]
    previous_recommended_action: Mapped[str | None] = mapped_column(String(40))
    is_paused_until: Mapped[dt.datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(60))
    pause_comment: Mapped[str | None] = mapped_column(Text)
    paused_by: Mapped[str | None] = mapped_column(String(200))
    synced_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    __table_args__ = (
        Index("ix_cases_paused", "service_area", "is_paused_until"),
        Index("ix_cases_court_date", "service_area", "court_date"),
        Index("ix_cases_eviction_date", "service_area", "eviction_date"),
    )


# The worktray's orders, newest balance first, each carrying the columns its default filters
# test, so a page and its count are read from the index alone.
Index(
    "ix_cases_priority_order",
    Case.service_area,
    Case.action_rank,
    Case.balance.desc(),
    Case.is_paused_until,
)
Index(
    "ix_cases_action_order",
    Case.service_area,
    Case.recommended_action,
    Case.balance.desc(),
    Case.is_paused_until,
)
Index(
    "ix_cases_balance_order",
    Case.service_area,
    Case.balance.desc(),
    Case.action_rank,
    Case.is_paused_until,
)
Index(
    "ix_cases_patch_order",
    Case.service_area,
    Case.patch_code,
    Case.action_rank,
    Case.balance.desc(),
)
Index(
    "ix_cases_days_order",
    Case.service_area,
    Case.days_since_last_payment.desc(),
    Case.action_rank,
)
Index("ix_cases_vulnerable", Case.service_area, Case.has_vulnerability, Case.action_rank)


class CourtCase(Base):
    __tablename__ = "court_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11), index=True)
    court_date: Mapped[dt.datetime | None]
    court_outcome: Mapped[str | None] = mapped_column(String(3))
    balance_on_court_outcome_date: Mapped[Decimal | None]
    strike_out_date: Mapped[dt.date | None] = mapped_column(Date)
    terms: Mapped[bool | None] = mapped_column(Boolean)
    disrepair_counter_claim: Mapped[bool | None] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class Agreement(Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11), index=True)
    agreement_type: Mapped[str] = mapped_column(String(10))
    starting_balance: Mapped[Decimal]
    amount: Mapped[Decimal]
    start_date: Mapped[dt.date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(30))
    current_state: Mapped[str] = mapped_column(String(12))
    court_case_id: Mapped[int | None] = mapped_column(ForeignKey("court_cases.id"))
    initial_payment_amount: Mapped[Decimal | None]
    initial_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    legacy_uh_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    last_checked_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class AgreementStateRecord(Base):
    """Append-only history of an agreement's states and the balances each check saw."""

    __tablename__ = "agreement_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    expected_balance: Mapped[Decimal | None]
    checked_balance: Mapped[Decimal | None]
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class Eviction(Base):
    __tablename__ = "evictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class Vulnerability(Base):
    __tablename__ = "vulnerabilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenancy_ref: Mapped[str] = mapped_column(String(11), index=True)
    category: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text)
    review_date: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime]
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime | None]
    # Set when the vulnerability no longer applies; kept for the record.
    ended_at: Mapped[dt.datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(200))


class PatchAssignment(Base):
    """Which patches a caseworker looks after: the worktray's "my patches" filter."""

    __tablename__ = "patch_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_email: Mapped[str] = mapped_column(String(200), index=True)
    patch_code: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("uq_patch_assignment", "user_email", "patch_code", unique=True),)


class JobRun(Base):
    __tablename__ = "job_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30), index=True)
    triggered_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(index=True)
    finished_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime]
    accounts_seen: Mapped[int] = mapped_column(default=0)
    cases_created: Mapped[int] = mapped_column(default=0)
    cases_changed: Mapped[int] = mapped_column(default=0)
    cases_deleted: Mapped[int] = mapped_column(default=0)
    classification_changes: Mapped[int] = mapped_column(default=0)
    agreements_checked: Mapped[int] = mapped_column(default=0)
    agreements_breached: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    by_recommended_action: Mapped[dict[str, Any]]
    errors: Mapped[dict[str, Any]]
    timings: Mapped[dict[str, Any]]
    # The changes-feed position this run read up to (intraday refresh).
    changes_since: Mapped[str | None] = mapped_column(String(100))
    changes_until: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)


class OutboxMessage(Base):
    """Work that must reach another system and may not be lost: UH action diary writes (sent
    to uh-gateway with the message's idempotency key) and case events (sent to SQS)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    tenancy_ref: Mapped[str | None] = mapped_column(String(11), index=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class ProcessedEvent(Base):
    """Events from other services already acted on, by envelope id: SQS may deliver one
    more than once, and a publisher may send one twice, so each is acted on once."""

    __tablename__ = "processed_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    processed_at: Mapped[dt.datetime] = mapped_column(index=True)


class IdempotentRequest(Base):
    """A write sent with an `Idempotency-Key`: claimed in the write's own transaction, so a
    repeat can never write again, and answered from `response_body` once it is recorded."""

    __tablename__ = "idempotent_requests"

    # Keys are the caller's: two people's keys never meet, and one cannot replay another's.
    caller: Mapped[str] = mapped_column(String(200), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    # Null from the claim until the response is recorded, moments later.
    status_code: Mapped[int | None]
    response_body: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime] = mapped_column(index=True)


# The tables, for set-based Core statements (the sync writes thousands of rows at once).
cases = cast(Table, Case.__table__)
court_cases = cast(Table, CourtCase.__table__)
agreements = cast(Table, Agreement.__table__)
agreement_states = cast(Table, AgreementStateRecord.__table__)
evictions = cast(Table, Eviction.__table__)
patch_assignments = cast(Table, PatchAssignment.__table__)
job_runs = cast(Table, JobRun.__table__)
outbox = cast(Table, OutboxMessage.__table__)
processed_events = cast(Table, ProcessedEvent.__table__)
idempotent_requests = cast(Table, IdempotentRequest.__table__)
