"""Letters from a case: the fields a caseworker gives a letter (what UH does not hold: an
agreement's terms, a court case's date and outcome), filled in from the case where income-api
knows them, read back from the form, and comms-api's problems with a letter said in words.

comms-api decides which fields a letter needs and of what kind (`GET /api/v1/letters/
templates`); this module only knows how to ask for them. A field it has no words for comes
from UH and is not asked for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Final

from ma_shared.uk_time import in_london

if TYPE_CHECKING:
    from frontend.gateways.comms_api import LetterTemplate
    from frontend.gateways.income_api import Agreement, Case

# comms-api's field kinds this module reads differently from text (`macros/letters.html`
# shows frequencies and court outcomes as choices).
MONEY, DATE, DATE_TIME = "money", "date", "date_time"
DATE_PARTS: Final = ("day", "month", "year")


@dataclass(frozen=True)
class FieldWords:
    label: str
    hint: str = ""
    # UH may hold it: left blank, UH's value is used.
    from_uh: bool = False


# The fields a caseworker can give, in words.
ASKED_FOR: Final[dict[str, FieldWords]] = {
    "created_date": FieldWords("Date the agreement was made"),
    "rent": FieldWords("Weekly rent", "The letter shows the instalment on top of the rent."),
    "amount": FieldWords("Instalment towards the arrears"),
    "agreement_frequency": FieldWords("How often the instalments are paid"),
    "date_of_first_payment": FieldWords("Date of the first instalment"),
    "initial_payment_amount": FieldWords(
        "First payment, if it differs", "A lump sum paid before the instalments: give its date too."
    ),
    "initial_payment_date": FieldWords("Date of the first payment"),
    "expected_balance": FieldWords("Balance expected by now under the agreement"),
    "checked_balance": FieldWords("Balance when the agreement was last checked"),
    "court_date": FieldWords("Court date"),
    "date_of_breach": FieldWords("Date the court order was first breached"),
    "court_outcome": FieldWords("Court outcome"),
    "balance_on_court_outcome_date": FieldWords(
        "Balance on the court outcome date", "Only when the court set terms."
    ),
    "eviction_date": FieldWords("Eviction date", "Only for an outright possession order."),
    "arrears_letter_1_date": FieldWords("Date letter 1 was sent", from_uh=True),
    "original_lease_date": FieldWords("Original lease date", from_uh=True),
    "date_of_current_purchase_assignment": FieldWords(
        "Date of the current purchase or assignment", from_uh=True
    ),
    "money_judgement": FieldWords("Money judgement", from_uh=True),
}

# Names of the fields UH supplies, for comms-api's problems with them.
FROM_UH: Final[dict[str, str]] = {
    "tenancy_ref": "Tenancy reference",
    "payment_ref": "Payment reference",
    "title": "Title",
    "forename": "First name",
    "surname": "Last name",
    "address": "Address",
    **{f"address_line{n}": f"Address line {n}" for n in range(1, 6)},
    "address_post_code": "Postcode",
    "total_collectable_arrears_balance": "Collectable arrears",
    "lessee_full_name": "Leaseholder’s name",
    "lessee_short_name": "Leaseholder’s short name",
    "correspondence_address": "Correspondence address",
    **{f"correspondence_address{n}": f"Correspondence address line {n}" for n in range(1, 6)},
    "correspondence_postcode": "Correspondence postcode",
    "property_address": "Property address",
    "international": "Address abroad",
}

# Letters about a court order read the court's agreement; the others an informal one.
FORMAL_AGREEMENT_LETTERS: Final = frozenset(
    {"formal_agreement_breach_letter", "court_outcome_letter"}
)
# States the court's terms when any of them (the rent among them) is given: only with them.
TERMS_LETTER: Final = "court_outcome_letter"


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str
    words: FieldWords
    required: bool

    @property
    def inputs(self) -> tuple[str, ...]:
        """The form inputs it is entered in."""
        if self.kind == DATE:
            return tuple(f"{self.name}-{part}" for part in DATE_PARTS)
        if self.kind == DATE_TIME:
            return (*(f"{self.name}-{part}" for part in DATE_PARTS), f"{self.name}-time")
        return (self.name,)


def form_fields(template: LetterTemplate) -> list[FormField]:
    """What the form asks for this letter, in the letter's order."""
    names = dict.fromkeys((*template.required_fields, *template.optional_fields))
    return [
        FormField(
            name,
            template.field_kinds.get(name, "text"),
            ASKED_FOR[name],
            name in template.required_fields,
        )
        for name in names
        if name in ASKED_FOR
    ]


def field_name(field: str | None) -> str:
    if not field:
        return ""
    words = ASKED_FOR.get(field)
    if words:
        return words.label
    return FROM_UH.get(field) or field.replace("_", " ").capitalize()


def problem_words(field: str | None, code: str, message: str) -> str:
    """One of comms-api's problems with a letter as a sentence: `Postcode is missing`."""
    name = field_name(field)
    if not name:
        return message
    if code == "missing":
        return f"{name} is missing"
    if message.startswith("not "):
        return f"{name} is {message}"
    return f"{name}: {message[:1].upper()}{message[1:]}"


# --- Reading the form ------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class Invalid(ValueError):
    """What is wrong with what was entered, in words for the field's error message."""


def _date(field: FormField, raw: Mapping[str, str]) -> dt.date | None:
    parts = [raw.get(f"{field.name}-{part}", "").strip() for part in DATE_PARTS]
    if not any(parts):
        return None
    if not all(part.isdigit() for part in parts):
        raise Invalid(f"{field.words.label} must be a real date, for example 27 3 2026")
    day, month, year = (int(part) for part in parts)
    try:
        if year < 1900:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(f"{field.words.label} must be a real date, for example 27 3 2026") from None


def _time(field: FormField, written: str) -> dt.time:
    match = _TIME.match(written.strip().lower())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
            return dt.time(hour, minute)
        if not half and hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise Invalid("Enter the time of the hearing, for example 10:30am or 14:30")


def _money(field: FormField, written: str) -> str:
    text = written.strip().removeprefix("£").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Invalid(f"{field.words.label} must be an amount of money, like 12.50") from None
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2:
        raise Invalid(f"{field.words.label} must be an amount of money, like 12.50")
    return f"{amount:.2f}"


def letter_fields(
    fields: list[FormField], raw: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The letter's fields as comms-api takes them (blanks left out: comms-api says which of
    those the letter needs), and an error message by field for what cannot be read."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in fields:
        try:
            if field.kind in {DATE, DATE_TIME}:
                day = _date(field, raw)
                if day is None:
                    continue
                time_written = raw.get(f"{field.name}-time", "").strip()
                values[field.name] = (
                    dt.datetime.combine(day, _time(field, time_written)).isoformat(
                        timespec="minutes"
                    )
                    if field.kind == DATE_TIME and time_written
                    else day.isoformat()
                )
                continue
            written = raw.get(field.name, "").strip()
            if not written:
                continue
            values[field.name] = _money(field, written) if field.kind == MONEY else written
        except Invalid as invalid:
            errors[field.name] = str(invalid)
    return values, errors


# --- Filled in from the case -----------------------------------------------------------------


def _date_inputs(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _money_input(name: str, amount: Decimal | None) -> dict[str, str]:
    return {name: f"{amount:.2f}"} if amount is not None else {}


def _agreement(case: Case, template_id: str) -> Agreement | None:
    wanted = "formal" if template_id in FORMAL_AGREEMENT_LETTERS else "informal"
    return next(
        (a for a in reversed(case.agreements) if a.is_active and a.agreement_type == wanted), None
    )


def _agreement_inputs(agreement: Agreement) -> dict[str, str]:
    values = {
        **_money_input("amount", agreement.amount),
        "agreement_frequency": agreement.frequency,
        **_date_inputs("date_of_first_payment", agreement.start_date),
        **_date_inputs("created_date", in_london(agreement.created_at).date()),
        **_money_input("initial_payment_amount", agreement.initial_payment_amount),
        **_date_inputs("initial_payment_date", agreement.initial_payment_date),
    }
    checked = next((s for s in reversed(agreement.history) if s.checked_balance is not None), None)
    if checked is not None:
        values |= _money_input("expected_balance", checked.expected_balance)
        values |= _money_input("checked_balance", checked.checked_balance)
    # Since when it has been breached without a break.
    breached_since: dt.datetime | None = None
    for state in agreement.history:
        breached = state.state == "breached"
        breached_since = (breached_since or state.created_at) if breached else None
    if breached_since is not None:
        values |= _date_inputs("date_of_breach", in_london(breached_since).date())
    return values


def _court_inputs(case: Case, agreement: Agreement | None) -> dict[str, str]:
    """The agreement's court case, or the latest."""
    court_case_id = agreement.court_case_id if agreement else None
    court = next(
        (c for c in case.court_cases if c.id == court_case_id),
        case.court_cases[-1] if case.court_cases else None,
    )
    if court is None:
        return {}
    values: dict[str, str] = {}
    # The court outcome letter states terms only when any of them is given: only with the
    # court's agreement.
    if agreement is not None:
        values |= _money_input("balance_on_court_outcome_date", court.balance_on_court_outcome_date)
    if court.court_outcome:
        values["court_outcome"] = court.court_outcome
    if court.court_date:
        hearing = in_london(court.court_date)
        values |= _date_inputs("court_date", hearing.date())
        if (hearing.hour, hearing.minute) != (0, 0):
            values["court_date-time"] = f"{hearing:%H:%M}"
    return values


def prefilled(case: Case, template_id: str) -> dict[str, str]:
    """The form's inputs for this letter filled in from the case: the agreement's terms and
    its last check, the court case's date and outcome, the eviction date."""
    values: dict[str, str] = {}
    agreement = _agreement(case, template_id)
    if agreement is not None or template_id != TERMS_LETTER:
        values |= _money_input("rent", case.weekly_gross_rent)
    if agreement is not None:
        values |= _agreement_inputs(agreement)
    values |= _court_inputs(case, agreement)
    if case.evictions:
        values |= _date_inputs("eviction_date", case.evictions[-1].date)
    values |= _money_input("money_judgement", case.money_judgement)
    return values
