"""Confirmations after a form: "Case paused until 5 March 2026" shown once, as a GOV.UK success
notification banner, on the page the person is sent to.

A form that succeeds returns `flash_redirect(request, url, heading, text)`: a 303 carrying a
short-lived `ma_flash` cookie (signed under FORM_SECRET, so no other site or script can put
words on our pages; HttpOnly, SameSite=Lax). Whatever page comes next shows it from the layout
(`layouts/base.html`), and `FlashMiddleware` deletes the cookie on the response that showed it:
a reload, or the next page, does not show it again. No JavaScript and nothing in the URL, so a
bookmarked or shared address never carries a stale "success".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Final

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FLASH_COOKIE: Final = "ma_flash"
# Long enough to follow the redirect, short enough not to greet the person on a later visit.
FLASH_SECONDS: Final = 60
_SHOWN: Final = "flash_shown"


@dataclass(frozen=True)
class Flash:
    heading: str
    text: str | None = None


def _secret(request: Request) -> bytes:
    secret: str = request.app.state.settings.form_secret.get_secret_value()
    return secret.encode()


def _signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, f"flash:{payload}".encode(), hashlib.sha256).hexdigest()


def flash_redirect(
    request: Request, url: str, heading: str, text: str | None = None
) -> RedirectResponse:
    """A 303 to `url`, whose page confirms with `heading` (and `text` below it)."""
    data = json.dumps({"heading": heading, "text": text}).encode()
    payload = base64.urlsafe_b64encode(data).decode().rstrip("=")
    response = RedirectResponse(url, 303)
    response.set_cookie(
        FLASH_COOKIE,
        f"{payload}.{_signature(_secret(request), payload)}",
        max_age=FLASH_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


def take_flash(request: Request) -> Flash | None:
    """The confirmation waiting for this page, if any; the response will delete it."""
    value = request.cookies.get(FLASH_COOKIE)
    if not value:
        return None
    payload, _, signature = value.partition(".")
    if not hmac.compare_digest(signature, _signature(_secret(request), payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    setattr(request.state, _SHOWN, True)
    return Flash(heading=str(data["heading"]), text=data.get("text"))


class FlashMiddleware:
    """Deletes the confirmation cookie on the response of the page that showed it."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure = "; Secure" if secure_cookies else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_deleting_shown_flash(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get("state", {}).get(_SHOWN):
                MutableHeaders(scope=message).append(
                    "Set-Cookie",
                    f"{FLASH_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax{self.secure}",
                )
            await send(message)

        await self.app(scope, receive, send_deleting_shown_flash)
