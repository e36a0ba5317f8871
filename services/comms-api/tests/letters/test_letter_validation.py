"""Every missing or invalid field is found at once, as (field, code, message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from comms_api.domain.letters import (
    TEMPLATES,
    CourtOutcomeVariant,
    LetterProblem,
    LetterTemplate,
    ProblemCode,
    court_outcome_variant,
    find_problems,
    get_template,
    required_fields_for,
)

LetterDataBuilder = Callable[..., dict[str, object]]


def problems_of(template_id: str, data: dict[str, object]) -> set[tuple[str, ProblemCode]]:
    return {
        (problem.field, problem.code) for problem in find_problems(get_template(template_id), data)
    }


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda template: template.id.value)
def test_complete_data_has_no_problems(
    template: LetterTemplate, letter_data_for: Callable[[LetterTemplate], dict[str, object]]
) -> None:
    assert find_problems(template, letter_data_for(template)) == []


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda template: template.id.value)
def test_no_data_lists_every_required_field_as_missing(template: LetterTemplate) -> None:
    problems = find_problems(template, {})
    missing = [problem for problem in problems if problem.code is ProblemCode.MISSING]
    assert [problem.field for problem in missing] == list(template.required_fields)
    assert {problem.message for problem in missing} == {"missing mandatory field"}


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda template: template.id.value)
def test_each_required_field_is_reported_when_blank(
    template: LetterTemplate, letter_data_for: Callable[[LetterTemplate], dict[str, object]]
) -> None:
    for field in template.required_fields:
        data = letter_data_for(template)
        data[field] = "   "
        problems = find_problems(template, data)
        assert LetterProblem(field, ProblemCode.MISSING, "missing mandatory field") in problems


def test_several_missing_fields_are_all_listed(rent_letter_data: LetterDataBuilder) -> None:
    data = rent_letter_data(payment_ref=None, amount=None, date_of_first_payment="")
    assert problems_of("informal_agreement_confirmation_letter", data) == {
        ("payment_ref", ProblemCode.MISSING),
        ("amount", ProblemCode.MISSING),
        ("date_of_first_payment", ProblemCode.MISSING),
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        pytest.param(
            "total_collectable_arrears_balance", "lots", ProblemCode.INVALID_MONEY, id="words"
        ),
        pytest.param("rent", "12,50", ProblemCode.INVALID_MONEY, id="comma decimal"),
        pytest.param("amount", "NaN", ProblemCode.INVALID_MONEY, id="not a number"),
        pytest.param("amount", float("inf"), ProblemCode.INVALID_MONEY, id="infinite"),
        pytest.param("amount", True, ProblemCode.INVALID_MONEY, id="a flag"),
        pytest.param(
            "date_of_first_payment", "31/09/2026", ProblemCode.INVALID_DATE, id="UK style"
        ),
        pytest.param(
            "date_of_first_payment", "2026-02-30", ProblemCode.INVALID_DATE, id="no such day"
        ),
        pytest.param(
            "agreement_frequency", "quarterly", ProblemCode.INVALID_CHOICE, id="frequency"
        ),
        pytest.param(
            "agreement_frequency",
            "unsupported_legacy_frequency",
            ProblemCode.INVALID_CHOICE,
            id="legacy frequency cannot be stated",
        ),
    ],
)
def test_invalid_values_are_reported(
    rent_letter_data: LetterDataBuilder, field: str, value: object, code: ProblemCode
) -> None:
    data = rent_letter_data(**{field: value})
    assert problems_of("informal_agreement_confirmation_letter", data) == {(field, code)}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param(Decimal("12.5"), True, id="Decimal"),
        pytest.param(12, True, id="int"),
        pytest.param(12.5, True, id="float"),
        pytest.param(" 12.50 ", True, id="padded string"),
        pytest.param("-3.20", True, id="negative"),
    ],
)
def test_money_given_in_any_numeric_form(
    rent_letter_data: LetterDataBuilder, value: object, valid: bool
) -> None:
    assert (
        problems_of(
            "income_collection_letter_1", rent_letter_data(total_collectable_arrears_balance=value)
        )
        == set()
    ) is valid


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(dt.datetime(2026, 10, 14, 10, 30), id="datetime"),
        pytest.param("2026-10-14 10:30", id="ISO string with a space"),
        pytest.param("2026-10-14T09:30:00+00:00", id="UTC offset"),
    ],
)
def test_court_date_letter_takes_a_date_and_time(
    rent_letter_data: LetterDataBuilder, value: object
) -> None:
    assert problems_of("court_date_letter", rent_letter_data(court_date=value)) == set()


@pytest.mark.parametrize(
    "value",
    [pytest.param(dt.date(2026, 10, 14), id="date only"), pytest.param("2026-10-14", id="string")],
)
def test_court_date_letter_needs_the_hearing_time(
    rent_letter_data: LetterDataBuilder, value: object
) -> None:
    assert problems_of("court_date_letter", rent_letter_data(court_date=value)) == {
        ("court_date", ProblemCode.INVALID_DATE_TIME)
    }


def test_formal_breach_letter_does_not_need_created_date_or_shortfall(
    rent_letter_data: LetterDataBuilder,
) -> None:
    # Deliberate: the reference demanded both and so could never produce this letter.
    data = rent_letter_data(created_date=None)
    assert "shortfall_amount" not in data
    assert problems_of("formal_agreement_breach_letter", data) == set()


def test_a_lump_sum_needs_both_its_amount_and_date(rent_letter_data: LetterDataBuilder) -> None:
    data = rent_letter_data(initial_payment_amount="100")
    assert problems_of("informal_agreement_confirmation_letter", data) == {
        ("initial_payment_date", ProblemCode.MISSING)
    }


@pytest.mark.parametrize(
    ("changes", "variant"),
    [
        pytest.param({}, CourtOutcomeVariant.WITH_TERMS, id="agreement data means terms"),
        pytest.param(
            {"court_outcome": "OPD", "balance_on_court_outcome_date": None},
            CourtOutcomeVariant.OUTRIGHT_ORDER,
            id="outright possession with date",
        ),
        pytest.param(
            {"court_outcome": "Outright possession forthwith"},
            CourtOutcomeVariant.OUTRIGHT_ORDER,
            id="outright forthwith, by description, wins over terms",
        ),
        pytest.param(
            {
                "court_outcome": "AGP",
                "balance_on_court_outcome_date": None,
                "amount": None,
                "agreement_frequency": None,
                "rent": None,
                "date_of_first_payment": None,
            },
            CourtOutcomeVariant.OUTCOME_ONLY,
            id="no agreement data, outcome only",
        ),
    ],
)
def test_court_outcome_variant(
    rent_letter_data: LetterDataBuilder, changes: dict[str, object], variant: CourtOutcomeVariant
) -> None:
    assert court_outcome_variant(rent_letter_data(**changes)) == variant


def test_outright_order_needs_the_eviction_date(rent_letter_data: LetterDataBuilder) -> None:
    data = rent_letter_data(court_outcome="OPD")
    assert "eviction_date" in required_fields_for(get_template("court_outcome_letter"), data)
    assert problems_of("court_outcome_letter", data) == {("eviction_date", ProblemCode.MISSING)}


def test_terms_variant_needs_every_term(rent_letter_data: LetterDataBuilder) -> None:
    data = rent_letter_data(rent=None, agreement_frequency=None, date_of_first_payment=None)
    assert problems_of("court_outcome_letter", data) == {
        ("rent", ProblemCode.MISSING),
        ("agreement_frequency", ProblemCode.MISSING),
        ("date_of_first_payment", ProblemCode.MISSING),
    }


def test_an_unknown_court_outcome_is_invalid(rent_letter_data: LetterDataBuilder) -> None:
    assert problems_of("court_outcome_letter", rent_letter_data(court_outcome="XYZ")) == {
        ("court_outcome", ProblemCode.INVALID_CHOICE)
    }


def test_letters_cannot_go_abroad(leasehold_letter_data: LetterDataBuilder) -> None:
    data = leasehold_letter_data(
        correspondence_address1="12 Rue de Rivoli",
        correspondence_address2="Paris",
        correspondence_postcode="75001",
        international=True,
    )
    problems = find_problems(get_template("letter_1_in_arrears_LH"), data)
    assert [(problem.field, problem.code) for problem in problems] == [
        ("correspondence_postcode", ProblemCode.INTERNATIONAL_ADDRESS)
    ]
    assert "abroad" in problems[0].message


def test_a_postcode_that_is_not_british_is_reported(rent_letter_data: LetterDataBuilder) -> None:
    problems = find_problems(
        get_template("income_collection_letter_1"), rent_letter_data(address_post_code="75001")
    )
    assert problems == [
        LetterProblem(
            "address_post_code", ProblemCode.NOT_A_UK_POSTCODE, "Must be a real UK postcode"
        )
    ]


def test_address_rules_apply_to_the_whole_address_block(
    leasehold_letter_data: LetterDataBuilder,
) -> None:
    data = leasehold_letter_data(correspondence_address1="No fixed abode")
    assert problems_of("letter_before_action", data) == {
        ("correspondence_address", ProblemCode.NOT_A_REAL_ADDRESS)
    }


def test_an_address_of_only_the_name_and_postcode_is_too_short(
    rent_letter_data: LetterDataBuilder,
) -> None:
    data = rent_letter_data(
        forename="",
        surname="",
        address_line1="",
        address_line2="",
        address_line3="",
        address_line4="",
    )
    assert problems_of("income_collection_letter_1", data) == {
        ("forename", ProblemCode.MISSING),
        ("surname", ProblemCode.MISSING),
        ("address_line1", ProblemCode.MISSING),
        ("address_line2", ProblemCode.MISSING),
        ("address", ProblemCode.ADDRESS_TOO_SHORT),
    }
