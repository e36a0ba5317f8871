"""The case action pages in front of the real income-api and uh-gateway (the parent conftest).
Each test that writes takes its own case (`new_case`), so no other test of its module reads
what it changed; `submit` posts a page's form as a browser would, with its hidden fields (the
form token and the idempotency key made when the page was shown)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from bs4 import Tag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from frontend.testing import Page, read
from income_api.gateways.tables import cases

NewCase = Callable[..., str]
# The test client's response (httpx's, or httpx2's where Starlette finds it).
Response = Any


@pytest.fixture(scope="module")
def new_case(income_app: FastAPI) -> NewCase:
    """A case of the service area (`rent` or `leasehold`), owing at least `min_balance`, that
    no other test of the module has had."""
    with income_app.state.engine.connect() as conn:
        rows = conn.execute(
            select(cases.c.tenancy_ref, cases.c.service_area, cases.c.balance).order_by(
                cases.c.tenancy_ref
            )
        ).all()
    pools: dict[str, Iterator[Any]] = {
        area: iter([row for row in rows if row.service_area == area])
        for area in ("rent", "leasehold")
    }

    def take(service_area: str = "rent", *, min_balance: Decimal = Decimal(0)) -> str:
        return str(next(row for row in pools[service_area] if row.balance >= min_balance)[0])

    return take


def open_form(client: TestClient, url: str) -> Page:
    page = read(client.get(url))
    assert page.status_code == 200, page.text[:500]
    return page


def _form(page: Page, action: str | None) -> Tag:
    for form in page.main.find_all("form", method="post"):
        if action is None or form.get("action") == action:
            assert isinstance(form, Tag)
            return form
    raise AssertionError(f"no form posting to {action!r} on {page.title!r}")


def _entered(form: Tag) -> dict[str, str]:
    """What a browser sends for the form as it is shown: its inputs' values (hidden ones
    included), the checked radios, the selected options, the text areas."""
    values: dict[str, str] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            values[str(name)] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            if chosen is not None:
                values[str(name)] = str(chosen.get("value", ""))
        elif field.get("type") in {"radio", "checkbox"}:
            if field.has_attr("checked"):
                values[str(name)] = str(field.get("value", ""))
        elif field.get("type") != "submit":
            values[str(name)] = str(field.get("value", ""))
    return values


def submit(
    client: TestClient, page: Page, data: dict[str, Any], *, action: str | None = None
) -> Response:
    """Post the page's form (the one posting to `action`, else the first) as shown, with
    `data` typed over it."""
    form = _form(page, action)
    return client.post(str(form["action"]), data=_entered(form) | data)


def followed(client: TestClient, response: Response, to: str) -> Page:
    """The page a successful form sends the browser to (303 to `to`)."""
    assert response.status_code == 303, read(response).error_summary or response.text[:800]
    assert response.headers["location"] == to
    return read(client.get(to))


def banner(page: Page) -> str:
    """The confirmation at the top of the page (a GOV.UK success banner), or ""."""
    found = page.soup.select_one(".govuk-notification-banner--success")
    return " ".join(found.get_text(" ").split()) if found else ""


def field_errors(page: Page) -> dict[str, str]:
    """Each field's error message (by the form group's field id), as it reads."""
    errors: dict[str, str] = {}
    for message in page.main.select(".govuk-error-message"):
        field_id = str(message.get("id", "")).removesuffix("-error")
        errors[field_id] = " ".join(message.get_text(" ").split()).removeprefix("Error: ")
    return errors


def after_heading(page: Page, heading: str, names: str | list[str]) -> Tag:
    """The first element named `names` after the main content's h2 `heading`."""
    found = page.main.find("h2", string=heading)
    assert isinstance(found, Tag), f"no heading {heading!r}"
    element = found.find_next(names)
    assert isinstance(element, Tag), f"nothing after {heading!r}"
    return element


def summary_links(page: Page) -> list[str]:
    return [str(a["href"]) for a in page.soup.select(".govuk-error-summary__list a")]


def date_fields(name: str, day: Any) -> dict[str, str]:
    """A date typed into the three boxes of the date input `name`."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }
