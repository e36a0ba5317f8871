"""Court case rules (income-rules §3.4): which outcomes are valid, when a court case's terms
still bind the tenant, and when a possession order has run its course.

Pure: no I/O and no clock; every rule that depends on the date takes `today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from income_api.domain.terms import (
    COURT_OUTCOME_DESCRIPTIONS,
    OUTCOMES_THAT_CAN_HAVE_TERMS,
    CourtOutcome,
)

# A suspended possession order is enforceable for six years; after that the formal agreement
# made under it can no longer be enforced as a court order.
SUSPENDED_ORDER_LIFETIME = relativedelta(years=6)


class Problem(NamedTuple):
    """One broken rule, in the shape of the API's error details."""

    field: str
    code: str
    message: str


class CourtCaseRuleBroken(Exception):
    """A court case that may not be stored as given; `problems` has one item per broken rule."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CourtCaseTerms:
    """What the agreement rules need to know about a court case (the one a formal agreement
    belongs to)."""

    court_date: dt.datetime | None
    court_outcome: str | None
    strike_out_date: dt.date | None
    terms: bool | None


def is_struck_out(court_case: CourtCaseTerms, *, today: dt.date) -> bool:
    """The strike-out date has come: the case is closed from that day on."""
    return court_case.strike_out_date is not None and court_case.strike_out_date <= today


def is_end_of_life(court_case: CourtCaseTerms, *, today: dt.date) -> bool:
    """A suspension on terms whose hearing was six years ago or more."""
    return (
        court_case.court_outcome == CourtOutcome.SUSPENSION_ON_TERMS
        and court_case.court_date is not None
        and court_case.court_date.date() + SUSPENDED_ORDER_LIFETIME <= today
    )


def results_in_agreement(court_case: CourtCaseTerms, *, today: dt.date) -> bool:
    """The court set terms and they still bind: not struck out and not at end of life."""
    return (
        court_case.terms is True
        and not is_struck_out(court_case, today=today)
        and not is_end_of_life(court_case, today=today)
    )


def court_outcome_description(code: str) -> str:
    """The outcome in words for letters and the action diary.

    A code we do not know (a legacy UH code on an old record) is shown as it is rather than
    failing a letter or a diary entry over it.
    """
    cleaned = code.strip()
    try:
        return COURT_OUTCOME_DESCRIPTIONS[CourtOutcome(cleaned)]
    except ValueError:
        return cleaned


def validate_court_case(
    *,
    court_date: dt.datetime | None,
    court_outcome: str | None,
    terms: bool | None,
    disrepair_counter_claim: bool | None,
    strike_out_date: dt.date | None,
) -> None:
    """Raise `CourtCaseRuleBroken` listing every rule the court case breaks.

    Pass the court case as it will be stored (for an update: the stored values with the
    supplied ones applied). A blank outcome is allowed: the hearing may not have happened yet.
    """
    problems: list[Problem] = []
    outcome = _outcome(court_outcome)
    if court_outcome is not None and court_outcome.strip() and outcome is None:
        problems.append(
            Problem(
                "court_outcome",
                "unknown_court_outcome",
                f"'{court_outcome}' is not a court outcome code.",
            )
        )
    elif outcome in OUTCOMES_THAT_CAN_HAVE_TERMS:
        if terms is None:
            problems.append(
                Problem("terms", "required", "Say whether the court set terms for this outcome.")
            )
        if disrepair_counter_claim is None:
            problems.append(
                Problem(
                    "disrepair_counter_claim",
                    "required",
                    "Say whether there is a disrepair counter claim for this outcome.",
                )
            )
    elif terms is True:
        problems.append(
            Problem(
                "terms",
                "terms_not_allowed",
                "Terms can only be recorded with an outcome that can have terms.",
            )
        )
    if (
        court_date is not None
        and strike_out_date is not None
        and strike_out_date < court_date.date()
    ):
        problems.append(
            Problem(
                "strike_out_date",
                "before_court_date",
                "The strike-out date cannot be before the court date.",
            )
        )
    if problems:
        raise CourtCaseRuleBroken(problems)


def _outcome(code: str | None) -> CourtOutcome | None:
    if code is None:
        return None
    try:
        return CourtOutcome(code.strip())
    except ValueError:
        return None
