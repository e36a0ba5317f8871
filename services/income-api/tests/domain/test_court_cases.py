"""Court case rules (income-rules §3.4): strike-out, end of life, whether terms bind, outcome
descriptions and validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from income_api.domain.court_cases import (
    CourtCaseRuleBroken,
    CourtCaseTerms,
    court_outcome_description,
    is_end_of_life,
    is_struck_out,
    results_in_agreement,
    validate_court_case,
)
from income_api.domain.terms import CourtOutcome

TODAY = dt.date(2024, 1, 20)
A_COURT_CASE = CourtCaseTerms(
    court_date=dt.datetime(2023, 6, 1, 10, 0),
    court_outcome=CourtOutcome.SUSPENSION_ON_TERMS,
    strike_out_date=None,
    terms=True,
)


def make_court_case(**overrides: Any) -> CourtCaseTerms:
    return replace(A_COURT_CASE, **overrides)


@pytest.mark.parametrize(
    ("strike_out_date", "struck_out"),
    [
        pytest.param(None, False, id="no strike-out date is not struck out"),
        pytest.param(dt.date(2024, 1, 19), True, id="strike-out yesterday is struck out"),
        pytest.param(dt.date(2024, 1, 20), True, id="strike-out today is struck out"),
        pytest.param(dt.date(2024, 1, 21), False, id="strike-out tomorrow is not struck out yet"),
    ],
)
def test_struck_out_from_the_strike_out_date(
    strike_out_date: dt.date | None, struck_out: bool
) -> None:
    court_case = make_court_case(strike_out_date=strike_out_date)
    assert is_struck_out(court_case, today=TODAY) is struck_out


@pytest.mark.parametrize(
    ("court_date", "court_outcome", "today", "end_of_life"),
    [
        pytest.param(
            dt.datetime(2018, 1, 20, 10, 0),
            "SOT",
            TODAY,
            True,
            id="suspension on terms six years ago today is at end of life",
        ),
        pytest.param(
            dt.datetime(2018, 1, 20, 16, 30),
            "SOT",
            TODAY,
            True,
            id="a hearing later in the day six years ago still counts: days not hours",
        ),
        pytest.param(
            dt.datetime(2018, 1, 21, 10, 0),
            "SOT",
            TODAY,
            False,
            id="suspension on terms six years ago tomorrow is not at end of life",
        ),
        pytest.param(
            dt.datetime(2016, 2, 29, 10, 0),
            "SOT",
            dt.date(2022, 2, 28),
            True,
            id="a 29 February hearing ends its sixth year on 28 February",
        ),
        pytest.param(
            dt.datetime(2016, 2, 29, 10, 0),
            "SOT",
            dt.date(2022, 2, 27),
            False,
            id="a 29 February hearing is still alive on 27 February six years on",
        ),
        pytest.param(
            dt.datetime(2010, 1, 1, 10, 0),
            "ADT",
            TODAY,
            False,
            id="only a suspension on terms reaches end of life",
        ),
        pytest.param(None, "SOT", TODAY, False, id="no court date is never at end of life"),
        pytest.param(
            dt.datetime(2010, 1, 1, 10, 0), None, TODAY, False, id="no outcome is never at end"
        ),
    ],
)
def test_suspension_on_terms_ends_six_years_after_the_hearing(
    court_date: dt.datetime | None, court_outcome: str | None, today: dt.date, end_of_life: bool
) -> None:
    court_case = make_court_case(court_date=court_date, court_outcome=court_outcome)
    assert is_end_of_life(court_case, today=today) is end_of_life


@pytest.mark.parametrize(
    ("court_case", "result"),
    [
        pytest.param(make_court_case(terms=True), True, id="terms set and binding"),
        pytest.param(make_court_case(terms=False), False, id="no terms no agreement"),
        pytest.param(make_court_case(terms=None), False, id="terms not recorded no agreement"),
        pytest.param(
            make_court_case(strike_out_date=dt.date(2024, 1, 20)),
            False,
            id="terms struck out today no longer bind",
        ),
        pytest.param(
            make_court_case(strike_out_date=dt.date(2024, 1, 21)),
            True,
            id="terms bind until the strike-out date",
        ),
        pytest.param(
            make_court_case(court_date=dt.datetime(2018, 1, 20, 10, 0)),
            False,
            id="terms of a suspension at end of life no longer bind",
        ),
        pytest.param(
            make_court_case(
                court_date=dt.datetime(2018, 1, 20, 10, 0),
                court_outcome=CourtOutcome.ADJOURNED_ON_TERMS,
            ),
            True,
            id="adjourned on terms has no six year end",
        ),
    ],
)
def test_court_case_results_in_agreement_while_its_terms_bind(
    court_case: CourtCaseTerms, result: bool
) -> None:
    assert results_in_agreement(court_case, today=TODAY) is result


@pytest.mark.parametrize(
    ("code", "description"),
    [
        pytest.param("SOT", "Suspension on terms", id="code as text"),
        pytest.param(CourtOutcome.STRUCK_OUT, "Struck out", id="code as enum"),
        pytest.param("ADT ", "Adjourned on terms", id="padded code"),
        pytest.param(
            "AGP", "Adjourned generally with permission to restore", id="long description"
        ),
        pytest.param("PPO", "PPO", id="unknown legacy code shown as it is"),
    ],
)
def test_court_outcome_description(code: str, description: str) -> None:
    assert court_outcome_description(code) == description


def court_case_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "court_date": dt.datetime(2024, 1, 10, 10, 0),
        "court_outcome": "SOT",
        "terms": True,
        "disrepair_counter_claim": False,
        "strike_out_date": None,
    }
    return {**fields, **overrides}


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(court_case_fields(), id="suspension on terms with terms stated"),
        pytest.param(
            court_case_fields(terms=False, disrepair_counter_claim=True),
            id="outcome that can have terms may have none",
        ),
        pytest.param(
            court_case_fields(court_outcome=None, terms=None, disrepair_counter_claim=None),
            id="hearing not held yet: no outcome",
        ),
        pytest.param(
            court_case_fields(court_outcome="", terms=None, disrepair_counter_claim=None),
            id="blank outcome is no outcome",
        ),
        pytest.param(
            court_case_fields(court_outcome="STO", terms=None, disrepair_counter_claim=None),
            id="struck out needs no terms",
        ),
        pytest.param(
            court_case_fields(court_outcome="OPD", terms=False, disrepair_counter_claim=None),
            id="outright possession may say no terms",
        ),
        pytest.param(
            court_case_fields(strike_out_date=dt.date(2024, 1, 10)),
            id="strike-out on the day of the hearing",
        ),
        pytest.param(
            court_case_fields(court_date=None, strike_out_date=dt.date(2020, 1, 1)),
            id="strike-out with no court date",
        ),
    ],
)
def test_valid_court_case(fields: dict[str, Any]) -> None:
    validate_court_case(**fields)


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        pytest.param(
            court_case_fields(court_outcome="XYZ"),
            [("court_outcome", "unknown_court_outcome")],
            id="unknown outcome code",
        ),
        pytest.param(
            court_case_fields(court_outcome="SUP"),
            [("court_outcome", "unknown_court_outcome")],
            id="legacy UH outcome code is not accepted from caseworkers",
        ),
        pytest.param(
            court_case_fields(terms=None),
            [("terms", "required")],
            id="outcome that can have terms must say whether it has them",
        ),
        pytest.param(
            court_case_fields(court_outcome="SOE", disrepair_counter_claim=None),
            [("disrepair_counter_claim", "required")],
            id="outcome that can have terms must say whether there is a counter claim",
        ),
        pytest.param(
            court_case_fields(court_outcome="AND", terms=None, disrepair_counter_claim=None),
            [("terms", "required"), ("disrepair_counter_claim", "required")],
            id="both missing are both reported",
        ),
        pytest.param(
            court_case_fields(court_outcome="WIT", terms=True),
            [("terms", "terms_not_allowed")],
            id="withdrawn case cannot have terms",
        ),
        pytest.param(
            court_case_fields(court_outcome=None, terms=True),
            [("terms", "terms_not_allowed")],
            id="terms without an outcome",
        ),
        pytest.param(
            court_case_fields(strike_out_date=dt.date(2024, 1, 9)),
            [("strike_out_date", "before_court_date")],
            id="strike-out the day before the hearing",
        ),
    ],
)
def test_invalid_court_case(fields: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    with pytest.raises(CourtCaseRuleBroken) as raised:
        validate_court_case(**fields)
    assert [(problem.field, problem.code) for problem in raised.value.problems] == problems
    assert all(problem.message for problem in raised.value.problems)
