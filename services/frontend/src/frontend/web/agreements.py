"""Agreements (frontend-and-notify.md A.5.13): make one (`/cases/{ref}/agreements/new`) and
cancel one with a reason (`/cases/{ref}/agreements/{id}/cancel`).

Making one is the form, then a check page that shows the instalment against the rent and when
the arrears would be cleared (worked out here, not in the browser: A.9), then the agreement.
Both steps post to the same address with `step` (`check`, `change` or `confirm`); the check
page carries what was entered in hidden fields and is read and checked again on `confirm`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontend.domain import labels
from frontend.domain.agreement_plan import (
    FREQUENCIES,
    ONE_OFF,
    AgreementPlan,
    describe,
    plan_agreement,
)
from frontend.domain.form_input import When
from frontend.domain.formatting import date, money
from frontend.gateways.errors import Conflict, InvalidInput, NotFound
from frontend.gateways.income_api import Agreement, Case, CourtCase
from frontend.web.case_forms import CaseForm, render, require_writer
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.flash import flash_redirect
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url
from ma_shared.vocabulary import ServiceArea

router = APIRouter(include_in_schema=False)

CASE = "/cases/{tenancy_ref:tenancy_ref}"
INFORMAL, FORMAL = "informal", "formal"
MAX_NOTES, MAX_REASON = 2000, 500
# income-api's field → this form's.
API_FIELDS: Final[dict[str, str]] = {
    "agreement_type": "agreement_type",
    "court_case_id": "court_case_id",
    "frequency": "frequency",
    "amount": "amount",
    "start_date": "start_date",
    "initial_payment_amount": "first_payment_amount",
    "initial_payment_date": "first_payment_date",
    "notes": "notes",
}


def _court_cases(case: Case) -> list[CourtCase]:
    """The court cases a court-ordered agreement can start from: their balance on the outcome
    date is its starting balance."""
    return [c for c in case.court_cases if c.balance_on_court_outcome_date is not None]


@dataclass(frozen=True)
class NewAgreement:
    body: dict[str, Any]
    plan: AgreementPlan
    court_case: CourtCase | None


def _read(form: CaseForm, case: Case) -> NewAgreement | None:
    """The agreement as income-api takes it and its plan, or None (with the form's errors)."""
    kind = (
        form.choice("agreement_type", (INFORMAL, FORMAL), message="Select the type of agreement")
        if case.service_area is ServiceArea.RENT
        else INFORMAL
    )
    court_case: CourtCase | None = None
    if kind == FORMAL:
        eligible = {str(c.id): c for c in _court_cases(case)}
        chosen = form.choice(
            "court_case_id",
            eligible,
            message="Select the court case the agreement was ordered in"
            if eligible
            else "Record the court case’s outcome and its balance on the outcome date first",
        )
        court_case = eligible.get(chosen)
    frequency = form.choice("frequency", FREQUENCIES, message="Select how often they will pay")
    one_off = frequency == ONE_OFF
    amount = form.money("amount", what="the instalment amount", required=not one_off)
    start = form.date(
        "start_date",
        what="the date of the payment" if one_off else "the date of the first regular payment",
        when=When.TODAY_OR_FUTURE,
    )
    first_amount = form.money(
        "first_payment_amount", what="the amount of the first payment", required=False
    )
    first_date = form.date(
        "first_payment_date",
        what="the date of the first payment",
        when=When.TODAY_OR_FUTURE,
        required=False,
    )
    notes = form.text("notes", what="the notes", max_length=MAX_NOTES, required=False)
    # A first payment is an amount and a date, or neither.
    if first_amount is not None and first_date is None:
        form.errors.add(
            "first_payment_date",
            "Enter the date of the first payment",
            target="first_payment_date-day",
        )
    if first_date is not None and first_amount is None:
        form.errors.add("first_payment_amount", "Enter the amount of the first payment")
    balance = court_case.balance_on_court_outcome_date if court_case is not None else case.balance
    if one_off and (first_amount is not None or first_date is not None):
        form.errors.add("first_payment_amount", "A one-off payment has no different first payment")
    if balance is None or balance <= 0:
        form.errors.general.append("There are no arrears to make an agreement for.")
    elif one_off and amount is not None and amount != balance:
        form.errors.add(
            "amount",
            f"A one-off payment is the whole arrears of {money(balance)}: "
            "enter that or leave it blank",
        )
    elif one_off:
        amount = balance
    elif amount is not None and amount > balance:
        form.errors.add(
            "amount", f"The instalment cannot be more than the arrears of {money(balance)}"
        )
    if balance is not None and first_amount is not None and first_amount > balance:
        form.errors.add(
            "first_payment_amount",
            f"The first payment cannot be more than the arrears of {money(balance)}",
        )
    if form.errors or amount is None or start is None or balance is None:
        return None
    plan = plan_agreement(
        balance=balance,
        amount=amount,
        frequency=frequency,
        start_date=start,
        weekly_rent=case.weekly_gross_rent,
        first_payment=first_amount,
        first_payment_date=first_date,
    )
    body: dict[str, Any] = {
        "agreement_type": kind,
        "amount": str(amount),
        "frequency": frequency,
        "start_date": start.isoformat(),
        "notes": notes,
        "court_case_id": court_case.id if court_case else None,
        "initial_payment_amount": str(first_amount) if first_amount is not None else None,
        "initial_payment_date": first_date.isoformat() if first_date else None,
    }
    return NewAgreement(body=body, plan=plan, court_case=court_case)


def _form_page(
    request: Request,
    templates: Templates,
    case: Case,
    form: CaseForm,
    status_code: int | None = None,
) -> Response:
    return render(
        request,
        templates,
        "actions/agreement.html",
        title=f"Make an agreement for case {case.tenancy_ref}",
        case=case,
        form=form,
        court_cases=_court_cases(case),
        frequencies={f: labels.AGREEMENT_FREQUENCIES[f] for f in FREQUENCIES},
        status_code=status_code,
    )


@router.get(f"{CASE}/agreements/new")
async def agreement_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    # From a court case whose outcome set terms: its court-ordered agreement, chosen already.
    ordered_in = request.query_params.get("court_case_id", "")
    if ordered_in in {str(c.id) for c in _court_cases(case)}:
        form = CaseForm.blank(agreement_type=FORMAL, court_case_id=ordered_in)
    else:
        form = CaseForm.blank(agreement_type=INFORMAL)
    return _form_page(request, templates, case, form)


@router.post(f"{CASE}/agreements/new")
async def make_agreement(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    form = await CaseForm.posted(request)
    step = form.value("step")
    if step == "change":
        return _form_page(request, templates, case, form)
    agreement = _read(form, case)
    if agreement is None:
        return _form_page(request, templates, case, form)
    if step != "confirm":
        return render(
            request,
            templates,
            "actions/agreement_check.html",
            title=f"Check the agreement for case {case.tenancy_ref}",
            case=case,
            form=form,
            agreement=agreement,
            sentences=describe(agreement.plan),
        )
    try:
        made = await income_api.create_agreement(
            user, tenancy_ref, body=agreement.body, idempotency_key=form.key
        )
    except InvalidInput as problem:
        form.refused(problem, API_FIELDS)
        return _form_page(request, templates, case, form)
    except Conflict as conflict:
        form.errors.general.append(conflict.message)
        return _form_page(request, templates, case, form, status_code=409)
    frequency = labels.label(labels.AGREEMENT_FREQUENCIES, made.frequency).lower()
    heading = (
        f"Agreement made: one-off payment of {money(made.amount)} on {date(made.start_date)}"
        if made.frequency == ONE_OFF
        else f"Agreement made: {money(made.amount)} {frequency} from {date(made.start_date)}"
    )
    return flash_redirect(request, case_url(tenancy_ref), heading)


# ---- Cancel ---------------------------------------------------------------------------------


def _active(case: Case, agreement_id: int) -> Agreement:
    for agreement in case.agreements:
        if agreement.id == agreement_id and agreement.is_active:
            return agreement
    raise NotFound(f"Case {case.tenancy_ref} has no active agreement {agreement_id}.")


def _cancel_page(
    request: Request, templates: Templates, case: Case, agreement: Agreement, form: CaseForm
) -> Response:
    return render(
        request,
        templates,
        "actions/agreement_cancel.html",
        title=f"Cancel an agreement for case {case.tenancy_ref}",
        case=case,
        form=form,
        agreement=agreement,
    )


@router.get(f"{CASE}/agreements/{{agreement_id:int}}/cancel")
async def cancel_page(
    request: Request,
    tenancy_ref: str,
    agreement_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    agreement = _active(case, agreement_id)
    return _cancel_page(request, templates, case, agreement, CaseForm.blank())


@router.post(f"{CASE}/agreements/{{agreement_id:int}}/cancel")
async def cancel_agreement(
    request: Request,
    tenancy_ref: str,
    agreement_id: int,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    agreement = _active(case, agreement_id)
    form = await CaseForm.posted(request)
    reason = form.text("reason", what="why the agreement is cancelled", max_length=MAX_REASON)
    if not form.errors:
        try:
            await income_api.cancel_agreement(
                user, agreement_id, reason=reason, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, {"reason": "reason"})
        else:
            return flash_redirect(request, case_url(tenancy_ref), "Agreement cancelled")
    return _cancel_page(request, templates, case, agreement, form)
