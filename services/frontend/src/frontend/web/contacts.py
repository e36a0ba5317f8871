"""A tenancy's contact details as UH holds them (`/cases/{ref}/contacts`) and changing one
contact's phone numbers and email (`/cases/{ref}/contacts/{id}`), checked as UH will check them
(`ma_shared.contact_details`) before income-api passes the change on."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontend.gateways.errors import InvalidInput, NotFound
from frontend.gateways.income_api import Case
from frontend.web.case_forms import CaseForm, render, require_writer
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.flash import flash_redirect
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url
from ma_shared.contact_details import MAX_EMAIL_LENGTH, is_valid_email, normalise_uk_phone

router = APIRouter(include_in_schema=False)

CASE = "/cases/{tenancy_ref:tenancy_ref}"
# Each phone number, in words, with an example.
PHONES: Final[dict[str, tuple[str, str]]] = {
    "mobile_phone": ("mobile number", "07700 900 982"),
    "home_phone": ("home phone number", "020 7946 0000"),
    "work_phone": ("work phone number", "020 7946 0000"),
}
FIELDS: Final = (*PHONES, "email_address")


def _contacts(case: Case) -> list[dict[str, Any]]:
    contacts: list[dict[str, Any]] = (case.uh.contacts.get("contacts") or []) if case.uh else []
    return contacts


def _contact(case: Case, contact_id: int) -> dict[str, Any]:
    for contact in _contacts(case):
        if contact.get("id") == contact_id:
            return contact
    raise NotFound(f"Tenancy {case.tenancy_ref} has no contact {contact_id}.")


@router.get(f"{CASE}/contacts")
async def contacts_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref)
    return templates.TemplateResponse(
        request,
        "actions/contacts.html",
        {
            "title": f"Contact details for case {tenancy_ref}",
            "case": case,
            "contacts": _contacts(case),
        },
    )


def _contact_page(
    request: Request,
    templates: Templates,
    case: Case,
    contact: dict[str, Any],
    form: CaseForm,
) -> Response:
    return render(
        request,
        templates,
        "actions/contact.html",
        title=f"Change contact details for case {case.tenancy_ref}",
        case=case,
        form=form,
        contact=contact,
    )


@router.get(f"{CASE}/contacts/{{contact_id:int}}")
async def contact_page(
    request: Request,
    tenancy_ref: str,
    contact_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref)
    contact = _contact(case, contact_id)
    form = CaseForm.blank(**{name: contact.get(name) or "" for name in FIELDS})
    return _contact_page(request, templates, case, contact, form)


def _changes(form: CaseForm, contact: dict[str, Any]) -> dict[str, str]:
    """What differs from UH's values (`""` clears one), each checked as UH will."""
    changes: dict[str, str] = {}
    for name, (what, example) in PHONES.items():
        typed = form.value(name)
        number = normalise_uk_phone(typed) if typed else ""
        if number is None:
            form.errors.add(name, f"Enter a UK {what}, like {example}, or leave it blank")
        elif number != (contact.get(name) or ""):
            changes[name] = number
    email = form.value("email_address")
    if len(email) > MAX_EMAIL_LENGTH:
        form.errors.add(
            "email_address", f"The email address must be {MAX_EMAIL_LENGTH} characters or fewer"
        )
    elif email and not is_valid_email(email):
        form.errors.add(
            "email_address", "Enter an email address in the correct format, like name@example.com"
        )
    elif email != (contact.get("email_address") or ""):
        changes["email_address"] = email
    return changes


@router.post(f"{CASE}/contacts/{{contact_id:int}}")
async def change_contact(
    request: Request,
    tenancy_ref: str,
    contact_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref)
    contact = _contact(case, contact_id)
    form = await CaseForm.posted(request)
    changes = _changes(form, contact)
    name = contact.get("name") or "the contact"
    if not form.errors:
        if not changes:
            return flash_redirect(request, case_url(tenancy_ref), f"No changes made for {name}")
        try:
            await income_api.update_contact(
                user, tenancy_ref, contact_id, changes=changes, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, {field: field for field in FIELDS})
        else:
            return flash_redirect(
                request, case_url(tenancy_ref), f"Contact details changed for {name}"
            )
    return _contact_page(request, templates, case, contact, form)
