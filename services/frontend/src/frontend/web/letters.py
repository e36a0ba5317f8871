"""A letter from a case (`/cases/{ref}/letters/new`).

1. `GET …/letters/new`: choose a letter (the case's service area's, as comms-api offers them to
   this person).
2. `GET …/letters/new?template_id=`: the fields UH does not hold (an agreement's terms, a court
   case's date and outcome), filled in from income-api's case; the form gets its idempotency
   key.
3. `POST …/letters/preview`: comms-api makes the letter: its pages as images, or every problem
   with it listed on the form.
4. `POST …/letters`: sent once per key (a letter before action is stored to download and post
   by hand), then to the case page, which confirms it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from frontend.domain import labels
from frontend.domain import letters as letter_fields
from frontend.domain.letters import FormField, problem_words
from frontend.gateways.comms_api import LetterPreview, LetterTemplate
from frontend.gateways.errors import Conflict, InvalidInput
from frontend.gateways.income_api import Case
from frontend.web.communications import (
    case_name,
    ensure_can_send,
    form_values,
    new_idempotency_key,
)
from frontend.web.deps import CommsApiDep, IncomeApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url

router = APIRouter(include_in_schema=False)

FREQUENCIES = {
    code: text
    for code, text in labels.AGREEMENT_FREQUENCIES.items()
    if code != "unsupported_legacy_frequency"
}


def problems_as_errors(problem: InvalidInput, asked_for: list[FormField]) -> FormErrors:
    """comms-api's problems with a letter: on the field when the form asks for it, in the
    summary when UH holds it (or it is about the letter as a whole)."""
    shown = {field.name for field in asked_for}
    errors = FormErrors()
    for item in problem.problems:
        words = problem_words(item.field, item.code or "", item.message)
        if item.field in shown:
            errors.add(item.field, words)
        else:
            errors.general.append(words)
    if not errors:
        errors.general.append(problem.message)
    return errors


def _context(
    case: Case,
    template: LetterTemplate,
    raw: Mapping[str, str],
    idempotency_key: str,
) -> dict[str, Any]:
    asked_for = letter_fields.form_fields(template)
    return {
        "case": case,
        "name": case_name(case),
        "template": template,
        "fields": asked_for,
        "raw": {i: raw.get(i, "") for field in asked_for for i in field.inputs},
        "idempotency_key": idempotency_key,
        "frequencies": FREQUENCIES,
        "court_outcomes": labels.COURT_OUTCOMES,
    }


def _form_page(
    request: Request,
    templates: Templates,
    case: Case,
    template: LetterTemplate,
    raw: Mapping[str, str],
    idempotency_key: str,
    errors: FormErrors,
) -> Response:
    return templates.TemplateResponse(
        request,
        "letters/letter_form.html",
        {
            "title": "Send a letter",
            **_context(case, template, raw, idempotency_key),
            "errors": errors,
            # Problems with UH's data (the name, the address): put right in UH, not here.
            "uh_problems": bool(errors.general),
        },
        status_code=400 if errors else 200,
    )


def _choice(template: LetterTemplate) -> dict[str, str]:
    """A letter to choose, and what choosing it leads to."""
    asks = [
        field.words.label.lower()
        for field in letter_fields.form_fields(template)
        if field.required and not field.words.from_uh
    ]
    listed = " and ".join(filter(None, [", ".join(asks[:-1]), asks[-1]])) if asks else ""
    notes = [f"Asks for the {listed}." if asks else "Made from UH’s data."]
    if template.posted_by_hand:
        notes.append("Stored to download and post by hand.")
    return {"id": template.id, "name": template.name, "hint": " ".join(notes)}


async def _case_and_templates(
    income_api: IncomeApiDep, comms_api: CommsApiDep, user: CurrentUser, tenancy_ref: str
) -> tuple[Case, list[LetterTemplate]]:
    case, offered = await asyncio.gather(
        income_api.case(user, tenancy_ref), comms_api.letter_templates(user)
    )
    return case, [t for t in offered if t.service_area == case.service_area]


@router.get("/cases/{tenancy_ref:tenancy_ref}/letters/new")
async def letter_form(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
    templates: Templates,
    template_id: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    ensure_can_send(user)
    case, offered = await _case_and_templates(income_api, comms_api, user, tenancy_ref)
    template = next((t for t in offered if t.id == template_id), None)
    if template is None:
        errors = FormErrors()
        if template_id:
            errors.add("template_id", "Choose a letter")
        return templates.TemplateResponse(
            request,
            "letters/choose_letter.html",
            {
                "title": "Choose a letter",
                "case": case,
                "name": case_name(case),
                "choices": [_choice(t) for t in offered],
                "errors": errors,
            },
            status_code=400 if errors else 200,
        )
    raw = letter_fields.prefilled(case, template.id)
    return _form_page(request, templates, case, template, raw, new_idempotency_key(), FormErrors())


async def _posted(
    request: Request,
    user: CurrentUser,
    tenancy_ref: str,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
) -> tuple[Case, LetterTemplate | None, dict[str, str]]:
    ensure_can_send(user)
    posted = await form_values(request)
    case, offered = await _case_and_templates(income_api, comms_api, user, tenancy_ref)
    template = next((t for t in offered if t.id == posted.get("template_id")), None)
    return case, template, posted


@router.post("/cases/{tenancy_ref:tenancy_ref}/letters/preview")
async def preview_letter(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
    templates: Templates,
) -> Response:
    case, template, posted = await _posted(request, user, tenancy_ref, income_api, comms_api)
    if template is None:
        return RedirectResponse(case_url(tenancy_ref, "letters/new"), 303)
    key = posted.get("idempotency_key") or new_idempotency_key()
    asked_for = letter_fields.form_fields(template)
    values, invalid = letter_fields.letter_fields(asked_for, posted)
    if invalid:
        errors = FormErrors(by_field=invalid)
        return _form_page(request, templates, case, template, posted, key, errors)
    try:
        preview: LetterPreview = await comms_api.preview_letter(
            user, template_id=template.id, tenancy_ref=case.tenancy_ref, fields=values
        )
    except InvalidInput as problem:
        errors = problems_as_errors(problem, asked_for)
        return _form_page(request, templates, case, template, posted, key, errors)
    return templates.TemplateResponse(
        request,
        "letters/preview.html",
        {"title": "Check the letter", **_context(case, template, posted, key), "preview": preview},
    )


@router.post("/cases/{tenancy_ref:tenancy_ref}/letters")
async def send_letter(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    comms_api: CommsApiDep,
    templates: Templates,
) -> Response:
    case, template, posted = await _posted(request, user, tenancy_ref, income_api, comms_api)
    if template is None:
        return RedirectResponse(case_url(tenancy_ref, "letters/new"), 303)
    key = posted.get("idempotency_key") or new_idempotency_key()
    if posted.get("change"):
        return _form_page(request, templates, case, template, posted, key, FormErrors())
    asked_for = letter_fields.form_fields(template)
    values, invalid = letter_fields.letter_fields(asked_for, posted)
    if invalid:
        errors = FormErrors(by_field=invalid)
        return _form_page(request, templates, case, template, posted, key, errors)
    try:
        message = await comms_api.send_letter(
            user,
            template_id=template.id,
            tenancy_ref=case.tenancy_ref,
            fields=values,
            idempotency_key=key,
        )
    except InvalidInput as problem:
        errors = problems_as_errors(problem, asked_for)
        return _form_page(request, templates, case, template, posted, key, errors)
    except Conflict:
        # This form's key already sent a different letter (changed after sending, then
        # sent again): a new key, and the person decides.
        errors = FormErrors(
            general=[
                "A letter was already sent from this form. Check the case before sending another."
            ]
        )
        return _form_page(request, templates, case, template, posted, new_idempotency_key(), errors)
    return RedirectResponse(f"{case_url(case.tenancy_ref)}?{urlencode({'sent': message.id})}", 303)
