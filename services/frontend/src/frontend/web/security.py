"""Security every page gets: a CSRF check on every form post, and response headers (a
Content-Security-Policy whose per-request nonce lets only our own inline scripts run, no
framing, no caching of pages that show personal data).

CSRF is a signed double-submit: a random `ma_csrf` cookie (HttpOnly, SameSite=Lax) is set on
the first response, and every form carries `csrf_token` = HMAC(FORM_SECRET, cookie). A post
whose token does not match its cookie is refused before the route runs. Another site can
neither read the cookie nor make the HMAC, and SameSite=Lax keeps the cookie off its posts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE: Final = "ma_csrf"
CSRF_FIELD: Final = "csrf_token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(Exception):
    """A form post without a valid token: a forged request, or a page left open so long
    that its cookie changed."""


def csrf_token(secret: str, cookie: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{cookie}".encode(), hashlib.sha256).hexdigest()


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope["headers"]:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = part.strip().partition("=")
                if cookie_name == name and cookie_value:
                    return str(cookie_value)
    return None


class SecurityMiddleware:
    """Sets the CSRF cookie when a browser has none, makes the CSP nonce, and adds the
    security headers. Both values are kept in `request.state` for the templates."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        existing = _cookie(scope, CSRF_COOKIE)
        cookie = existing or secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state["csrf_cookie"] = cookie
        state["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if existing is None:
                    secure = "; Secure" if self.secure_cookies else ""
                    headers.append(
                        "Set-Cookie",
                        f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax{secure}",
                    )
                headers["Content-Security-Policy"] = (
                    f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
                    "style-src 'self'; img-src 'self' data:; font-src 'self'; "
                    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
                    "object-src 'none'"
                )
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def form_token(request: Request) -> str:
    """The `csrf_token` every form on this page carries (templates call `csrf_field()`)."""
    secret: str = request.app.state.settings.form_secret.get_secret_value()
    return csrf_token(secret, request.state.csrf_cookie)


async def check_csrf(request: Request) -> None:
    """App-wide dependency: every request that can change something must carry the form
    token matching its cookie, whatever route later phases add."""
    if request.method in SAFE_METHODS:
        return
    if request.cookies.get(CSRF_COOKIE) is None:
        raise CsrfFailed
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, form_token(request)):
        raise CsrfFailed
