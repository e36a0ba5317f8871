"""Notify's response bodies (B.3), built from what the store holds."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from fake_notify.config import TemplateConfig
from fake_notify.domain.letters import estimated_delivery
from fake_notify.domain.placeholders import placeholder_names
from fake_notify.domain.statuses import FINAL_STATUSES, public_status
from fake_notify.store import Notification, ReceivedText

# Notify's published prices, close enough for a fake's cost fields.
SMS_RATE = 0.0227
LETTER_PRICES = {
    "first": 1.35,
    "second": 0.85,
    "economy": 0.68,
    "europe": 1.6,
    "rest-of-world": 1.6,
}


def timestamp(moment: dt.datetime | None) -> str | None:
    """Notify's one timestamp format: UTC, microseconds, `Z`."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _cost(notification: Notification) -> tuple[float | None, dict[str, Any]]:
    if notification.status not in FINAL_STATUSES:
        return None, {}
    if notification.key_type == "test":
        return 0.0, {}
    if notification.notification_type == "sms":
        fragments = notification.sms_fragments
        details: dict[str, Any] = {
            "billable_sms_fragments": fragments,
            "international_rate_multiplier": 1.0,
            "sms_rate": SMS_RATE,
        }
        return round(fragments * SMS_RATE, 4), details
    if notification.notification_type == "letter":
        postage = notification.postage or "second"
        details = {"billable_sheets_of_paper": 1, "postage": postage}
        return LETTER_PRICES.get(postage, 0.85), details
    return 0.0, {}


def _address_fields(notification: Notification) -> dict[str, str | None]:
    fields: dict[str, str | None] = {f"line_{n}": None for n in range(1, 7)}
    fields["postcode"] = None
    if notification.precompiled:
        # Notify cannot know the address of a PDF it has not read.
        fields["line_1"] = "Provided as PDF"
    elif notification.address_lines:
        *lines, postcode = notification.address_lines
        for number, line in enumerate(lines, start=1):
            fields[f"line_{number}"] = line
        fields["postcode"] = postcode
    return fields


def notification_read(notification: Notification, root: str) -> dict[str, Any]:
    cost, cost_details = _cost(notification)
    kind = notification.notification_type
    read: dict[str, Any] = {
        "id": str(notification.id),
        "reference": notification.reference,
        "email_address": notification.recipient if kind == "email" else None,
        "phone_number": notification.recipient if kind == "sms" else None,
        **_address_fields(notification),
        "type": kind,
        "status": public_status(kind, notification.status),
        "template": {
            "id": str(notification.template_id),
            "version": notification.template_version,
            "uri": f"{root}v2/template/{notification.template_id}/version/"
            f"{notification.template_version}",
        },
        "body": notification.body,
        "subject": notification.subject,
        "created_at": timestamp(notification.created_at),
        "created_by_name": None,
        "sent_at": timestamp(notification.sent_at),
        "completed_at": timestamp(notification.completed_at),
        "scheduled_for": timestamp(notification.scheduled_for),
        "postage": notification.postage,
        "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
        "cost_in_pounds": cost,
        "cost_details": cost_details,
        "is_cost_data_ready": cost is not None,
    }
    if kind == "letter":
        read["estimated_delivery"] = timestamp(
            estimated_delivery(notification.created_at, notification.postage or "second")
        )
    return read


def template_read(template: TemplateConfig) -> dict[str, Any]:
    return {
        "id": str(template.id),
        "name": template.name,
        "type": template.type,
        "created_at": timestamp(template.created_at),
        "updated_at": timestamp(template.updated_at),
        "created_by": template.created_by,
        "version": template.version,
        "body": template.body,
        "subject": template.subject if template.type != "sms" else None,
        "personalisation": {
            name: {"required": True} for name in placeholder_names(template.subject, template.body)
        },
        "postage": template.postage if template.type == "letter" else None,
        "letter_contact_block": template.letter_contact_block
        if template.type == "letter"
        else None,
    }


def email_html(body: str) -> str:
    """A plain HTML rendering of an email body: one paragraph per blank-line block."""
    paragraphs = [block.strip() for block in body.split("\n\n") if block.strip()]
    return "".join(
        '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'
        + html.escape(block).replace("\n", "<br />")
        + "</p>"
        for block in paragraphs
    )


def received_text_read(text: ReceivedText) -> dict[str, Any]:
    return {
        "id": str(text.id),
        "user_number": text.user_number,
        "notify_number": text.notify_number,
        "created_at": timestamp(text.created_at),
        "service_id": str(text.service_id),
        "content": text.content,
    }
