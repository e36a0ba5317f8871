"""Choosing "my patches" (`/worktray/my-patches`): the patches a caseworker looks after, which
the worktray's "My patches" filter shows. The first form of the app, and the pattern for the
others: GET shows it, POST saves and redirects (303), a refusal re-renders it with errors."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from frontend.domain import labels
from frontend.domain.roles import can_act, service_areas
from frontend.gateways.errors import InvalidInput, NotAllowed
from frontend.gateways.income_api import IncomeApi, Patch
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser
from ma_shared.auth import User

router = APIRouter(include_in_schema=False)
PATH = "/worktray/my-patches"


async def _patches(income_api: IncomeApi, user: User) -> list[Patch]:
    areas = service_areas(user)
    if not areas:
        raise NotAllowed("Your account is not in the rent or the leasehold income team.")
    lists = await asyncio.gather(*(income_api.patches(user, area) for area in areas))
    return [patch for patches in lists for patch in patches]


def _page(
    request: Request,
    templates: Templates,
    patches: list[Patch],
    chosen: list[str],
    errors: FormErrors,
) -> Response:
    items = [
        {
            "value": patch.code,
            "text": f"{patch.code} – {patch.name}",
            "hint": {"text": labels.SERVICE_AREAS[patch.service_area]},
            "checked": patch.code in chosen,
        }
        for patch in patches
    ]
    return templates.TemplateResponse(
        request,
        "my_patches.html",
        {"title": "Choose my patches", "items": items, "errors": errors},
        status_code=400 if errors else 200,
    )


@router.get(PATH)
async def my_patches_page(
    request: Request, user: CurrentUser, income_api: IncomeApiDep, templates: Templates
) -> Response:
    patches, mine = await asyncio.gather(_patches(income_api, user), income_api.my_patches(user))
    return _page(request, templates, patches, mine, FormErrors())


@router.post(PATH)
async def save_my_patches(
    request: Request,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
    patch: Annotated[list[str] | None, Form()] = None,
) -> Response:
    if not can_act(user):
        raise NotAllowed("Your account can look at cases but not change anything.")
    chosen = patch or []
    try:
        await income_api.set_my_patches(user, chosen)
    except InvalidInput as problem:
        patches = await _patches(income_api, user)
        errors = FormErrors.from_api(problem, {"patch_codes": "patch"})
        return _page(request, templates, patches, chosen, errors)
    return RedirectResponse("/worktray?patch=mine", 303)
