"""A resident's vulnerabilities: record one (`/cases/{ref}/vulnerabilities/new`), and review it
(`/cases/{ref}/vulnerabilities/{id}`: the next review date, a new note, or it has ended). Kept in
Manage Arrears only: health and personal circumstances stay out of UH's free-text diary."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontend.domain import labels
from frontend.domain.form_input import When
from frontend.domain.formatting import date
from frontend.gateways.errors import InvalidInput, NotFound
from frontend.gateways.income_api import Case, Vulnerability
from frontend.web.case_forms import CaseForm, render, require_writer
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.flash import flash_redirect
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url

router = APIRouter(include_in_schema=False)

CASE = "/cases/{tenancy_ref:tenancy_ref}"
MAX_NOTE = 2000
# What a review decides.
KEEP, ENDED = "review", "ended"
OUTCOMES: Final = (KEEP, ENDED)


def _new_page(request: Request, templates: Templates, case: Case, form: CaseForm) -> Response:
    return render(
        request,
        templates,
        "actions/vulnerability.html",
        title=f"Record a vulnerability for case {case.tenancy_ref}",
        case=case,
        form=form,
        categories=labels.VULNERABILITY_CATEGORIES,
    )


@router.get(f"{CASE}/vulnerabilities/new")
async def vulnerability_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _new_page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/vulnerabilities/new")
async def record_vulnerability(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    form = await CaseForm.posted(request)
    category = form.choice(
        "category", labels.VULNERABILITY_CATEGORIES, message="Select the kind of vulnerability"
    )
    note = form.text("note", what="a note about the vulnerability", max_length=MAX_NOTE)
    review = form.date("review_date", what="the date to review it", when=When.FUTURE)
    if not form.errors and review:
        try:
            await income_api.record_vulnerability(
                user,
                tenancy_ref,
                category=category,
                note=note,
                review_date=review,
                idempotency_key=form.key,
            )
        except InvalidInput as problem:
            form.refused(
                problem, {"category": "category", "note": "note", "review_date": "review_date"}
            )
        else:
            kind = labels.VULNERABILITY_CATEGORIES[category]
            return flash_redirect(
                request, case_url(tenancy_ref), f"Vulnerability recorded: {kind.lower()}"
            )
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _new_page(request, templates, case, form)


def _current(case: Case, vulnerability_id: int) -> Vulnerability:
    for vulnerability in case.vulnerabilities:
        if vulnerability.id == vulnerability_id and vulnerability.ended_at is None:
            return vulnerability
    raise NotFound(f"Case {case.tenancy_ref} has no current vulnerability {vulnerability_id}.")


def _review_page(
    request: Request,
    templates: Templates,
    case: Case,
    vulnerability: Vulnerability,
    form: CaseForm,
) -> Response:
    return render(
        request,
        templates,
        "actions/vulnerability_review.html",
        title=f"Review a vulnerability for case {case.tenancy_ref}",
        case=case,
        form=form,
        vulnerability=vulnerability,
    )


@router.get(f"{CASE}/vulnerabilities/{{vulnerability_id:int}}")
async def review_page(
    request: Request,
    tenancy_ref: str,
    vulnerability_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    vulnerability = _current(case, vulnerability_id)
    form = CaseForm.blank(note=vulnerability.note)
    return _review_page(request, templates, case, vulnerability, form)


@router.post(f"{CASE}/vulnerabilities/{{vulnerability_id:int}}")
async def review_vulnerability(
    request: Request,
    tenancy_ref: str,
    vulnerability_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    vulnerability = _current(case, vulnerability_id)
    form = await CaseForm.posted(request)
    outcome = form.choice("outcome", OUTCOMES, message="Select whether it still applies")
    review = (
        form.date("review_date", what="the date of the next review", when=When.FUTURE)
        if outcome == KEEP
        else None
    )
    note = form.text("note", what="a note", max_length=MAX_NOTE, required=outcome == KEEP)
    if not form.errors:
        body: dict[str, Any] = {"ended": outcome == ENDED}
        if review:
            body["review_date"] = review.isoformat()
        if note and note != vulnerability.note:
            body["note"] = note
        try:
            await income_api.review_vulnerability(
                user, vulnerability_id, body=body, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, {"review_date": "review_date", "note": "note"})
        else:
            kind = labels.label(labels.VULNERABILITY_CATEGORIES, vulnerability.category).lower()
            heading = (
                f"Vulnerability ended: {kind}"
                if outcome == ENDED
                else f"Vulnerability reviewed: {kind}, next review on {date(review)}"
            )
            return flash_redirect(request, case_url(tenancy_ref), heading)
    return _review_page(request, templates, case, vulnerability, form)
