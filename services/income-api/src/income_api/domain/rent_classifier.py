"""The rent classifier: a rent case's next recommended action (income-rules §1).

Fifteen independent rulesets, each a list of guards over the case's facts (§1.7), are all
evaluated; the first that fires, in the fixed precedence order, is the recommendation and the
others are reported in `fired` for the caller to log. Nothing here reads the clock, a database
or the network: `now` is passed in, so a whole nightly sync is classified against one instant.

Time follows the old system (§1.3), all in UTC:

* "within N days/months" for the last communication is measured against 00:00 of the threshold
  day (`today - N`, calendar months clamped to the month's end): a contact stored as a bare date
  exactly N days ago is *not* within N days, a timestamp later that same day *is*;
* court dates are compared with the exact instant `now`;
* NOSP dates are days, compared with `now` at 00:00 of the day (see `nosp.Nosp`).

Decisions on the old system's quirks (§1.9, also in docs/income-classification.md):

* A formal breached agreement is a *court* breach only when the most recent court case has a
  hearing date; with no court case, or one without a date, it is not (the old code crashed).
* Agreement start dates and court dates are compared as calendar days (UTC), so an agreement
  starting on the hearing day counts as the court agreement whatever the hearing's time.
* CheckData (c) with a court case that has terms but no hearing date: a formal agreement is
  taken to be the court agreement (there is no date to say it started too early); an informal
  or missing one still fires. A recorded outcome without a date fires (b) anyway.
* The redundant "breached and not a court breach" guard of R3-R5 is left out: a breached
  agreement is active, and "no active agreement" already blocks those rules.
* R14 with a court date but no date for the court warning letter (IC4): blocked, since nobody
  can tell whether the hearing came after the letter (the old code crashed).
* An action code without a date passes the "not within N days" guards and fails the "at least
  N days ago" ones, as the old predicates did. UH always dates its diary entries, so this is
  bad data, and the reason says the date is missing.
* If exactly SMS and letter one fire, letter one wins. With the default policy they cannot fire
  together (SMS needs arrears under £10, letter one at least £10 after grace); a policy with a
  higher SMS ceiling can make it happen.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from income_api.domain.action_codes import (
    BREACH_FOLLOW_UP_CODES,
    COURT_BREACH_FOLLOW_UP_CODES,
    COURT_BREACH_LETTER,
    COURT_BREACH_VISIT,
    COURT_WARNING_LETTER,
    INCOME_LETTER_TEMPLATE_IDS,
    INFORMAL_BREACH_LETTER,
    LETTER_ONE_CODES,
    LETTER_ONE_OR_LATER_CODES,
    LETTER_TWO_CODES,
    SMS_CODES,
    WARRANT_OF_POSSESSION_APPLIED,
)
from income_api.domain.court_cases import (
    CourtCaseTerms,
    court_outcome_description,
    results_in_agreement,
)
from income_api.domain.nosp import (
    DEFAULT_COOLING_OFF_MONTHS,
    DEFAULT_VALIDITY_WEEKS,
    Nosp,
    add_calendar_months,
    start_of_day,
)
from income_api.domain.terms import (
    ACTIVE_AGREEMENT_STATES,
    AgreementState,
    AgreementType,
    CourtOutcome,
    RentAction,
)

__all__ = [
    "DEFAULT_RENT_POLICY",
    "OUTRIGHT_POSSESSION_OUTCOMES",
    "WARRANT_OUTCOMES",
    "AgreementFacts",
    "CourtCaseFacts",
    "DocumentFacts",
    "RentCaseFacts",
    "RentClassification",
    "RentPolicy",
    "classify_rent_case",
]

# The Notify status of a letter it rejected (documents.status).
VALIDATION_FAILED = "validation-failed"

# Orders after which the council applies for a warrant of possession (R1).
OUTRIGHT_POSSESSION_OUTCOMES = frozenset(
    {CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE, CourtOutcome.OUTRIGHT_POSSESSION_FORTHWITH}
)

# Outcomes that leave the tenant under the court's terms for six years, so the case must have
# an agreement recorded (R15a) and no new NOSP is due (R8). Adjourned on terms (ADT) is not in
# the old system's list, and is left out here too.
WARRANT_OUTCOMES = frozenset(
    {
        CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE,
        CourtOutcome.ADJOURNED_TO_NEXT_OPEN_DATE,
        CourtOutcome.ADJOURNED_TO_ANOTHER_HEARING_DATE,
        CourtOutcome.ADJOURNED_FOR_DIRECTIONS_HEARING,
        CourtOutcome.SUSPENSION_ON_TERMS,
        CourtOutcome.STAY_OF_EXECUTION,
    }
)

_FIVE_POUNDS = Decimal(5)
_TEN_POUNDS = Decimal(10)
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CourtCaseFacts:
    """The tenancy's most recent court case."""

    court_date: dt.datetime | None = None
    court_outcome: str | None = None
    terms: bool | None = None
    disrepair_counter_claim: bool | None = None
    strike_out_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    """The tenancy's most recent agreement, in whatever state."""

    agreement_type: AgreementType
    current_state: AgreementState
    start_date: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """The latest letter (by `updated_at`) for the payment reference, 'uploaded' ones
    excluded."""

    status: str
    template_id: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RentCaseFacts:
    """Everything the rules look at for one rent case. Datetimes are timezone-aware UTC; a
    bare date means 00:00 UTC that day."""

    collectable_arrears: Decimal | None = None
    weekly_gross_rent: Decimal | None = None
    total_payment_amount_in_week: Decimal | None = None  # None is taken as 0
    days_since_last_payment: int | None = None
    nosp_served_date: dt.date | None = None
    last_communication_action: str | None = None
    last_communication_date: dt.datetime | None = None
    is_paused_until: dt.datetime | None = None
    eviction_date: dt.date | None = None  # present <=> an eviction record exists
    court_case: CourtCaseFacts | None = None
    agreement: AgreementFacts | None = None
    latest_document: DocumentFacts | None = None


@dataclass(frozen=True, slots=True)
class RentPolicy:
    """The thresholds and waiting periods of the rules, with the old system's values.

    Periods counted back from today for the last communication ("…_days", "…_months") are
    compared with 00:00 of the threshold day; the warrant windows with the exact instant."""

    # NOSP (§1.4): the notice period was 28 days until May 2020, then 3 months.
    nosp_cooling_off_months: int = DEFAULT_COOLING_OFF_MONTHS
    nosp_validity_weeks: int = DEFAULT_VALIDITY_WEEKS
    # R3: the SMS is for small arrears, at least this and below the ceiling (no grace).
    sms_minimum_arrears: Decimal = _FIVE_POUNDS
    sms_arrears_ceiling: Decimal = _TEN_POUNDS
    sms_gap_days: int = 7  # since the last SMS
    sms_contact_gap_months: int = 3  # since any other contact
    # R4, R5: letters need this much after one week's grace.
    letter_minimum_arrears: Decimal = _TEN_POUNDS
    letter_one_gap_months: int = 3  # since letter one or any later letter
    letter_two_after_days: int = 14  # after letter one...
    letter_two_within_months: int = 3  # ...and no later than this
    # R8, R13, R14: legal steps need this many weeks' rent after one week's grace.
    legal_action_weeks_of_rent: int = 4
    nosp_after_letter_two_days: int = 7
    nosp_within_months: int = 3  # of letter two
    court_date_after_warning_days: int = 14  # after the court warning letter (IC4)
    # R1: a warrant is applied for within this long of an outright possession order.
    warrant_within_months: int = 3
    # R8, R15: outcomes in WARRANT_OUTCOMES bind the tenant for this long after the hearing.
    court_warrant_years: int = 6
    # R7, R9: court-ordered agreement breached.
    court_breach_visit_after_days: int = 7  # after the court breach letter (CBL)...
    court_breach_visit_within_months: int = 3  # ...and no later than this
    court_breach_no_payment_after_visit_days: int = 7
    court_breach_no_payment_days: int = 8  # since the last payment
    # R10, R11: informal agreement breached.
    informal_breach_letter_gap_days: int = 7  # since any contact
    informal_breached_after_letter_days: int = 7  # after the breach letter (BLI)


DEFAULT_RENT_POLICY = RentPolicy()


@dataclass(frozen=True, slots=True)
class RentClassification:
    action: RentAction
    rule: str  # "R4 send_letter_one"; "none" for no_action
    reason: str  # for caseworkers: the rule's facts in plain English
    fired: tuple[RentAction, ...]  # every ruleset that fired, in precedence order


def classify_rent_case(
    facts: RentCaseFacts, *, now: dt.datetime, policy: RentPolicy = DEFAULT_RENT_POLICY
) -> RentClassification:
    """The next recommended action for a rent case at `now` (timezone-aware)."""
    case = _Case(facts, _clock(now, policy), policy)
    fired = tuple([action for action, applies in _PREDICATES if applies(case)])
    if not fired:
        return RentClassification(RentAction.NO_ACTION, "none", _no_action_reason(case), fired)
    first = fired[0]
    if fired == _SMS_AND_LETTER_ONE:
        first = RentAction.SEND_LETTER_ONE
    rule, reason = _EXPLANATIONS[first]
    return RentClassification(first, rule, reason(case), fired)


# Thresholds -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Clock:
    """`now`, today and every threshold instant of the policy, worked out once per `now`.

    `…_since` is 00:00 of the threshold day (today less the period): a contact strictly after
    that instant is within the period, one at or before it is at least that long ago."""

    now: dt.datetime
    today: dt.date
    sms_since: dt.datetime
    sms_contact_since: dt.datetime
    letter_one_gap_since: dt.datetime
    letter_two_after_since: dt.datetime
    letter_two_within_since: dt.datetime
    nosp_after_letter_two_since: dt.datetime
    nosp_within_since: dt.datetime
    court_date_after_warning_since: dt.datetime
    court_breach_visit_after_since: dt.datetime
    court_breach_visit_within_since: dt.datetime
    court_breach_no_payment_after_visit_since: dt.datetime
    informal_breach_letter_gap_since: dt.datetime
    informal_breached_after_letter_since: dt.datetime
    warrant_within_start: dt.datetime  # exact instants, not 00:00
    court_warrant_start: dt.datetime


# The nightly sync classifies every case against the same `now`, so the thresholds are worked
# out once for the whole run rather than once per case.
@functools.lru_cache(maxsize=16)
def _clock(now: dt.datetime, policy: RentPolicy) -> _Clock:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(dt.UTC)
    today = now.date()

    def days_ago(days: int) -> dt.datetime:
        return start_of_day(today - dt.timedelta(days=days))

    def months_ago(months: int) -> dt.datetime:
        return start_of_day(add_calendar_months(today, -months))

    def instant_months_ago(months: int) -> dt.datetime:
        day = add_calendar_months(today, -months)
        return now.replace(year=day.year, month=day.month, day=day.day)

    return _Clock(
        now=now,
        today=today,
        sms_since=days_ago(policy.sms_gap_days),
        sms_contact_since=months_ago(policy.sms_contact_gap_months),
        letter_one_gap_since=months_ago(policy.letter_one_gap_months),
        letter_two_after_since=days_ago(policy.letter_two_after_days),
        letter_two_within_since=months_ago(policy.letter_two_within_months),
        nosp_after_letter_two_since=days_ago(policy.nosp_after_letter_two_days),
        nosp_within_since=months_ago(policy.nosp_within_months),
        court_date_after_warning_since=days_ago(policy.court_date_after_warning_days),
        court_breach_visit_after_since=days_ago(policy.court_breach_visit_after_days),
        court_breach_visit_within_since=months_ago(policy.court_breach_visit_within_months),
        court_breach_no_payment_after_visit_since=days_ago(
            policy.court_breach_no_payment_after_visit_days
        ),
        informal_breach_letter_gap_since=days_ago(policy.informal_breach_letter_gap_days),
        informal_breached_after_letter_since=days_ago(policy.informal_breached_after_letter_days),
        warrant_within_start=instant_months_ago(policy.warrant_within_months),
        court_warrant_start=instant_months_ago(12 * policy.court_warrant_years),
    )


# A sync shares `now`, and many cases share a served date, so each NOSP is worked out once.
@functools.lru_cache(maxsize=4096)
def _nosp_state(
    served: dt.date, now: dt.datetime, cooling_off_months: int, validity_weeks: int
) -> tuple[Nosp, bool, bool]:
    """The NOSP, whether it is valid and whether it is active."""
    nosp = Nosp(served, cooling_off_months, validity_weeks)
    return nosp, nosp.is_valid(now), nosp.is_active(now)


# The shared predicates (§1.5) -------------------------------------------------------------


class _Case:
    """One case's facts with the shared predicates of §1.5 worked out once, for the rules and
    the reasons to read."""

    __slots__ = (
        "action",
        "active_agreement",
        "after_grace",
        "clock",
        "contact",
        "court_breach",
        "court_date",
        "court_in_future",
        "facts",
        "informal_breach",
        "legal_action_arrears",
        "nosp",
        "nosp_active",
        "nosp_valid",
        "outcome",
        "paused",
        "policy",
        "prevented",
        "warrant_active",
    )

    def __init__(self, facts: RentCaseFacts, clock: _Clock, policy: RentPolicy) -> None:
        now = clock.now
        self.facts = facts
        self.clock = clock
        self.policy = policy
        self.action = facts.last_communication_action
        self.contact = facts.last_communication_date

        arrears = facts.collectable_arrears
        rent = facts.weekly_gross_rent
        self.after_grace: Decimal | None = None
        self.legal_action_arrears: Decimal | None = None
        if arrears is not None and rent is not None:
            # One week's rent, less what has been paid this week (payments are negative).
            grace = rent + (facts.total_payment_amount_in_week or _ZERO)
            self.after_grace = arrears - grace if grace > _ZERO else arrears
            self.legal_action_arrears = rent * policy.legal_action_weeks_of_rent

        court = facts.court_case
        court_date: dt.datetime | None = None
        outcome: str | None = None
        if court is not None:
            court_date = court.court_date
            # Blank (None, empty or spaces) means no outcome.
            outcome = (court.court_outcome or "").strip() or None
        self.court_date = court_date
        self.outcome = outcome
        self.court_in_future = court_date is not None and court_date > now
        self.warrant_active = (
            court_date is not None
            and outcome in WARRANT_OUTCOMES
            and court_date > clock.court_warrant_start
        )

        paused_until = facts.is_paused_until
        self.paused = paused_until is not None and paused_until > now
        self.prevented = self.paused or facts.eviction_date is not None or self.court_in_future

        agreement = facts.agreement
        self.active_agreement = (
            agreement is not None and agreement.current_state in ACTIVE_AGREEMENT_STATES
        )
        self.informal_breach = False
        self.court_breach = False
        if (
            agreement is not None
            and agreement.current_state == AgreementState.BREACHED
            and agreement.start_date is not None
        ):
            if agreement.agreement_type == AgreementType.INFORMAL:
                self.informal_breach = True
            else:
                # Same-day start allowed: compared as days, whatever time the hearing was.
                self.court_breach = (
                    court_date is not None and agreement.start_date.date() >= court_date.date()
                )

        served = facts.nosp_served_date
        if served is None:
            self.nosp: Nosp | None = None
            self.nosp_valid = False
            self.nosp_active = False
        else:
            self.nosp, self.nosp_valid, self.nosp_active = _nosp_state(
                served, now, policy.nosp_cooling_off_months, policy.nosp_validity_weeks
            )

    def contact_within(self, since: dt.datetime) -> bool:
        """The last communication is after 00:00 of the threshold day."""
        return self.contact is not None and self.contact > since

    def contact_at_least(self, since: dt.datetime) -> bool:
        """The last communication is at or before 00:00 of the threshold day."""
        return self.contact is not None and self.contact <= since


# The rulesets (§1.7), in precedence order ---------------------------------------------------


def _apply_for_outright_possession_warrant(c: _Case) -> bool:
    return (
        not c.prevented  # includes a hearing still to come
        and not c.active_agreement
        and c.court_date is not None
        and c.court_date >= c.clock.warrant_within_start
        and c.action != WARRANT_OF_POSSESSION_APPLIED
        and c.outcome in OUTRIGHT_POSSESSION_OUTCOMES
    )


def _review_failed_letter(c: _Case) -> bool:
    # Not held back by a pause, an eviction or a hearing: a rejected letter needs a person.
    document = c.facts.latest_document
    return (
        document is not None
        and document.status == VALIDATION_FAILED
        and document.template_id in INCOME_LETTER_TEMPLATE_IDS
    )


def _send_first_sms(c: _Case) -> bool:
    arrears = c.facts.collectable_arrears
    if (
        c.prevented
        or arrears is None
        or c.court_date is not None
        or c.nosp is not None  # even an expired NOSP
        or c.active_agreement
        or not c.policy.sms_minimum_arrears <= arrears < c.policy.sms_arrears_ceiling
    ):
        return False
    action = c.action
    if action is None:
        return True
    if action in SMS_CODES:
        return not c.contact_within(c.clock.sms_since)
    return not c.contact_within(c.clock.sms_contact_since)


def _send_letter_one(c: _Case) -> bool:
    # Other recent contact (an SMS, a visit, a call) does not hold letter one back.
    return (
        not c.prevented
        and c.after_grace is not None
        and c.nosp is None
        and not c.active_agreement
        and not (
            c.action in LETTER_ONE_OR_LATER_CODES and c.contact_within(c.clock.letter_one_gap_since)
        )
        and c.after_grace >= c.policy.letter_minimum_arrears
        and c.court_date is None
    )


def _send_letter_two(c: _Case) -> bool:
    return (
        not c.prevented
        and c.after_grace is not None
        and not c.active_agreement
        and c.nosp is None
        and c.action in LETTER_ONE_CODES
        and not c.contact_within(c.clock.letter_two_after_since)
        and not c.contact_at_least(c.clock.letter_two_within_since)
        and c.after_grace >= c.policy.letter_minimum_arrears
        and c.court_date is None
    )


def _update_court_outcome_action(c: _Case) -> bool:
    return (
        not c.prevented  # includes a hearing still to come
        and c.court_date is not None
        and not c.court_breach
        and c.outcome is None
    )


def _court_breach_visit(c: _Case) -> bool:
    return (
        not c.prevented
        and c.court_breach  # which needs a court date
        and c.action == COURT_BREACH_LETTER
        and c.contact_at_least(c.clock.court_breach_visit_after_since)
        and c.contact_within(c.clock.court_breach_visit_within_since)
    )


def _send_nosp(c: _Case) -> bool:
    if (
        c.prevented
        or c.after_grace is None
        or c.legal_action_arrears is None
        or c.active_agreement
        or c.nosp_valid
        or c.warrant_active
        or (c.court_date is not None and c.outcome is None)  # outcome missing
    ):
        return False
    # A first NOSP follows letter two; a new one after an expired NOSP needs no letter.
    if c.nosp is None and not (
        c.action in LETTER_TWO_CODES
        and not c.contact_at_least(c.clock.nosp_within_since)
        and not c.contact_within(c.clock.nosp_after_letter_two_since)
    ):
        return False
    return c.after_grace >= c.legal_action_arrears


def _court_breach_no_payment(c: _Case) -> bool:
    return (
        not c.prevented
        and c.court_breach
        and (c.facts.days_since_last_payment or 0) >= c.policy.court_breach_no_payment_days
        and c.action == COURT_BREACH_VISIT
        and c.contact_at_least(c.clock.court_breach_no_payment_after_visit_since)
    )


def _send_informal_agreement_breach_letter(c: _Case) -> bool:
    return (
        not c.prevented
        and not c.nosp_valid  # an expired NOSP does not hold the letter back
        and c.action not in BREACH_FOLLOW_UP_CODES
        and not c.contact_within(c.clock.informal_breach_letter_gap_since)
        and c.informal_breach
    )


def _informal_breached_after_letter(c: _Case) -> bool:
    return (
        not c.prevented
        and c.nosp is None  # even an expired NOSP
        and c.action == INFORMAL_BREACH_LETTER
        and not c.contact_within(c.clock.informal_breached_after_letter_since)
        and c.informal_breach
    )


def _address_court_agreement_breach(c: _Case) -> bool:
    return not c.prevented and c.action not in COURT_BREACH_FOLLOW_UP_CODES and c.court_breach


def _send_court_warning_letter(c: _Case) -> bool:
    return (
        not c.prevented
        and c.after_grace is not None
        and c.legal_action_arrears is not None
        and not c.active_agreement
        and c.action != COURT_WARNING_LETTER
        and not (c.court_date is not None and c.court_date < c.clock.now)
        and c.nosp_active
        and c.after_grace >= c.legal_action_arrears
    )


def _apply_for_court_date(c: _Case) -> bool:
    return (
        not c.prevented
        and c.after_grace is not None
        and c.legal_action_arrears is not None
        and not c.active_agreement
        and c.action == COURT_WARNING_LETTER
        and not c.contact_within(c.clock.court_date_after_warning_since)
        and c.nosp_active  # which needs a NOSP served
        and not _hearing_after_court_warning_letter(c)
        and c.after_grace >= c.legal_action_arrears
    )


def _hearing_after_court_warning_letter(c: _Case) -> bool:
    """A hearing after the court warning letter has used the letter up. Without a date for the
    letter nobody can tell, so any hearing counts as after it."""
    if c.court_date is None:
        return False
    return c.contact is None or c.court_date > c.contact


def _check_data(c: _Case) -> bool:
    # Only a pause holds this back: bad data needs fixing whatever else is going on.
    court = c.facts.court_case
    return (
        not c.paused
        and court is not None
        and (
            _warrant_without_agreement(c)
            or _outcome_without_date(c)
            or _court_agreement_missing(c, court) is not None
        )
    )


def _warrant_without_agreement(c: _Case) -> bool:
    """(a) An outcome that binds the tenant for six years, with no active agreement: "been to
    court on terms but no agreement recorded"."""
    return c.warrant_active and not c.active_agreement


def _outcome_without_date(c: _Case) -> bool:
    """(b) An outcome is recorded for a hearing with no date."""
    return c.court_date is None and c.outcome is not None


def _data_problems(c: _Case, court: CourtCaseFacts) -> list[str]:
    """What is inconsistent about the court case and agreement records (R15), in words."""
    problems = []
    if _warrant_without_agreement(c):
        problems.append(
            f"court outcome {_outcome_in_words(c)} at the hearing on {_day(c.court_date)}, but"
            " no active agreement is recorded"
        )
    if _outcome_without_date(c):
        problems.append(f"court outcome {_outcome_in_words(c)} is recorded without a court date")
    missing = _court_agreement_missing(c, court)
    if missing is not None:
        problems.append(f"the court set terms but no court agreement is recorded ({missing})")
    return problems


def _court_agreement_missing(c: _Case, court: CourtCaseFacts) -> str | None:
    """(c) Why the most recent agreement is not the one the court's terms call for; None if
    it is, if there are no terms, or if they no longer bind (struck out, or a suspension on
    terms six years on)."""
    if court.terms is not True:
        return None
    terms = CourtCaseTerms(c.court_date, c.outcome, court.strike_out_date, court.terms)
    if not results_in_agreement(terms, today=c.clock.today):
        return None
    agreement = c.facts.agreement
    if agreement is None:
        return "there is no agreement"
    if agreement.agreement_type == AgreementType.INFORMAL:
        return "the latest agreement is informal"
    start = agreement.start_date
    # Without a hearing date (or a start date) a formal agreement cannot be shown to predate
    # the hearing, so it is taken to be the court agreement.
    if start is not None and c.court_date is not None and start.date() < c.court_date.date():
        hearing = _day(c.court_date)
        return f"the latest agreement started {_day(start)}, before the hearing on {hearing}"
    return None


_SMS_AND_LETTER_ONE = (RentAction.SEND_FIRST_SMS, RentAction.SEND_LETTER_ONE)


# Reasons ------------------------------------------------------------------------------------
# Only the recommended action's reason is built, so these may take their time a little.

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value: dt.date | None) -> str:
    """'12 Aug 2026' (a datetime is shown by its UTC day)."""
    if value is None:
        return "an unrecorded date"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _money(amount: Decimal | None) -> str:
    """'£1,234.50', '-£3.00'."""
    if amount is None:
        return "not known"
    if amount < 0:
        return f"-£{-amount:,.2f}"
    return f"£{amount:,.2f}"


def _pounds(amount: Decimal) -> str:
    """A threshold: '£10', or '£7.50' when it has pence."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return _money(amount)


def _sentence(text: str) -> str:
    """`text` with its first letter in capitals (str.capitalize would lower action codes)."""
    return text[:1].upper() + text[1:]


def _period(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _sent(c: _Case, count: int, unit: str) -> str:
    """When the last communication was, for a rule that needs it at least that long ago."""
    if c.contact is None:
        return "on an unrecorded date"
    return f"{_day(c.contact)}, at least {_period(count, unit)} ago"


def _last_contact(c: _Case) -> str:
    action = c.action
    if action is None:
        return "no contact recorded"
    return f"last contact {action} on {_day(c.contact)}"


def _started(agreement: AgreementFacts | None) -> str:
    if agreement is None or agreement.start_date is None:
        return "with no start date"
    return f"started {_day(agreement.start_date)}"


def _outcome_in_words(c: _Case) -> str:
    """'OPD (Outright possession with date)'."""
    if c.outcome is None:
        return "not recorded"
    return f"{c.outcome} ({court_outcome_description(c.outcome)})"


def _after_grace(c: _Case) -> str:
    return f"arrears after one week's grace {_money(c.after_grace)}"


def _legal_action_arrears(c: _Case) -> str:
    weeks = c.policy.legal_action_weeks_of_rent
    return f"{_after_grace(c)} ≥ {weeks} weeks' rent ({_money(c.legal_action_arrears)})"


def _below_legal_action_arrears(c: _Case) -> str:
    weeks = c.policy.legal_action_weeks_of_rent
    return (
        f"{_sentence(_after_grace(c))} are below {weeks} weeks' rent"
        f" ({_money(c.legal_action_arrears)})"
    )


def _nosp_served(c: _Case) -> str:
    return f"NOSP served {_day(c.facts.nosp_served_date)}"


def _warrant_reason(c: _Case) -> str:
    return (
        f"Court outcome {_outcome_in_words(c)} at the hearing on {_day(c.court_date)}, within"
        f" the last {_period(c.policy.warrant_within_months, 'month')}; no active agreement and"
        " no warrant application (WPA) recorded"
    )


def _failed_letter_reason(c: _Case) -> str:
    document = c.facts.latest_document
    assert document is not None  # the rule fired
    name = document.template_id.replace("_", " ").capitalize()
    return (
        f"The latest letter, {name} (updated {_day(document.updated_at)}), failed"
        " GOV.UK Notify validation"
    )


def _sms_reason(c: _Case) -> str:
    p = c.policy
    action = c.action
    if action is None:
        contact = "no contact recorded"
    elif c.contact is None:
        contact = f"last contact {action} has no date"
    elif action in SMS_CODES:
        contact = f"last SMS ({action}) sent {_sent(c, p.sms_gap_days, 'day')}"
    else:
        contact = f"no contact since {action} on {_sent(c, p.sms_contact_gap_months, 'month')}"
    return (
        f"Collectable arrears {_money(c.facts.collectable_arrears)} are at least"
        f" {_pounds(p.sms_minimum_arrears)} and under {_pounds(p.sms_arrears_ceiling)}; {contact}"
    )


def _letter_one_reason(c: _Case) -> str:
    p = c.policy
    action = c.action
    if action is None:
        contact = "no contact recorded"
    elif action in LETTER_ONE_OR_LATER_CODES:
        contact = f"last letter ({action}) sent {_sent(c, p.letter_one_gap_months, 'month')}"
    else:
        contact = f"{_last_contact(c)}, not an arrears letter"
    return f"{_sentence(_after_grace(c))} ≥ {_pounds(p.letter_minimum_arrears)}; {contact}"


def _letter_two_reason(c: _Case) -> str:
    p = c.policy
    return (
        f"Letter 1 ({c.action}) sent"
        f" {_sent(c, p.letter_two_after_days, 'day')}; {_after_grace(c)} ≥"
        f" {_pounds(p.letter_minimum_arrears)}"
    )


def _court_outcome_reason(c: _Case) -> str:
    return f"Court hearing on {_day(c.court_date)} has passed and no court outcome is recorded"


def _court_breach_visit_reason(c: _Case) -> str:
    return (
        f"Court breach letter (CBL) sent"
        f" {_sent(c, c.policy.court_breach_visit_after_days, 'day')}; the court agreement"
        f" {_started(c.facts.agreement)} (hearing {_day(c.court_date)}) is still breached"
    )


def _nosp_reason(c: _Case) -> str:
    nosp = c.nosp
    if nosp is None:
        history = (
            f"Letter 2 ({c.action}) sent"
            f" {_sent(c, c.policy.nosp_after_letter_two_days, 'day')}; no NOSP served"
        )
    else:
        history = (
            f"{_nosp_served(c)} is no longer valid (valid until {_day(nosp.valid_until_date)})"
        )
    return f"{history}; {_legal_action_arrears(c)}"


def _court_breach_no_payment_reason(c: _Case) -> str:
    days = c.facts.days_since_last_payment
    payment = "no payment recorded" if days is None else f"last payment {_period(days, 'day')} ago"
    return (
        f"Court breach visit (CBV) on"
        f" {_sent(c, c.policy.court_breach_no_payment_after_visit_days, 'day')}; {payment};"
        f" the court agreement {_started(c.facts.agreement)} is still breached"
    )


def _informal_breach_letter_reason(c: _Case) -> str:
    action = c.action
    if action is None:
        contact = "no contact recorded"
    elif c.contact is None:
        contact = f"last contact {action} (undated) is not a breach letter"
    else:
        gap = _period(c.policy.informal_breach_letter_gap_days, "day")
        contact = f"{_last_contact(c)} (at least {gap} ago) is not a breach letter"
    return f"Informal agreement {_started(c.facts.agreement)} is breached; {contact}"


def _informal_breached_after_letter_reason(c: _Case) -> str:
    return (
        f"Informal breach letter (BLI) sent"
        f" {_sent(c, c.policy.informal_breached_after_letter_days, 'day')}; the informal"
        f" agreement {_started(c.facts.agreement)} is still breached"
    )


def _court_agreement_breach_reason(c: _Case) -> str:
    if c.action is None:
        contact = "no contact recorded"
    else:
        contact = f"{_last_contact(c)}, not a court breach letter (CBL) or visit (CBV)"
    return (
        f"Court agreement {_started(c.facts.agreement)} (hearing {_day(c.court_date)}) is"
        f" breached; {contact}"
    )


def _court_warning_letter_reason(c: _Case) -> str:
    nosp = c.nosp
    assert nosp is not None  # the rule fired
    return (
        f"{_nosp_served(c)} is active (cooling-off ended {_day(nosp.expires_date)});"
        f" {_legal_action_arrears(c)}; {_last_contact(c)}"
    )


def _court_date_reason(c: _Case) -> str:
    return (
        f"Court warning letter (IC4) sent"
        f" {_sent(c, c.policy.court_date_after_warning_days, 'day')}; {_nosp_served(c)} is"
        f" active; {_legal_action_arrears(c)}"
    )


def _check_data_reason(c: _Case) -> str:
    court = c.facts.court_case
    assert court is not None  # the rule fired
    return _sentence("; ".join(_data_problems(c, court)))


def _no_action_reason(c: _Case) -> str:
    """Why nothing is due: the first of the usual holding facts that applies, roughly in the
    order a caseworker would look for them."""
    f = c.facts
    p = c.policy
    clock = c.clock
    action = f.last_communication_action
    arrears = f.collectable_arrears
    agreement = f.agreement
    if c.paused:
        return f"Paused until {_day(f.is_paused_until)}"
    if f.eviction_date is not None:
        return f"Eviction date set: {_day(f.eviction_date)}"
    if c.court_in_future:
        return f"Court hearing on {_day(c.court_date)}"
    if arrears is None:
        return "Collectable arrears are not known"
    if agreement is not None and c.active_agreement:
        kind = agreement.agreement_type.value.capitalize()
        if agreement.current_state == AgreementState.LIVE:
            return f"{kind} agreement {_started(agreement)} is being kept"
        if agreement.agreement_type == AgreementType.FORMAL and not c.court_breach:
            return (
                f"{kind} agreement {_started(agreement)} is breached, but it does not start on"
                " or after a recorded court hearing"
            )
        return f"{kind} agreement {_started(agreement)} is breached; {_last_contact(c)}"
    if c.outcome in OUTRIGHT_POSSESSION_OUTCOMES:
        if action == WARRANT_OF_POSSESSION_APPLIED:
            return f"Warrant of possession applied for (WPA) on {_day(c.contact)}"
        return (
            f"Court outcome {_outcome_in_words(c)} at the hearing on {_day(c.court_date)}, over"
            f" {_period(p.warrant_within_months, 'month')} ago"
        )
    if arrears < p.sms_minimum_arrears:
        return f"Collectable arrears {_money(arrears)} are below {_pounds(p.sms_minimum_arrears)}"
    letter_stage = f.nosp_served_date is None and c.court_date is None
    if letter_stage and arrears < p.sms_arrears_ceiling and action is not None:
        if action in SMS_CODES and c.contact_within(clock.sms_since):
            return (
                f"SMS ({action}) sent {_day(c.contact)}, within the last"
                f" {_period(p.sms_gap_days, 'day')}"
            )
        if action not in SMS_CODES and c.contact_within(clock.sms_contact_since):
            return (
                f"Collectable arrears {_money(arrears)} are under"
                f" {_pounds(p.sms_arrears_ceiling)}; contact {action} on {_day(c.contact)},"
                f" within the last {_period(p.sms_contact_gap_months, 'month')}"
            )
    if c.after_grace is None or c.legal_action_arrears is None:
        return "Weekly gross rent is not known"
    if c.after_grace < p.letter_minimum_arrears:
        return f"{_sentence(_after_grace(c))} are below {_pounds(p.letter_minimum_arrears)}"
    if letter_stage:
        if action in LETTER_ONE_CODES and c.contact_within(clock.letter_two_after_since):
            return (
                f"Letter 1 ({action}) sent {_day(c.contact)}, within the last"
                f" {_period(p.letter_two_after_days, 'day')}"
            )
        if action in LETTER_TWO_CODES and c.contact_within(clock.nosp_after_letter_two_since):
            return (
                f"Letter 2 ({action}) sent {_day(c.contact)}, within the last"
                f" {_period(p.nosp_after_letter_two_days, 'day')}"
            )
        if action in LETTER_ONE_OR_LATER_CODES and c.contact_within(clock.letter_one_gap_since):
            letter = f"last letter ({action}) sent {_day(c.contact)}"
            if c.after_grace < c.legal_action_arrears:
                return f"{_below_legal_action_arrears(c)}; {letter}"
            gap = _period(p.letter_one_gap_months, "month")
            return f"{_sentence(letter)}, within the last {gap}"
    nosp = c.nosp
    if nosp is not None and nosp.in_cool_off_period(clock.now):
        return f"{_nosp_served(c)} is in its cooling-off period until {_day(nosp.expires_date)}"
    if c.after_grace < c.legal_action_arrears:
        return _below_legal_action_arrears(c)
    if action == COURT_WARNING_LETTER and c.contact_within(clock.court_date_after_warning_since):
        return (
            f"Court warning letter (IC4) sent {_day(c.contact)}, within the last"
            f" {_period(p.court_date_after_warning_days, 'day')}"
        )
    if c.court_date is not None:
        return f"Court hearing held on {_day(c.court_date)}; outcome {_outcome_in_words(c)}"
    return f"No rule applies; {_last_contact(c)}; {_after_grace(c)}"


class _Ruleset(NamedTuple):
    action: RentAction
    applies: Callable[[_Case], bool]
    explain: Callable[[_Case], str]


_RULESETS = (
    _Ruleset(
        RentAction.APPLY_FOR_OUTRIGHT_POSSESSION_WARRANT,
        _apply_for_outright_possession_warrant,
        _warrant_reason,
    ),
    _Ruleset(RentAction.REVIEW_FAILED_LETTER, _review_failed_letter, _failed_letter_reason),
    _Ruleset(RentAction.SEND_FIRST_SMS, _send_first_sms, _sms_reason),
    _Ruleset(RentAction.SEND_LETTER_ONE, _send_letter_one, _letter_one_reason),
    _Ruleset(RentAction.SEND_LETTER_TWO, _send_letter_two, _letter_two_reason),
    _Ruleset(
        RentAction.UPDATE_COURT_OUTCOME_ACTION, _update_court_outcome_action, _court_outcome_reason
    ),
    _Ruleset(RentAction.COURT_BREACH_VISIT, _court_breach_visit, _court_breach_visit_reason),
    _Ruleset(RentAction.SEND_NOSP, _send_nosp, _nosp_reason),
    _Ruleset(
        RentAction.COURT_BREACH_NO_PAYMENT,
        _court_breach_no_payment,
        _court_breach_no_payment_reason,
    ),
    _Ruleset(
        RentAction.SEND_INFORMAL_AGREEMENT_BREACH_LETTER,
        _send_informal_agreement_breach_letter,
        _informal_breach_letter_reason,
    ),
    _Ruleset(
        RentAction.INFORMAL_BREACHED_AFTER_LETTER,
        _informal_breached_after_letter,
        _informal_breached_after_letter_reason,
    ),
    _Ruleset(
        RentAction.ADDRESS_COURT_AGREEMENT_BREACH,
        _address_court_agreement_breach,
        _court_agreement_breach_reason,
    ),
    _Ruleset(
        RentAction.SEND_COURT_WARNING_LETTER,
        _send_court_warning_letter,
        _court_warning_letter_reason,
    ),
    _Ruleset(RentAction.APPLY_FOR_COURT_DATE, _apply_for_court_date, _court_date_reason),
    _Ruleset(RentAction.CHECK_DATA, _check_data, _check_data_reason),
)

# What the hot loop walks: (action, predicate) pairs, in precedence order.
_PREDICATES = tuple((ruleset.action, ruleset.applies) for ruleset in _RULESETS)

# The recommended action's rule label ("R4 send_letter_one") and reason.
_EXPLANATIONS = {
    ruleset.action: (f"R{number} {ruleset.action.value}", ruleset.explain)
    for number, ruleset in enumerate(_RULESETS, start=1)
}
