"""Signing in and out. Hackney's auth service sets the `hackneyToken` cookie in production;
with AUTH_MODE=dev a sign-in page lets a developer choose a role and mints the token here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from frontend.settings import Settings
from frontend.web.deps import Templates
from frontend.web.forms import FormErrors
from frontend.web.session import SIGN_IN_PATH, safe_next, signed_in_user
from ma_shared.auth import TOKEN_COOKIE, mint_dev_token
from ma_shared.settings import AuthMode

router = APIRouter(include_in_schema=False)

DEV_ROLES: Final[dict[str, tuple[str, str]]] = {
    "rent": ("Rent caseworker", "Rent accounts: the rent worktray and cases."),
    "leasehold": ("Leasehold caseworker", "Leaseholders' service charge accounts."),
    "team-leader": ("Team leader", "Both worktrays, the dashboard and sync jobs."),
}
# As long as the dev token lives (ma_shared.auth.mint_dev_token).
DEV_SESSION = dt.timedelta(hours=12)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/")
def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/worktray" if signed_in_user(request) else SIGN_IN_PATH, 303)


@router.get("/sign-in")
def sign_in_page(request: Request, templates: Templates, next: str | None = None) -> Response:
    settings = _settings(request)
    target = safe_next(next)
    if settings.auth_mode is not AuthMode.DEV:
        back = str(request.base_url).rstrip("/") + target
        return templates.TemplateResponse(
            request,
            "sign_in.html",
            {"auth_url": f"{settings.sign_in_url}?{urlencode({'redirect_uri': back})}"},
        )
    return _dev_page(request, templates, target, FormErrors(), status_code=200)


def _dev_page(
    request: Request, templates: Templates, target: str, errors: FormErrors, status_code: int
) -> Response:
    return templates.TemplateResponse(
        request,
        "sign_in_dev.html",
        {"roles": DEV_ROLES, "next": target, "errors": errors},
        status_code=status_code,
    )


@router.post("/sign-in")
def dev_sign_in(
    request: Request,
    templates: Templates,
    role: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    settings = _settings(request)
    if settings.auth_mode is not AuthMode.DEV:
        return RedirectResponse(SIGN_IN_PATH, 303)
    if role not in DEV_ROLES:
        errors = FormErrors()
        errors.add("role", "Choose the role to sign in as")
        return _dev_page(request, templates, safe_next(next), errors, status_code=400)
    response = RedirectResponse(safe_next(next), 303)
    response.set_cookie(
        TOKEN_COOKIE,
        mint_dev_token(role, settings),
        max_age=int(DEV_SESSION.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/sign-out")
def sign_out_page(request: Request, templates: Templates) -> Response:
    if signed_in_user(request) is None:
        return RedirectResponse(SIGN_IN_PATH, 303)
    return templates.TemplateResponse(request, "sign_out.html", {})


@router.post("/sign-out")
def sign_out() -> RedirectResponse:
    response = RedirectResponse(SIGN_IN_PATH, 303)
    response.delete_cookie(TOKEN_COOKIE, path="/")
    return response
