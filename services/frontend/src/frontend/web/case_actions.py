"""A case's quick actions, each a GOV.UK form that goes back to the case: pause it (and end the
pause), add an action diary entry, record a NOSP served and set an eviction date
(frontend-and-notify.md A.5.5, A.5.6, A.5.12). Each writes UH's action diary through income-api,
which answers `queued` when UH cannot be reached: the confirmation then says so."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontend.domain import labels
from frontend.domain.case_actions import DIARY_ENTRY_CODES, pause_diary_code
from frontend.domain.form_input import When
from frontend.domain.formatting import date
from frontend.gateways.errors import InvalidInput
from frontend.gateways.income_api import Case, WriteResult
from frontend.web.case_forms import CaseForm, render, require_rent, require_writer
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.flash import flash_redirect
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url

router = APIRouter(include_in_schema=False)

CASE = "/cases/{tenancy_ref:tenancy_ref}"
# income-api's limits.
MAX_PAUSE_COMMENT, MAX_DIARY_COMMENT, MAX_NOSP_COMMENT = 500, 2000, 500


def queued_text(result: WriteResult) -> str | None:
    if result.queued:
        return "UH cannot be reached just now: its action diary will be updated when it can."
    return None


# ---- Pause ----------------------------------------------------------------------------------


def _pause_page(
    request: Request,
    templates: Templates,
    case: Case,
    form: CaseForm,
    end_form: CaseForm | None = None,
) -> Response:
    return render(
        request,
        templates,
        "actions/pause.html",
        title=f"Pause case {case.tenancy_ref}",
        case=case,
        form=form,
        end_form=end_form or CaseForm.blank(),
        reasons=labels.PAUSE_REASONS,
    )


@router.get(f"{CASE}/pause")
async def pause_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _pause_page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/pause")
async def pause_case(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    form = await CaseForm.posted(request)
    until = form.date("until", what="the date the pause ends", when=When.FUTURE)
    reason = form.choice("reason", labels.PAUSE_REASONS, message="Select why the case is paused")
    comment = form.text("comment", what="a comment", max_length=MAX_PAUSE_COMMENT)
    if not form.errors and until:
        try:
            result = await income_api.pause(
                user,
                tenancy_ref,
                until=until,
                reason=reason,
                comment=comment,
                action_code=pause_diary_code(reason),
                idempotency_key=form.key,
            )
        except InvalidInput as problem:
            form.refused(problem, {"until": "until", "reason": "reason", "comment": "comment"})
        else:
            return flash_redirect(
                request,
                case_url(tenancy_ref),
                f"Case paused until {date(until)}",
                queued_text(result),
            )
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _pause_page(request, templates, case, form)


@router.post(f"{CASE}/pause/end")
async def end_pause(
    request: Request, tenancy_ref: str, user: CurrentUser, income_api: IncomeApiDep
) -> Response:
    require_writer(user)
    form = await CaseForm.posted(request)
    result = await income_api.end_pause(user, tenancy_ref, idempotency_key=form.key)
    return flash_redirect(request, case_url(tenancy_ref), "Pause ended", queued_text(result))


# ---- Action diary ---------------------------------------------------------------------------


def _diary_page(request: Request, templates: Templates, case: Case, form: CaseForm) -> Response:
    return render(
        request,
        templates,
        "actions/diary_entry.html",
        title=f"Add an action diary entry to case {case.tenancy_ref}",
        case=case,
        form=form,
        codes=DIARY_ENTRY_CODES,
    )


@router.get(f"{CASE}/diary/new")
async def diary_entry_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _diary_page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/diary/new")
async def add_diary_entry(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    form = await CaseForm.posted(request)
    code = form.choice("action_code", DIARY_ENTRY_CODES, message="Select the type of action")
    comment = form.text("comment", what="what happened", max_length=MAX_DIARY_COMMENT)
    if not form.errors:
        try:
            result = await income_api.add_diary_entry(
                user, tenancy_ref, action_code=code, comment=comment, idempotency_key=form.key
            )
        except InvalidInput as problem:
            form.refused(problem, {"action_code": "action_code", "comment": "comment"})
        else:
            return flash_redirect(
                request,
                case_url(tenancy_ref),
                f"Action diary entry added: {labels.action_code(code)}",
                queued_text(result),
            )
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    return _diary_page(request, templates, case, form)


# ---- NOSP -----------------------------------------------------------------------------------


def _nosp_page(request: Request, templates: Templates, case: Case, form: CaseForm) -> Response:
    return render(
        request,
        templates,
        "actions/nosp.html",
        title=f"Record a NOSP for case {case.tenancy_ref}",
        case=case,
        form=form,
    )


@router.get(f"{CASE}/nosp")
async def nosp_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    require_rent(case, "NOSP")
    return _nosp_page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/nosp")
async def record_nosp(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    require_rent(case, "NOSP")
    form = await CaseForm.posted(request)
    served = form.date("served_date", what="the date the NOSP was served", when=When.TODAY_OR_PAST)
    comment = form.text("comment", what="a comment", max_length=MAX_NOSP_COMMENT, required=False)
    if not form.errors and served:
        try:
            result = await income_api.record_nosp(
                user,
                tenancy_ref,
                served_date=served,
                comment=comment or None,
                idempotency_key=form.key,
            )
        except InvalidInput as problem:
            form.refused(problem, {"served_date": "served_date", "comment": "comment"})
        else:
            return flash_redirect(
                request,
                case_url(tenancy_ref),
                f"NOSP recorded: served on {date(served)}",
                queued_text(result),
            )
    return _nosp_page(request, templates, case, form)


# ---- Eviction -------------------------------------------------------------------------------


def _eviction_page(request: Request, templates: Templates, case: Case, form: CaseForm) -> Response:
    return render(
        request,
        templates,
        "actions/eviction.html",
        title=f"Add an eviction date to case {case.tenancy_ref}",
        case=case,
        form=form,
    )


@router.get(f"{CASE}/evictions/new")
async def eviction_page(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    require_rent(case, "evictions")
    return _eviction_page(request, templates, case, CaseForm.blank())


@router.post(f"{CASE}/evictions/new")
async def add_eviction(
    request: Request,
    tenancy_ref: str,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
) -> Response:
    require_writer(user)
    case = await income_api.case(user, tenancy_ref, include_uh=False)
    require_rent(case, "evictions")
    form = await CaseForm.posted(request)
    day = form.date("date", what="the eviction date", when=When.TODAY_OR_FUTURE)
    if not form.errors and day:
        try:
            await income_api.create_eviction(user, tenancy_ref, day=day, idempotency_key=form.key)
        except InvalidInput as problem:
            form.refused(problem, {"date": "date"})
        else:
            return flash_redirect(request, case_url(tenancy_ref), f"Eviction date set: {date(day)}")
    return _eviction_page(request, templates, case, form)
