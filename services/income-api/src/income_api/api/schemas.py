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
    model_validator,
)
from pydantic_core import PydanticCustomError

from income_api.api.glossary import describe_from_glossary
from income_api.domain.terms import (
    AgreementFrequency,
    AgreementState,
    AgreementType,
    CourtOutcome,
    PauseReason,
    ServiceArea,
    VulnerabilityCategory,
)
from ma_shared.contact_details import MAX_EMAIL_LENGTH, is_valid_email, normalise_uk_phone

T = TypeVar("T")

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# Dates outside these years are typing mistakes, and date arithmetic near the ends of the
# calendar would overflow.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
D = TypeVar("D", dt.date, dt.datetime)


def _within_years(value: D) -> D:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# A date-time, or a bare date meaning 00:00 that day (income-rules §1.3 distinguishes the
# two); without a zone, UTC.
Instant = Annotated[dt.datetime, AfterValidator(_within_years), AfterValidator(_utc)]
Day = Annotated[dt.date, AfterValidator(_within_years)]


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra=describe_from_glossary)


class RequestModel(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=describe_from_glossary
    )


class Page(ApiModel, Generic[T]):
    results: list[T]
    page: int
    per_page: int
    total_count: int = Field(description="Matching items on all pages.")
    number_of_pages: int


# ---- Cases ----------------------------------------------------------------------------------


class Pause(ApiModel):
    until: dt.datetime = Field(description="The case is paused until this instant (UTC).")
    reason: str | None = Field(
        description="Why the case is paused, from the fixed list, e.g. `Payment promised`."
    )
    comment: str | None = Field(description="The caseworker's comment on the pause.")
    paused_by: str | None


class Nosp(ApiModel):
    served_date: dt.date | None = Field(description="When the NOSP was served (UH).")
    expires_date: dt.date | None = Field(description="End of the cooling-off period.")
    valid_until_date: dt.date | None = Field(description="After this a new NOSP is needed.")
    in_cool_off_period: bool
    valid: bool = Field(
        description="Still usable for a court application: it is before `valid_until_date` "
        "(52 weeks after the expiry date)."
    )
    active: bool = Field(description="Cooling-off over and still valid: court may follow.")


class CaseSummary(ApiModel):
    """A worktray row."""

    tenancy_ref: str
    service_area: ServiceArea
    payment_ref: str | None
    patch_code: str | None
    balance: Money = Field(
        description="UH current balance in pounds (decimal string); positive is arrears."
    )
    collectable_arrears: Money | None = Field(
        description="Arrears as the rules count them, in pounds (decimal string): the balance "
        "less this week's movements (rent); the balance (leasehold)."
    )
    weekly_gross_rent: Money | None
    weeks_of_rent_owed: Money | None
    days_since_last_payment: int | None
    last_payment_date: dt.date | None
    recommended_action: str = Field(
        description="The next recommended action, e.g. `send_letter_one`; `no_action` when "
        "nothing is due."
    )
    classification_reason: str = Field(
        description="Why, in words a caseworker reads: the rule and the facts behind it."
    )
    classification_changed_at: dt.datetime
    last_communication_action: str | None
    last_communication_date: dt.datetime | None
    nosp_served_date: dt.date | None
    court_date: dt.datetime | None = Field(
        description="Date and time (UTC) of the hearing of the case's latest court case."
    )
    court_outcome: str | None = Field(
        description="Outcome code of the case's latest court case, e.g. `SOT` suspension on "
        "terms (the codes are listed under `CourtCaseRead`); null until recorded."
    )
    eviction_date: dt.date | None
    agreement_state: str | None = Field(
        description="State of the case's latest agreement (`live`, `breached`, `cancelled` or "
        "`completed`); null if it has none."
    )
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
    reason: str = Field(description="Why, in words a caseworker reads: the rule and the facts.")
    changed_at: dt.datetime
    previous_recommended_action: str | None


class AgreementStateRead(ApiModel):
    state: AgreementState = Field(description="The agreement's state from this change on.")
    expected_balance: Money | None
    checked_balance: Money | None
    description: str = Field(
        description="What happened, e.g. `Agreement created`, `Checked by the system`, "
        "`Breached by £200.55`, `Completed on 01/04/2026`, `Cancelled by <who>, reason: <why>`."
    )
    created_at: dt.datetime = Field(description="When the state was recorded (UTC).")


class AgreementRead(ApiModel):
    id: int = Field(description="The agreement's id (`agreement_id` to cancel it).")
    tenancy_ref: str
    agreement_type: AgreementType
    starting_balance: Money
    amount: Money
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
    id: int = Field(
        description="The court case's id (`court_case_id` to update it, or to make a formal "
        "agreement under it)."
    )
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
    id: int = Field(description="The eviction record's id.")
    tenancy_ref: str
    date: dt.date = Field(description="The eviction date (ISO 8601).")
    created_by: str
    created_at: dt.datetime


class VulnerabilityRead(ApiModel):
    id: int = Field(description="The vulnerability's id (`vulnerability_id` to review it).")
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
    comment: str = Field(description="The entry's text, as it will be written to UH.")
    status: str = Field(description="`pending` (will be retried) or `failed` (UH refused it).")
    attempts: int
    last_error: str | None
    created_at: dt.datetime = Field(description="When the entry was made (UTC).")


class UhRecords(ApiModel):
    """Read live from UH through uh-gateway."""

    tenancy: dict[str, Any] = Field(
        description="The tenancy as uh-gateway returns it: account, property, household, "
        "balances and legal dates."
    )
    transactions: dict[str, Any] = Field(description="Newest first, with `next_cursor`.")
    action_diary: dict[str, Any] = Field(description="Newest first, with `next_cursor`.")
    contacts: dict[str, Any] = Field(
        description="The tenancy's contact details (phones, email) as uh-gateway returns them."
    )


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
    uh: UhRecords | None = Field(
        description="The case's UH records, read live through uh-gateway; null when asked with "
        "`include_uh=false`."
    )


# ---- Writes ---------------------------------------------------------------------------------


class PauseCreate(RequestModel):
    until: Instant = Field(
        description="Pause until this date (00:00 UTC) or instant (UTC if no zone is given); "
        "must be in the future."
    )
    reason: PauseReason = Field(
        description="Why, from the fixed list. UH's diary records `<reason>: Paused to "
        "<YYYY-MM-DD>. <comment>`."
    )
    comment: str = Field(
        min_length=1, max_length=500, description="The caseworker's comment on the pause."
    )
    action_code: str = Field(
        default="GEN",
        min_length=3,
        max_length=3,
        description="UH diary code to record the pause under (default `GEN` general note).",
    )


class ActionDiaryEntryCreate(RequestModel):
    action_code: str = Field(
        min_length=1,
        max_length=3,
        description="A UH action code, e.g. `OTC` outgoing call (uh-gateway's "
        "`GET /api/v1/action-codes` lists them).",
    )
    comment: str = Field(
        min_length=1,
        max_length=2000,
        description="The entry's text, written to UH's action diary under the caller's name.",
    )


class DiaryWriteResult(ApiModel):
    status: str = Field(description="`written`, or `queued` when UH could not be reached now.")


class AgreementCreate(RequestModel):
    agreement_type: AgreementType
    amount: Decimal = Field(
        description="The instalment each `frequency` period, in pounds, e.g. `25.00`; more "
        "than 0. (The starting balance is not chosen: see `AgreementRead.starting_balance`.)"
    )
    frequency: AgreementFrequency
    start_date: Day
    notes: str = Field(
        default="",
        max_length=2000,
        description="Notes on the agreement; UH's diary records `Informal agreement created: "
        "<notes>` (or `Formal …`) under `AGR`.",
    )
    court_case_id: int | None = Field(
        default=None,
        description="One of this tenancy's court cases: required for a `formal` agreement, "
        "which starts from that court case's `balance_on_court_outcome_date` (record it "
        "first).",
    )
    initial_payment_amount: Decimal | None = None
    initial_payment_date: Day | None = None


class AgreementCancel(RequestModel):
    reason: str = Field(
        min_length=1,
        max_length=500,
        description="Why the agreement is cancelled; kept as its `cancellation_reason` and in "
        "its state history (nothing is written to UH).",
    )


class CourtCaseWrite(RequestModel):
    """A court case to record, or (PATCH) the fields to change: fields left out keep their
    value, `null` clears one."""

    court_date: Instant | None = Field(
        default=None,
        description="Date and time of the hearing (UTC if no zone is given; a bare date means "
        "00:00 UTC).",
    )
    court_outcome: CourtOutcome | None = None
    balance_on_court_outcome_date: Decimal | None = None
    strike_out_date: Day | None = None
    terms: bool | None = None
    disrepair_counter_claim: bool | None = None


class EvictionCreate(RequestModel):
    date: Day = Field(
        description="The eviction date (ISO 8601); UH's diary records `Eviction date set to "
        "<DD/MM/YYYY>` under `EDS`."
    )


class NospCreate(RequestModel):
    served_date: Day = Field(
        description="The day the Notice of Seeking Possession was served (ISO 8601); not in the "
        "future. UH records it with the end of the cooling-off period (3 calendar months on) "
        "and an `NTS` diary entry."
    )
    comment: str | None = Field(
        default=None, max_length=500, description="Added to the `NTS` diary entry's text."
    )


def _uk_phone(value: str | None) -> str | None:
    if not value:
        return value
    normalised = normalise_uk_phone(value)
    if normalised is None:
        raise PydanticCustomError(
            "uk_phone_number", "Enter a UK phone number, like 07700 900 982 or 020 7946 0000."
        )
    return normalised


def _email(value: str | None) -> str | None:
    if value and not is_valid_email(value):
        raise PydanticCustomError(
            "email_address",
            f"Enter an email address like name@example.com, at most {MAX_EMAIL_LENGTH} characters.",
        )
    return value


PhoneNumber = Annotated[str | None, AfterValidator(_uk_phone)]


class ContactUpdate(RequestModel):
    """The contact details to change: fields left out keep their value, `""` clears one."""

    mobile_phone: PhoneNumber = Field(
        default=None, description="A UK number, kept in national form (`07700900982`)."
    )
    home_phone: PhoneNumber = Field(default=None, description="A UK number.")
    work_phone: PhoneNumber = Field(default=None, description="A UK number.")
    email_address: Annotated[str | None, AfterValidator(_email)] = Field(
        default=None, description=f"At most {MAX_EMAIL_LENGTH} characters (UH's column)."
    )

    @model_validator(mode="after")
    def something_to_change(self) -> ContactUpdate:
        if all(value is None for value in self.model_dump().values()):
            raise ValueError(
                "give at least one of mobile_phone, home_phone, work_phone, email_address"
            )
        return self


class ContactRead(ApiModel):
    """A contact as UH holds it, after the change."""

    id: int = Field(description="UH's contact key (`contact_id`).")
    name: str | None = Field(description="The contact's name as UH has it.")
    mobile_phone: str | None = Field(description="UH's first phone number: the mobile.")
    home_phone: str | None = Field(description="UH's second phone number.")
    work_phone: str | None = Field(description="UH's third phone number.")
    email_address: str | None = Field(description="The contact's email address.")


class VulnerabilityCreate(RequestModel):
    category: VulnerabilityCategory
    note: str = Field(min_length=1, max_length=2000)
    review_date: Day


class VulnerabilityReview(RequestModel):
    review_date: Day | None = Field(
        default=None,
        description="The next review date (ISO 8601); required unless `ended` is true.",
    )
    note: str | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        description="A new note replacing the old one; leave out to keep it.",
    )
    ended: bool = Field(default=False, description="The vulnerability no longer applies.")


class PatchAssignments(RequestModel):
    patch_codes: list[str] = Field(
        max_length=100,
        description="The patches to look after (at most 100), replacing the current list; "
        "codes are trimmed, upper-cased and de-duplicated; `[]` clears it.",
    )

    @field_validator("patch_codes")
    @classmethod
    def upper(cls, value: list[str]) -> list[str]:
        return sorted({code.strip().upper() for code in value if code.strip()})


class MyPatches(ApiModel):
    user_email: str
    patch_codes: list[str]
