"""axe-core on every page the journeys do not reach: each of the case's action forms, a
letter's preview from the case, search, messages, sign-in and the error pages. Zero
violations. (The journeys check the worktray, case, SMS pages, bulk letters, documents,
dashboard, jobs and job pages as they go.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

SignIn = Callable[[str], Page]
Accessible = Callable[[Page, str], None]

JS_ON = pytest.mark.parametrize("javascript", [True], ids=["js-on"], indirect=True)


def first_case_url(page: Page) -> str:
    page.goto("/worktray")
    href = page.locator("table a[href^='/cases/']").first.get_attribute("href")
    assert href
    return href


@JS_ON
def test_every_case_page_and_action_form(sign_in: SignIn, accessible: Accessible) -> None:
    page = sign_in("rent")
    case_url = first_case_url(page)
    page.goto(case_url)
    actions = [
        href
        for href in page.locator("main a[href^='/cases/']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        if href and href.startswith(case_url + "/")
    ]
    assert len(actions) >= 8, actions
    for href in dict.fromkeys(actions):
        response = page.goto(href)
        assert response is not None, href
        assert response.status == 200, href
        accessible(page, f"case action {href.removeprefix(case_url)}")
    # A letter from the case: choose it, then its preview (the pages as images).
    page.goto(case_url + "/letters/new")
    page.locator("input[name=template_id]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    accessible(page, "letter form")
    with page.expect_navigation():
        page.locator("main form[method=post] button").first.click()
    accessible(page, "letter preview")
    # Every GET form's errors: the pause form sent empty shows the error summary.
    page.goto(case_url + "/pause")
    with page.expect_navigation():
        page.locator("main form[method=post] button").first.click()
    assert page.locator(".govuk-error-summary").count() == 1
    accessible(page, "form with errors")


@JS_ON
def test_search_messages_and_error_pages(sign_in: SignIn, accessible: Accessible) -> None:
    page = sign_in("rent")
    page.goto("/search?q=street")
    accessible(page, "search")
    page.goto("/search")
    accessible(page, "search, empty")
    response = page.goto("/cases/999999/99")
    assert response is not None
    assert response.status == 404
    accessible(page, "not found (case)")
    response = page.goto("/no-such-page")
    assert response is not None
    assert response.status == 404
    accessible(page, "not found")
    response = page.goto("/jobs")
    assert response is not None
    assert response.status == 403
    accessible(page, "forbidden")
    page.goto("/worktray/my-patches")
    accessible(page, "my patches")


@JS_ON
def test_sign_in_page(sign_in: SignIn, accessible: Accessible) -> None:
    page = sign_in("team-leader")
    page.goto("/sign-out")
    accessible(page, "sign out")
    page.context.clear_cookies()
    page.goto("/sign-in")
    accessible(page, "sign in")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").count() == 1
    accessible(page, "sign in, with an error")
