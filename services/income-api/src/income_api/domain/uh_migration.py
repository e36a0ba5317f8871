"""What to copy from UH into Manage Arrears during each sync (income-rules §3.6): court cases,
eviction dates and legacy arrears agreements.

These functions only plan; the sync use case reads both sides, calls them and stores the
result. UH's 1900-01-01 "no date" sentinel never reaches here: uh-gateway returns it as None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from income_api.domain.agreements import StateCheck
from income_api.domain.terms import (
    OUTCOMES_THAT_CAN_HAVE_TERMS,
    AgreementFrequency,
    AgreementState,
    AgreementType,
    CourtOutcome,
)

MIGRATED_BY = "Managed Arrears migration from UH"

_UH_COURT_OUTCOMES = {
    "SUP": CourtOutcome.SUSPENSION_ON_TERMS,
    "ADT": CourtOutcome.ADJOURNED_ON_TERMS,
    "STO": CourtOutcome.STRUCK_OUT,
    "OPF": CourtOutcome.OUTRIGHT_POSSESSION_FORTHWITH,
    "OPD": CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE,
    "WIT": CourtOutcome.WITHDRAWN_ON_THE_DAY,
    "AGE": CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE,
    "AAH": CourtOutcome.ADJOURNED_TO_ANOTHER_HEARING_DATE,
}

# UH frequency code -> (MA frequency, UH's own name for it, quoted in the notes when MA has no
# equivalent).
_UH_FREQUENCIES = {
    "0": (AgreementFrequency.MONTHLY, "Monthly"),
    "1": (AgreementFrequency.WEEKLY, "Weekly"),
    "2": (AgreementFrequency.FORTNIGHTLY, "2 Weekly"),
    "4": (AgreementFrequency.FOUR_WEEKLY, "4 Weekly"),
    "5": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "3 Monthly"),
    "6": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "6 Monthly"),
    "7": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "Annually"),
    "8": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "Daily"),
    "9": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "Irregular"),
    "Q": (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, "Quarterly"),
}

_UH_AGREEMENT_STATES = {
    "100": AgreementState.LIVE,  # first check
    "200": AgreementState.LIVE,
    "299": AgreementState.LIVE,  # suspect
    "300": AgreementState.BREACHED,
    "400": AgreementState.CANCELLED,  # suspended
    "500": AgreementState.CANCELLED,
    "600": AgreementState.COMPLETED,
}


class LegacyAgreementNotMigratable(Exception):
    """A UH agreement MA cannot take over as it stands; someone has to fix it in UH first.
    Nothing of the tenancy's agreements is migrated, so the next sync tries again."""


# ---- Court cases -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExistingCourtCase:
    """A court case MA already holds for the tenancy."""

    id: int
    court_date: dt.datetime | None
    court_outcome: str | None
    terms: bool | None
    disrepair_counter_claim: bool | None


@dataclass(frozen=True, slots=True)
class CourtCaseToCreate:
    court_date: dt.datetime | None
    court_outcome: CourtOutcome | None
    terms: bool | None
    disrepair_counter_claim: bool | None


@dataclass(frozen=True, slots=True)
class CourtCaseToFill:
    """Fields to set on the one existing court case; None means leave it as it is."""

    court_case_id: int
    court_date: dt.datetime | None
    court_outcome: CourtOutcome | None
    terms: bool | None
    disrepair_counter_claim: bool | None


CourtCaseMigration: TypeAlias = CourtCaseToCreate | CourtCaseToFill


def map_uh_court_outcome(code: str | None) -> CourtOutcome | None:
    """The MA outcome for a UH outcome code; None for a blank code or one MA does not take
    over (`AOT`, `PPO` …)."""
    if code is None:
        return None
    # UH pads its char columns.
    return _UH_COURT_OUTCOMES.get(code.strip())


def plan_court_case_migration(
    uh_court_date: dt.datetime | None,
    uh_court_outcome: str | None,
    existing: Sequence[ExistingCourtCase],
) -> CourtCaseMigration | None:
    """Create a court case from UH's court fields when MA has none; fill in the date or
    outcome UH knows when MA has exactly one court case missing them; otherwise nothing.

    The court did set terms or not, but UH never recorded it: migrated outcomes that can have
    terms say "no terms" and "no disrepair counter claim", so the court case passes the rules
    caseworkers' own court cases must (a caseworker corrects them when they know better).
    """
    outcome = map_uh_court_outcome(uh_court_outcome)
    if uh_court_date is None and outcome is None:
        return None
    if not existing:
        no_terms = False if outcome in OUTCOMES_THAT_CAN_HAVE_TERMS else None
        return CourtCaseToCreate(uh_court_date, outcome, no_terms, no_terms)
    if len(existing) != 1:
        return None

    court_case = existing[0]
    date_to_fill = uh_court_date if court_case.court_date is None else None
    has_outcome = bool(court_case.court_outcome and court_case.court_outcome.strip())
    outcome_to_fill = None if has_outcome else outcome
    if date_to_fill is None and outcome_to_fill is None:
        return None
    can_have_terms = outcome_to_fill in OUTCOMES_THAT_CAN_HAVE_TERMS
    return CourtCaseToFill(
        court_case_id=court_case.id,
        court_date=date_to_fill,
        court_outcome=outcome_to_fill,
        terms=False if can_have_terms and court_case.terms is None else None,
        disrepair_counter_claim=(
            False if can_have_terms and court_case.disrepair_counter_claim is None else None
        ),
    )


# ---- Evictions ---------------------------------------------------------------------------


def plan_eviction_migration(
    uh_eviction_date: dt.date | None, latest_existing: dt.date | None
) -> dt.date | None:
    """The eviction date to record: UH's, when MA has none or only an earlier one."""
    if uh_eviction_date is None:
        return None
    if latest_existing is None or latest_existing < uh_eviction_date:
        return uh_eviction_date
    return None


# ---- Agreements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UhScheduleLine:
    """One payment schedule line of a UH agreement (`aragdet`)."""

    id: int
    amount: Decimal
    frequency_code: str
    start_date: dt.date | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class UhAgreementRecord:
    """A UH agreement (`arag`) as uh-gateway's `GET /api/v1/tenancies/{ref}/agreements`
    returns it, with its schedule lines."""

    reference: str
    status_code: str | None
    start_date: dt.date | None
    start_balance: Decimal | None
    last_check_balance: Decimal | None
    last_expected_balance: Decimal | None
    schedule: Sequence[UhScheduleLine]


@dataclass(frozen=True, slots=True)
class MigratedAgreement:
    """One MA agreement to create from one UH schedule line, with its first state."""

    legacy_id: int
    agreement_type: AgreementType
    starting_balance: Decimal
    amount: Decimal
    start_date: dt.date
    frequency: AgreementFrequency
    notes: str | None
    initial_state: StateCheck
    created_by: str = MIGRATED_BY


def plan_agreement_migration(
    uh_agreements: Sequence[UhAgreementRecord], *, has_court_case: bool
) -> list[MigratedAgreement]:
    """The MA agreements to create, oldest schedule line first. Call it only when MA holds no
    agreements for the tenancy.

    Every schedule line becomes an agreement, ordered by line id across all UH agreements.
    Within one UH agreement only the last line keeps the agreement's status; earlier lines
    were replaced by it, so they are cancelled. If the tenancy has a court case, the last
    agreement overall is formal (the caller links it to the latest court case) and the rest
    informal. Any agreement before the last one overall that would be live is stored as
    cancelled, so only the newest can be live.

    A line without a start date takes the UH agreement's start date, the date its starting
    balance belongs to. Raises `LegacyAgreementNotMigratable` for a status MA does not know,
    for a line with no start date or no starting balance at all, and for an agreement that
    would be stored live with a frequency MA cannot check (3-monthly, annually …); one that
    would be stored cancelled, completed or breached keeps the old frequency in its notes.
    """
    final_line_ids = {
        max(line.id for line in agreement.schedule)
        for agreement in uh_agreements
        if agreement.schedule
    }
    lines = sorted(
        ((line, agreement) for agreement in uh_agreements for line in agreement.schedule),
        key=lambda pair: pair[0].id,
    )
    migrated: list[MigratedAgreement] = []
    for position, (line, agreement) in enumerate(lines, start=1):
        last_overall = position == len(lines)
        if line.id in final_line_ids:
            state = _uh_agreement_state(agreement)
        else:
            state = AgreementState.CANCELLED
        if state == AgreementState.LIVE and not last_overall:
            state = AgreementState.CANCELLED
        agreement_type = (
            AgreementType.FORMAL if has_court_case and last_overall else AgreementType.INFORMAL
        )
        migrated.append(_migrated_agreement(line, agreement, agreement_type, state))
    return migrated


def _uh_agreement_state(agreement: UhAgreementRecord) -> AgreementState:
    state = _UH_AGREEMENT_STATES.get((agreement.status_code or "").strip())
    if state is None:
        raise LegacyAgreementNotMigratable(
            f"UH agreement {agreement.reference} has status {agreement.status_code!r}, "
            "which Manage Arrears does not know."
        )
    return state


def _migrated_agreement(
    line: UhScheduleLine,
    agreement: UhAgreementRecord,
    agreement_type: AgreementType,
    state: AgreementState,
) -> MigratedAgreement:
    code = line.frequency_code.strip()
    frequency, uh_name = _UH_FREQUENCIES.get(
        code, (AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY, code)
    )
    notes = line.comment
    if frequency == AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY:
        if state == AgreementState.LIVE:
            raise LegacyAgreementNotMigratable(
                f"UH agreement {agreement.reference} is live with a frequency Manage Arrears "
                f"cannot check ({uh_name})."
            )
        prefix = f"Frequency no longer supported, original frequency was '{uh_name}'. "
        notes = (prefix + (line.comment or "")).rstrip()

    start_date = line.start_date or agreement.start_date
    if start_date is None:
        raise LegacyAgreementNotMigratable(
            f"UH agreement {agreement.reference} line {line.id} has no start date."
        )
    if agreement.start_balance is None:
        raise LegacyAgreementNotMigratable(
            f"UH agreement {agreement.reference} has no starting balance."
        )
    return MigratedAgreement(
        legacy_id=line.id,
        agreement_type=agreement_type,
        starting_balance=agreement.start_balance,
        amount=line.amount,
        start_date=start_date,
        frequency=frequency,
        notes=notes,
        initial_state=StateCheck(
            state=state,
            expected_balance=agreement.last_expected_balance,
            checked_balance=agreement.last_check_balance,
            description=MIGRATED_BY,
        ),
    )
