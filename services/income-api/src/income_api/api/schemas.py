"""Request and response models of the income API (snake_case JSON, money as decimal strings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
)

from income_api.domain.terms import (
    AgreementFrequency,
    AgreementState,
    AgreementType,
    CourtOutcome,
    PauseReason,
    ServiceArea,
    VulnerabilityCategory,
)

T = TypeVar("T")

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# A date-time, or a bare date meaning 00:00 that day in UTC (income-rules §1.3 distinguishes
# the two); a date-time without a zone is taken as UTC.
Instant = Annotated[dt.datetime | dt.date, AfterValidator(lambda v: _as_instant(v))]


def _as_instant(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return _utc(value)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Page(ApiModel, Generic[T]):
    results: list[T]
    page: int
    per_page: int
    total_count: int = Field(description="Matching items on all pages.")
    number_of_pages: int


# ---- Cases ----------------------------------------------------------------------------------


class Pause(ApiModel):
    until: dt.datetime = Field(description="The case is paused until this instant.")
    reason: str | None
    comment: str | None
    paused_by: str | None


class Nosp(ApiModel):
    served_date: dt.date | None = Field(description="When the NOSP was served (UH).")
    expires_date: dt.date | None = Field(description="End of the cooling-off period.")
    valid_until_date: dt.date | None = Field(description="After this a new NOSP is needed.")
    in_cool_off_period: bool
    valid: bool
    active: bool = Field(description="Cooling-off over and still valid: court may follow.")


class CaseSummary(ApiModel):
    """A worktray row."""

    tenancy_ref: str
    service_area: ServiceArea
    payment_ref: str | None
    patch_code: str | None
    balance: Money = Field(description="UH current balance; positive is arrears.")
    collectable_arrears: Money | None = Field(
        description="Balance less this week's movements (rent); the balance (leasehold)."
    )
    weekly_gross_rent: Money | None
    weeks_of_rent_owed: Money | None
    days_since_last_payment: int | None
    last_payment_date: dt.date | None
    recommended_action: str = Field(description="The next recommended action.")
    classification_reason: str = Field(description="Why: the rule and the facts behind it.")
    classification_changed_at: dt.datetime
    last_communication_action: str | None
    last_communication_date: dt.datetime | None
    nosp_served_date: dt.date | None
    court_date: dt.datetime | None
    court_outcome: str | None
    eviction_date: dt.date | None
    agreement_state: str | None = Field(description="State of the latest agreement.")
    pause: Pause | None
    has_vulnerability: bool
    tenure_type: str | None
    lessee: str | None
    property_address: str | None
    direct_debit_status: str | None
    latest_letter: str | None
    latest_letter_date: dt.datetime | None


class Classification(ApiModel):
    recommended_action: str
    rule: str = Field(description="The rule that fired, e.g. `R4 send_letter_one`.")
    reason: str
    changed_at: dt.datetime
    previous_recommended_action: str | None


class AgreementStateRead(ApiModel):
    state: AgreementState
    expected_balance: Money | None
    checked_balance: Money | None
    description: str
    created_at: dt.datetime


class AgreementRead(ApiModel):
    id: int
    tenancy_ref: str
    agreement_type: AgreementType
    starting_balance: Money
    amount: Money = Field(description="The instalment.")
    frequency: AgreementFrequency
    start_date: dt.date
    initial_payment_amount: Money | None
    initial_payment_date: dt.date | None
    current_state: AgreementState
    court_case_id: int | None
    notes: str
    created_by: str
    created_at: dt.datetime
    cancelled_by: str | None
    cancellation_reason: str | None
    last_checked_at: dt.datetime | None
    history: list[AgreementStateRead] = Field(description="State changes, oldest first.")


class CourtCaseRead(ApiModel):
    id: int
    tenancy_ref: str
    court_date: dt.datetime | None
    court_outcome: str | None
    court_outcome_description: str | None
    balance_on_court_outcome_date: Money | None
    strike_out_date: dt.date | None
    terms: bool | None
    disrepair_counter_claim: bool | None
    created_by: str
    updated_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class EvictionRead(ApiModel):
    id: int
    tenancy_ref: str
    date: dt.date
    created_by: str
    created_at: dt.datetime


class VulnerabilityRead(ApiModel):
    id: int
    tenancy_ref: str
    category: VulnerabilityCategory
    note: str
    review_date: dt.date
    review_due: bool = Field(description="The review date has come.")
    recorded_by: str
    recorded_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    ended_at: dt.datetime | None
    ended_by: str | None


class PendingDiaryWrite(ApiModel):
    action_code: str
    comment: str
    status: str = Field(description="`pending` (will be retried) or `failed` (UH refused it).")
    attempts: int
    last_error: str | None
    created_at: dt.datetime


class UhRecords(ApiModel):
    """Read live from UH through uh-gateway."""

    tenancy: dict[str, Any]
    transactions: dict[str, Any] = Field(description="Newest first, with `next_cursor`.")
    action_diary: dict[str, Any] = Field(description="Newest first, with `next_cursor`.")
    contacts: dict[str, Any]


class CaseRead(CaseSummary):
    classification: Classification
    nosp: Nosp
    universal_credit: dt.datetime | None
    uc_rent_verification: dt.datetime | None
    uc_direct_payment_requested: dt.datetime | None
    uc_direct_payment_received: dt.datetime | None
    money_judgement: Money | None
    charging_order: Money | None
    balance_in_dispute: Money | None
    direct_debit_amount: Money | None
    synced_at: dt.datetime
    agreements: list[AgreementRead]
    court_cases: list[CourtCaseRead]
    evictions: list[EvictionRead]
    vulnerabilities: list[VulnerabilityRead]
    pending_diary_writes: list[PendingDiaryWrite]
    uh: UhRecords | None = Field(description="Null when asked with `include_uh=false`.")


# ---- Writes ---------------------------------------------------------------------------------


class PauseCreate(RequestModel):
    until: Instant = Field(description="Pause until this date (00:00 UTC) or instant.")
    reason: PauseReason
    comment: str = Field(min_length=1, max_length=500)
    action_code: str = Field(
        default="GEN",
        min_length=3,
        max_length=3,
        description="UH diary code to record the pause under (default `GEN` general note).",
    )


class ActionDiaryEntryCreate(RequestModel):
    action_code: str = Field(min_length=1, max_length=3, description="A UH action code.")
    comment: str = Field(min_length=1, max_length=2000)


class DiaryWriteResult(ApiModel):
    status: str = Field(description="`written`, or `queued` when UH could not be reached now.")


class AgreementCreate(RequestModel):
    agreement_type: AgreementType
    amount: Decimal = Field(description="The instalment, e.g. `25.00`.")
    frequency: AgreementFrequency
    start_date: dt.date
    notes: str = Field(default="", max_length=2000)
    court_case_id: int | None = Field(default=None, description="Required for formal.")
    initial_payment_amount: Decimal | None = None
    initial_payment_date: dt.date | None = None


class AgreementCancel(RequestModel):
    reason: str = Field(min_length=1, max_length=500)


class CourtCaseWrite(RequestModel):
    court_date: Instant | None = None
    court_outcome: CourtOutcome | None = None
    balance_on_court_outcome_date: Decimal | None = None
    strike_out_date: dt.date | None = None
    terms: bool | None = None
    disrepair_counter_claim: bool | None = None


class EvictionCreate(RequestModel):
    date: dt.date


class VulnerabilityCreate(RequestModel):
    category: VulnerabilityCategory
    note: str = Field(min_length=1, max_length=2000)
    review_date: dt.date


class VulnerabilityReview(RequestModel):
    review_date: dt.date | None = Field(default=None, description="The next review.")
    note: str | None = Field(default=None, min_length=1, max_length=2000)
    ended: bool = Field(default=False, description="The vulnerability no longer applies.")


class PatchAssignments(RequestModel):
    patch_codes: list[str] = Field(max_length=100)

    @field_validator("patch_codes")
    @classmethod
    def upper(cls, value: list[str]) -> list[str]:
        return sorted({code.strip().upper() for code in value if code.strip()})


class MyPatches(ApiModel):
    user_email: str
    patch_codes: list[str]
