"""The income team's vocabulary as enums: recommended actions, agreements, court outcomes,
pauses and vulnerabilities. Values are the exact strings the API and the database use."""

from __future__ import annotations

from enum import StrEnum

from ma_shared.vocabulary import COURT_OUTCOME_DESCRIPTIONS, CourtOutcome, ServiceArea

__all__ = [
    "ACTIVE_AGREEMENT_STATES",
    "COURT_OUTCOME_DESCRIPTIONS",
    "OUTCOMES_THAT_CAN_HAVE_TERMS",
    "AgreementFrequency",
    "AgreementState",
    "AgreementType",
    "CourtOutcome",
    "LeaseholdAction",
    "PauseReason",
    "RentAction",
    "ServiceArea",
    "VulnerabilityCategory",
]


class RentAction(StrEnum):
    """A rent case's next recommended action (income-rules §1.1), in the old system's names."""

    NO_ACTION = "no_action"
    SEND_LETTER_TWO = "send_letter_two"
    SEND_LETTER_ONE = "send_letter_one"
    SEND_FIRST_SMS = "send_first_SMS"
    SEND_NOSP = "send_NOSP"
    APPLY_FOR_COURT_DATE = "apply_for_court_date"
    SEND_COURT_WARNING_LETTER = "send_court_warning_letter"
    UPDATE_COURT_OUTCOME_ACTION = "update_court_outcome_action"
    ADDRESS_COURT_AGREEMENT_BREACH = "address_court_agreement_breach"
    SEND_INFORMAL_AGREEMENT_BREACH_LETTER = "send_informal_agreement_breach_letter"
    COURT_BREACH_VISIT = "court_breach_visit"
    COURT_BREACH_NO_PAYMENT = "court_breach_no_payment"
    REVIEW_FAILED_LETTER = "review_failed_letter"
    APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT = "apply_for_outright_possession_warrant"
    INFORMAL_BREACHED_AFTER_LETTER = "informal_breached_after_letter"
    CHECK_DATA = "check_data"


class LeaseholdAction(StrEnum):
    """A leasehold (service charge) account's next recommended action."""

    NO_ACTION = "no_action"
    SEND_LETTER_ONE = "send_letter_one"
    SEND_LETTER_TWO = "send_letter_two"
    SEND_LETTER_BEFORE_ACTION = "send_letter_before_action"
    REFER_FOR_LEGAL_ACTION = "refer_for_legal_action"
    REVIEW_BALANCE_DISPUTE = "review_balance_dispute"
    CHECK_DATA = "check_data"


class AgreementType(StrEnum):
    INFORMAL = "informal"
    FORMAL = "formal"


class AgreementState(StrEnum):
    LIVE = "live"
    BREACHED = "breached"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


ACTIVE_AGREEMENT_STATES = frozenset({AgreementState.LIVE, AgreementState.BREACHED})


class AgreementFrequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "4 weekly"
    UNSUPPORTED_LEGACY_FREQUENCY = "unsupported_legacy_frequency"
    ONE_OFF = "one_off"


# Outcomes after which the court may set terms: `terms` and `disrepair_counter_claim` must then
# be stated explicitly.
OUTCOMES_THAT_CAN_HAVE_TERMS = frozenset(
    {
        CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE,
        CourtOutcome.ADJOURNED_TO_NEXT_OPEN_DATE,
        CourtOutcome.ADJOURNED_TO_ANOTHER_HEARING_DATE,
        CourtOutcome.ADJOURNED_FOR_DIRECTIONS_HEARING,
        CourtOutcome.ADJOURNED_ON_TERMS,
        CourtOutcome.SUSPENSION_ON_TERMS,
        CourtOutcome.STAY_OF_EXECUTION,
    }
)


class PauseReason(StrEnum):
    """Why a case is paused: the fixed list caseworkers choose from."""

    COURT_DATE_SET = "Court date set"
    EVICTION_DATE_SET = "Eviction date set"
    DELAYED_BENEFIT = "Delayed benefit"
    AWAITING_UNIVERSAL_CREDIT = "Awaiting Universal Credit"
    DEBT_ADVICE = "Debt advice"
    DEATH_OF_TENANT = "Death of tenant"
    HOSPITAL = "Hospital"
    HOUSING_BENEFIT_CLAIM = "Housing Benefit claim"
    PAYMENT_PROMISED = "Payment promised"
    VULNERABILITY = "Vulnerability"
    MISSING_DATA = "Missing Data"
    OTHER = "Other"


class VulnerabilityCategory(StrEnum):
    """Categories of vulnerability a caseworker can record for a resident."""

    MENTAL_HEALTH = "mental_health"
    PHYSICAL_HEALTH = "physical_health"
    DISABILITY = "disability"
    BEREAVEMENT = "bereavement"
    DOMESTIC_ABUSE = "domestic_abuse"
    FINANCIAL_HARDSHIP = "financial_hardship"
    LANGUAGE_OR_LITERACY = "language_or_literacy"
    AGE = "age"
    SUBSTANCE_MISUSE = "substance_misuse"
    OTHER = "other"
