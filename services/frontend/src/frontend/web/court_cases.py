"""A case's court cases (frontend-and-notify.md A.5.12): add one (`/cases/{ref}/court-cases/new`)
and update it (`/cases/{ref}/court-cases/{id}`) with the hearing's date and time, the outcome,
the balance on the outcome date, terms, a disrepair counter claim and the strike-out date, on
one page. income-api writes `CDS` (and `IC6` for an outcome) to UH's action diary and checks
the rules that join the fields (terms only for outcomes that can have them)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontend.domain import labels
from frontend.domain.formatting import date_time
from frontend.gateways.errors import InvalidInput, NotFound
from frontend.gateways.income_api import Case, CourtCase
from frontend.web.case_forms import CaseForm, render, require_rent, require_writer
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.flash import flash_redirect
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url
from ma_shared.uk_time import LONDON, in_london

router = APIRouter(include_in_schema=False)

CASE = "/cases/{tenancy_ref:tenancy_ref}"
YES_NO: Final[dict[str, bool]] = {"yes": True, "no": False}
# income-api's field → this form's.
API_FIELDS: Final[dict[str, str]] = {
    name: name
    for name in (
        "court_date",
        "court_outcome",
        "balance_on_court_outcome_date",
        "strike_out_date",
        "terms",
        "disrepair_counter_claim",
    )
}


def _answer(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _form_of(court_case: CourtCase) -> CaseForm:
    form = CaseForm.blank(
        court_outcome=court_case.court_outcome or "",
        balance_on_court_outcome_date=(
            f"{court_case.balance_on_court_outcome_date:.2f}"
            if court_case.balance_on_court_outcome_date is not None
            else ""
        ),
        terms=_answer(court_case.terms),
        disrepair_counter_claim=_answer(court_case.disrepair_counter_claim),
    )
    hearing = in_london(court_case.court_date) if court_case.court_date else None
    form.set_date("court_date", hearing.date() if hearing else None)
    if hearing and (hearing.hour, hearing.minute) != (0, 0):
        form.values["court_time"] = f"{hearing:%H:%M}"
    form.set_date("strike_out_date", court_case.strike_out_date)
    return form


def _read(form: CaseForm) -> dict[str, Any] | None:
    """income-api's court case from the form, or None (with the form's errors)."""
    day = form.date("court_date", what="the hearing date")
    time = form.time("court_time", what="the hearing time")
    outcome = form.choice(
        "court_outcome", ["", *labels.COURT_OUTCOMES], message="Select the court's outcome"
    )
    balance = form.money(
        "balance_on_court_outcome_date", what="the balance on the outcome date", required=False
    )
    strike_out = form.date("strike_out_date", what="the strike-out date", required=False)
    terms = form.choice("terms", ["", *YES_NO], message="Select whether the court set terms")
    disrepair = form.choice(
        "disrepair_counter_claim",
        ["", *YES_NO],
        message="Select whether there is a disrepair counter claim",
    )
    if form.errors or day is None:
        return None
    # The hearing is at a London time; a date alone is the start of that day in London.
    hearing = dt.datetime.combine(day, time or dt.time(0), tzinfo=LONDON)
    return {
        "court_date": hearing.isoformat(),
        "court_outcome": outcome or None,
        "balance_on_court_outcome_date": str(balance) if balance is not None else None,
        "strike_out_date": strike_out.isoformat() if strike_out else None,
        "terms": YES_NO.get(terms),
        "disrepair_counter_claim": YES_NO.get(disrepair),
    }


def _page(
    request: Request,
    templates: Templates,
    case: Case,
    form: CaseForm,
    court_case: CourtCase | None = None,
) -> Response:
    return render(
        request,
        templates,
        "actions/court_case.html",
        title=(
            f"Update a court case for case {case.tenancy_ref}"
            if court_case
            else f"Add a court case to case {case.tenancy_ref}"
        ),
        case=case,
        form=form,
        court_case=court_case,
        outcomes=labels.COURT_OUTCOMES,
    )


async def _rent_case(income_api: IncomeApiDep, user: CurrentUser, tenancy_ref: str) -> Case:
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    require_rent(case, "court cases")
    return case


@router.get(f"{CASE}/court-cases/new")
async def new_court_case_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await _rent_case(income_api, user, tenancy_ref)
    return _page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/court-cases/new")
async def add_court_case(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await _rent_case(income_api, user, tenancy_ref)
    form = await CaseForm.posted(request)
    body = _read(form)
    if body is not None:
        try:
            created = await income_api.create_court_case(
                user, tenancy_ref, body=body, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, API_FIELDS)
        else:
            return flash_redirect(
                request,
                case_url(tenancy_ref),
                f"Court case added: hearing on {date_time(created.court_date)}",
            )
    return _page(request, templates, case, form)


def _court_case(case: Case, court_case_id: int) -> CourtCase:
    for court_case in case.court_cases:
        if court_case.id == court_case_id:
            return court_case
    raise NotFound(f"Case {case.tenancy_ref} has no court case {court_case_id}.")


@router.get(f"{CASE}/court-cases/{{court_case_id:int}}")
async def court_case_page(
    request: Request,
    tenancy_ref: str,
    court_case_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await _rent_case(income_api, user, tenancy_ref)
    court_case = _court_case(case, court_case_id)
    return _page(request, templates, case, _form_of(court_case), court_case)


@router.post(f"{CASE}/court-cases/{{court_case_id:int}}")
async def update_court_case(
    request: Request,
    tenancy_ref: str,
    court_case_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await _rent_case(income_api, user, tenancy_ref)
    court_case = _court_case(case, court_case_id)
    form = await CaseForm.posted(request)
    body = _read(form)
    if body is not None:
        try:
            updated = await income_api.update_court_case(
                user, court_case_id, body=body, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, API_FIELDS)
        else:
            outcome = labels.label(labels.COURT_OUTCOMES, updated.court_outcome)
            hearing = f"Hearing on {date_time(updated.court_date)}" + (
                f": {outcome.lower()}." if outcome else "."
            )
            if updated.terms and updated.balance_on_court_outcome_date is not None:
                # The old app's next step: the court's terms become the court-ordered agreement.
                return flash_redirect(
                    request,
                    f"{case_url(tenancy_ref, 'agreements/new')}?court_case_id={updated.id}",
                    "Court case updated",
                    f"{hearing} The court set terms: make the court-ordered agreement.",
                )
            return flash_redirect(request, case_url(tenancy_ref), "Court case updated", hearing)
    return _page(request, templates, case, form, court_case)
