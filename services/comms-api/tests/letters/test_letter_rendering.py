"""Each letter as its reader sees it, and never a half-rendered one (income-rules §5, §6.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from comms_api.domain.letters import (
    TEMPLATES,
    LetterHasProblems,
    LetterTemplate,
    LetterTemplateNotFound,
    ProblemCode,
    ServiceArea,
    render_letter,
)

LetterDataBuilder = Callable[..., dict[str, object]]
TextOf = Callable[[str], str]

RENT_ADDRESS = [
    "Amira Okafor",
    "Flat 12",
    "Banister House",
    "Homerton High Street",
    "London",
    "E9 6BD",
]
LEASEHOLD_ADDRESS = ["Mr Jonathan Patel", "4 Sanford Terrace", "London", "N16 7LH"]


def render(template_id: str, data: dict[str, object], today: dt.date) -> str:
    return render_letter(template_id, data, today=today).html


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda template: template.id.value)
def test_every_letter_shows_its_header_address_and_arrears(
    template: LetterTemplate,
    letter_data_for: Callable[[LetterTemplate], dict[str, object]],
    visible_text: TextOf,
    today: dt.date,
    bank_holidays: frozenset[dt.date],
) -> None:
    rendered = render_letter(
        template.id, letter_data_for(template), today=today, bank_holidays=bank_holidays
    )
    text = visible_text(rendered.html)
    assert "Hackney" in text
    if template.service_area is ServiceArea.RENT:
        assert rendered.letter_date == today
        assert "Date 14 August 2026" in text
        assert "Payment ref 1234567890" in text
        assert "Tenancy ref 0123456/01" in text
        assert " ".join(RENT_ADDRESS) in text
        assert "Dear Ms Okafor," in text
        assert "£1,234.56" in text
        assert "Income Collection Team" in text
    else:
        # Friday 14 August: posted, and so dated, Monday 17 August.
        assert rendered.letter_date == dt.date(2026, 8, 17)
        assert "Date 17 August 2026" in text
        assert "Payment ref LSC0001234" in text
        assert " ".join(LEASEHOLD_ADDRESS) in text
        assert "Dear Mr Patel," in text
        assert "Flat 3 Nisbet House, E9 6BL" in text
        assert "£2,500.00" in text
        assert "Leasehold Services" in text
    assert "Yours sincerely" in text
    assert "None" not in text


def test_letter_1_offers_support(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("income_collection_letter_1", rent_letter_data(), today))
    assert "Your rent account is in arrears" in text
    assert "affordable plan" in text
    assert "Notice of Seeking Possession" not in text


def test_letter_2_warns_of_a_nosp_and_shows_the_account_number(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("income_collection_letter_2", rent_letter_data(), today))
    assert "Your rent account number 1234567890" in text
    assert "Arrears on 14 August 2026 £1,234.56" in text
    assert "Notice of Seeking Possession" in text


def test_agreement_confirmation_shows_the_sum(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("informal_agreement_confirmation_letter", rent_letter_data(), today))
    assert "Your weekly rent £125.40" in text
    # 125.40 x 52 / 12 = 543.40; plus the £20.00 instalment.
    assert "Rent due every month £543.40" in text
    assert "Payment towards your arrears every month £20.00" in text
    assert "Total to pay every month £563.40" in text
    assert "First payment due 1 September 2026" in text
    assert "One-off payment" not in text


def test_agreement_confirmation_with_a_lump_sum(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    data = rent_letter_data(
        agreement_frequency="fortnightly",
        initial_payment_amount="250",
        initial_payment_date="2026-08-21",
    )
    text = visible_text(render("informal_agreement_confirmation_letter", data, today))
    assert "Total to pay every 2 weeks £270.80" in text
    assert "One-off payment of £250.00 due by 21 August 2026" in text


def test_informal_breach_shows_the_shortfall(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("informal_agreement_breach_letter", rent_letter_data(), today))
    assert "On 1 May 2026 you agreed a plan" in text
    assert "Your balance should be no more than £800.00" in text
    assert "Your balance is £950.50" in text
    assert "You are behind with your agreement by £150.50" in text


def test_formal_breach_shows_the_court_order_and_breach(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("formal_agreement_breach_letter", rent_letter_data(), today))
    assert "On 14 October 2026 the court made an order" in text
    assert "Since 6 July 2026 you have not paid" in text
    assert "You are behind with the court order by £150.50" in text


def test_court_date_letter_shows_date_and_time(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("court_date_letter", rent_letter_data(), today))
    assert "Your court hearing on 14 October 2026" in text
    assert "14 October 2026 at 10:30am" in text


def test_court_outcome_with_terms(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("court_outcome_letter", rent_letter_data(), today))
    assert "The outcome of your court hearing on 14 October 2026" in text
    assert "Suspension on terms" in text
    assert "in arrears by £1,500.00" in text
    assert "Total to pay every month £563.40" in text
    assert "evicted" not in text


def test_court_outcome_outright_order(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    data = rent_letter_data(court_outcome="OPD", eviction_date="2026-11-20")
    text = visible_text(render("court_outcome_letter", data, today))
    assert "Outright possession with date" in text
    assert "Flat 12, Banister House, Homerton High Street, London, E9 6BD" in text
    assert "You will be evicted on 20 November 2026" in text
    assert "Total to pay" not in text


def test_court_outcome_only(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    data = rent_letter_data(
        court_outcome="AAH",
        balance_on_court_outcome_date=None,
        amount=None,
        agreement_frequency=None,
        rent=None,
        date_of_first_payment=None,
    )
    text = visible_text(render("court_outcome_letter", data, today))
    assert "Adjourned to another hearing date" in text
    assert "Total to pay" not in text
    assert "evicted" not in text


@pytest.mark.parametrize(
    ("template_id", "wording"),
    [
        ("letter_1_in_arrears_FH", "As the freeholder of Flat 3 Nisbet House, E9 6BL"),
        ("letter_1_in_arrears_LH", "As the leaseholder of Flat 3 Nisbet House, E9 6BL"),
        ("letter_1_in_arrears_SO", "As the shared owner of Flat 3 Nisbet House, E9 6BL"),
        ("letter_2_in_arrears_FH", "charging order"),
        ("letter_2_in_arrears_LH", "forfeiture"),
        ("letter_2_in_arrears_SO", "As the shared owner"),
    ],
)
def test_leasehold_letters_speak_to_the_tenure(
    leasehold_letter_data: LetterDataBuilder,
    visible_text: TextOf,
    today: dt.date,
    template_id: str,
    wording: str,
) -> None:
    assert wording in visible_text(render(template_id, leasehold_letter_data(), today))


def test_leasehold_letter_2_refers_to_letter_1(
    leasehold_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("letter_2_in_arrears_LH", leasehold_letter_data(), today))
    assert "We wrote to you on 1 June 2026" in text


def test_leasehold_date_skips_a_bank_holiday(
    leasehold_letter_data: LetterDataBuilder, visible_text: TextOf
) -> None:
    rendered = render_letter(
        "letter_1_in_arrears_LH",
        leasehold_letter_data(),
        today=dt.date(2026, 8, 28),
        bank_holidays={dt.date(2026, 8, 31)},
    )
    assert rendered.letter_date == dt.date(2026, 9, 1)
    assert "Date 1 September 2026" in visible_text(rendered.html)


def test_letter_before_action(
    leasehold_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    text = visible_text(render("letter_before_action", leasehold_letter_data(), today))
    assert "under the lease dated 2 March 1998" in text
    assert "became the lessee on 5 November 2010" in text
    assert "Total arrears on your account £2,500.00" in text
    assert "money judgement the court has already made £500.00" in text
    assert "Amount we are now claiming £2,000.00" in text
    # Reply by today + 30 days, from the day it is produced.
    assert "You must reply by 13 September 2026" in text
    assert "Reply form" in text
    assert "Financial statement" in text
    assert "Monthly income" in text
    assert "Payment plan" in text
    # £2,000 at £200 a month takes 10 months.
    assert "£200.00 10" in text


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda template: template.id.value)
def test_incomplete_data_renders_nothing_and_lists_every_problem(
    template: LetterTemplate, today: dt.date
) -> None:
    with pytest.raises(LetterHasProblems) as refused:
        render_letter(template.id, {"payment_ref": "1234567890"}, today=today)
    missing = {
        problem.field for problem in refused.value.problems if problem.code is ProblemCode.MISSING
    }
    assert missing == set(template.required_fields) - {"payment_ref"}


def test_one_bad_field_is_enough_to_refuse(
    rent_letter_data: LetterDataBuilder, today: dt.date
) -> None:
    with pytest.raises(LetterHasProblems, match="date_of_first_payment: not a valid date"):
        render_letter(
            "informal_agreement_confirmation_letter",
            rent_letter_data(date_of_first_payment="soon"),
            today=today,
        )


def test_an_unknown_template_cannot_be_rendered(today: dt.date) -> None:
    with pytest.raises(LetterTemplateNotFound):
        render_letter("letter_3", {}, today=today)


def test_data_is_escaped(
    rent_letter_data: LetterDataBuilder, visible_text: TextOf, today: dt.date
) -> None:
    html = render("income_collection_letter_1", rent_letter_data(surname="O'Brien <b>"), today)
    assert "<b>" not in html
    assert "O'Brien <b>" in visible_text(html)
