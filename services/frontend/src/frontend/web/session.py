"""Who is signed in: the `hackneyToken` cookie holds a Hackney-style JWT, verified here with
the same rule as the APIs (`ma_shared.auth.decode_token`) and forwarded to them as the bearer
token. A page without a valid token sends the browser to sign in and back."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from ma_shared.auth import TOKEN_COOKIE, User, decode_token
from ma_shared.errors import Unauthenticated

SIGN_IN_PATH = "/sign-in"


class NotSignedIn(Exception):
    """No token, or one that is not valid (expired, another secret): sign in again."""


def signed_in_user(request: Request) -> User | None:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    try:
        return decode_token(token, request.app.state.settings)
    except Unauthenticated:
        return None


def require_user(request: Request) -> User:
    user = signed_in_user(request)
    if user is None:
        raise NotSignedIn
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(require_user)]


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//elsewhere`)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/worktray"


def sign_in_redirect(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back here afterwards (for a GET; after a refused post,
    back to the page the form was on is not known, so to the worktray)."""
    target = request.url.path
    if request.url.query:
        target += f"?{request.url.query}"
    query = urlencode({"next": target}) if request.method == "GET" else ""
    response = RedirectResponse(f"{SIGN_IN_PATH}?{query}" if query else SIGN_IN_PATH, 303)
    if request.cookies.get(TOKEN_COOKIE):
        response.delete_cookie(TOKEN_COOKIE, path="/")
    return response
