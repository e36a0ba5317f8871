"""Letters: UH's letter data for the tenancy (or payment reference) with the fields the caller
adds (agreement or court details from income-api), checked and rendered to HTML and a PDF.

A preview shows the HTML and an image of each page. Accepting a letter stores its PDF in the
document store, then its document and message rows with the idempotency key; `send_accepted`
posts it through Notify as a precompiled letter, exactly as for texts and emails. A letter
before action cannot go through Notify: it is stored `to_download`, to be printed and posted
by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row, select
from sqlalchemy.exc import IntegrityError

from comms_api.domain.documents import DocumentKind, DocumentStatus
from comms_api.domain.letters import (
    LetterHasProblems,
    LetterTemplate,
    LetterTemplateNotFound,
    get_template,
    render_letter,
)
from comms_api.domain.letters.working_days import ENGLAND_AND_WALES_BANK_HOLIDAYS
from comms_api.gateways.document_store import DocumentStore, DocumentStoreUnavailable
from comms_api.gateways.pdf import LetterPdfError, PagePreview, preview_pages, render_pdf
from comms_api.gateways.tables import documents, messages
from comms_api.gateways.uh_gateway import UhGateway, UhUnavailable
from comms_api.use_cases.messages import ACCEPTED, LETTER, get_message
from ma_shared.errors import (
    Conflict,
    ErrorDetail,
    NotFound,
    UpstreamUnavailable,
    ValidationFailed,
)
from ma_shared.uk_time import LONDON
from ma_shared.vocabulary import ServiceArea

PDF = "application/pdf"
POSTAGE_CLASSES = ("second", "first", "economy")


@dataclass(frozen=True)
class LetterPreview:
    template: LetterTemplate
    html: str
    pdf: bytes
    pages: list[PagePreview]


@dataclass(frozen=True)
class LetterRequest:
    template_id: str
    tenancy_ref: str | None
    payment_ref: str | None
    fields: dict[str, Any]
    sent_by: str
    idempotency_key: str
    automated: bool = False
    postage: str = "second"

    def fingerprint(self) -> str:
        payload = json.dumps(
            [
                LETTER,
                self.template_id,
                self.tenancy_ref,
                self.payment_ref,
                self.fields,
                self.postage,
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class LetterAddressee:
    """Whom a letter is for, and every field it is made from."""

    tenancy_ref: str
    payment_ref: str | None
    fields: dict[str, Any]


def london_today() -> dt.date:
    """Letters are dated in London."""
    return dt.datetime.now(tz=LONDON).date()


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(field=field, code=code, message=message)])


def letter_template(template_id: str) -> LetterTemplate:
    try:
        return get_template(template_id)
    except LetterTemplateNotFound as error:
        raise _invalid(
            "template_id", "unknown_template", f"There is no letter template {template_id!r}."
        ) from error


def rent_fields(uh: dict[str, Any]) -> dict[str, Any]:
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


def leasehold_fields(uh: dict[str, Any]) -> dict[str, Any]:
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
        "arrears_letter_1_date": uh.get("arrears_letter_1_date"),
    }


def merge_fields(
    template: LetterTemplate, uh: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    """UH's data, then the caller's fields: what the caller gives wins, so a caseworker may
    correct an address before sending."""
    base = rent_fields(uh) if template.service_area is ServiceArea.RENT else leasehold_fields(uh)
    return {k: v for k, v in base.items() if v is not None} | fields


def find_addressee(
    uh: UhGateway,
    template: LetterTemplate,
    *,
    tenancy_ref: str | None,
    payment_ref: str | None,
    fields: dict[str, Any],
) -> LetterAddressee:
    area = template.service_area
    try:
        if tenancy_ref is not None:
            data = uh.letter_data(area.value, tenancy_ref)
            if data is None:
                raise NotFound(f"UH has no tenancy {tenancy_ref}.")
        elif payment_ref is not None:
            (found,) = uh.letter_data_for_payment_refs(area.value, [payment_ref])
            data = lookup_letter_data(found, area)
        else:
            raise _invalid("tenancy_ref", "required", "Give a tenancy_ref or a payment_ref.")
    except UhUnavailable as error:
        raise UpstreamUnavailable("UH cannot be reached for the letter's data.") from error
    return LetterAddressee(
        tenancy_ref=data["tenancy_ref"],
        payment_ref=data.get("payment_ref"),
        fields=merge_fields(template, data, fields),
    )


def lookup_letter_data(found: dict[str, Any], area: ServiceArea) -> dict[str, Any]:
    """The letter data of one payment reference looked up in UH, or why there is none."""
    payment_ref = found["payment_ref"]
    if found["tenancy_ref"] is None:
        raise _invalid(
            "payment_ref", "unknown_payment_ref", f"No account has payment reference {payment_ref}."
        )
    data: dict[str, Any] | None = found.get(area.value)
    if data is None:
        raise _invalid(
            "payment_ref",
            "wrong_service_area",
            f"Payment reference {payment_ref} is a {found['service_area']} account: "
            f"a {area.value} letter cannot be sent to it.",
        )
    return data


def problems_as_error(problems: LetterHasProblems) -> ValidationFailed:
    return ValidationFailed(
        "The letter cannot be made: fields are missing or not valid.",
        details=[
            ErrorDetail(field=p.field, code=str(p.code), message=p.message)
            for p in problems.problems
        ],
    )


def make_letter(
    template: LetterTemplate, fields: dict[str, Any], *, today: dt.date
) -> tuple[str, bytes]:
    """The letter's HTML and PDF, or every problem as a `ValidationFailed`."""
    try:
        html = render_letter(
            template.id, fields, today=today, bank_holidays=ENGLAND_AND_WALES_BANK_HOLIDAYS
        ).html
    except LetterHasProblems as problems:
        raise problems_as_error(problems) from problems
    try:
        return html, render_pdf(html)
    except LetterPdfError as error:
        raise ValidationFailed(str(error), code="letter_not_printable") from error


def preview_letter(
    uh: UhGateway,
    template: LetterTemplate,
    *,
    tenancy_ref: str,
    fields: dict[str, Any],
    today: dt.date,
) -> LetterPreview:
    addressee = find_addressee(
        uh, template, tenancy_ref=tenancy_ref, payment_ref=None, fields=fields
    )
    html, pdf = make_letter(template, addressee.fields, today=today)
    return LetterPreview(template=template, html=html, pdf=pdf, pages=preview_pages(pdf))


def _replay(engine: Engine, idempotency_key: str, fingerprint: str) -> Row[Any] | None:
    with engine.connect() as conn:
        existing = conn.execute(
            select(messages).where(messages.c.idempotency_key == idempotency_key)
        ).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was used for a different message.",
            code="idempotency_key_reused",
        )
    return existing


def accept_letter(
    engine: Engine,
    uh: UhGateway,
    store: DocumentStore,
    request: LetterRequest,
    *,
    today: dt.date,
) -> tuple[Row[Any], bool]:
    """The stored letter's message and whether it was already there (a retried request)."""
    existing = _replay(engine, request.idempotency_key, request.fingerprint())
    if existing is not None:
        return existing, True
    template = letter_template(request.template_id)
    if request.postage not in POSTAGE_CLASSES:
        raise _invalid("postage", "invalid_choice", "Postage is first, second or economy.")
    addressee = find_addressee(
        uh,
        template,
        tenancy_ref=request.tenancy_ref,
        payment_ref=request.payment_ref,
        fields=request.fields,
    )
    return store_letter(engine, store, template, addressee, request, today=today)


def store_letter(
    engine: Engine,
    store: DocumentStore,
    template: LetterTemplate,
    addressee: LetterAddressee,
    request: LetterRequest,
    *,
    today: dt.date,
) -> tuple[Row[Any], bool]:
    """Make the letter, store its PDF, then its document and message (in one transaction):
    a failure before the commit leaves at most an unreferenced file, never a message without
    its PDF."""
    html, pdf = make_letter(template, addressee.fields, today=today)
    document_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    storage_key = f"letters/{today:%Y/%m}/{document_id}.pdf"
    try:
        store.put(storage_key, pdf, PDF)
    except DocumentStoreUnavailable as error:
        raise UpstreamUnavailable("The document store cannot be reached.") from error
    status = ACCEPTED if template.can_be_sent_through_notify else DocumentStatus.TO_DOWNLOAD
    now = dt.datetime.now(tz=dt.UTC)
    try:
        with engine.begin() as conn:
            conn.execute(
                documents.insert().values(
                    id=document_id,
                    kind=DocumentKind.LETTER,
                    message_id=message_id,
                    payment_ref=addressee.payment_ref,
                    tenancy_ref=addressee.tenancy_ref,
                    template_id=template.id.value,
                    template_name=template.name,
                    description=None,
                    status=status,
                    storage_key=storage_key,
                    filename=f"{template.id.value}-{document_id}.pdf",
                    content_type=PDF,
                    size_bytes=len(pdf),
                    created_by=request.sent_by,
                    document_date=today,
                    created_at=now,
                    updated_at=now,
                )
            )
            conn.execute(
                messages.insert().values(
                    id=message_id,
                    idempotency_key=request.idempotency_key,
                    request_fingerprint=request.fingerprint(),
                    channel=LETTER,
                    tenancy_ref=addressee.tenancy_ref,
                    payment_ref=addressee.payment_ref,
                    template_id=template.id.value,
                    template_name=template.name,
                    recipient=_recipient(template, addressee.fields),
                    personalisation=addressee.fields,
                    body=html,
                    status=status,
                    attempts=0,
                    next_attempt_at=now,
                    sent_by=request.sent_by,
                    automated=request.automated,
                    document_id=document_id,
                    postage=request.postage,
                    created_at=now,
                    updated_at=now,
                )
            )
    except IntegrityError:
        # The same request, accepted by another worker a moment ago.
        existing = _replay(engine, request.idempotency_key, request.fingerprint())
        if existing is None:
            raise
        return existing, True
    return get_message(engine, message_id), False


def _recipient(template: LetterTemplate, fields: dict[str, Any]) -> str:
    """The addressee and address as one line, for lists and the diary."""
    if template.service_area is ServiceArea.RENT:
        name = " ".join(str(fields[k]) for k in ("title", "forename", "surname") if fields.get(k))
        lines = [fields.get(f"address_line{n}") for n in range(1, 6)]
        postcode = fields.get("address_post_code")
    else:
        name = str(fields.get("lessee_full_name") or "")
        lines = [fields.get(f"correspondence_address{n}") for n in range(1, 6)]
        postcode = fields.get("correspondence_postcode")
    return ", ".join(str(part) for part in [name, *lines, postcode] if part)[:320]
