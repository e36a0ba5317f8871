"""Letters: the templates caseworkers can send, the fields each needs, the checks that keep an
unsendable letter from being produced, and the HTML each renders to (income-rules §5, §6.1)."""

from comms_api.domain.letters.addresses import format_postcode, is_uk_postcode
from comms_api.domain.letters.catalogue import (
    LBA_DOWNLOAD_DIARY_CODE,
    TEMPLATES,
    LetterTemplate,
    LetterTemplateNotFound,
    ServiceArea,
    TemplateId,
    get_template,
    templates_for,
)
from comms_api.domain.letters.court_outcomes import CourtOutcome
from comms_api.domain.letters.formatting import (
    AgreementFrequency,
    long_date,
    money,
    rent_charge_per_period,
    total_amount_payable,
)
from comms_api.domain.letters.rendering import (
    HACKNEY_INCOME_TEAM,
    HACKNEY_LEASEHOLD_TEAM,
    LetterHasProblems,
    LetterSender,
    RenderedLetter,
    render_letter,
)
from comms_api.domain.letters.validation import (
    CourtOutcomeVariant,
    LetterData,
    LetterProblem,
    ProblemCode,
    court_outcome_variant,
    find_problems,
    required_fields_for,
)
from comms_api.domain.letters.working_days import lba_reply_by, next_working_day

__all__ = [
    "HACKNEY_INCOME_TEAM",
    "HACKNEY_LEASEHOLD_TEAM",
    "LBA_DOWNLOAD_DIARY_CODE",
    "TEMPLATES",
    "AgreementFrequency",
    "CourtOutcome",
    "CourtOutcomeVariant",
    "LetterData",
    "LetterHasProblems",
    "LetterProblem",
    "LetterSender",
    "LetterTemplate",
    "LetterTemplateNotFound",
    "ProblemCode",
    "RenderedLetter",
    "ServiceArea",
    "TemplateId",
    "court_outcome_variant",
    "find_problems",
    "format_postcode",
    "get_template",
    "is_uk_postcode",
    "lba_reply_by",
    "long_date",
    "money",
    "next_working_day",
    "render_letter",
    "rent_charge_per_period",
    "required_fields_for",
    "templates_for",
    "total_amount_payable",
]
