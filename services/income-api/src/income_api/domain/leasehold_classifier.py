"""The next recommended action for a leasehold (service charge) account in arrears.

Same shape as the rent classifier (income-rules §1.7): an ordered list of independent
rulesets, each recommending its action or nothing; the first that fires wins. Every ruleset is
evaluated, so `fired` also shows what a pause, a dispute or a direct debit is holding back.
Pure: `now` and the policy are arguments, which is also how a what-if is run. The policy and
the reasoning behind each number are in docs/leasehold-policy.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum

from income_api.domain.nosp import add_calendar_months
from income_api.domain.terms import LeaseholdAction


@dataclass(frozen=True, slots=True)
class LeaseholdFacts:
    """What is known about one account: uh-gateway's leasehold criteria plus the pause."""

    balance: Decimal | None = None
    tenure: str | None = None
    latest_letter: str | None = None
    latest_letter_date: dt.datetime | None = None  # aware UTC; a bare date = 00:00 UTC
    last_payment_date: dt.date | None = None
    direct_debit_status: str | None = None
    direct_debit_amount: Decimal | None = None
    balance_in_dispute: Decimal | None = None
    money_judgement: Decimal | None = None
    is_paused_until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class LeaseholdPolicy:
    """The ladder's thresholds and intervals. The defaults are the council's policy; a what-if
    passes a changed copy (`dataclasses.replace(DEFAULT_LEASEHOLD_POLICY, ...)`)."""

    # Letter 1: arrears at least this, and no leasehold letter within the quiet period.
    letter_one_threshold: Decimal = Decimal("10")
    letter_one_quiet_period_months: int = 3
    # Letter 2: from the minimum to the maximum after letter 1, arrears still at least this.
    letter_two_threshold: Decimal = Decimal("10")
    letter_two_min_days: int = 28
    letter_two_max_months: int = 3
    # Letter before action (LBA): likewise after letter 2.
    lba_threshold: Decimal = Decimal("350")
    lba_min_days: int = 28
    lba_max_months: int = 3
    # The reply-by date the LBA prints: the day it is sent plus this (income-rules §5).
    lba_reply_days: int = 30
    # Legal referral: this many days after the reply-by date, arrears still at least the
    # threshold, until the LBA is `legal_referral_max_months` old; an older LBA has lapsed and
    # the ladder starts again at letter 1.
    legal_referral_threshold: Decimal = Decimal("350")
    legal_referral_days_after_reply_by: int = 30
    legal_referral_max_months: int = 6
    # A direct debit in one of these states whose amount, collected this many times, clears the
    # arrears holds escalation. Service charge accounts are charged monthly (UH period 01), so
    # the amount is monthly and 12 collections are the service charge year.
    direct_debit_active_statuses: frozenset[str] = frozenset({"Live", "First Payment Pending"})
    direct_debit_cover_months: int = 12

    def __post_init__(self) -> None:
        # A negative threshold or interval is a typing slip that would silently let every
        # account through a rung; refuse it where the policy is built.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, int | Decimal) and value < 0:
                raise ValueError(f"{field.name} must not be negative, got {value}")


DEFAULT_LEASEHOLD_POLICY = LeaseholdPolicy()


@dataclass(frozen=True, slots=True)
class LeaseholdClassification:
    """The recommendation, the ruleset that made it, why (for caseworkers), and every action
    that fired in precedence order (empty when none did and the account is simply not due)."""

    action: LeaseholdAction
    rule: str
    reason: str
    fired: tuple[LeaseholdAction, ...]


class _Step(Enum):
    """A rung already climbed, as the latest leasehold letter on the action diary shows it."""

    LETTER_ONE = "letter 1"
    LETTER_TWO = "letter 2"
    LETTER_BEFORE_ACTION = "letter before action"


# income-rules §8.2: letters 1 and 2 come in leasehold, freehold and shared ownership variants;
# SLB is written when the LBA is downloaded to be posted ("LBA sent (SC)").
_STEP_BY_LETTER_CODE: dict[str, _Step] = {
    "LL1": _Step.LETTER_ONE,
    "LF1": _Step.LETTER_ONE,
    "LS1": _Step.LETTER_ONE,
    "LL2": _Step.LETTER_TWO,
    "LF2": _Step.LETTER_TWO,
    "LS2": _Step.LETTER_TWO,
    "SLB": _Step.LETTER_BEFORE_ACTION,
}

_LETTER_VARIANT_BY_TENURE: dict[str, str] = {"LEA": "LH", "FRS": "FH", "SHO": "SO"}


def letter_variant(tenure: str | None) -> str | None:
    """The letter variant for a tenure code (income-rules §5): LH, FH or SO; None if unknown."""
    if tenure is None:
        return None
    return _LETTER_VARIANT_BY_TENURE.get(tenure)


@dataclass(frozen=True, slots=True)
class _LatestLetter:
    step: _Step
    code: str
    sent: dt.datetime


@dataclass(frozen=True, slots=True)
class _Case:
    facts: LeaseholdFacts
    policy: LeaseholdPolicy
    now: dt.datetime
    today: dt.date
    # The arrears the ladder pursues: the balance less any money judgement, never below zero.
    arrears: Decimal | None
    latest: _LatestLetter | None
    # False when the diary's latest letter is half-recorded or unrecognised: "no letter" would
    # then be a guess, so letter 1 must not fire on it.
    letter_history_known: bool


@dataclass(frozen=True, slots=True)
class _Window:
    """When the rung after a letter is due: from `opens` up to the day before `closes`."""

    rung: str
    threshold: Decimal
    opens: dt.date
    closes: dt.date


def classify_leasehold_case(
    facts: LeaseholdFacts,
    *,
    now: dt.datetime,
    policy: LeaseholdPolicy = DEFAULT_LEASEHOLD_POLICY,
) -> LeaseholdClassification:
    """Run every ruleset in precedence order; the first that fires is the recommendation."""
    case = _case(facts, now, policy)
    fired = [
        (ruleset, reason)
        for ruleset in _RULESETS
        if (reason := ruleset.reason_if_fires(case)) is not None
    ]
    if not fired:
        rule, reason = _explain_nothing_due(case)
        return LeaseholdClassification(LeaseholdAction.NO_ACTION, rule, reason, ())
    first, reason = fired[0]
    return LeaseholdClassification(
        action=first.action,
        rule=first.name,
        reason=reason,
        fired=tuple(ruleset.action for ruleset, _ in fired),
    )


def _case(facts: LeaseholdFacts, now: dt.datetime, policy: LeaseholdPolicy) -> _Case:
    for name, value in (
        ("now", now),
        ("latest_letter_date", facts.latest_letter_date),
        ("is_paused_until", facts.is_paused_until),
    ):
        # A naive datetime would be compared in whatever zone its writer meant: refuse it.
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
    arrears = None
    if facts.balance is not None:
        arrears = max(facts.balance - (facts.money_judgement or Decimal(0)), Decimal(0))
    latest = None
    if facts.latest_letter is not None and facts.latest_letter_date is not None:
        step = _STEP_BY_LETTER_CODE.get(facts.latest_letter)
        if step is not None:
            latest = _LatestLetter(step, facts.latest_letter, facts.latest_letter_date)
    no_letter = facts.latest_letter is None and facts.latest_letter_date is None
    return _Case(
        facts=facts,
        policy=policy,
        now=now,
        today=now.astimezone(dt.UTC).date(),
        arrears=arrears,
        latest=latest,
        letter_history_known=no_letter or latest is not None,
    )


# Time semantics (income-rules §1.3) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Period:
    """Whole days or whole calendar months (clamped to the month's end, as dateutil's
    relativedelta and Rails' `months.ago` do), without relativedelta's cost per call."""

    days: int = 0
    months: int = 0

    def after(self, day: dt.date) -> dt.date:
        return add_calendar_months(day, self.months) + dt.timedelta(days=self.days)

    def before(self, day: dt.date) -> dt.date:
        return add_calendar_months(day, -self.months) - dt.timedelta(days=self.days)


def _first_day_older_than(when: dt.datetime, period: _Period) -> dt.date:
    """The first day on which `when` is "older than" `period` in the rent rules' sense:
    at or before 00:00 of the day `period` ago. So a letter sent at 10:00 counts its days from
    the next midnight, and one recorded as a bare date from that day."""
    when = when.astimezone(dt.UTC)
    first_whole_day = when.date()
    if when.time() != dt.time(0):
        first_whole_day += dt.timedelta(days=1)
    candidate = period.after(first_whole_day)
    # Month arithmetic clamps to the month end: 30 Nov + 3 months is 28 Feb, yet 28 Feb less
    # 3 months is 28 Nov, still before 30 Nov; the letter is old enough only from 1 Mar.
    if period.before(candidate) < first_whole_day:
        candidate += dt.timedelta(days=1)
    return candidate


def _window_after(latest: _LatestLetter, policy: LeaseholdPolicy) -> _Window:
    if latest.step is _Step.LETTER_ONE:
        return _Window(
            rung="letter 2",
            threshold=policy.letter_two_threshold,
            opens=_first_day_older_than(latest.sent, _Period(days=policy.letter_two_min_days)),
            closes=_first_day_older_than(latest.sent, _Period(months=policy.letter_two_max_months)),
        )
    if latest.step is _Step.LETTER_TWO:
        return _Window(
            rung="a letter before action",
            threshold=policy.lba_threshold,
            opens=_first_day_older_than(latest.sent, _Period(days=policy.lba_min_days)),
            closes=_first_day_older_than(latest.sent, _Period(months=policy.lba_max_months)),
        )
    # The reply-by date is a calendar date printed on the letter, so the referral counts whole
    # days from it, whatever time of day the LBA was recorded.
    return _Window(
        rung="legal referral",
        threshold=policy.legal_referral_threshold,
        opens=_reply_by(latest, policy)
        + dt.timedelta(days=policy.legal_referral_days_after_reply_by),
        closes=_first_day_older_than(latest.sent, _Period(months=policy.legal_referral_max_months)),
    )


def _reply_by(latest: _LatestLetter, policy: LeaseholdPolicy) -> dt.date:
    return latest.sent.astimezone(dt.UTC).date() + dt.timedelta(days=policy.lba_reply_days)


def _letter_one_allowed_from(latest: _LatestLetter, policy: LeaseholdPolicy) -> dt.date:
    """Letter 1 restarts the ladder once the latest letter is past the quiet period; an LBA
    also has to have lapsed, or letter 1 would compete with the legal referral it threatened."""
    quiet_until = _first_day_older_than(
        latest.sent, _Period(months=policy.letter_one_quiet_period_months)
    )
    if latest.step is _Step.LETTER_BEFORE_ACTION:
        return max(quiet_until, _window_after(latest, policy).closes)
    return quiet_until


# The rulesets, in precedence order -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ruleset:
    name: str
    action: LeaseholdAction
    reason_if_fires: Callable[[_Case], str | None]


def _paused(case: _Case) -> str | None:
    until = case.facts.is_paused_until
    if until is None or until <= case.now:
        return None
    return f"Paused until {_date(until)}."


def _balance_in_dispute(case: _Case) -> str | None:
    disputed = case.facts.balance_in_dispute
    if disputed is None or disputed <= 0:
        return None
    balance = case.facts.balance
    of_balance = f" of the {_money(balance)} balance" if balance is not None else ""
    return (
        f"{_money(disputed)}{of_balance} is in dispute. "
        "Resolve the dispute before any further letter or legal action."
    )


def _data_problems(case: _Case) -> str | None:
    facts = case.facts
    problems = []
    if facts.balance is None:
        problems.append("the balance is missing")
    if facts.tenure is None:
        problems.append("the tenure is missing, so no letter variant (LH, FH or SO) can be chosen")
    elif letter_variant(facts.tenure) is None:
        problems.append(
            f"tenure {facts.tenure} has no leasehold letter variant (expected LEA, FRS or SHO)"
        )
    if facts.latest_letter is not None and facts.latest_letter not in _STEP_BY_LETTER_CODE:
        problems.append(f"latest letter {facts.latest_letter} is not a leasehold letter code")
    if facts.latest_letter is not None and facts.latest_letter_date is None:
        problems.append(f"latest letter {facts.latest_letter} has no date")
    if facts.latest_letter is None and facts.latest_letter_date is not None:
        problems.append(f"a latest letter date ({_date(facts.latest_letter_date)}) has no code")
    if (
        facts.latest_letter_date is not None
        and facts.latest_letter_date.astimezone(dt.UTC).date() > case.today
    ):
        problems.append(
            f"the latest letter is dated {_date(facts.latest_letter_date)}, after today"
        )
    if not problems:
        return None
    return "Check the data: " + "; ".join(problems) + "."


def _direct_debit_covers_arrears(case: _Case) -> str | None:
    facts, policy, arrears = case.facts, case.policy, case.arrears
    amount = facts.direct_debit_amount
    if arrears is None or arrears <= 0 or amount is None or amount <= 0:
        return None
    if facts.direct_debit_status not in policy.direct_debit_active_statuses:
        return None
    months = policy.direct_debit_cover_months
    collected = amount * months
    if collected < arrears:
        return None
    return (
        f"Direct debit ({facts.direct_debit_status}) of {_money(amount)} a month clears "
        f"{_arrears(case, arrears)} within {months} months ({_money(collected)} in {months} "
        "months). Escalation is held while it is collected."
    )


def _refer_for_legal_action(case: _Case) -> str | None:
    return _rung_due(case, _Step.LETTER_BEFORE_ACTION, "Refer the account for legal action.")


def _send_letter_before_action(case: _Case) -> str | None:
    return _rung_due(case, _Step.LETTER_TWO, "Send the letter before action.")


def _send_letter_two(case: _Case) -> str | None:
    return _rung_due(case, _Step.LETTER_ONE, f"Send letter 2{_variant(case)}.")


def _rung_due(case: _Case, after: _Step, instruction: str) -> str | None:
    latest, arrears = case.latest, case.arrears
    if latest is None or latest.step is not after or arrears is None:
        return None
    window = _window_after(latest, case.policy)
    if not window.opens <= case.today < window.closes or arrears < window.threshold:
        return None
    last_day = window.closes - dt.timedelta(days=1)
    return (
        f"{_sent(latest, case.policy)}; {window.rung} is due from {_date(window.opens)} until "
        f"{_date(last_day)}, and {_arrears(case, arrears)} are at least "
        f"{_money(window.threshold)}. {instruction} {_last_payment(case)}"
    )


def _send_letter_one(case: _Case) -> str | None:
    latest, arrears, policy = case.latest, case.arrears, case.policy
    if not case.letter_history_known or arrears is None or arrears < policy.letter_one_threshold:
        return None
    if latest is None:
        history = "No leasehold letter on record"
    else:
        allowed_from = _letter_one_allowed_from(latest, policy)
        if case.today < allowed_from:
            return None
        history = f"{_sent(latest, policy)}; letter 1 may be sent again from {_date(allowed_from)}"
    return (
        f"{history}, and {_arrears(case, arrears)} are at least "
        f"{_money(policy.letter_one_threshold)}. "
        f"Send letter 1{_variant(case)}. {_last_payment(case)}"
    )


_RULESETS: tuple[_Ruleset, ...] = (
    # A caseworker's pause is a decision about this account: it outranks every rule.
    _Ruleset("paused", LeaseholdAction.NO_ACTION, _paused),
    # A disputed balance must be settled before anything demands it: it holds the whole ladder.
    _Ruleset("balance_in_dispute", LeaseholdAction.REVIEW_BALANCE_DISPUTE, _balance_in_dispute),
    _Ruleset("check_data", LeaseholdAction.CHECK_DATA, _data_problems),
    # A direct debit that clears the arrears within the year is the lessee paying as agreed.
    _Ruleset(
        "direct_debit_covers_arrears", LeaseholdAction.NO_ACTION, _direct_debit_covers_arrears
    ),
    # Furthest rung first, so a ladder in progress is never restarted by letter 1. With the
    # default policy the windows do not overlap and at most one of these fires.
    _Ruleset(
        "refer_for_legal_action", LeaseholdAction.REFER_FOR_LEGAL_ACTION, _refer_for_legal_action
    ),
    _Ruleset(
        "send_letter_before_action",
        LeaseholdAction.SEND_LETTER_BEFORE_ACTION,
        _send_letter_before_action,
    ),
    _Ruleset("send_letter_two", LeaseholdAction.SEND_LETTER_TWO, _send_letter_two),
    _Ruleset("send_letter_one", LeaseholdAction.SEND_LETTER_ONE, _send_letter_one),
)


def _explain_nothing_due(case: _Case) -> tuple[str, str]:
    """Why no ruleset fired, for the caseworker: the next rung and when or at what it is due."""
    # check_data fires whenever the balance is missing, so there are always arrears here.
    assert case.arrears is not None
    latest, arrears, policy = case.latest, case.arrears, case.policy
    below_letter_one = (
        "below_threshold",
        f"{_arrears(case, arrears, capital=True)} are below the "
        f"{_money(policy.letter_one_threshold)} needed for letter 1.",
    )
    # With no letter on record, letter 1 fires on any arrears at its threshold.
    if latest is None:
        return below_letter_one
    window = _window_after(latest, policy)
    letter_one_from = _letter_one_allowed_from(latest, policy)
    if case.today >= window.closes:
        if arrears < policy.letter_one_threshold:
            return below_letter_one
        # Only a policy whose quiet period outlasts a window gets here.
        return (
            "letter_one_quiet_period",
            f"{_sent(latest, policy)}; the window for {window.rung} closed on "
            f"{_date(window.closes)}. Letter 1 may be sent again from {_date(letter_one_from)}.",
        )
    if case.today < window.opens:
        return (
            "next_step_not_yet_due",
            f"{_sent(latest, policy)}; {window.rung} is due from {_date(window.opens)} if "
            f"arrears are then at least {_money(window.threshold)} "
            f"({_arrears(case, arrears)} now).",
        )
    restart = ""
    if arrears >= policy.letter_one_threshold:
        restart = f" Letter 1 may be sent again from {_date(letter_one_from)}."
    return (
        "below_threshold",
        f"{_sent(latest, policy)}; {window.rung} needs arrears of at least "
        f"{_money(window.threshold)} and {_arrears(case, arrears)} are below that.{restart}",
    )


# Wording ---------------------------------------------------------------------------------------


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _date(when: dt.date) -> str:
    if isinstance(when, dt.datetime):
        when = when.astimezone(dt.UTC).date()
    return f"{when.day} {when:%b %Y}"


def _arrears(case: _Case, arrears: Decimal, *, capital: bool = False) -> str:
    words = f"{'A' if capital else 'a'}rrears of {_money(arrears)}"
    judgement = case.facts.money_judgement
    if case.facts.balance is not None and judgement:
        words += (
            f" (balance {_money(case.facts.balance)} less {_money(judgement)} "
            "under a money judgement)"
        )
    return words


def _sent(latest: _LatestLetter, policy: LeaseholdPolicy) -> str:
    sent = f"{latest.step.value.capitalize()} ({latest.code}) sent on {_date(latest.sent)}"
    if latest.step is _Step.LETTER_BEFORE_ACTION:
        sent += f", reply by {_date(_reply_by(latest, policy))}"
    return sent


def _variant(case: _Case) -> str:
    variant = letter_variant(case.facts.tenure)
    return f" ({variant})" if variant else ""


def _last_payment(case: _Case) -> str:
    paid = case.facts.last_payment_date
    return f"Last payment {_date(paid)}." if paid else "No payment on record."
