"""The confirmation after a form: a short-lived signed cookie, shown once as a success banner
on the next page, and never words someone else put in the cookie."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from fastapi.testclient import TestClient

from frontend.testing import read
from frontend.web.flash import FLASH_COOKIE

from .conftest import NewCase, banner, followed, open_form, submit

SignIn = Callable[[str], TestClient]


def test_the_confirmation_cookie_is_short_lived_and_out_of_scripts_reach(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    response = submit(
        client,
        open_form(client, f"/cases/{ref}/diary/new"),
        {"action_code": "OFI", "comment": "Came to the office"},
    )
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(f"{FLASH_COOKIE}=")
    )
    assert "Max-Age=60" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == "Success Action diary entry added: Office Interview (OFI)"
    # Shown on whichever page comes next, then gone.
    assert banner(read(client.get("/worktray"))) == ""


def test_a_forged_confirmation_is_not_shown(signed_in: SignIn) -> None:
    client = signed_in("rent")
    words = base64.urlsafe_b64encode(json.dumps({"heading": "You won"}).encode()).decode()
    client.cookies.set(FLASH_COOKIE, f"{words}.0000", domain="testserver.local")
    page = read(client.get("/worktray"))
    assert page.status_code == 200
    assert banner(page) == ""
    assert "You won" not in page.html
