"""The main journeys in Chromium, each with JavaScript on and off, and axe-core on every page
reached (with JavaScript on: axe runs inside the page)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx
from playwright.sync_api import Page

from ma_shared.auth import mint_dev_token
from ma_shared.settings import AuthMode, ServiceSettings

# The fixtures' types (conftest.py is not importable under --import-mode=importlib).
SignIn = Callable[[str], Page]
Accessible = Callable[[Page, str], None]


class Stack(Protocol):
    @property
    def income_api(self) -> str: ...


DIARY_TIMEOUT_SECONDS = 30
BAD_PAYMENT_REF = "9999999999"


def click_button(page: Page, name: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


def follow_link(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text()


def text(page: Page) -> str:
    return page.locator("main").inner_text()


def api_cases(stack: Stack, role: str, service_area: str, per_page: int) -> list[dict[str, Any]]:
    token = mint_dev_token(role, ServiceSettings(auth_mode=AuthMode.DEV))
    response = httpx.get(
        f"{stack.income_api}/api/v1/cases",
        params={"service_area": service_area, "per_page": per_page, "tab": "all"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_rent_caseworker_sends_a_text(
    sign_in: SignIn, accessible: Accessible, javascript: bool
) -> None:
    page = sign_in("rent")
    page.goto("/worktray")
    assert "worktray" in heading(page).lower() or "cases" in heading(page).lower()
    accessible(page, "worktray")

    # Open a case (the worktray's rows link to their cases).
    case_links = page.locator("table a[href^='/cases/']")
    assert case_links.count() > 0, text(page)
    with page.expect_navigation():
        case_links.nth(1 if javascript else 2).click()
    case_url = page.url.split("?")[0]
    accessible(page, "case")

    # Send a text: template, recipient and blanks, preview, send.
    follow_link(page, "Send a text message")
    accessible(page, "SMS: choose a template")
    # Any template but an "Amber" one: the diary records those as AMS, the others as GMS.
    template = page.locator(".govuk-radios__item").filter(has_not_text="Amber").first
    template.locator("input[name=template_id]").check()
    click_button(page, "Continue")
    accessible(page, "SMS: recipient and blanks")
    radios = page.locator("input[name=recipient][type=radio]")
    if radios.count() > 1:
        radios.first.check()
    else:
        if radios.count() == 1:
            radios.first.check()
        page.fill("#other_recipient", "07700 900123")
    for blank in page.locator("form input[type=text]:not([name=other_recipient]), textarea").all():
        if not blank.input_value().strip():
            blank.fill("test")
    click_button(page, "Preview text message")
    assert "/sms/preview" in page.url or "preview" in text(page).lower(), text(page)
    accessible(page, "SMS preview")
    click_button(page, "Send text message")

    assert page.url.startswith(case_url), text(page)
    assert "sent=" in page.url, text(page)
    banner = page.locator(".govuk-notification-banner").first.inner_text()
    assert "Text message sent to" in banner or "waiting to be sent" in banner, banner

    # comms-api writes the diary entry (GMS) to UH; the case page shows it once it is there.
    deadline = time.monotonic() + DIARY_TIMEOUT_SECONDS
    while "Manual Green SMS (GMS)" not in text(page) or "SMS sent to" not in text(page):
        assert time.monotonic() < deadline, "no GMS diary entry on the case page:\n" + text(page)
        time.sleep(1)
        page.goto(case_url)
    accessible(page, "case, after the text")


def test_leasehold_caseworker_sends_bulk_letters(
    stack: Stack, sign_in: SignIn, accessible: Accessible, javascript: bool
) -> None:
    cases = api_cases(stack, "leasehold", "leasehold", 20)
    # Different accounts in each run: a letter goes once per account and key.
    good = [case["payment_ref"] for case in cases if case.get("payment_ref")]
    good = good[0:2] if javascript else good[2:4]
    assert len(good) == 2, cases
    page = sign_in("leasehold")
    page.goto("/letters/bulk")
    accessible(page, "bulk letters")
    page.locator("input[name=template_id]").first.check()
    page.fill("#payment_refs", "\n".join([good[0], BAD_PAYMENT_REF, good[1]]))
    click_button(page, "Check these payment references")
    assert "/letters/batches/" in page.url, text(page)
    batch_url = page.url.split("?")[0]
    accessible(page, "bulk letter batch")

    bad_row = page.locator("tbody tr", has_text=BAD_PAYMENT_REF)
    assert bad_row.count() == 1
    bad_details = bad_row.locator("td").nth(4).inner_text().strip()
    assert bad_details, bad_row.inner_text()

    preview = page.get_by_role("link", name=f"Preview the letter for {good[0]}")
    if preview.count():
        with page.expect_navigation():
            preview.first.click()
        accessible(page, "bulk letter row preview")
        page.goto(batch_url)

    button = page.locator("form[action$='/send'] button")
    assert button.count() == 1, text(page)
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()
    assert page.url.startswith(batch_url), text(page)
    accessible(page, "bulk letter batch, sent")
    for ref in good:
        row = page.locator("tbody tr", has_text=ref).inner_text()
        status = page.locator("tbody tr", has_text=ref).locator("td").nth(3).inner_text()
        assert status.strip(), row
        assert "ready" not in status.lower(), row
    # The bad row still says what is wrong with it.
    assert bad_details in page.locator("tbody tr", has_text=BAD_PAYMENT_REF).inner_text()

    page.goto("/documents")
    accessible(page, "documents")


def test_team_leader_syncs_now(sign_in: SignIn, accessible: Accessible) -> None:
    page = sign_in("team-leader")
    page.goto("/dashboard")
    assert page.locator("h1").count() == 1
    accessible(page, "dashboard")
    page.goto("/jobs")
    accessible(page, "jobs")
    click_button(page, "Sync now")
    assert "/jobs/" in page.url or "running" in text(page).lower(), text(page)
    accessible(page, "job")
    if "/jobs/" in page.url:
        assert "sync" in text(page).lower()
