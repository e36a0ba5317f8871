"""GOV.UK Notify through its official Python client (locally, the project's fake Notify).

The client is synchronous and not thread-safe, so each thread gets its own. Notify's errors
become two kinds: `NotifyRejected` (the request is wrong: retrying cannot help) and
`NotifyUnavailable` (429, 5xx, no answer: retry later). Every send first takes its turn at
Notify's per-minute rate limit (`SendRateLimiter`), so Notify itself never has to say 429."""

from __future__ import annotations

import copy
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMITED = 429
RATE_LIMITED_MESSAGE = "sending at GOV.UK Notify's rate limit; queued"


class NotifyError(Exception):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"{status_code} - {message}")
        self.status_code = status_code
        self.message = message


class NotifyRejected(NotifyError):
    """Notify refused the request as invalid."""


class NotifyUnavailable(NotifyError):
    """Notify could not take the request now."""


@dataclass(frozen=True)
class NotifyTemplate:
    id: str
    type: str
    name: str
    version: int
    body: str
    subject: str | None


class SendRateLimiter:
    """Notify's per-minute limit as a token bucket shared by every thread of the process.

    Notify counts the send requests that reached it in the last 60 seconds, on arrival. A bucket
    of `burst` tokens refilled at `rate` a second lets at most burst + 60 x rate requests out
    in any 60 s; we keep that to 99 % of the limit (a burst of 2 %, a refill of 97 %: 60 and
    48.5/s at 3,000/min). The other 1 % (30 requests, 0.6 s at full rate) absorbs jitter:
    requests that leave on time can still arrive bunched (a slow connection, a thread woken
    late), and a late one counts in a later window.

    A send reserves the next free slot and sleeps until it, so senders go in the order they
    asked and one that would wait too long learns so at once, without taking a slot."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute < 2:
            raise ValueError("a rate limit below 2 a minute leaves no room for jitter")
        self.burst = max(1, per_minute // 50)
        self.rate = (0.99 * per_minute - self.burst) / 60
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._updated = clock()

    def acquire(self, max_wait: float | None) -> bool:
        """Take a send's turn, sleeping until it comes; False (and no turn taken) if that
        would be more than `max_wait` seconds away. `None` waits as long as it takes."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            # Tokens below zero are turns already promised to senders still asleep.
            wait = max(0.0, (1 - self._tokens) / self.rate)
            if max_wait is not None and wait > max_wait:
                return False
            self._tokens -= 1
        if wait > 0:
            self._sleep(wait)
        return True


def _message(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) for item in message)
    return str(message)


class _TemplateCache:
    def __init__(self) -> None:
        self.templates: dict[str, NotifyTemplate] = {}
        self.read_at = 0.0
        self.lock = threading.Lock()


class NotifyGateway:
    """Sends wait at most `send_max_wait` seconds for their turn at the rate limit, then
    raise `NotifyUnavailable` (429): someone is waiting on them, and the message is kept to be
    sent later. `waiting_for_rate_limit()` is the same gateway for senders nobody waits on."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float,
        template_cache_seconds: int,
        rate_limiter: SendRateLimiter,
        send_max_wait: float,
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._local = threading.local()
        self._cache_seconds = template_cache_seconds
        self._cache = _TemplateCache()
        self._rate_limiter = rate_limiter
        self._send_max_wait: float | None = send_max_wait

    def waiting_for_rate_limit(self) -> NotifyGateway:
        """This gateway (the same clients, templates and rate limiter) with sends that wait
        for their turn however long it takes: for the worker, which nobody is waiting on."""
        patient = copy.copy(self)
        patient._send_max_wait = None
        return patient

    def _client(self) -> NotificationsAPIClient:
        client: NotificationsAPIClient | None = getattr(self._local, "client", None)
        if client is None:
            client = NotificationsAPIClient(
                self._api_key, base_url=self._base_url, timeout=self._timeout
            )
            self._local.client = client
        return client

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self._client(), method)(*args, **kwargs)
        except APIError as error:
            status = int(error.status_code)
            kind = NotifyUnavailable if status in RETRYABLE_STATUSES else NotifyRejected
            raise kind(status, _message(error)) from error

    def templates(self, *, refresh: bool = False) -> dict[str, NotifyTemplate]:
        """Notify's templates by id, read at most every few minutes."""
        cache = self._cache
        with cache.lock:
            stale = time.monotonic() - cache.read_at > self._cache_seconds
            if refresh or stale or not cache.templates:
                listed = self._call("get_all_templates")["templates"]
                cache.templates = {
                    t["id"]: NotifyTemplate(
                        id=t["id"],
                        type=t["type"],
                        name=t["name"],
                        version=int(t["version"]),
                        body=t["body"],
                        subject=t.get("subject"),
                    )
                    for t in listed
                }
                cache.read_at = time.monotonic()
            return dict(cache.templates)

    def _send(self, method: str, **kwargs: Any) -> str:
        """A send request, once it is this send's turn at the rate limit; Notify's id."""
        if not self._rate_limiter.acquire(self._send_max_wait):
            raise NotifyUnavailable(RATE_LIMITED, RATE_LIMITED_MESSAGE)
        return str(self._call(method, **kwargs)["id"])

    def send_sms(
        self,
        *,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, Any],
        reference: str,
    ) -> str:
        return self._send(
            "send_sms_notification",
            phone_number=phone_number,
            template_id=template_id,
            personalisation=personalisation or None,
            reference=reference,
        )

    def send_email(
        self,
        *,
        email_address: str,
        template_id: str,
        personalisation: dict[str, Any],
        reference: str,
    ) -> str:
        return self._send(
            "send_email_notification",
            email_address=email_address,
            template_id=template_id,
            personalisation=personalisation or None,
            reference=reference,
        )

    def send_precompiled_letter(self, *, pdf: bytes, reference: str, postage: str) -> str:
        """Post a letter we made (A4 PDF); Notify prints it as it is."""
        return self._send(
            "send_precompiled_letter_notification",
            reference=reference,
            pdf_file=io.BytesIO(pdf),
            postage=postage,
        )

    def status_of(self, notify_id: str) -> str:
        return str(self._call("get_notification_by_id", notify_id)["status"])

    def find_by_reference(self, reference: str) -> str | None:
        """The id of a notification sent with this reference, if Notify has one."""
        found = self._call("get_all_notifications", reference=reference)["notifications"]
        return str(found[0]["id"]) if found else None
