"""Reading cases: the worktray row, and the whole case with Manage Arrears' records and the
UH records caseworkers need (read live through uh-gateway, in parallel)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from income_api.api.schemas import (
    AgreementRead,
    AgreementStateRead,
    CaseRead,
    CaseSummary,
    Classification,
    CourtCaseRead,
    EvictionRead,
    Nosp,
    Pause,
    PendingDiaryWrite,
    UhRecords,
    VulnerabilityRead,
)
from income_api.domain.court_cases import court_outcome_description
from income_api.domain.nosp import Nosp as NospModel
from income_api.gateways.outbox import DELIVERED, UH_WRITES, uh_write_summary
from income_api.gateways.tables import (
    Agreement,
    AgreementStateRecord,
    CourtCase,
    Eviction,
    OutboxMessage,
    Vulnerability,
)
from income_api.gateways.uh_gateway import UhGateway
from income_api.use_cases.case_actions import load_case
from ma_shared.auth import User
from ma_shared.uk_time import london_date

SUMMARY_FIELDS = tuple(
    name for name in CaseSummary.model_fields if name not in {"pause", "service_area"}
)


def _pause(case: Any, now: dt.datetime) -> Pause | None:
    if case.is_paused_until is None or case.is_paused_until <= now:
        return None
    return Pause(
        until=case.is_paused_until,
        reason=case.pause_reason,
        comment=case.pause_comment,
        paused_by=case.paused_by,
    )


def case_summary(case: Any, now: dt.datetime) -> CaseSummary:
    return CaseSummary(
        service_area=case.service_area,
        pause=_pause(case, now),
        **{name: getattr(case, name) for name in SUMMARY_FIELDS},
    )


def agreement_read(agreement: Agreement, history: list[AgreementStateRecord]) -> AgreementRead:
    return AgreementRead.model_validate(
        {
            **{
                name: getattr(agreement, name)
                for name in AgreementRead.model_fields
                if name != "history"
            },
            "history": [AgreementStateRead.model_validate(state) for state in history],
        }
    )


def agreements_of(session: Session, tenancy_ref: str) -> list[AgreementRead]:
    agreements = list(
        session.scalars(
            select(Agreement).where(Agreement.tenancy_ref == tenancy_ref).order_by(Agreement.id)
        )
    )
    states: dict[int, list[AgreementStateRecord]] = {a.id: [] for a in agreements}
    if agreements:
        for state in session.scalars(
            select(AgreementStateRecord)
            .where(AgreementStateRecord.agreement_id.in_(states))
            .order_by(AgreementStateRecord.id)
        ):
            states[state.agreement_id].append(state)
    return [agreement_read(a, states[a.id]) for a in agreements]


def court_case_read(court_case: CourtCase) -> CourtCaseRead:
    return CourtCaseRead.model_validate(
        {
            **{
                name: getattr(court_case, name)
                for name in CourtCaseRead.model_fields
                if name != "court_outcome_description"
            },
            "court_outcome_description": court_outcome_description(court_case.court_outcome)
            if court_case.court_outcome
            else None,
        }
    )


def court_cases_of(session: Session, tenancy_ref: str) -> list[CourtCaseRead]:
    return [
        court_case_read(c)
        for c in session.scalars(
            select(CourtCase).where(CourtCase.tenancy_ref == tenancy_ref).order_by(CourtCase.id)
        )
    ]


def evictions_of(session: Session, tenancy_ref: str) -> list[EvictionRead]:
    return [
        EvictionRead.model_validate(e)
        for e in session.scalars(
            select(Eviction).where(Eviction.tenancy_ref == tenancy_ref).order_by(Eviction.id)
        )
    ]


def vulnerability_read(vulnerability: Vulnerability, today: dt.date) -> VulnerabilityRead:
    return VulnerabilityRead.model_validate(
        {
            **{
                name: getattr(vulnerability, name)
                for name in VulnerabilityRead.model_fields
                if name != "review_due"
            },
            "review_due": vulnerability.ended_at is None and vulnerability.review_date <= today,
        }
    )


def vulnerabilities_of(
    session: Session, tenancy_ref: str, today: dt.date
) -> list[VulnerabilityRead]:
    return [
        vulnerability_read(v, today)
        for v in session.scalars(
            select(Vulnerability)
            .where(Vulnerability.tenancy_ref == tenancy_ref)
            .order_by(Vulnerability.id)
        )
    ]


def _pending_diary_writes(session: Session, tenancy_ref: str) -> list[PendingDiaryWrite]:
    messages = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.tenancy_ref == tenancy_ref,
            OutboxMessage.kind.in_(UH_WRITES),
            OutboxMessage.status != DELIVERED,
        )
        .order_by(OutboxMessage.id)
    )
    pending = []
    for m in messages:
        action_code, comment = uh_write_summary(m.kind, m.payload)
        pending.append(
            PendingDiaryWrite(
                action_code=action_code,
                comment=comment,
                status=m.status,
                attempts=m.attempts,
                last_error=m.last_error,
                created_at=m.created_at,
            )
        )
    return pending


def read_case_records(
    session: Session, *, tenancy_ref: str, user: User, now: dt.datetime
) -> dict[str, Any]:
    """Everything Manage Arrears holds about the case (no gateway calls)."""
    case = load_case(session, tenancy_ref, user)
    nosp = NospModel(case.nosp_served_date)
    return {
        **case_summary(case, now).model_dump(),
        "classification": Classification(
            recommended_action=case.recommended_action,
            rule=case.classification_rule,
            reason=case.classification_reason,
            changed_at=case.classification_changed_at,
            previous_recommended_action=case.previous_recommended_action,
        ),
        "nosp": Nosp(
            served_date=nosp.served_date,
            expires_date=nosp.expires_date,
            valid_until_date=nosp.valid_until_date,
            in_cool_off_period=nosp.in_cool_off_period(now),
            valid=nosp.is_valid(now),
            active=nosp.is_active(now),
        ),
        **{
            name: getattr(case, name)
            for name in (
                "universal_credit",
                "uc_rent_verification",
                "uc_direct_payment_requested",
                "uc_direct_payment_received",
                "money_judgement",
                "charging_order",
                "balance_in_dispute",
                "direct_debit_amount",
                "synced_at",
            )
        },
        "agreements": agreements_of(session, tenancy_ref),
        "court_cases": court_cases_of(session, tenancy_ref),
        "evictions": evictions_of(session, tenancy_ref),
        "vulnerabilities": vulnerabilities_of(session, tenancy_ref, london_date(now)),
        "pending_diary_writes": _pending_diary_writes(session, tenancy_ref),
    }


async def read_uh_records(
    gateway: UhGateway, tenancy_ref: str, *, transactions: int, diary_entries: int
) -> UhRecords:
    tenancy, transactions_page, diary_page, contacts = await asyncio.gather(
        gateway.tenancy(tenancy_ref),
        gateway.transactions(tenancy_ref, limit=transactions, cursor=None),
        gateway.action_diary(tenancy_ref, limit=diary_entries, cursor=None),
        gateway.contacts(tenancy_ref),
    )
    return UhRecords(
        tenancy=tenancy,
        transactions=transactions_page,
        action_diary=diary_page,
        contacts=contacts,
    )


def case_read(records: dict[str, Any], uh: UhRecords | None) -> CaseRead:
    return CaseRead.model_validate({**records, "uh": uh})
