"""The Jinja environment: our templates, GOV.UK Frontend's macros (`govuk-frontend-jinja`),
the view filters of `domain/`, and what every page's layout needs (the signed-in user, the
navigation, the form token, the CSP nonce, asset URLs, a confirmation to show)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from frontend.domain import formatting, labels
from frontend.domain.roles import can_act, is_team_leader, navigation
from frontend.web.assets import Assets
from frontend.web.flash import take_flash
from frontend.web.security import CSRF_FIELD, form_token
from frontend.web.session import signed_in_user
from frontend.web.urls import CASE_ACTIONS, case_url

TEMPLATES = Path(__file__).parent / "templates"
SERVICE_NAME = "Manage arrears"


def _layout(request: Request) -> dict[str, Any]:
    # Error pages raised before a route read the user still show who is signed in.
    user = getattr(request.state, "user", None) or signed_in_user(request)
    path = request.url.path
    nav = [
        {
            "text": item.text,
            "href": item.href,
            "current": path == item.href,
            "active": path.startswith(f"{item.href}/"),
        }
        for item in (navigation(user) if user else [])
    ]
    assets: Assets = request.app.state.assets
    return {
        "service_name": SERVICE_NAME,
        "user": user,
        "navigation": nav,
        "can_act": bool(user and can_act(user)),
        "is_team_leader": bool(user and is_team_leader(user)),
        "csp_nonce": request.state.csp_nonce,
        "asset_url": assets.url,
        "csrf_field": Markup('<input type="hidden" name="{}" value="{}">').format(
            CSRF_FIELD, form_token(request)
        ),
        "flash": take_flash(request),
    }


def create_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(
        money=formatting.money,
        balance_words=formatting.balance_words,
        number=formatting.number,
        date=formatting.date,
        short_date=formatting.short_date,
        date_time=formatting.date_time,
        action_code=labels.action_code,
    )
    env.globals.update(labels=labels, case_url=case_url, CASE_ACTIONS=CASE_ACTIONS)
    return Jinja2Templates(env=env, context_processors=[_layout])
