"""The letters caseworkers can send (income-rules §6.1, frontend-and-notify C.5): who sees each,
the diary code written when it is sent and the fields it needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ma_shared.vocabulary import ServiceArea

__all__ = [
    "COURT_OUTCOME_OUTRIGHT_ORDER_FIELDS",
    "COURT_OUTCOME_WITH_TERMS_FIELDS",
    "LBA_DOWNLOAD_DIARY_CODE",
    "LEASEHOLD_LETTER_FIELDS",
    "RENT_LETTER_FIELDS",
    "TEMPLATES",
    "FieldKind",
    "LetterTemplate",
    "LetterTemplateNotFound",
    "ServiceArea",
    "TemplateId",
    "get_template",
    "humanised",
    "templates_for",
]


class TemplateId(StrEnum):
    INCOME_COLLECTION_LETTER_1 = "income_collection_letter_1"
    INCOME_COLLECTION_LETTER_2 = "income_collection_letter_2"
    INFORMAL_AGREEMENT_CONFIRMATION_LETTER = "informal_agreement_confirmation_letter"
    INFORMAL_AGREEMENT_BREACH_LETTER = "informal_agreement_breach_letter"
    FORMAL_AGREEMENT_BREACH_LETTER = "formal_agreement_breach_letter"
    COURT_DATE_LETTER = "court_date_letter"
    COURT_OUTCOME_LETTER = "court_outcome_letter"
    LETTER_1_IN_ARREARS_FH = "letter_1_in_arrears_FH"
    LETTER_1_IN_ARREARS_LH = "letter_1_in_arrears_LH"
    LETTER_1_IN_ARREARS_SO = "letter_1_in_arrears_SO"
    LETTER_2_IN_ARREARS_FH = "letter_2_in_arrears_FH"
    LETTER_2_IN_ARREARS_LH = "letter_2_in_arrears_LH"
    LETTER_2_IN_ARREARS_SO = "letter_2_in_arrears_SO"
    LETTER_BEFORE_ACTION = "letter_before_action"


class FieldKind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    # A date with the time of day (a court hearing).
    DATE_TIME = "date_time"
    FREQUENCY = "frequency"
    COURT_OUTCOME = "court_outcome"
    FLAG = "flag"


# What each letter field holds. A field not listed is text.
FIELD_KINDS: dict[str, FieldKind] = {
    "total_collectable_arrears_balance": FieldKind.MONEY,
    "rent": FieldKind.MONEY,
    "amount": FieldKind.MONEY,
    "initial_payment_amount": FieldKind.MONEY,
    "expected_balance": FieldKind.MONEY,
    "checked_balance": FieldKind.MONEY,
    "balance_on_court_outcome_date": FieldKind.MONEY,
    "money_judgement": FieldKind.MONEY,
    "date_of_first_payment": FieldKind.DATE,
    "initial_payment_date": FieldKind.DATE,
    "created_date": FieldKind.DATE,
    "court_date": FieldKind.DATE,
    "date_of_breach": FieldKind.DATE,
    "eviction_date": FieldKind.DATE,
    "arrears_letter_1_date": FieldKind.DATE,
    "original_lease_date": FieldKind.DATE,
    "date_of_current_purchase_assignment": FieldKind.DATE,
    "agreement_frequency": FieldKind.FREQUENCY,
    "court_outcome": FieldKind.COURT_OUTCOME,
    "international": FieldKind.FLAG,
}

# Mandatory on every rent letter (§6.1 "common mandatory fields").
RENT_LETTER_FIELDS = (
    "tenancy_ref",
    "payment_ref",
    "forename",
    "surname",
    "address_line1",
    "address_line2",
    "address_post_code",
    "total_collectable_arrears_balance",
)
RENT_ADDRESS_LINES = tuple(f"address_line{number}" for number in range(1, 6))

# Mandatory on every leasehold letter (§6.1 leasehold templates).
LEASEHOLD_LETTER_FIELDS = (
    "payment_ref",
    "lessee_full_name",
    "correspondence_address1",
    "correspondence_address2",
    "correspondence_postcode",
    "property_address",
    "total_collectable_arrears_balance",
)
LEASEHOLD_ADDRESS_LINES = tuple(f"correspondence_address{number}" for number in range(1, 6))

_AGREEMENT_TERMS = ("rent", "agreement_frequency", "amount", "date_of_first_payment")

# The court outcome letter's variants add fields to its own (see `court_outcome_variant`).
COURT_OUTCOME_WITH_TERMS_FIELDS = ("balance_on_court_outcome_date", *_AGREEMENT_TERMS)
# For a rent letter the property is the tenant's own address, already mandatory.
COURT_OUTCOME_OUTRIGHT_ORDER_FIELDS = ("eviction_date",)

# The LBA is printed and posted by hand, so no diary code is written when it is "sent"; this
# one is written the first time a caseworker downloads it ("LBA sent (SC)").
LBA_DOWNLOAD_DIARY_CODE = "SLB"


def humanised(template_id: str) -> str:
    """The file-name-derived display name §6.1 specifies ("Letter 1 in arrears fh"); other
    services look templates up by it (e.g. names containing "Letter 1")."""
    words = template_id.replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower()


@dataclass(frozen=True)
class LetterTemplate:
    id: TemplateId
    service_area: ServiceArea
    # Written to UH's action diary when the letter goes to Notify; None = cannot go to Notify.
    diary_code: str | None
    # Every field the letter needs besides the service area's common ones, in reading order.
    extra_fields: tuple[str, ...] = ()
    # Optional fields the letter shows when given (validated when present).
    optional_fields: tuple[str, ...] = ()
    # Fields whose kind differs on this letter from FIELD_KINDS.
    kind_overrides: dict[str, FieldKind] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return humanised(self.id)

    @property
    def file_name(self) -> str:
        return f"{self.id}.html"

    @property
    def can_be_sent_through_notify(self) -> bool:
        return self.diary_code is not None

    @property
    def common_fields(self) -> tuple[str, ...]:
        if self.service_area is ServiceArea.RENT:
            return RENT_LETTER_FIELDS
        return LEASEHOLD_LETTER_FIELDS

    @property
    def address_line_fields(self) -> tuple[str, ...]:
        if self.service_area is ServiceArea.RENT:
            return RENT_ADDRESS_LINES
        return LEASEHOLD_ADDRESS_LINES

    @property
    def postcode_field(self) -> str:
        if self.service_area is ServiceArea.RENT:
            return "address_post_code"
        return "correspondence_postcode"

    @property
    def required_fields(self) -> tuple[str, ...]:
        """The fields the letter always needs (a variant of the court outcome letter needs
        more: see `validation.required_fields_for`)."""
        return (*self.common_fields, *self.extra_fields)

    def kind_of(self, field_name: str) -> FieldKind:
        return self.kind_overrides.get(field_name, FIELD_KINDS.get(field_name, FieldKind.TEXT))


def _leasehold(template_id: TemplateId, diary_code: str | None, *extra: str) -> LetterTemplate:
    return LetterTemplate(
        template_id,
        ServiceArea.LEASEHOLD,
        diary_code,
        extra_fields=extra,
        optional_fields=("tenancy_ref", "lessee_short_name", "international"),
    )


_RENT_OPTIONAL = ("title",)
_TEMPLATE_LIST = (
    LetterTemplate(
        TemplateId.INCOME_COLLECTION_LETTER_1,
        ServiceArea.RENT,
        "IC1",
        optional_fields=_RENT_OPTIONAL,
    ),
    LetterTemplate(
        TemplateId.INCOME_COLLECTION_LETTER_2,
        ServiceArea.RENT,
        "IC2",
        optional_fields=_RENT_OPTIONAL,
    ),
    LetterTemplate(
        TemplateId.INFORMAL_AGREEMENT_CONFIRMATION_LETTER,
        ServiceArea.RENT,
        "IAC",
        extra_fields=_AGREEMENT_TERMS,
        optional_fields=(*_RENT_OPTIONAL, "initial_payment_amount", "initial_payment_date"),
    ),
    LetterTemplate(
        TemplateId.INFORMAL_AGREEMENT_BREACH_LETTER,
        ServiceArea.RENT,
        "BLI",
        extra_fields=("created_date", "expected_balance", "checked_balance"),
        optional_fields=_RENT_OPTIONAL,
    ),
    # The reference also lists `created_date` and `shortfall_amount` as mandatory input here,
    # but never supplies them for a formal agreement, so the letter could never be produced.
    # Decision: not reproduced. The agreement's start is not what this letter reports (the
    # court order's date and the breach date are), and the shortfall is derived, as on the
    # informal breach letter: checked_balance - expected_balance.
    LetterTemplate(
        TemplateId.FORMAL_AGREEMENT_BREACH_LETTER,
        ServiceArea.RENT,
        "CBL",
        extra_fields=("court_date", "date_of_breach", "expected_balance", "checked_balance"),
        optional_fields=_RENT_OPTIONAL,
    ),
    LetterTemplate(
        TemplateId.COURT_DATE_LETTER,
        ServiceArea.RENT,
        "CDL",
        extra_fields=("court_date",),
        optional_fields=_RENT_OPTIONAL,
        kind_overrides={"court_date": FieldKind.DATE_TIME},
    ),
    LetterTemplate(
        TemplateId.COURT_OUTCOME_LETTER,
        ServiceArea.RENT,
        "IC5",
        extra_fields=("court_outcome", "court_date"),
        optional_fields=(
            *_RENT_OPTIONAL,
            *COURT_OUTCOME_WITH_TERMS_FIELDS,
            *COURT_OUTCOME_OUTRIGHT_ORDER_FIELDS,
            "initial_payment_amount",
            "initial_payment_date",
        ),
    ),
    _leasehold(TemplateId.LETTER_1_IN_ARREARS_FH, "LF1"),
    _leasehold(TemplateId.LETTER_1_IN_ARREARS_LH, "LL1"),
    _leasehold(TemplateId.LETTER_1_IN_ARREARS_SO, "LS1"),
    _leasehold(TemplateId.LETTER_2_IN_ARREARS_FH, "LF2", "arrears_letter_1_date"),
    _leasehold(TemplateId.LETTER_2_IN_ARREARS_LH, "LL2", "arrears_letter_1_date"),
    _leasehold(TemplateId.LETTER_2_IN_ARREARS_SO, "LS2", "arrears_letter_1_date"),
    _leasehold(
        TemplateId.LETTER_BEFORE_ACTION,
        None,
        "original_lease_date",
        "date_of_current_purchase_assignment",
        "money_judgement",
    ),
)

TEMPLATES: dict[TemplateId, LetterTemplate] = {template.id: template for template in _TEMPLATE_LIST}


class LetterTemplateNotFound(LookupError):
    def __init__(self, template_id: str) -> None:
        super().__init__(f"No letter template {template_id!r}")
        self.template_id = template_id


def get_template(template_id: str) -> LetterTemplate:
    try:
        return TEMPLATES[TemplateId(template_id)]
    except ValueError:
        raise LetterTemplateNotFound(template_id) from None


def templates_for(groups: Iterable[str]) -> list[LetterTemplate]:
    """The templates a user may use, sorted by id: rent letters if any of their groups
    contains "income", leasehold letters if any contains "leasehold" (§6.1)."""
    lowered = [group.lower() for group in groups]
    areas = set()
    if any("income" in group for group in lowered):
        areas.add(ServiceArea.RENT)
    if any("leasehold" in group for group in lowered):
        areas.add(ServiceArea.LEASEHOLD)
    return sorted(
        (template for template in _TEMPLATE_LIST if template.service_area in areas),
        key=lambda template: template.id.value,
    )
