"""Sending an SMS, email or letter, with Notify's checks in Notify's order (B.4):

rate limits (per minute per key type, then daily per channel) → JSON and schema → the
service's permission for the channel → template exists, is of the right type, not deleted →
personalisation complete → recipient allowed for the key type and valid → message length →
(letters) key-type rules → address → the notification is created.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from fake_notify.config import ApiKeyConfig, ServiceConfig, TemplateConfig, TemplateType
from fake_notify.domain.addresses import InvalidAddress, validate_address
from fake_notify.domain.letters import precompiled_problem, render_letter_pdf
from fake_notify.domain.placeholders import missing_placeholders, render
from fake_notify.domain.recipients import (
    SMOKE_TEST_RECIPIENTS,
    TEST_KEY_OUTCOMES,
    InvalidRecipient,
    parse_email_address,
    parse_phone_number,
)
from fake_notify.domain.statuses import Status
from fake_notify.errors import NotifyError, bad_request, validation_error
from fake_notify.schemas import (
    POST_EMAIL,
    POST_LETTER,
    POST_PRECOMPILED_LETTER,
    POST_SMS,
    validate,
)
from fake_notify.store import Notification, Store

SMS_CHARACTER_LIMIT = 918
EMAIL_BYTE_LIMIT = 2_000_000
# Notify's hidden template behind every precompiled letter; not listed or fetchable.
PRECOMPILED_TEMPLATE_ID = UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")

# Notify's own typography: a curly apostrophe and an en dash.
TEAM_KEY_RECIPIENT_MESSAGE = "Can’t send to this recipient using a team-only API key"  # noqa: RUF001
TRIAL_MODE_RECIPIENT_MESSAGE = (
    "Can’t send to this recipient when service is in trial mode – see "  # noqa: RUF001
    "https://www.notifications.service.gov.uk/trial-mode"
)
_PLURAL = {"sms": "text messages", "email": "emails", "letter": "letters"}
_SCHEMAS = {"sms": POST_SMS, "email": POST_EMAIL, "letter": POST_LETTER}
_MARKDOWN_CHARACTERS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Sender:
    """Who is sending: the service and the key the token was signed with."""

    service: ServiceConfig
    key: ApiKeyConfig


@dataclass(frozen=True)
class SendResult:
    notification: Notification
    # Smoke-test recipients are answered like any other but never stored.
    stored: bool
    sanitised_content: dict[str, dict[str, str]]


def _check_rate_limits(store: Store, sender: Sender, channel: TemplateType) -> None:
    limits = store.config.limits
    key_type = sender.key.type
    per_minute = limits.per_minute[key_type]
    if store.count_request(sender.service.id, key_type) > per_minute:
        raise NotifyError(
            429,
            [
                (
                    "RateLimitError",
                    f"Exceeded rate limit for key type {key_type.upper()} of {per_minute} "
                    "requests per 60 seconds",
                )
            ],
        )
    # Test keys send nothing for real, so Notify counts them in no allowance.
    if key_type != "test":
        _check_daily_limit(store, sender, channel)


def _daily_limit(store: Store, service: ServiceConfig, channel: str) -> int:
    limits = store.config.limits
    limit: int = getattr(limits.daily, channel)
    if service.restricted and channel in {"sms", "email"}:
        return min(limit, limits.trial_mode_daily)
    return limit


def _check_daily_limit(store: Store, sender: Sender, channel: str) -> None:
    limit = _daily_limit(store, sender.service, channel)
    if store.sent_today(sender.service.id, channel) >= limit:
        raise NotifyError(
            429,
            [("TooManyRequestsError", f"Exceeded send limits ({channel}: {limit}) for today")],
        )


def _parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request("Invalid JSON supplied in POST data") from error


def _check_permission(service: ServiceConfig, channel: TemplateType) -> None:
    if channel not in service.permissions:
        raise bad_request(f"Service is not allowed to send {_PLURAL[channel]}")


def _template_for(
    store: Store, sender: Sender, channel: TemplateType, form: dict[str, Any]
) -> TemplateConfig:
    template = store.current_template(sender.service.id, UUID(form["template_id"]))
    if template is None:
        raise bad_request("Template not found")
    if template.type != channel:
        raise bad_request(f"{template.type} template is not suitable for {channel} notification")
    if template.archived:
        raise bad_request("Template has been deleted")
    missing = missing_placeholders(
        [template.subject, template.body], form.get("personalisation") or {}
    )
    if missing:
        raise bad_request(f"Missing personalisation: {', '.join(missing)}")
    return template


def _team_recipients(service: ServiceConfig, channel: TemplateType) -> set[str]:
    recipients: set[str] = set()
    written = [
        member.mobile_number if channel == "sms" else member.email_address
        for member in service.team_members
    ] + service.guest_list
    for raw in written:
        if not raw:
            continue
        try:
            if channel == "sms":
                recipients.add(parse_phone_number(raw).normalised)
            else:
                recipients.add(parse_email_address(raw))
        except InvalidRecipient:
            continue  # a guest list holds both kinds; the other kind never matches
    return recipients


def _check_recipient(store: Store, sender: Sender, channel: TemplateType, raw: str) -> str:
    """The recipient, normalised, once the key type and the service allow it."""
    service = sender.service
    number = parse_phone_number(raw) if channel == "sms" else None
    normalised = number.normalised if number else parse_email_address(raw)
    restricted = sender.key.type == "team" or (sender.key.type == "live" and service.restricted)
    if restricted and normalised not in _team_recipients(service, channel):
        if sender.key.type == "team":
            raise bad_request(TEAM_KEY_RECIPIENT_MESSAGE)
        raise bad_request(TRIAL_MODE_RECIPIENT_MESSAGE)
    if number is not None:
        if not number.is_uk:
            if "international_sms" not in service.permissions:
                raise bad_request("Cannot send to international mobile numbers")
            if sender.key.type != "test":
                _check_daily_limit(store, sender, "international_sms")
        elif not number.is_uk_mobile and "sms_to_uk_landlines" not in service.permissions:
            raise NotifyError(400, [("InvalidPhoneError", "Not a UK mobile number")])
    return normalised


def _sms_fragments(body: str) -> int:
    # GSM-7 texts split into 153-character parts; anything else into 67-character parts.
    if body.isascii():
        return 1 if len(body) <= 160 else math.ceil(len(body) / 153)
    return 1 if len(body) <= 70 else math.ceil(len(body) / 67)


def _check_length(channel: TemplateType, body: str) -> None:
    if not body.strip():
        raise bad_request("Your message is empty.")
    if channel == "sms" and len(body) > SMS_CHARACTER_LIMIT:
        raise bad_request(
            f"Your message is too long. Text messages cannot be longer than "
            f"{SMS_CHARACTER_LIMIT} characters. Your message is {len(body)} characters long."
        )
    if channel == "email" and len(body.encode()) > EMAIL_BYTE_LIMIT:
        raise bad_request(
            f"Your message is too long. Emails cannot be longer than {EMAIL_BYTE_LIMIT} "
            f"bytes. Your message is {len(body.encode())} bytes."
        )


def _sanitise(
    personalisation: dict[str, Any], keys: list[str]
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Escape Markdown and drop links in the values the caller does not trust (B.7)."""
    cleaned = dict(personalisation)
    changes: dict[str, dict[str, str]] = {}
    for key in keys:
        value = personalisation.get(key)
        if not isinstance(value, str):
            continue
        sanitised = _MARKDOWN_CHARACTERS.sub(r"\\\1", _URL.sub("", value))
        cleaned[key] = sanitised
        if sanitised != value:
            changes[key] = {"unsanitised": value, "sanitised": sanitised}
    return cleaned, changes


def _sender_text(sender: Sender, channel: TemplateType, form: dict[str, Any]) -> str:
    service = sender.service
    if channel == "sms":
        sms_sender_id = form.get("sms_sender_id")
        if sms_sender_id is None:
            return service.sms_sender
        for option in service.sms_senders:
            if str(option.id) == sms_sender_id.lower():
                return option.sms_sender
        raise bad_request(
            f"sms_sender_id {sms_sender_id} does not exist in database for service id {service.id}"
        )
    reply_to_id = form.get("email_reply_to_id")
    if reply_to_id is not None and not any(
        str(option.id) == reply_to_id.lower() for option in service.email_reply_to
    ):
        raise bad_request(
            f"email_reply_to_id {reply_to_id} does not exist in database for service id "
            f"{service.id}"
        )
    return f"{service.email_from}@notifications.service.gov.uk"


def _check_letter_key(sender: Sender) -> None:
    if sender.key.type == "team":
        raise bad_request("Cannot send letters with a team api key", 403)
    if sender.service.restricted and sender.key.type != "test":
        raise bad_request("Cannot send letters when service is in trial mode", 403)


def _scheduled_for(form: dict[str, Any]) -> dt.datetime | None:
    value = form.get("scheduled_for")
    if not value:
        return None
    when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _store(store: Store, notification: Notification, channel: str, sender: Sender) -> None:
    store.add(notification)
    if sender.key.type != "test":
        store.count_sent(sender.service.id, channel)
        if (
            channel == "sms"
            and notification.normalised_recipient
            and not (notification.normalised_recipient.startswith("44"))
        ):
            store.count_sent(sender.service.id, "international_sms")


def send(store: Store, sender: Sender, channel: TemplateType, raw_body: bytes) -> SendResult:
    with store.lock:
        _check_rate_limits(store, sender, channel)
        form = _parse_json(raw_body)
        if channel == "letter" and isinstance(form, dict) and "content" in form:
            return _send_precompiled_letter(store, sender, form)
        validate(form, _SCHEMAS[channel])
        assert isinstance(form, dict)  # the schema says it is an object
        _check_permission(sender.service, channel)
        template = _template_for(store, sender, channel, form)
        personalisation: dict[str, Any] = form.get("personalisation") or {}
        recipient: str | None = form.get("phone_number") or form.get("email_address")
        normalised = None
        if recipient is not None:
            normalised = _check_recipient(store, sender, channel, recipient)
        personalisation_to_render, sanitised = _sanitise(
            personalisation, form.get("sanitise_content_for") or []
        )
        markdown_lists = channel != "sms"
        body = render(template.body, personalisation_to_render, markdown_lists=markdown_lists)
        subject = render(template.subject, personalisation_to_render) if template.subject else None
        # A list value opens with a blank line in email and letters; Notify trims the ends.
        body = body.strip()
        _check_length(channel, body)
        sender_text = _sender_text(sender, channel, form) if channel != "letter" else None
        address_lines: list[str] = []
        postage = None
        if channel == "letter":
            _check_letter_key(sender)
            try:
                address = validate_address(
                    personalisation,
                    can_send_abroad="international_letters" in sender.service.permissions,
                )
            except InvalidAddress as error:
                raise validation_error(str(error)) from error
            address_lines = address.lines
            postage = address.international_postage or template.postage or "second"
        outcome: Status = "delivered"
        if sender.key.type == "test" and normalised is not None:
            outcome = TEST_KEY_OUTCOMES.get(normalised, "delivered")
        notification = Notification(
            id=uuid4(),
            sequence=store.next_sequence(),
            service_id=sender.service.id,
            api_key_name=sender.key.name,
            key_type=sender.key.type,
            notification_type=channel,
            template_id=template.id,
            template_version=template.version,
            created_at=store.now(),
            outcome=outcome,
            status="created",
            recipient=recipient,
            normalised_recipient=normalised,
            personalisation=personalisation,
            reference=form.get("reference"),
            body=body,
            subject=subject,
            postage=postage,
            address_lines=address_lines,
            scheduled_for=_scheduled_for(form),
            sender=sender_text,
            one_click_unsubscribe_url=form.get("one_click_unsubscribe_url"),
            sms_fragments=_sms_fragments(body) if channel == "sms" else 0,
        )
        if channel == "letter":
            notification.pdf = render_letter_pdf(
                [*address_lines, "", subject or "", "", *body.splitlines()]
            )
        stored = normalised not in SMOKE_TEST_RECIPIENTS
        if stored:
            _store(store, notification, channel, sender)
        return SendResult(notification, stored, sanitised)


def _send_precompiled_letter(store: Store, sender: Sender, form: dict[str, Any]) -> SendResult:
    validate(form, POST_PRECOMPILED_LETTER)
    _check_permission(sender.service, "letter")
    _check_letter_key(sender)
    try:
        pdf = base64.b64decode(form["content"], validate=True)
    except (binascii.Error, ValueError) as error:
        raise bad_request("Cannot decode letter content (invalid base64 encoding)") from error
    notification = Notification(
        id=uuid4(),
        sequence=store.next_sequence(),
        service_id=sender.service.id,
        api_key_name=sender.key.name,
        key_type=sender.key.type,
        notification_type="letter",
        template_id=PRECOMPILED_TEMPLATE_ID,
        template_version=1,
        created_at=store.now(),
        outcome="delivered",
        status="pending-virus-check",
        reference=form["reference"],
        subject="Pre-compiled PDF",
        postage=form.get("postage") or "second",
        precompiled=True,
        pdf=pdf,
        validation_failure=precompiled_problem(pdf),
    )
    _store(store, notification, "letter", sender)
    return SendResult(notification, stored=True, sanitised_content={})
