"""What caseworkers do to a case: pause it, write to the action diary, record a NOSP, change
contact details, make and cancel agreements, record court cases and evictions, record and
review vulnerabilities.

Each use case validates, writes Manage Arrears' records and the UH diary entry (as an outbox
message) in one transaction, so nothing is half-written; then delivers the diary entry at
once if uh-gateway is up (or leaves it to the outbox's retries), and re-classifies the case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from income_api.api.schemas import (
    ActionDiaryEntryCreate,
    AgreementCreate,
    ContactUpdate,
    CourtCaseWrite,
    EvictionCreate,
    NospCreate,
    PauseCreate,
    VulnerabilityCreate,
    VulnerabilityReview,
)
from income_api.domain.agreements import cancelled_description, first_state, validate_new_agreement
from income_api.domain.court_cases import court_outcome_description, validate_court_case
from income_api.domain.nosp import Nosp
from income_api.domain.terms import (
    ACTIVE_AGREEMENT_STATES,
    AgreementState,
    AgreementType,
    ServiceArea,
)
from income_api.gateways.outbox import (
    OutboxDispatcher,
    diary_message,
    event_message,
    nosp_message,
)
from income_api.gateways.tables import (
    Agreement,
    AgreementStateRecord,
    Case,
    CourtCase,
    Eviction,
    OutboxMessage,
    Vulnerability,
)
from income_api.gateways.uh_gateway import GatewayRejected, UhGateway
from income_api.use_cases.access import acting_name, ensure_service_area
from income_api.use_cases.sync import SERVICE_NAME, CaseSync
from ma_shared.auth import User
from ma_shared.errors import ApiError, Conflict, ErrorDetail, NotFound, ValidationFailed
from ma_shared.events import EventEnvelope
from ma_shared.uk_time import london_date

logger = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def load_case(session: Session, tenancy_ref: str, user: User) -> Case:
    case = session.scalars(select(Case).where(Case.tenancy_ref == tenancy_ref)).one_or_none()
    if case is None:
        raise NotFound(f"There is no arrears case for tenancy {tenancy_ref}.")
    ensure_service_area(user, case.service_area)
    return case


def _diary(
    session: Session, *, tenancy_ref: str, action_code: str, comment: str, user: User
) -> OutboxMessage:
    message = OutboxMessage(
        **diary_message(
            tenancy_ref=tenancy_ref,
            action_code=action_code,
            comment=comment,
            username=acting_name(user),
            now=_now(),
        )
    )
    session.add(message)
    return message


def _event(
    session: Session, *, event_type: str, tenancy_ref: str, data: dict[str, Any], user: User
) -> None:
    envelope = EventEnvelope.new(
        event_type=event_type,
        source_service=SERVICE_NAME,
        entity_id=tenancy_ref,
        event_data=data,
        user=user,
    )
    session.add(OutboxMessage(**event_message(envelope, now=_now())))


async def deliver_and_refresh(
    *,
    dispatcher: OutboxDispatcher,
    sync: CaseSync,
    tenancy_ref: str,
    diary_ids: Sequence[int],
) -> str:
    """Deliver the diary entries now if UH can be reached, then re-classify the case (its
    events go out with the outbox's next round). Returns `written`, or `queued` when the
    outbox will retry."""
    delivered = await dispatcher.deliver(list(diary_ids)) if diary_ids else 0
    try:
        await sync.refresh([tenancy_ref])
    except ApiError as exc:
        # The change is saved; the next sync re-classifies the case.
        logger.warning(
            "case not re-classified after an action",
            extra={"tenancy_ref": tenancy_ref, "error": exc.code},
        )
    return "written" if delivered == len(diary_ids) else "queued"


async def check_action_code(gateway: UhGateway, action_code: str) -> str:
    code = action_code.strip().upper()
    if code not in await gateway.action_codes():
        raise ValidationFailed(
            f"'{action_code}' is not a UH action code.",
            details=[
                ErrorDetail(
                    field="action_code",
                    code="unknown_action_code",
                    message="Use a code from uh-gateway's GET /api/v1/action-codes.",
                )
            ],
        )
    return code


def pause_case(
    session: Session, *, tenancy_ref: str, body: PauseCreate, user: User, action_code: str
) -> int:
    case = load_case(session, tenancy_ref, user)
    until = body.until
    if until <= _now():
        raise ValidationFailed(
            "A pause must end in the future.",
            details=[
                ErrorDetail(field="until", code="not_in_future", message="Enter a future date.")
            ],
        )
    case.is_paused_until = until
    case.pause_reason = body.reason.value
    case.pause_comment = body.comment
    case.paused_by = acting_name(user)
    case.updated_at = _now()
    message = _diary(
        session,
        tenancy_ref=tenancy_ref,
        action_code=action_code,
        comment=f"{body.reason.value}: Paused to {until:%Y-%m-%d}. {body.comment}",
        user=user,
    )
    _event(
        session,
        event_type="income.case_paused",
        tenancy_ref=tenancy_ref,
        data={"until": until.isoformat(), "reason": body.reason.value},
        user=user,
    )
    session.commit()
    return message.id


def end_pause(session: Session, *, tenancy_ref: str, user: User) -> int:
    case = load_case(session, tenancy_ref, user)
    if case.is_paused_until is None or case.is_paused_until <= _now():
        raise Conflict("The case is not paused.", code="not_paused")
    case.is_paused_until = None
    case.pause_reason = None
    case.pause_comment = None
    case.paused_by = None
    case.updated_at = _now()
    message = _diary(
        session, tenancy_ref=tenancy_ref, action_code="GEN", comment="Pause ended.", user=user
    )
    session.commit()
    return message.id


def add_diary_entry(
    session: Session, *, tenancy_ref: str, body: ActionDiaryEntryCreate, code: str, user: User
) -> int:
    load_case(session, tenancy_ref, user)
    message = _diary(
        session, tenancy_ref=tenancy_ref, action_code=code, comment=body.comment, user=user
    )
    session.commit()
    return message.id


# uh-gateway refuses a NOSP served before this year as a typing mistake.
EARLIEST_NOSP_YEAR = 2000


def record_nosp(session: Session, *, tenancy_ref: str, body: NospCreate, user: User) -> int:
    """Queue the NOSP for UH, which holds it (income-rules §1.4): its served date, the end of
    its cooling-off period as Manage Arrears counts it, and the `NTS` diary entry."""
    case = load_case(session, tenancy_ref, user)
    if case.service_area != ServiceArea.RENT:
        raise Conflict("Leasehold accounts have no NOSP.", code="not_a_rent_case")
    now = _now()
    # Served "today" is London's today: at 00:30 in summer UTC's date is still yesterday.
    if body.served_date > london_date(now) or body.served_date.year < EARLIEST_NOSP_YEAR:
        raise ValidationFailed(
            "The served date is not possible.",
            details=[
                ErrorDetail(
                    field="served_date",
                    code="not_possible",
                    message="The date the NOSP was served must be today or in the past, and "
                    f"not before {EARLIEST_NOSP_YEAR}.",
                )
            ],
        )
    expiry_date = Nosp(body.served_date).expires_date
    assert expiry_date is not None  # a served NOSP always has one
    message = OutboxMessage(
        **nosp_message(
            tenancy_ref=tenancy_ref,
            served_date=body.served_date,
            expiry_date=expiry_date,
            comment=body.comment,
            username=acting_name(user),
            now=now,
        )
    )
    session.add(message)
    _event(
        session,
        event_type="income.nosp_served",
        tenancy_ref=tenancy_ref,
        data={"served_date": body.served_date.isoformat()},
        user=user,
    )
    session.commit()
    return message.id


def contact_update_key(caller: str, idempotency_key: str | None) -> str:
    """The key uh-gateway remembers a contact change by: the caller's own key, made the
    caller's (gateway keys are global), or a new one for a caller who sent none."""
    if idempotency_key is None:
        return f"income-api-contact-{uuid.uuid4()}"
    digest = hashlib.sha256(f"{caller}\n{idempotency_key}".encode()).hexdigest()
    return f"income-api-contact-{digest}"


async def update_contact(
    gateway: UhGateway,
    *,
    tenancy_ref: str,
    contact_id: int,
    body: ContactUpdate,
    caller: str,
    idempotency_key: str | None,
) -> dict[str, Any]:
    """Pass a change of phone numbers or email on to UH, which keeps them (no diary entry:
    the details themselves are the record)."""
    try:
        return await gateway.update_contact(
            tenancy_ref,
            contact_id,
            changes=body.model_dump(exclude_none=True),
            idempotency_key=contact_update_key(caller, idempotency_key),
        )
    except GatewayRejected as exc:
        if exc.upstream_status == 409:
            raise Conflict(
                "This Idempotency-Key was already used for a different change; use a new key "
                "for a new change.",
                code="idempotency_key_reused",
            ) from exc
        raise


def _active_agreements(session: Session, tenancy_ref: str) -> list[Agreement]:
    return list(
        session.scalars(
            select(Agreement)
            .where(
                Agreement.tenancy_ref == tenancy_ref,
                Agreement.current_state.in_([s.value for s in ACTIVE_AGREEMENT_STATES]),
            )
            .order_by(Agreement.id)
        )
    )


def _cancel(session: Session, agreement: Agreement, *, by: str, reason: str) -> None:
    now = _now()
    agreement.current_state = AgreementState.CANCELLED.value
    agreement.cancelled_by = by
    agreement.cancellation_reason = reason
    agreement.updated_at = now
    session.add(
        AgreementStateRecord(
            agreement_id=agreement.id,
            state=AgreementState.CANCELLED.value,
            expected_balance=None,
            checked_balance=None,
            description=cancelled_description(by, reason),
            created_at=now,
        )
    )


def create_agreement(
    session: Session, *, tenancy_ref: str, body: AgreementCreate, user: User
) -> tuple[Agreement, int]:
    case = load_case(session, tenancy_ref, user)
    court_case: CourtCase | None = None
    if body.court_case_id is not None:
        court_case = session.get(CourtCase, body.court_case_id)
        if court_case is None or court_case.tenancy_ref != tenancy_ref:
            raise ValidationFailed(
                "The court case is not one of this tenancy's.",
                details=[
                    ErrorDetail(
                        field="court_case_id",
                        code="unknown_court_case",
                        message="Choose a court case recorded for this tenancy.",
                    )
                ],
            )
    formal = body.agreement_type is AgreementType.FORMAL
    starting_balance: Decimal | None = (
        court_case.balance_on_court_outcome_date if formal and court_case else case.balance
    )
    terms = validate_new_agreement(
        agreement_type=body.agreement_type,
        frequency=body.frequency,
        amount=body.amount,
        start_date=body.start_date,
        starting_balance=starting_balance,
        initial_payment_amount=body.initial_payment_amount,
        initial_payment_date=body.initial_payment_date,
        court_case_id=body.court_case_id,
    )
    active = _active_agreements(session, tenancy_ref)
    if not formal and any(a.agreement_type == AgreementType.FORMAL for a in active):
        raise Conflict(
            "This tenancy has a formal (court) agreement: cancel it before making an informal one.",
            code="existing_formal_agreement",
        )
    by = acting_name(user)
    for agreement in active:
        _cancel(session, agreement, by=by, reason="New agreement created")
    now = _now()
    agreement = Agreement(
        tenancy_ref=tenancy_ref,
        agreement_type=terms.agreement_type.value,
        starting_balance=terms.starting_balance,
        amount=terms.amount,
        start_date=terms.start_date,
        frequency=terms.frequency.value,
        current_state=AgreementState.LIVE.value,
        court_case_id=body.court_case_id if formal else None,
        initial_payment_amount=terms.initial_payment_amount,
        initial_payment_date=terms.initial_payment_date,
        notes=body.notes,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    session.add(agreement)
    session.flush()
    state = first_state(terms.starting_balance)
    session.add(
        AgreementStateRecord(
            agreement_id=agreement.id,
            state=state.state.value,
            expected_balance=state.expected_balance,
            checked_balance=state.checked_balance,
            description=state.description,
            created_at=now,
        )
    )
    kind = "Formal" if formal else "Informal"
    message = _diary(
        session,
        tenancy_ref=tenancy_ref,
        action_code="AGR",
        comment=f"{kind} agreement created: {body.notes}".strip(),
        user=user,
    )
    _event(
        session,
        event_type="income.agreement_created",
        tenancy_ref=tenancy_ref,
        data={"agreement_id": agreement.id, "agreement_type": agreement.agreement_type},
        user=user,
    )
    session.commit()
    return agreement, message.id


def cancel_agreement(session: Session, *, agreement_id: int, reason: str, user: User) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(f"There is no agreement {agreement_id}.")
    load_case(session, agreement.tenancy_ref, user)
    if agreement.current_state in {s.value for s in ACTIVE_AGREEMENT_STATES}:
        _cancel(session, agreement, by=acting_name(user), reason=reason)
        _event(
            session,
            event_type="income.agreement_cancelled",
            tenancy_ref=agreement.tenancy_ref,
            data={"agreement_id": agreement.id, "reason": reason},
            user=user,
        )
        session.commit()
    return agreement


def _check_court_case(values: dict[str, Any]) -> None:
    validate_court_case(
        court_date=values.get("court_date"),
        court_outcome=values.get("court_outcome"),
        terms=values.get("terms"),
        disrepair_counter_claim=values.get("disrepair_counter_claim"),
        strike_out_date=values.get("strike_out_date"),
    )


def create_court_case(
    session: Session, *, tenancy_ref: str, body: CourtCaseWrite, user: User
) -> tuple[CourtCase, int]:
    load_case(session, tenancy_ref, user)
    values = body.model_dump()
    if values["court_outcome"] is not None:
        values["court_outcome"] = values["court_outcome"].value
    _check_court_case(values)
    now, by = _now(), acting_name(user)
    court_case = CourtCase(
        tenancy_ref=tenancy_ref,
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(court_case)
    message = _diary(
        session, tenancy_ref=tenancy_ref, action_code="CDS", comment="Court case created", user=user
    )
    session.flush()
    _event(
        session,
        event_type="income.court_case_created",
        tenancy_ref=tenancy_ref,
        data={"court_case_id": court_case.id},
        user=user,
    )
    session.commit()
    return court_case, message.id


def update_court_case(
    session: Session, *, court_case_id: int, body: CourtCaseWrite, user: User
) -> tuple[CourtCase, list[int]]:
    court_case = session.get(CourtCase, court_case_id)
    if court_case is None:
        raise NotFound(f"There is no court case {court_case_id}.")
    load_case(session, court_case.tenancy_ref, user)
    supplied = body.model_dump(exclude_unset=True)
    if supplied.get("court_outcome") is not None:
        supplied["court_outcome"] = supplied["court_outcome"].value
    merged = {
        name: supplied.get(name, getattr(court_case, name))
        for name in (
            "court_date",
            "court_outcome",
            "terms",
            "disrepair_counter_claim",
            "strike_out_date",
        )
    }
    _check_court_case(merged)
    for name, value in supplied.items():
        setattr(court_case, name, value)
    court_case.updated_by = acting_name(user)
    court_case.updated_at = _now()
    diary_ids: list[int] = []
    if supplied.get("court_outcome"):
        message = _diary(
            session,
            tenancy_ref=court_case.tenancy_ref,
            action_code="IC6",
            comment=f"Court outcome added: {court_outcome_description(supplied['court_outcome'])}",
            user=user,
        )
        session.flush()
        diary_ids.append(message.id)
    _event(
        session,
        event_type="income.court_case_updated",
        tenancy_ref=court_case.tenancy_ref,
        data={"court_case_id": court_case.id, "fields": sorted(supplied)},
        user=user,
    )
    session.commit()
    return court_case, diary_ids


def create_eviction(
    session: Session, *, tenancy_ref: str, body: EvictionCreate, user: User
) -> tuple[Eviction, int]:
    load_case(session, tenancy_ref, user)
    eviction = Eviction(
        tenancy_ref=tenancy_ref, date=body.date, created_by=acting_name(user), created_at=_now()
    )
    session.add(eviction)
    message = _diary(
        session,
        tenancy_ref=tenancy_ref,
        action_code="EDS",
        comment=f"Eviction date set to {body.date:%d/%m/%Y}",
        user=user,
    )
    session.flush()
    _event(
        session,
        event_type="income.eviction_date_set",
        tenancy_ref=tenancy_ref,
        data={"eviction_id": eviction.id, "date": body.date.isoformat()},
        user=user,
    )
    session.commit()
    return eviction, message.id


def _flag_vulnerability(session: Session, case: Case) -> None:
    session.flush()
    active = session.scalar(
        select(func.count())
        .select_from(Vulnerability)
        .where(Vulnerability.tenancy_ref == case.tenancy_ref, Vulnerability.ended_at.is_(None))
    )
    case.has_vulnerability = bool(active)


def record_vulnerability(
    session: Session, *, tenancy_ref: str, body: VulnerabilityCreate, user: User
) -> Vulnerability:
    case = load_case(session, tenancy_ref, user)
    vulnerability = Vulnerability(
        tenancy_ref=tenancy_ref,
        category=body.category.value,
        note=body.note,
        review_date=body.review_date,
        recorded_by=acting_name(user),
        recorded_at=_now(),
    )
    session.add(vulnerability)
    _flag_vulnerability(session, case)
    # No UH diary entry: health and personal circumstances stay out of UH's free-text diary.
    _event(
        session,
        event_type="income.vulnerability_recorded",
        tenancy_ref=tenancy_ref,
        data={"vulnerability_id": vulnerability.id, "category": vulnerability.category},
        user=user,
    )
    session.commit()
    return vulnerability


def review_vulnerability(
    session: Session, *, vulnerability_id: int, body: VulnerabilityReview, user: User
) -> Vulnerability:
    vulnerability = session.get(Vulnerability, vulnerability_id)
    if vulnerability is None:
        raise NotFound(f"There is no vulnerability {vulnerability_id}.")
    case = load_case(session, vulnerability.tenancy_ref, user)
    if vulnerability.ended_at is not None:
        raise Conflict("This vulnerability has ended.", code="vulnerability_ended")
    if not body.ended and body.review_date is None:
        raise ValidationFailed(
            "Give the next review date, or say the vulnerability has ended.",
            details=[
                ErrorDetail(
                    field="review_date", code="required", message="Enter the next review date."
                )
            ],
        )
    now, by = _now(), acting_name(user)
    vulnerability.reviewed_at = now
    vulnerability.reviewed_by = by
    if body.note:
        vulnerability.note = body.note
    if body.review_date is not None:
        vulnerability.review_date = body.review_date
    if body.ended:
        vulnerability.ended_at = now
        vulnerability.ended_by = by
    _flag_vulnerability(session, case)
    session.commit()
    return vulnerability
