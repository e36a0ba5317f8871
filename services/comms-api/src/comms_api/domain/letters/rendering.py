"""A letter's HTML from its template and data: all or nothing. Data with any problem is refused
whole (never a half-rendered letter); the HTML is then made into a PDF by `gateways.pdf`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import jinja2

from comms_api.domain.letters.catalogue import (
    LetterTemplate,
    ServiceArea,
    TemplateId,
    get_template,
)
from comms_api.domain.letters.court_outcomes import COURT_OUTCOME_DESCRIPTIONS, CourtOutcome
from comms_api.domain.letters.formatting import (
    AgreementFrequency,
    frequency_wording,
    long_date,
    money,
    rent_charge_per_period,
    time_of_day,
)
from comms_api.domain.letters.validation import (
    CheckedLetterData,
    LetterData,
    LetterProblem,
    check_letter_data,
)
from comms_api.domain.letters.working_days import lba_reply_by, next_working_day

__all__ = [
    "HACKNEY_INCOME_TEAM",
    "HACKNEY_LEASEHOLD_TEAM",
    "LetterHasProblems",
    "LetterSender",
    "RenderedLetter",
    "render_letter",
]


@dataclass(frozen=True)
class LetterSender:
    """Who the letter is from and how to reach and pay them: printed in the header, the
    "how to pay" section and the sign-off."""

    team: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    opening_hours: str
    payment_website: str
    signatory: str


_HACKNEY_SERVICE_CENTRE = (
    "Hackney Council",
    "Hackney Service Centre",
    "1 Hillman Street",
    "London E8 1DY",
)
HACKNEY_INCOME_TEAM = LetterSender(
    team="Income Collection Team",
    address_lines=_HACKNEY_SERVICE_CENTRE,
    phone="020 8356 3100",
    email="rent.collection@hackney.gov.uk",
    opening_hours="Monday to Friday, 9am to 5pm",
    payment_website="hackney.gov.uk/rent-payments",
    signatory="Income Collection Officer",
)
HACKNEY_LEASEHOLD_TEAM = LetterSender(
    team="Leasehold Services",
    address_lines=_HACKNEY_SERVICE_CENTRE,
    phone="020 8356 3000",
    email="leasehold.services@hackney.gov.uk",
    opening_hours="Monday to Friday, 9am to 5pm",
    payment_website="hackney.gov.uk/service-charge-payments",
    signatory="Leasehold Income Officer",
)


class LetterHasProblems(Exception):
    """The letter cannot be produced; `problems` lists every missing or invalid field."""

    def __init__(self, template: LetterTemplate, problems: list[LetterProblem]) -> None:
        super().__init__(
            f"{template.id}: "
            + "; ".join(f"{problem.field}: {problem.message}" for problem in problems)
        )
        self.template = template
        self.problems = problems


@dataclass(frozen=True)
class RenderedLetter:
    template: LetterTemplate
    html: str
    # The date printed on the letter: today for rent, the next working day for leasehold.
    letter_date: dt.date


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("comms_api.domain.letters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["money"] = money
    environment.filters["long_date"] = long_date
    environment.filters["time_of_day"] = time_of_day
    environment.filters["frequency_wording"] = frequency_wording
    return environment


def _salutation(template: LetterTemplate, values: dict[str, object]) -> str:
    if template.service_area is ServiceArea.LEASEHOLD:
        return f"Dear {values.get('lessee_short_name') or values['lessee_full_name']}"
    if values.get("title"):
        return f"Dear {values['title']} {values['surname']}"
    return f"Dear {values['forename']} {values['surname']}"


# The LBA's payment table: how long a few monthly payments would take to clear the claim.
_EXAMPLE_MONTHLY_PAYMENTS = tuple(Decimal(amount) for amount in (50, 100, 200, 500))


def _months_to_clear(balance: Decimal, monthly: Decimal) -> int:
    return max(0, math.ceil(balance / monthly))


def _derived(checked: CheckedLetterData, today: dt.date) -> dict[str, object]:
    """The figures a letter states that are worked out rather than given (§5, §6.1)."""
    values = checked.values
    derived: dict[str, object] = {}
    if "rent" in values and "agreement_frequency" in values and "amount" in values:
        weekly_rent = values["rent"]
        frequency = values["agreement_frequency"]
        instalment = values["amount"]
        assert isinstance(weekly_rent, Decimal)
        assert isinstance(frequency, AgreementFrequency)
        assert isinstance(instalment, Decimal)
        rent_charge = rent_charge_per_period(weekly_rent, frequency)
        derived["rent_charge"] = rent_charge
        derived["total_amount_payable"] = rent_charge + instalment
    if "expected_balance" in values and "checked_balance" in values:
        expected, checked_balance = values["expected_balance"], values["checked_balance"]
        assert isinstance(expected, Decimal)
        assert isinstance(checked_balance, Decimal)
        derived["shortfall_amount"] = checked_balance - expected
    if checked.template.id is TemplateId.LETTER_BEFORE_ACTION:
        arrears, judgement = values["total_collectable_arrears_balance"], values["money_judgement"]
        assert isinstance(arrears, Decimal)
        assert isinstance(judgement, Decimal)
        derived["lba_balance"] = arrears - judgement
        derived["payment_plan_examples"] = [
            (monthly, _months_to_clear(arrears - judgement, monthly))
            for monthly in _EXAMPLE_MONTHLY_PAYMENTS
        ]
        derived["reply_by_date"] = lba_reply_by(today)
    outcome = values.get("court_outcome")
    if isinstance(outcome, CourtOutcome):
        derived["court_outcome_description"] = COURT_OUTCOME_DESCRIPTIONS[outcome]
    return derived


def render_letter(
    template_id: str,
    data: LetterData,
    *,
    today: dt.date,
    bank_holidays: Collection[dt.date] = frozenset(),
    sender: LetterSender | None = None,
) -> RenderedLetter:
    """The letter as a self-contained HTML page (styles inline, no external resources).

    Raises `LetterTemplateNotFound` for an unknown id and `LetterHasProblems`, listing every
    problem, when the data is incomplete or invalid. `bank_holidays` (England and Wales) are
    needed for leasehold letters, which are dated the next working day."""
    template = get_template(template_id)
    checked = check_letter_data(template, data)
    if checked.problems:
        raise LetterHasProblems(template, checked.problems)
    if template.service_area is ServiceArea.LEASEHOLD:
        letter_date = next_working_day(today, bank_holidays=bank_holidays)
        sender = sender or HACKNEY_LEASEHOLD_TEAM
    else:
        letter_date = today
        sender = sender or HACKNEY_INCOME_TEAM
    html = (
        _environment()
        .get_template(template.file_name)
        .render(
            template=template,
            variant=checked.variant.value if checked.variant else None,
            letter=checked.values,
            address_lines=checked.address_lines,
            # The property the letter is about: a rent letter goes to the property itself.
            property_lines=checked.address_lines[1:],
            salutation=_salutation(template, checked.values),
            letter_date=letter_date,
            sender=sender,
            **_derived(checked, today),
        )
    )
    return RenderedLetter(template=template, html=html, letter_date=letter_date)
