"""Letter previews: UH's letter data for the tenancy, with the fields the caller adds
(agreement or court details from income-api), checked and rendered to HTML, a PDF, and an
image of each page; or every problem listed, and nothing rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from comms_api.domain.letters import LetterTemplate, render_letter
from comms_api.gateways.pdf import PagePreview, preview_pages, render_pdf
from comms_api.gateways.uh_gateway import UhGateway, UhUnavailable
from ma_shared.errors import NotFound, UpstreamUnavailable


@dataclass(frozen=True)
class LetterPreview:
    template: LetterTemplate
    html: str
    pdf: bytes
    pages: list[PagePreview]


def _rent_fields(uh: dict[str, Any]) -> dict[str, Any]:
    lines = uh["address"]["lines"]
    return {
        "tenancy_ref": uh["tenancy_ref"],
        "payment_ref": uh["payment_ref"],
        "title": uh.get("title"),
        "forename": uh.get("forename"),
        "surname": uh.get("surname"),
        **{f"address_line{n}": line for n, line in enumerate(lines[:5], start=1)},
        "address_post_code": uh["address"]["postcode"],
        "total_collectable_arrears_balance": uh["total_collectable_arrears_balance"],
    }


def _leasehold_fields(uh: dict[str, Any]) -> dict[str, Any]:
    address = uh["correspondence_address"]
    return {
        "tenancy_ref": uh["tenancy_ref"],
        "payment_ref": uh["payment_ref"],
        "lessee_full_name": uh.get("lessee_full_name"),
        "lessee_short_name": uh.get("lessee_short_name"),
        **{
            f"correspondence_address{n}": line
            for n, line in enumerate(address["lines"][:5], start=1)
        },
        "correspondence_postcode": address["postcode"],
        "international": address["international"],
        "property_address": uh.get("property_address"),
        "total_collectable_arrears_balance": uh["total_collectable_arrears_balance"],
        "original_lease_date": uh.get("original_lease_date"),
        "date_of_current_purchase_assignment": uh.get("date_of_current_purchase_assignment"),
        "money_judgement": uh.get("money_judgement"),
    }


def preview_letter(
    uh: UhGateway,
    template: LetterTemplate,
    *,
    tenancy_ref: str,
    fields: dict[str, Any],
    today: dt.date,
) -> LetterPreview:
    area = template.service_area.value
    try:
        data = uh.letter_data(area, tenancy_ref)
    except UhUnavailable as error:
        raise UpstreamUnavailable("UH cannot be reached for the letter's data.") from error
    if data is None:
        raise NotFound(f"UH has no tenancy {tenancy_ref}.")
    base = _rent_fields(data) if area == "rent" else _leasehold_fields(data)
    # What the caller gives wins: a caseworker may correct an address before sending.
    merged = {k: v for k, v in base.items() if v is not None} | fields
    rendered = render_letter(template.id, merged, today=today)
    pdf = render_pdf(rendered.html)
    return LetterPreview(template=template, html=rendered.html, pdf=pdf, pages=preview_pages(pdf))
