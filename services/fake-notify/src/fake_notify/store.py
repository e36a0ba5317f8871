"""Everything the fake holds, in memory and behind one lock: the configuration in force,
template versions, what was "sent", received texts, rate-limit counters and the clock.

Statuses move on lazily: whenever notifications are read, each is brought up to date with
the clock, so progress is deterministic (a function of creation time, the configured delays
and the clock, which tests can move forward) and needs no background thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from fake_notify.config import (
    ApiKeyConfig,
    FakeNotifyConfig,
    KeyType,
    ServiceConfig,
    TemplateConfig,
    TemplateType,
)
from fake_notify.domain.statuses import FINAL_STATUSES, Status


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Notification:
    id: UUID
    sequence: int
    service_id: UUID
    api_key_name: str
    key_type: KeyType
    notification_type: TemplateType
    template_id: UUID
    template_version: int
    created_at: dt.datetime
    # Where it ends unless a test forces another status.
    outcome: Status
    status: Status
    recipient: str | None = None
    normalised_recipient: str | None = None
    personalisation: dict[str, Any] = field(default_factory=dict)
    reference: str | None = None
    body: str = ""
    subject: str | None = None
    postage: str | None = None
    address_lines: list[str] = field(default_factory=list)
    scheduled_for: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    sender: str | None = None
    one_click_unsubscribe_url: str | None = None
    sms_fragments: int = 0
    precompiled: bool = False
    pdf: bytes | None = None
    validation_failure: str | None = None
    # Set by the admin API: "progress now" and "force this status".
    hurried_at: dt.datetime | None = None
    forced: bool = False


@dataclass
class ReceivedText:
    id: UUID
    sequence: int
    service_id: UUID
    user_number: str
    notify_number: str
    content: str
    created_at: dt.datetime


class Store:
    def __init__(self, config: FakeNotifyConfig, clock: Callable[[], dt.datetime] = utc_now):
        self._initial = config.model_copy(deep=True)
        self._clock = clock
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Back to the state at start-up: the loaded configuration and nothing sent."""
        with self.lock:
            self.config = self._initial.model_copy(deep=True)
            self.services: dict[UUID, ServiceConfig] = {s.id: s for s in self.config.services}
            self.templates: dict[UUID, dict[int, TemplateConfig]] = {}
            self.template_service: dict[UUID, UUID] = {}
            for service in self.config.services:
                for template in service.templates:
                    self.templates[template.id] = {template.version: template}
                    self.template_service[template.id] = service.id
            self.notifications: dict[UUID, Notification] = {}
            self.received_texts: list[ReceivedText] = []
            self.clock_offset = dt.timedelta()
            self._sequence = 0
            self._recent_requests: dict[tuple[UUID, KeyType], deque[dt.datetime]] = {}
            self._daily_counts: dict[tuple[UUID, dt.date, str], int] = {}
            for seed in self.config.received_texts:
                self.add_received_text(
                    seed.service_id,
                    user_number=seed.user_number,
                    content=seed.content,
                    notify_number=seed.notify_number,
                    created_at=seed.created_at,
                )

    def now(self) -> dt.datetime:
        return self._clock() + self.clock_offset

    def next_sequence(self) -> int:
        with self.lock:
            self._sequence += 1
            return self._sequence

    # --- configuration -------------------------------------------------------------------

    def current_template(self, service_id: UUID, template_id: UUID) -> TemplateConfig | None:
        with self.lock:
            if self.template_service.get(template_id) != service_id:
                return None
            versions = self.templates[template_id]
            return versions[max(versions)]

    def template_version(
        self, service_id: UUID, template_id: UUID, version: int
    ) -> TemplateConfig | None:
        with self.lock:
            if self.template_service.get(template_id) != service_id:
                return None
            return self.templates[template_id].get(version)

    def service_templates(self, service_id: UUID) -> list[TemplateConfig]:
        with self.lock:
            current = (
                self.current_template(service_id, template_id)
                for template_id, owner in self.template_service.items()
                if owner == service_id
            )
            return [t for t in current if t is not None and not t.archived]

    def put_template(self, service_id: UUID, template: TemplateConfig) -> TemplateConfig:
        """Add a template, or save a new version of it as Notify does on every edit."""
        with self.lock:
            if service_id not in self.services:
                raise KeyError(service_id)
            versions = self.templates.setdefault(template.id, {})
            if versions:
                template = template.model_copy(
                    update={
                        "version": max(max(versions) + 1, template.version),
                        "created_at": versions[min(versions)].created_at,
                        "updated_at": self.now(),
                    }
                )
            versions[template.version] = template
            self.template_service[template.id] = service_id
            return template

    def put_service(self, service: ServiceConfig) -> None:
        with self.lock:
            self.services[service.id] = service
            for template in service.templates:
                self.put_template(service.id, template)

    def add_key(self, service_id: UUID, key: ApiKeyConfig) -> None:
        with self.lock:
            service = self.services[service_id]
            service.keys = [k for k in service.keys if k.name != key.name] + [key]

    # --- limits --------------------------------------------------------------------------

    def count_request(self, service_id: UUID, key_type: KeyType) -> int:
        """Record a send request; return how many this key type made in the last minute."""
        with self.lock:
            now = self.now()
            recent = self._recent_requests.setdefault((service_id, key_type), deque())
            while recent and recent[0] <= now - dt.timedelta(seconds=60):
                recent.popleft()
            recent.append(now)
            return len(recent)

    def sent_today(self, service_id: UUID, channel: str) -> int:
        with self.lock:
            return self._daily_counts.get((service_id, self.now().date(), channel), 0)

    def count_sent(self, service_id: UUID, channel: str) -> None:
        with self.lock:
            key = (service_id, self.now().date(), channel)
            self._daily_counts[key] = self._daily_counts.get(key, 0) + 1

    # --- notifications -------------------------------------------------------------------

    def add(self, notification: Notification) -> None:
        with self.lock:
            self.notifications[notification.id] = notification

    def get(self, notification_id: UUID) -> Notification | None:
        with self.lock:
            self._bring_up_to_date()
            return self.notifications.get(notification_id)

    def all(self) -> list[Notification]:
        """Newest first."""
        with self.lock:
            self._bring_up_to_date()
            return sorted(self.notifications.values(), key=lambda n: -n.sequence)

    def hurry(self, notification_id: UUID | None = None) -> int:
        """Move one notification, or all, to where they end, now. Returns how many moved."""
        with self.lock:
            now = self.now()
            chosen = (
                [self.notifications[notification_id]]
                if notification_id is not None
                else list(self.notifications.values())
            )
            moving = [n for n in chosen if not n.forced and n.status not in FINAL_STATUSES]
            for notification in moving:
                notification.hurried_at = now
            self._bring_up_to_date()
            return len(moving)

    def force_status(self, notification_id: UUID, status: Status) -> Notification:
        with self.lock:
            notification = self.notifications[notification_id]
            now = self.now()
            notification.status = status
            notification.forced = True
            if status not in {"created", "pending-virus-check"} and notification.sent_at is None:
                notification.sent_at = now
            notification.completed_at = now if status in FINAL_STATUSES else None
            return notification

    def advance_clock(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += dt.timedelta(seconds=seconds)
            self._bring_up_to_date()

    def _bring_up_to_date(self) -> None:
        now = self.now()
        if self.config.retention_days is not None:
            cut_off = now - dt.timedelta(days=self.config.retention_days)
            for notification_id in [
                n.id for n in self.notifications.values() if n.created_at < cut_off
            ]:
                del self.notifications[notification_id]
            self.received_texts = [t for t in self.received_texts if t.created_at >= cut_off]
        for notification in self.notifications.values():
            self._progress(notification, now)

    def _progress(self, notification: Notification, now: dt.datetime) -> None:
        if notification.forced or notification.status in FINAL_STATUSES:
            return
        timing = self.config.progression
        start = notification.scheduled_for or notification.created_at
        sending_due = start + dt.timedelta(seconds=timing.sending_after_seconds)
        final_due = max(sending_due, start + dt.timedelta(seconds=timing.final_after_seconds))
        if notification.hurried_at is not None:
            sending_due = min(sending_due, notification.hurried_at)
            final_due = min(final_due, notification.hurried_at)
        if notification.notification_type == "letter" and notification.key_type == "test":
            # A test key's letter is never printed: accepted, then straight to received.
            final_due = sending_due
        if now < sending_due:
            return
        if notification.status == "pending-virus-check" and notification.validation_failure:
            notification.status = "validation-failed"
            notification.completed_at = sending_due
            return
        if notification.sent_at is None:
            notification.status = "sending"
            notification.sent_at = sending_due
        if now >= final_due:
            notification.status = notification.outcome
            notification.completed_at = final_due

    # --- received texts ------------------------------------------------------------------

    def add_received_text(
        self,
        service_id: UUID,
        *,
        user_number: str,
        content: str,
        notify_number: str | None = None,
        created_at: dt.datetime | None = None,
    ) -> ReceivedText:
        with self.lock:
            service = self.services[service_id]
            text = ReceivedText(
                id=uuid4(),
                sequence=self.next_sequence(),
                service_id=service_id,
                user_number=user_number,
                notify_number=notify_number or service.inbound_number,
                content=content,
                created_at=created_at or self.now(),
            )
            self.received_texts.append(text)
            return text

    def service_received_texts(self, service_id: UUID) -> list[ReceivedText]:
        """Newest first."""
        with self.lock:
            self._bring_up_to_date()
            texts = [t for t in self.received_texts if t.service_id == service_id]
            return sorted(texts, key=lambda t: (t.created_at, t.sequence), reverse=True)
