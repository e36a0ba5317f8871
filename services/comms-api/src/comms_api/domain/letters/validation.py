"""Is a letter's data complete and sendable? Every problem is found at once, so a caseworker
can fix them all before trying again (income-rules §6.1, frontend-and-notify B.9)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeAlias

from comms_api.domain.letters.addresses import (
    AddressRule,
    address_rules_broken,
    format_postcode,
    normalise_address_lines,
)
from comms_api.domain.letters.catalogue import (
    COURT_OUTCOME_OUTRIGHT_ORDER_FIELDS,
    COURT_OUTCOME_WITH_TERMS_FIELDS,
    FieldKind,
    LetterTemplate,
    ServiceArea,
    TemplateId,
)
from comms_api.domain.letters.court_outcomes import (
    COURT_OUTCOME_DESCRIPTIONS,
    OUTRIGHT_POSSESSION_ORDERS,
    CourtOutcome,
)
from comms_api.domain.letters.formatting import AgreementFrequency
from ma_shared.uk_time import LONDON

__all__ = [
    "CheckedLetterData",
    "CourtOutcomeVariant",
    "LetterData",
    "LetterProblem",
    "ProblemCode",
    "check_letter_data",
    "court_outcome_variant",
    "find_problems",
    "required_fields_for",
]

# A letter's fields by name: values as the caller has them (Decimal, date, or the strings a
# JSON body carries).
LetterData: TypeAlias = Mapping[str, object]


class ProblemCode(StrEnum):
    MISSING = "missing"
    INVALID_MONEY = "invalid_money"
    INVALID_DATE = "invalid_date"
    INVALID_DATE_TIME = "invalid_date_time"
    INVALID_CHOICE = "invalid_choice"
    INTERNATIONAL_ADDRESS = "international_address"
    ADDRESS_TOO_SHORT = AddressRule.TOO_SHORT.value
    ADDRESS_TOO_LONG = AddressRule.TOO_LONG.value
    ADDRESS_LINES_NOT_ALPHANUMERIC = AddressRule.FIRST_LINES_NOT_ALPHANUMERIC.value
    NOT_A_UK_POSTCODE = AddressRule.NOT_A_UK_POSTCODE.value
    ADDRESS_LINE_STARTS_WITH_FORBIDDEN_CHARACTER = AddressRule.FORBIDDEN_FIRST_CHARACTER.value
    NOT_A_REAL_ADDRESS = AddressRule.NOT_A_REAL_ADDRESS.value
    ADDRESS_LINE_TOO_LONG = AddressRule.LINE_TOO_LONG.value


MISSING_MANDATORY_FIELD = "missing mandatory field"
_INVALID_MESSAGES = {
    FieldKind.MONEY: (ProblemCode.INVALID_MONEY, "not a valid amount of money"),
    FieldKind.DATE: (ProblemCode.INVALID_DATE, "not a valid date"),
    FieldKind.DATE_TIME: (
        ProblemCode.INVALID_DATE_TIME,
        "not a valid date and time (the hearing time is needed)",
    ),
    FieldKind.FREQUENCY: (
        ProblemCode.INVALID_CHOICE,
        "not a frequency a letter can state: "
        + ", ".join(frequency.value for frequency in AgreementFrequency),
    ),
    FieldKind.COURT_OUTCOME: (ProblemCode.INVALID_CHOICE, "not a known court outcome"),
    FieldKind.FLAG: (ProblemCode.INVALID_CHOICE, "must be true or false"),
    FieldKind.TEXT: (ProblemCode.INVALID_CHOICE, "must be text"),
}


@dataclass(frozen=True)
class LetterProblem:
    """One reason a letter cannot be produced: the field, a stable code and a message a
    caseworker can act on."""

    field: str
    code: ProblemCode
    message: str


class CourtOutcomeVariant(StrEnum):
    """The court outcome letter's three wordings."""

    OUTCOME_ONLY = "outcome_only"
    # The court set terms (a formal agreement is linked to the court case).
    WITH_TERMS = "with_terms"
    # Outright possession: the tenancy ends and eviction follows.
    OUTRIGHT_ORDER = "outright_order"


@dataclass(frozen=True)
class CheckedLetterData:
    """The letter's fields parsed (Decimal, date, datetime, enums) and the problems found.
    `values` holds only fields given and valid."""

    template: LetterTemplate
    values: dict[str, object]
    address_lines: list[str]
    variant: CourtOutcomeVariant | None
    problems: list[LetterProblem]


class _Invalid(Exception):
    pass


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_money(value: object) -> Decimal:
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid
        value = str(value)
    if isinstance(value, int | str | Decimal):
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise _Invalid from None
        if amount.is_finite():
            return amount
    raise _Invalid


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise _Invalid from None
    raise _Invalid


def _parse_date_time(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and any(separator in value.strip() for separator in "T "):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid from None
    else:
        # A bare date cannot tell the tenant when to be at court.
        raise _Invalid
    # Court times are London times; an offset from a JSON body is converted to them.
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON).replace(tzinfo=None)
    return moment


def _parse_frequency(value: object) -> AgreementFrequency:
    try:
        return AgreementFrequency(str(value).strip())
    except ValueError:
        raise _Invalid from None


def _parse_court_outcome(value: object) -> CourtOutcome:
    """A code ("SOT") or its description ("Suspension on terms"), as the API may carry either."""
    text = str(value).strip()
    for outcome, description in COURT_OUTCOME_DESCRIPTIONS.items():
        if text.upper() == outcome.value or text.lower() == description.lower():
            return outcome
    raise _Invalid


def _parse_flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid


def _parse_text(value: object) -> str:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return " ".join(str(value).split())
    raise _Invalid


_PARSERS = {
    FieldKind.MONEY: _parse_money,
    FieldKind.DATE: _parse_date,
    FieldKind.DATE_TIME: _parse_date_time,
    FieldKind.FREQUENCY: _parse_frequency,
    FieldKind.COURT_OUTCOME: _parse_court_outcome,
    FieldKind.FLAG: _parse_flag,
    FieldKind.TEXT: _parse_text,
}


def court_outcome_variant(data: LetterData) -> CourtOutcomeVariant:
    """Outright possession orders get the eviction wording; otherwise the letter states the
    court's terms when agreement data came with the court case (any of its fields given)."""
    try:
        outcome = _parse_court_outcome(data.get("court_outcome"))
    except _Invalid:
        outcome = None
    if outcome in OUTRIGHT_POSSESSION_ORDERS:
        return CourtOutcomeVariant.OUTRIGHT_ORDER
    if any(not _is_blank(data.get(name)) for name in COURT_OUTCOME_WITH_TERMS_FIELDS):
        return CourtOutcomeVariant.WITH_TERMS
    return CourtOutcomeVariant.OUTCOME_ONLY


def required_fields_for(template: LetterTemplate, data: LetterData) -> tuple[str, ...]:
    """Every field this letter needs for this data: the template's own, the court outcome
    variant's, and both halves of an optional lump sum once either is given."""
    required = list(template.required_fields)
    if template.id is TemplateId.COURT_OUTCOME_LETTER:
        match court_outcome_variant(data):
            case CourtOutcomeVariant.WITH_TERMS:
                required += COURT_OUTCOME_WITH_TERMS_FIELDS
            case CourtOutcomeVariant.OUTRIGHT_ORDER:
                required += COURT_OUTCOME_OUTRIGHT_ORDER_FIELDS
            case CourtOutcomeVariant.OUTCOME_ONLY:
                pass
    lump_sum = ("initial_payment_amount", "initial_payment_date")
    if set(lump_sum) <= set(template.optional_fields) and any(
        not _is_blank(data.get(name)) for name in lump_sum
    ):
        required += lump_sum
    return tuple(dict.fromkeys(required))


def _address_lines(template: LetterTemplate, values: Mapping[str, object]) -> list[str]:
    if template.service_area is ServiceArea.RENT:
        name_parts = [values.get("forename"), values.get("surname")]
        name = " ".join(str(part) for part in name_parts if part)
    else:
        name = str(values.get("lessee_full_name") or "")
    lines = [name, *(str(values.get(field) or "") for field in template.address_line_fields)]
    postcode = values.get(template.postcode_field)
    if postcode:
        lines.append(format_postcode(str(postcode)))
    return normalise_address_lines(lines)


def _address_problems(
    template: LetterTemplate, values: Mapping[str, object], lines: list[str]
) -> list[LetterProblem]:
    address_field = (
        "address" if template.service_area is ServiceArea.RENT else ("correspondence_address")
    )
    postcode_given = bool(values.get(template.postcode_field))
    problems = []
    if values.get("international") is True:
        problems.append(
            LetterProblem(
                template.postcode_field,
                ProblemCode.INTERNATIONAL_ADDRESS,
                "the address is outside the UK: letters cannot be sent abroad",
            )
        )
    for broken in address_rules_broken(lines):
        if broken.rule is AddressRule.NOT_A_UK_POSTCODE:
            # A missing postcode is already reported, and an international address
            # is the reason the postcode is not British.
            if not postcode_given or values.get("international") is True:
                continue
            problems.append(
                LetterProblem(template.postcode_field, ProblemCode(broken.rule), broken.message)
            )
        else:
            problems.append(LetterProblem(address_field, ProblemCode(broken.rule), broken.message))
    return problems


def check_letter_data(template: LetterTemplate, data: LetterData) -> CheckedLetterData:
    """Parse every field the letter uses and collect every problem: each missing mandatory
    field, each field given but not valid (money, date, choice), then the address rules."""
    required = required_fields_for(template, data)
    problems: list[LetterProblem] = []
    values: dict[str, object] = {}
    for name in dict.fromkeys((*required, *template.optional_fields)):
        raw = data.get(name)
        if _is_blank(raw):
            if name in required:
                problems.append(LetterProblem(name, ProblemCode.MISSING, MISSING_MANDATORY_FIELD))
            continue
        kind = template.kind_of(name)
        try:
            values[name] = _PARSERS[kind](raw)
        except _Invalid:
            code, message = _INVALID_MESSAGES[kind]
            problems.append(LetterProblem(name, code, message))
    for name in template.address_line_fields:
        if name not in values and not _is_blank(data.get(name)):
            try:
                values[name] = _parse_text(data.get(name))
            except _Invalid:
                problems.append(LetterProblem(name, *_INVALID_MESSAGES[FieldKind.TEXT]))
    lines = _address_lines(template, values)
    problems += _address_problems(template, values, lines)
    variant = (
        court_outcome_variant(data) if template.id is TemplateId.COURT_OUTCOME_LETTER else None
    )
    return CheckedLetterData(template, values, lines, variant, problems)


def find_problems(template: LetterTemplate, data: LetterData) -> list[LetterProblem]:
    """Every missing or invalid field, as (field, code, message); empty when the letter can be
    produced."""
    return check_letter_data(template, data).problems
