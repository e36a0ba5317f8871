"""Previewing a letter for a real tenancy: UH's name, address and balance through the real
uh-gateway, every problem listed when something is missing, and the pages to look at."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient


def test_letter_one_is_previewed_from_uh_with_its_pages(
    client: TestClient, caseworker: dict[str, str], tenancy_ref: str
) -> None:
    response = client.post(
        "/api/v1/letters/preview",
        json={"template_id": "income_collection_letter_1", "tenancy_ref": tenancy_ref},
        headers=caseworker,
    )
    assert response.status_code == 200, response.text
    letter = response.json()
    assert letter["template_name"]
    assert tenancy_ref in letter["html"]
    assert "£" in letter["html"]
    assert letter["page_count"] == len(letter["pages"]) >= 1
    page = letter["pages"][0]
    assert base64.b64decode(page["png_base64"]).startswith(b"\x89PNG")
    assert (page["width_px"], page["height_px"]) == (794, 1123)


def test_an_agreement_letter_without_its_terms_lists_every_missing_field(
    client: TestClient, caseworker: dict[str, str], tenancy_ref: str
) -> None:
    response = client.post(
        "/api/v1/letters/preview",
        json={"template_id": "informal_agreement_confirmation_letter", "tenancy_ref": tenancy_ref},
        headers=caseworker,
    )
    assert response.status_code == 422
    missing = {d["field"] for d in response.json()["error"]["details"]}
    assert {"rent", "agreement_frequency", "amount", "date_of_first_payment"} <= missing


def test_the_caller_supplies_what_uh_does_not_hold(
    client: TestClient, caseworker: dict[str, str], tenancy_ref: str
) -> None:
    response = client.post(
        "/api/v1/letters/preview",
        json={
            "template_id": "informal_agreement_confirmation_letter",
            "tenancy_ref": tenancy_ref,
            "fields": {
                "rent": "110.00",
                "agreement_frequency": "weekly",
                "amount": "15.00",
                "date_of_first_payment": "2026-12-07",
            },
        },
        headers=caseworker,
    )
    assert response.status_code == 200, response.text
    assert "£15.00" in response.json()["html"]


def test_unknown_templates_tenancies_and_other_service_areas_are_refused(
    client: TestClient, caseworker: dict[str, str], tenancy_ref: str
) -> None:
    unknown_template = client.post(
        "/api/v1/letters/preview",
        json={"template_id": "no_such_letter", "tenancy_ref": tenancy_ref},
        headers=caseworker,
    )
    assert unknown_template.status_code == 404
    unknown_tenancy = client.post(
        "/api/v1/letters/preview",
        json={"template_id": "income_collection_letter_1", "tenancy_ref": "999999/99"},
        headers=caseworker,
    )
    assert unknown_tenancy.status_code == 404
    leasehold = client.post(
        "/api/v1/letters/preview",
        json={"template_id": "letter_1_in_arrears_LH", "tenancy_ref": tenancy_ref},
        headers=caseworker,
    )
    assert leasehold.status_code == 403
    templates = client.get("/api/v1/letters/templates", headers=caseworker).json()
    assert {t["service_area"] for t in templates} == {"rent"}
    assert "income_collection_letter_1" in {t["id"] for t in templates}
    # What a form needs to ask for a letter's own fields.
    court_date_letter = next(t for t in templates if t["id"] == "court_date_letter")
    assert court_date_letter["field_kinds"]["court_date"] == "date_time"
    confirmation = next(t for t in templates if t["id"] == "informal_agreement_confirmation_letter")
    assert confirmation["field_kinds"]["agreement_frequency"] == "frequency"
    assert "initial_payment_date" in confirmation["optional_fields"]
