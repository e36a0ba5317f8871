"""The letter templates: names, who sees them, diary codes and required fields (§6.1, C.5)."""

from __future__ import annotations

import pytest

from comms_api.domain.letters import (
    LBA_DOWNLOAD_DIARY_CODE,
    TEMPLATES,
    LetterTemplateNotFound,
    ServiceArea,
    TemplateId,
    get_template,
    templates_for,
)

RENT_COMMON = {
    "tenancy_ref",
    "payment_ref",
    "forename",
    "surname",
    "address_line1",
    "address_line2",
    "address_post_code",
    "total_collectable_arrears_balance",
}
LEASEHOLD_COMMON = {
    "payment_ref",
    "lessee_full_name",
    "correspondence_address1",
    "correspondence_address2",
    "correspondence_postcode",
    "property_address",
    "total_collectable_arrears_balance",
}


@pytest.mark.parametrize(
    ("template_id", "diary_code"),
    [
        ("income_collection_letter_1", "IC1"),
        ("income_collection_letter_2", "IC2"),
        ("informal_agreement_confirmation_letter", "IAC"),
        ("informal_agreement_breach_letter", "BLI"),
        ("formal_agreement_breach_letter", "CBL"),
        ("court_date_letter", "CDL"),
        ("court_outcome_letter", "IC5"),
        ("letter_1_in_arrears_FH", "LF1"),
        ("letter_1_in_arrears_LH", "LL1"),
        ("letter_1_in_arrears_SO", "LS1"),
        ("letter_2_in_arrears_FH", "LF2"),
        ("letter_2_in_arrears_LH", "LL2"),
        ("letter_2_in_arrears_SO", "LS2"),
        ("letter_before_action", None),
    ],
)
def test_each_template_writes_its_diary_code_when_sent(
    template_id: str, diary_code: str | None
) -> None:
    template = get_template(template_id)
    assert template.diary_code == diary_code
    assert template.can_be_sent_through_notify is (diary_code is not None)


def test_every_template_is_registered() -> None:
    assert set(TEMPLATES) == set(TemplateId)
    assert len(TEMPLATES) == 14


def test_the_letter_before_action_is_marked_sent_when_downloaded() -> None:
    assert LBA_DOWNLOAD_DIARY_CODE == "SLB"


@pytest.mark.parametrize(
    ("template_id", "name"),
    [
        ("income_collection_letter_1", "Income collection letter 1"),
        ("letter_1_in_arrears_FH", "Letter 1 in arrears fh"),
        ("letter_before_action", "Letter before action"),
    ],
)
def test_names_are_the_humanised_template_id(template_id: str, name: str) -> None:
    assert get_template(template_id).name == name


@pytest.mark.parametrize(
    ("groups", "areas"),
    [
        pytest.param(["income-collection"], {ServiceArea.RENT}, id="income group sees rent"),
        pytest.param(["leasehold-services"], {ServiceArea.LEASEHOLD}, id="leasehold group"),
        pytest.param(
            ["Income-Collection", "LEASEHOLD"],
            {ServiceArea.RENT, ServiceArea.LEASEHOLD},
            id="both groups see both, whatever the case",
        ),
        pytest.param(["housing-officers"], set(), id="other groups see none"),
    ],
)
def test_users_see_the_templates_of_their_groups(
    groups: list[str], areas: set[ServiceArea]
) -> None:
    templates = templates_for(groups)
    assert {template.service_area for template in templates} == areas
    assert [template.id for template in templates] == sorted(template.id for template in templates)


def test_rent_and_leasehold_template_lists() -> None:
    assert len(templates_for(["income"])) == 7
    assert len(templates_for(["leasehold"])) == 7


@pytest.mark.parametrize(
    ("template_id", "extra"),
    [
        ("income_collection_letter_1", set()),
        ("income_collection_letter_2", set()),
        (
            "informal_agreement_confirmation_letter",
            {"rent", "agreement_frequency", "amount", "date_of_first_payment"},
        ),
        (
            "informal_agreement_breach_letter",
            {"created_date", "expected_balance", "checked_balance"},
        ),
        # The reference's created_date/shortfall_amount quirk is deliberately not reproduced.
        (
            "formal_agreement_breach_letter",
            {"court_date", "date_of_breach", "expected_balance", "checked_balance"},
        ),
        ("court_date_letter", {"court_date"}),
        ("court_outcome_letter", {"court_outcome", "court_date"}),
        ("letter_1_in_arrears_LH", set()),
        ("letter_2_in_arrears_SO", {"arrears_letter_1_date"}),
        (
            "letter_before_action",
            {"original_lease_date", "date_of_current_purchase_assignment", "money_judgement"},
        ),
    ],
)
def test_required_fields_are_the_common_ones_plus_the_templates_own(
    template_id: str, extra: set[str]
) -> None:
    template = get_template(template_id)
    common = RENT_COMMON if template.service_area is ServiceArea.RENT else LEASEHOLD_COMMON
    assert set(template.required_fields) == common | extra


def test_an_unknown_template_is_a_named_error() -> None:
    with pytest.raises(LetterTemplateNotFound, match="letter_3"):
        get_template("letter_3")
