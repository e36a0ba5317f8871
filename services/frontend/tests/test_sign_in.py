"""Signing in and out, what each role is offered, and the CSRF check on every form post."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from frontend.testing import read
from ma_shared.auth import TOKEN_COOKIE

SignIn = Callable[[str], TestClient]


def _sign_in(client: TestClient, role: str, next_page: str = "") -> str:
    token = read(client.get("/sign-in")).form_token
    response = client.post("/sign-in", data={"role": role, "next": next_page, "csrf_token": token})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_a_page_sends_someone_not_signed_in_to_sign_in_and_back(client: TestClient) -> None:
    response = client.get("/worktray?tab=paused")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fworktray%3Ftab%3Dpaused"

    sign_in = read(client.get(response.headers["location"]))
    assert sign_in.heading == "Sign in to Manage arrears as"
    assert "Rent caseworker" in sign_in.text
    assert "Leasehold caseworker" in sign_in.text
    assert "Team leader" in sign_in.text

    assert _sign_in(client, "rent", "/worktray?tab=paused") == "/worktray?tab=paused"
    cookie = client.cookies.get(TOKEN_COOKIE)
    assert cookie
    worktray = read(client.get("/worktray?tab=paused"))
    assert worktray.status_code == 200
    assert "Rita Rent" in worktray.header


def test_the_session_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    token = read(client.get("/sign-in")).form_token
    response = client.post("/sign-in", data={"role": "rent", "csrf_token": token})
    set_cookie = response.headers["set-cookie"].lower()
    assert set_cookie.startswith("hackneytoken=")
    assert "httponly" in set_cookie
    assert "samesite=lax" in set_cookie


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "worktray", "/\\evil.example"]
)
def test_sign_in_only_returns_to_this_site(client: TestClient, target: str) -> None:
    assert _sign_in(client, "rent", target) == "/worktray"


def test_choosing_no_role_is_an_error_on_the_form(client: TestClient) -> None:
    token = read(client.get("/sign-in")).form_token
    response = read(client.post("/sign-in", data={"csrf_token": token}))
    assert response.status_code == 400
    assert response.title.startswith("Error: ")
    assert response.error_summary == ["Choose the role to sign in as"]
    assert response.soup.select_one("#role-error") is not None


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        ("rent", ["Worktray", "Search", "Documents", "Send letters"]),
        ("leasehold", ["Worktray", "Search", "Documents", "Send letters"]),
        (
            "team-leader",
            ["Worktray", "Search", "Documents", "Send letters", "Dashboard", "Sync jobs"],
        ),
    ],
    ids=["rent caseworker", "leasehold caseworker", "team leader"],
)
def test_the_menu_follows_the_role(signed_in: SignIn, role: str, menu: list[str]) -> None:
    page = read(signed_in(role).get("/search"))
    assert page.navigation == menu
    assert page.soup.select_one('a[href="/search"][aria-current="page"]') is not None


def test_signing_out_ends_the_session(signed_in: SignIn) -> None:
    client = signed_in("rent")
    page = read(client.get("/search"))
    response = client.post("/sign-out", data={"csrf_token": page.form_token})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    assert client.cookies.get(TOKEN_COOKIE) is None
    assert client.get("/worktray").status_code == 303


def test_an_expired_or_forged_token_is_treated_as_signed_out(client: TestClient) -> None:
    client.cookies.set(TOKEN_COOKIE, "not-a-jwt")
    response = client.get("/worktray")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def test_a_form_post_without_its_token_is_refused(signed_in: SignIn) -> None:
    client = signed_in("rent")
    client.get("/search")  # sets the CSRF cookie
    for data in ({}, {"csrf_token": "forged"}):
        refused = read(client.post("/sign-out", data=data))
        assert refused.status_code == 403
        assert refused.heading == "This form has expired"
    assert client.cookies.get(TOKEN_COOKIE) is not None


def test_a_token_from_another_browser_is_refused(signed_in: SignIn) -> None:
    client = signed_in("rent")
    token = read(client.get("/search")).form_token
    client.cookies.delete("ma_csrf")
    client.get("/search")  # a new CSRF cookie, as another browser would have
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 403
