"""GOV.UK Notify through its official Python client (locally, the project's fake Notify).

The client is synchronous and not thread-safe, so each thread gets its own. Notify's errors
become two kinds: `NotifyRejected` (the request is wrong: retrying cannot help) and
`NotifyUnavailable` (429, 5xx, no answer: retry later)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


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


def _message(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) for item in message)
    return str(message)


class NotifyGateway:
    def __init__(
        self, *, api_key: str, base_url: str, timeout: float, template_cache_seconds: int
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._local = threading.local()
        self._cache_seconds = template_cache_seconds
        self._templates: dict[str, NotifyTemplate] = {}
        self._templates_read = 0.0
        self._templates_lock = threading.Lock()

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
        with self._templates_lock:
            stale = time.monotonic() - self._templates_read > self._cache_seconds
            if refresh or stale or not self._templates:
                listed = self._call("get_all_templates")["templates"]
                self._templates = {
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
                self._templates_read = time.monotonic()
            return dict(self._templates)

    def send_sms(
        self,
        *,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, Any],
        reference: str,
    ) -> str:
        response = self._call(
            "send_sms_notification",
            phone_number=phone_number,
            template_id=template_id,
            personalisation=personalisation or None,
            reference=reference,
        )
        return str(response["id"])

    def send_email(
        self,
        *,
        email_address: str,
        template_id: str,
        personalisation: dict[str, Any],
        reference: str,
    ) -> str:
        response = self._call(
            "send_email_notification",
            email_address=email_address,
            template_id=template_id,
            personalisation=personalisation or None,
            reference=reference,
        )
        return str(response["id"])

    def status_of(self, notify_id: str) -> str:
        return str(self._call("get_notification_by_id", notify_id)["status"])

    def find_by_reference(self, reference: str) -> str | None:
        """The id of a notification sent with this reference, if Notify has one."""
        found = self._call("get_all_notifications", reference=reference)["notifications"]
        return str(found[0]["id"]) if found else None
