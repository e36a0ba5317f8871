"""What-if: classify one case's facts without touching any data (caseworkers, the policy
team, testing)."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter
from pydantic import Field

from income_api.api.schemas import ApiModel, Day, Instant, RequestModel
from income_api.domain.leasehold_classifier import LeaseholdFacts, classify_leasehold_case
from income_api.domain.rent_classifier import (
    AgreementFacts,
    CourtCaseFacts,
    DocumentFacts,
    RentCaseFacts,
    classify_rent_case,
)
from income_api.domain.terms import AgreementState, AgreementType, CourtOutcome
from ma_shared.auth import Reader
from ma_shared.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/classifications", tags=["classifications"])


class WhatIfCourtCase(RequestModel):
    """The case's latest court case."""

    court_date: Instant | None = Field(
        default=None, description="Date and time of the hearing; a bare date means 00:00 UTC."
    )
    court_outcome: CourtOutcome | None = None
    terms: bool | None = None
    disrepair_counter_claim: bool | None = None
    strike_out_date: Day | None = None


class WhatIfAgreement(RequestModel):
    agreement_type: AgreementType
    current_state: AgreementState
    start_date: Instant | None = Field(
        default=None,
        description="When the first instalment was due; a bare date means 00:00 UTC.",
    )


class WhatIfDocument(RequestModel):
    """The latest income letter sent for the payment reference (GOV.UK Notify)."""

    status: str = Field(
        description="The letter's status, e.g. `validation-failed`, `accepted`, `received`."
    )
    template_id: str = Field(
        description="The letter's template, e.g. `income_collection_letter_1`."
    )
    updated_at: Instant = Field(description="When its status last changed.")


class RentWhatIf(RequestModel):
    """One rent case's facts. A date means 00:00 that day (UTC); a date-time is exact."""

    as_of: Instant = Field(description="The moment to classify at ('now').")
    collectable_arrears: Decimal | None = None
    weekly_gross_rent: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    total_payment_amount_in_week: Decimal | None = Field(
        default=None, description="Payments posted since Monday: negative, or 0."
    )
    days_since_last_payment: int | None = Field(default=None, ge=0)
    nosp_served_date: Day | None = None
    last_communication_action: str | None = Field(
        default=None,
        max_length=3,
        description="UH diary code of the latest communication with the tenant, e.g. `IC1`.",
    )
    last_communication_date: Instant | None = None
    is_paused_until: Instant | None = None
    eviction_date: Day | None = None
    court_case: WhatIfCourtCase | None = None
    agreement: WhatIfAgreement | None = None
    latest_document: WhatIfDocument | None = Field(
        default=None,
        description="The latest income letter sent through GOV.UK Notify; null if none.",
    )


class LeaseholdWhatIf(RequestModel):
    """One leasehold (service charge) account's facts."""

    as_of: Instant = Field(description="The moment to classify at ('now').")
    balance: Decimal | None = None
    tenure: str | None = Field(default=None, description="`LEA`, `FRS` or `SHO`.")
    latest_letter: str | None = Field(default=None, description="LL1 … LS2, or SLB (LBA).")
    latest_letter_date: Instant | None = None
    last_payment_date: Day | None = None
    direct_debit_status: str | None = None
    direct_debit_amount: Decimal | None = None
    balance_in_dispute: Decimal | None = None
    money_judgement: Decimal | None = None
    is_paused_until: Instant | None = None


class WhatIfResult(ApiModel):
    recommended_action: str
    reason: str = Field(
        description="Why, in words a caseworker reads: the rule and the facts behind it."
    )
    rule: str = Field(description="The rule that fired; `none` when nothing is due.")
    fired: list[str] = Field(description="Every rule that fired, first wins.")


@router.post(
    "/what-if",
    response_model=WhatIfResult,
    responses=ERROR_RESPONSES,
    summary="The next recommended action for a rent case's facts (nothing is stored)",
)
def rent_what_if(body: RentWhatIf, _: Reader) -> WhatIfResult:
    court = body.court_case
    agreement = body.agreement
    document = body.latest_document
    facts = RentCaseFacts(
        collectable_arrears=body.collectable_arrears,
        weekly_gross_rent=body.weekly_gross_rent,
        total_payment_amount_in_week=body.total_payment_amount_in_week,
        days_since_last_payment=body.days_since_last_payment,
        nosp_served_date=body.nosp_served_date,
        last_communication_action=body.last_communication_action,
        last_communication_date=body.last_communication_date,
        is_paused_until=body.is_paused_until,
        eviction_date=body.eviction_date,
        court_case=CourtCaseFacts(
            court_date=court.court_date,
            court_outcome=court.court_outcome.value if court.court_outcome else None,
            terms=court.terms,
            disrepair_counter_claim=court.disrepair_counter_claim,
            strike_out_date=court.strike_out_date,
        )
        if court
        else None,
        agreement=AgreementFacts(
            agreement_type=agreement.agreement_type,
            current_state=agreement.current_state,
            start_date=agreement.start_date,
        )
        if agreement
        else None,
        latest_document=DocumentFacts(
            status=document.status,
            template_id=document.template_id,
            updated_at=document.updated_at,
        )
        if document
        else None,
    )
    result = classify_rent_case(facts, now=body.as_of)
    return WhatIfResult(
        recommended_action=result.action.value,
        reason=result.reason,
        rule=result.rule,
        fired=[action.value for action in result.fired],
    )


@router.post(
    "/leasehold/what-if",
    response_model=WhatIfResult,
    responses=ERROR_RESPONSES,
    summary="The next recommended action for a leasehold account's facts (nothing is stored)",
)
def leasehold_what_if(body: LeaseholdWhatIf, _: Reader) -> WhatIfResult:
    facts = LeaseholdFacts(
        balance=body.balance,
        tenure=body.tenure,
        latest_letter=body.latest_letter,
        latest_letter_date=body.latest_letter_date,
        last_payment_date=body.last_payment_date,
        direct_debit_status=body.direct_debit_status,
        direct_debit_amount=body.direct_debit_amount,
        balance_in_dispute=body.balance_in_dispute,
        money_judgement=body.money_judgement,
        is_paused_until=body.is_paused_until,
    )
    result = classify_leasehold_case(facts, now=body.as_of)
    return WhatIfResult(
        recommended_action=result.action.value,
        reason=result.reason,
        rule=result.rule,
        fired=[action.value for action in result.fired],
    )
