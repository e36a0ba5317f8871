"""The communications pages' rules without I/O: whom a message can go to, the placeholders a
case fills in, a letter's fields read from the form and filled in from the case, and
comms-api's problems in words."""

from __future__ import annotations

from typing import Any

import pytest

from frontend.domain import letters, messages
from frontend.gateways.comms_api import LetterTemplate
from frontend.gateways.income_api import Case
from ma_shared.recipients import InvalidRecipient
from ma_shared.vocabulary import ServiceArea

NOW = "2026-03-02T09:00:00Z"


def make_case(**changes: Any) -> Case:
    """A rent case as income-api sends it, changed as a test needs."""
    case: dict[str, Any] = {
        "tenancy_ref": "012345/01",
        "service_area": "rent",
        "payment_ref": "1234567890",
        "balance": "312.5",
        "weekly_gross_rent": "120.40",
        "recommended_action": "send_letter_one",
        "classification_reason": "In arrears.",
        "classification": {
            "recommended_action": "send_letter_one",
            "rule": "R1",
            "reason": "In arrears.",
            "changed_at": NOW,
        },
        "nosp": {},
        "synced_at": NOW,
        "uh": {
            "tenancy": {},
            "transactions": {},
            "action_diary": {},
            "contacts": {
                "responsible_members": [
                    {
                        "title": "Ms",
                        "forename": "Amira",
                        "surname": "Okafor",
                        "full_name": "Ms Amira Okafor",
                    }
                ],
                "contacts": [
                    {
                        "name": "Ms Amira Okafor",
                        "mobile_phone": "07700 900123",
                        "home_phone": "020 7946 0001",
                        "work_phone": "+44 7700 900123",
                        "email_address": "amira@example.com",
                    },
                    {"name": "Mr Okafor", "mobile_phone": "N/A", "email_address": "not an address"},
                ],
            },
        },
    }
    return Case.model_validate(case | changes)


def make_template(template_id: str, required: list[str], kinds: dict[str, str]) -> LetterTemplate:
    return LetterTemplate(
        id=template_id,
        name=template_id,
        service_area=ServiceArea.RENT,
        diary_code="IAC",
        required_fields=["tenancy_ref", "forename", *required],
        field_kinds=kinds,
    )


def test_only_numbers_that_can_take_a_text_are_offered_each_once() -> None:
    contacts = make_case().uh.contacts  # type: ignore[union-attr]
    choices = messages.recipient_choices("sms", contacts)
    assert [(c.value, c.text, c.hint) for c in choices] == [
        ("+447700900123", "07700 900123", "Mobile, Ms Amira Okafor")
    ]
    emails = messages.recipient_choices("email", contacts)
    assert [c.value for c in emails] == ["amira@example.com"]


@pytest.mark.parametrize(
    ("choice", "typed", "recipient"),
    [
        ("+447700900123", "", "+447700900123"),
        ("other", "07700 900 999", "+447700900999"),
    ],
    ids=["a case's number", "a number typed in"],
)
def test_the_recipient_chosen(choice: str, typed: str, recipient: str) -> None:
    assert messages.chosen_recipient("sms", choice, typed) == recipient


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", "Enter a mobile phone number."), ("020 7946 0001", "UK mobiles start 07")],
    ids=["nothing typed", "a landline"],
)
def test_a_typed_number_that_cannot_take_a_text(typed: str, problem: str) -> None:
    with pytest.raises(InvalidRecipient, match=problem):
        messages.chosen_recipient("sms", "other", typed)


def test_placeholders_the_case_knows_are_filled_in_however_they_are_written() -> None:
    names = ["Balance", "first_name", "Formal-Name", "payment reference", "message"]
    assert messages.prefilled(names, make_case()) == {
        "Balance": "£312.50",
        "first_name": "Amira",
        "Formal-Name": "Ms Okafor",
        "payment reference": "1234567890",
    }


AGREEMENT_LETTER = make_template(
    "informal_agreement_confirmation_letter",
    ["rent", "amount", "agreement_frequency", "date_of_first_payment"],
    {
        "rent": "money",
        "amount": "money",
        "agreement_frequency": "frequency",
        "date_of_first_payment": "date",
    },
)


def test_the_form_asks_only_for_what_uh_does_not_hold() -> None:
    fields = letters.form_fields(AGREEMENT_LETTER)
    assert [f.name for f in fields] == [
        "rent",
        "amount",
        "agreement_frequency",
        "date_of_first_payment",
    ]
    assert fields[3].inputs == (
        "date_of_first_payment-day",
        "date_of_first_payment-month",
        "date_of_first_payment-year",
    )


@pytest.mark.parametrize(
    ("kind", "entered", "sent"),
    [
        ("money", {"x": "£1,234.5"}, "1234.50"),
        ("date", {"x-day": "7", "x-month": "3", "x-year": "2026"}, "2026-03-07"),
        (
            "date_time",
            {"x-day": "7", "x-month": "3", "x-year": "2026", "x-time": "2:30pm"},
            "2026-03-07T14:30",
        ),
        (
            "date_time",
            {"x-day": "7", "x-month": "3", "x-year": "2026", "x-time": "12am"},
            "2026-03-07T00:00",
        ),
        (
            "date_time",
            {"x-day": "7", "x-month": "3", "x-year": "2026", "x-time": "09.15"},
            "2026-03-07T09:15",
        ),
        ("date_time", {"x-day": "7", "x-month": "3", "x-year": "2026"}, "2026-03-07"),
        ("frequency", {"x": "weekly"}, "weekly"),
    ],
    ids=[
        "money without £ and commas",
        "a date",
        "a hearing in the afternoon",
        "midnight",
        "a 24-hour time with a dot",
        "a hearing date alone: comms-api asks for the time",
        "a choice",
    ],
)
def test_what_is_entered_is_sent_as_comms_api_reads_it(
    kind: str, entered: dict[str, str], sent: str
) -> None:
    field = letters.FormField("x", kind, letters.FieldWords("X"), required=True)
    assert letters.letter_fields([field], entered) == ({"x": sent}, {})


@pytest.mark.parametrize(
    ("kind", "entered", "problem"),
    [
        ("money", {"x": "12.345"}, "X must be an amount of money, like 12.50"),
        ("money", {"x": "lots"}, "X must be an amount of money, like 12.50"),
        ("date", {"x-day": "30", "x-month": "2", "x-year": "2026"}, "X must be a real date"),
        ("date", {"x-day": "1", "x-month": "", "x-year": "2026"}, "X must be a real date"),
        (
            "date_time",
            {"x-day": "1", "x-month": "2", "x-year": "2026", "x-time": "25:00"},
            "time of the hearing",
        ),
        (
            "date_time",
            {"x-day": "1", "x-month": "2", "x-year": "2026", "x-time": "13pm"},
            "time of the hearing",
        ),
    ],
    ids=["a fraction of a penny", "words", "30 February", "no month", "no such hour", "13pm"],
)
def test_what_cannot_be_read_is_said(kind: str, entered: dict[str, str], problem: str) -> None:
    field = letters.FormField("x", kind, letters.FieldWords("X"), required=True)
    values, errors = letters.letter_fields([field], entered)
    assert values == {}
    assert problem in errors["x"]


def test_blanks_are_left_for_comms_api_to_judge() -> None:
    fields = letters.form_fields(AGREEMENT_LETTER)
    assert letters.letter_fields(fields, {"amount": " "}) == ({}, {})


@pytest.mark.parametrize(
    ("field", "code", "message", "words"),
    [
        ("address_post_code", "missing", "missing mandatory field", "Postcode is missing"),
        (
            "court_date",
            "invalid_date_time",
            "not a valid date and time",
            "Court date is not a valid date and time",
        ),
        (
            "address",
            "address_too_short",
            "Address must be at least 3 lines",
            "Address: Address must be at least 3 lines",
        ),
        (
            "correspondence_postcode",
            "international_address",
            "the address is outside the UK",
            "Correspondence postcode: The address is outside the UK",
        ),
        (
            None,
            "invalid_format",
            "A payment reference is 10 digits.",
            "A payment reference is 10 digits.",
        ),
        ("some_new_field", "missing", "missing mandatory field", "Some new field is missing"),
    ],
    ids=[
        "UH's field missing",
        "a field given wrong",
        "an address rule",
        "abroad",
        "no field",
        "a field not known here",
    ],
)
def test_comms_api_s_problems_in_words(
    field: str | None, code: str, message: str, words: str
) -> None:
    assert letters.problem_words(field, code, message) == words


def _agreement(**changes: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "agreement_type": "informal",
        "starting_balance": "400",
        "amount": "12.5",
        "frequency": "weekly",
        "start_date": "2026-03-09",
        "current_state": "breached",
        "created_by": "Rita Rent",
        "created_at": "2026-02-02T10:00:00Z",
        "history": [
            {"state": "live", "description": "Made", "created_at": "2026-02-02T10:00:00Z"},
            {
                "state": "breached",
                "description": "Missed",
                "expected_balance": "375",
                "checked_balance": "400",
                "created_at": "2026-02-20T06:00:00Z",
            },
            {
                "state": "breached",
                "description": "Still missed",
                "expected_balance": "362.5",
                "checked_balance": "400",
                "created_at": "2026-02-27T06:00:00Z",
            },
        ],
    } | changes


def test_an_agreement_letter_is_filled_in_from_the_case_s_agreement() -> None:
    case = make_case(agreements=[_agreement()])
    values = letters.prefilled(case, "informal_agreement_breach_letter")
    assert values["amount"] == "12.50"
    assert values["agreement_frequency"] == "weekly"
    assert values["rent"] == "120.40"
    assert (values["created_date-day"], values["created_date-month"]) == ("2", "2")
    assert (values["expected_balance"], values["checked_balance"]) == ("362.50", "400.00")
    # Breached since the first of the unbroken run of breaches.
    assert (values["date_of_breach-day"], values["date_of_breach-month"]) == ("20", "2")


def test_a_court_letter_is_filled_in_from_the_court_case_in_london_time() -> None:
    court_case = {
        "id": 3,
        "court_date": "2026-06-15T09:30:00Z",
        "court_outcome": "SOT",
        "balance_on_court_outcome_date": "900",
        "created_by": "Rita Rent",
        "created_at": NOW,
    }
    case = make_case(court_cases=[court_case])
    values = letters.prefilled(case, "court_date_letter")
    assert (values["court_date-day"], values["court_date-month"], values["court_date-time"]) == (
        "15",
        "6",
        "10:30",
    )
    assert values["court_outcome"] == "SOT"
    # Without the court's agreement the outcome letter states no terms: none are filled in.
    outcome = letters.prefilled(case, "court_outcome_letter")
    assert "rent" not in outcome
    assert "balance_on_court_outcome_date" not in outcome
    formal = _agreement(agreement_type="formal", court_case_id=3, current_state="live")
    with_terms = letters.prefilled(
        make_case(court_cases=[court_case], agreements=[formal]), "court_outcome_letter"
    )
    assert with_terms["balance_on_court_outcome_date"] == "900.00"
    assert with_terms["rent"] == "120.40"
