"""Notify's request schemas and how it words their failures (the domain notes, B.3 and B.4).

Validation runs jsonschema as Notify does, so each problem is one `ValidationError` entry:
"<field> <message>" with quotes removed ("template_id is a required property",
"Additional properties are not allowed (colour was unexpected)"), or "<field> <validationMessage>"
where the schema gives one ("sms_sender_id is not a valid UUID").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from jsonschema import Draft7Validator, FormatChecker
from jsonschema import ValidationError as SchemaError

from fake_notify.domain.recipients import InvalidRecipient, parse_email_address, parse_phone_number
from fake_notify.domain.statuses import LIST_FILTER_STATUSES
from fake_notify.errors import NotifyError

format_checker = FormatChecker()


@format_checker.checks("validate_uuid", raises=ValueError)
def _is_uuid(instance: object) -> bool:
    if isinstance(instance, str):
        UUID(instance)
    return True


@format_checker.checks("phone_number", raises=InvalidRecipient)
def _is_phone_number(instance: object) -> bool:
    if isinstance(instance, str):
        parse_phone_number(instance)
    return True


@format_checker.checks("email_address", raises=InvalidRecipient)
def _is_email_address(instance: object) -> bool:
    if isinstance(instance, str):
        parse_email_address(instance)
    return True


_ISO_8601_HELP = (
    "datetime format is invalid. It must be a valid ISO8601 date time format, "
    "https://en.wikipedia.org/wiki/ISO_8601"
)


@format_checker.checks("datetime_within_next_day", raises=SchemaError)
def _is_within_next_day(instance: object) -> bool:
    if isinstance(instance, str):
        try:
            when = dt.datetime.fromisoformat(instance.replace("Z", "+00:00"))
        except ValueError as error:
            raise SchemaError(_ISO_8601_HELP) from error
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        now = dt.datetime.now(dt.UTC)
        if when < now:
            raise SchemaError("datetime can not be in the past")
        if when > now + dt.timedelta(hours=24):
            raise SchemaError("datetime can only be 24 hours in the future")
    return True


UUID_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "validate_uuid",
    "validationMessage": "is not a valid UUID",
}
_PERSONALISATION: dict[str, Any] = {"type": "object"}
_REFERENCE: dict[str, Any] = {"type": "string", "maxLength": 1000}
_SCHEDULED_FOR: dict[str, Any] = {"type": ["string", "null"], "format": "datetime_within_next_day"}

POST_SMS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "phone_number": {"type": "string", "format": "phone_number"},
        "template_id": UUID_SCHEMA,
        "personalisation": _PERSONALISATION,
        "scheduled_for": _SCHEDULED_FOR,
        "sms_sender_id": UUID_SCHEMA,
    },
    "required": ["phone_number", "template_id"],
    "additionalProperties": False,
}

POST_EMAIL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "email_address": {"type": "string", "format": "email_address"},
        "template_id": UUID_SCHEMA,
        "personalisation": _PERSONALISATION,
        "scheduled_for": _SCHEDULED_FOR,
        "email_reply_to_id": UUID_SCHEMA,
        "one_click_unsubscribe_url": {
            "type": "string",
            "pattern": "^https://",
            "validationMessage": "is not a valid https url",
        },
        "sanitise_content_for": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["email_address", "template_id"],
    "additionalProperties": False,
}

POST_LETTER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "template_id": UUID_SCHEMA,
        "personalisation": _PERSONALISATION,
    },
    "required": ["template_id", "personalisation"],
    "additionalProperties": False,
}

POST_PRECOMPILED_LETTER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": {"type": "string", "minLength": 1, "maxLength": 1000},
        "content": {"type": "string", "minLength": 1},
        "postage": {"enum": ["first", "second", "economy"]},
    },
    "required": ["reference", "content"],
    "additionalProperties": False,
}

GET_NOTIFICATIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "status": {"type": "array", "items": {"enum": list(LIST_FILTER_STATUSES)}},
        "template_type": {"type": "array", "items": {"enum": ["sms", "email", "letter"]}},
        "older_than": UUID_SCHEMA,
        "include_jobs": {"enum": ["true", "True"]},
    },
    "additionalProperties": False,
}

GET_RECEIVED_TEXTS: dict[str, Any] = {
    "type": "object",
    "properties": {"older_than": UUID_SCHEMA},
    "additionalProperties": False,
}

GET_TEMPLATES: dict[str, Any] = {
    "type": "object",
    "properties": {"type": {"enum": ["sms", "email", "letter"]}},
    "additionalProperties": False,
}

POST_TEMPLATE_PREVIEW: dict[str, Any] = {
    "type": "object",
    "properties": {"personalisation": _PERSONALISATION},
    "additionalProperties": False,
}


def _message(error: SchemaError) -> str:
    field = str(error.path[0]) if error.path else ""
    schema = error.schema
    if isinstance(schema, Mapping) and "validationMessage" in schema:
        return f"{field} {schema['validationMessage']}".strip()
    # A format checker's own exception (an invalid phone number, say) carries the wording.
    text = str(error.cause) if error.cause else error.message
    text = text.replace("'", "")
    return f"{field} {text}" if field else text


def validate(instance: object, schema: dict[str, Any]) -> None:
    """Raise Notify's 400 listing every problem once, or return if there are none."""
    validator = Draft7Validator(schema, format_checker=format_checker)
    messages: list[str] = []
    for error in validator.iter_errors(instance):
        message = _message(error)
        if message not in messages:
            messages.append(message)
    if messages:
        raise NotifyError(400, [("ValidationError", message) for message in messages])
