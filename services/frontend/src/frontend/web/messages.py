"""Texts and emails from a case (`/cases/{ref}/sms`, `/cases/{ref}/email`), and a message's
status (`/messages/{id}`).

1. `GET …/sms`: choose a Notify template (a GET form, so each choice is a URL).
2. `GET …/sms?template_id=`: whom to (the case's numbers, or one typed) and the template's
   placeholders, filled from the case where it knows them; the form gets its idempotency key.
3. `POST …/sms/preview`: checked, then the message exactly as it will read, with "Send" and
   "Change".
4. `POST …/sms`: sent with the form's key (a double click sends once), then to the case page,
   which confirms it (`?sent=<message id>`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from frontend.domain.messages import (
    CHANNELS,
    OTHER,
    Channel,
    chosen_recipient,
    is_long_text,
    prefilled,
    recipient_choices,
)
from frontend.gateways.comms_api import NotifyTemplate
from frontend.gateways.errors import Conflict, InvalidInput
from frontend.gateways.income_api import Case
from frontend.web.communications import (
    CommsId,
    case_name,
    ensure_can_send,
    form_values,
    new_idempotency_key,
)
from frontend.web.deps import CommsApiDep, IncomeApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser
from frontend.web.urls import case_url
from ma_shared.personalisation import render
from ma_shared.recipients import InvalidRecipient

router = APIRouter(include_in_schema=False)


@dataclass
class MessageForm:
    """What the form holds, as entered."""

    template_id: str
    idempotency_key: str
    recipient: str = ""
    other_recipient: str = ""
    # By placeholder, in the template's order.
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def posted(cls, form: Mapping[str, str], template: NotifyTemplate) -> MessageForm:
        return cls(
            template_id=template.id,
            idempotency_key=form.get("idempotency_key") or new_idempotency_key(),
            recipient=form.get("recipient", ""),
            other_recipient=form.get("other_recipient", ""),
            values={
                name: form.get(f"placeholder-{n}", "").strip()
                for n, name in enumerate(template.placeholders, start=1)
            },
        )


@dataclass(frozen=True)
class CheckedMessage:
    recipient: str
    personalisation: dict[str, str]


def _check(
    channel: Channel, template: NotifyTemplate, form: MessageForm
) -> tuple[CheckedMessage | None, FormErrors]:
    """The message to send, or what is wrong, by form field."""
    errors = FormErrors()
    words = CHANNELS[channel]
    recipient = ""
    if not form.recipient:
        errors.add("recipient", f"Choose who to send the {words.noun} to")
    else:
        try:
            recipient = chosen_recipient(channel, form.recipient, form.other_recipient)
        except InvalidRecipient as invalid:
            errors.add("other_recipient" if form.recipient == OTHER else "recipient", str(invalid))
    for n, (name, value) in enumerate(form.values.items(), start=1):
        if not value:
            errors.add(f"placeholder-{n}", f"Enter the {name}")
    if errors:
        return None, errors
    return CheckedMessage(recipient, dict(form.values)), errors


def _template(templates: list[NotifyTemplate], template_id: str) -> NotifyTemplate | None:
    return next((t for t in templates if t.id == template_id), None)


def _form_page(
    request: Request,
    templates: Templates,
    channel: Channel,
    case: Case,
    template: NotifyTemplate,
    form: MessageForm,
    errors: FormErrors,
) -> Response:
    words = CHANNELS[channel]
    choices = recipient_choices(channel, case.uh.contacts if case.uh else {})
    if not form.recipient and not errors and choices:
        form.recipient = choices[0].value
    return templates.TemplateResponse(
        request,
        "messages/message_form.html",
        {
            "title": f"Send {words.a_noun}",
            "channel": channel,
            "words": words,
            "case": case,
            "name": case_name(case),
            "template": template,
            "form": form,
            "choices": choices,
            "OTHER": OTHER,
            "fields": [
                {"id": f"placeholder-{n}", "name": name, "long": is_long_text(name)}
                for n, name in enumerate(template.placeholders, start=1)
            ],
            "errors": errors,
        },
        status_code=400 if errors else 200,
    )


def _router_for(channel: Channel) -> None:
    words = CHANNELS[channel]

    def path(tenancy_ref: str, suffix: str = "") -> str:
        return case_url(tenancy_ref, channel) + suffix

    @router.get(f"/cases/{{tenancy_ref:tenancy_ref}}/{channel}")
    async def message_form(
        request: Request,
        tenancy_ref: str,
        user: CurrentUser,
        income_api: IncomeApiDep,
        comms_api: CommsApiDep,
        templates: Templates,
        template_id: Annotated[str, Query(max_length=100)] = "",
    ) -> Response:
        ensure_can_send(user)
        case, notify_templates = await asyncio.gather(
            income_api.case(user, tenancy_ref), comms_api.templates(user, channel)
        )
        template = _template(notify_templates, template_id)
        if template is None:
            errors = FormErrors()
            if template_id:
                errors.add("template_id", "Choose a template")
            return templates.TemplateResponse(
                request,
                "messages/choose_template.html",
                {
                    "title": f"Choose {words.a_noun} template",
                    "channel": channel,
                    "words": words,
                    "case": case,
                    "name": case_name(case),
                    "notify_templates": notify_templates,
                    "errors": errors,
                },
                status_code=400 if errors else 200,
            )
        form = MessageForm(
            template_id=template.id,
            idempotency_key=new_idempotency_key(),
            values=dict.fromkeys(template.placeholders, "")
            | prefilled(template.placeholders, case),
        )
        return _form_page(request, templates, channel, case, template, form, FormErrors())

    async def _posted(
        request: Request,
        user: CurrentUser,
        tenancy_ref: str,
        income_api: IncomeApiDep,
        comms_api: CommsApiDep,
    ) -> tuple[Case, NotifyTemplate | None, dict[str, str]]:
        ensure_can_send(user)
        posted = await form_values(request)
        case, notify_templates = await asyncio.gather(
            income_api.case(user, tenancy_ref), comms_api.templates(user, channel)
        )
        return case, _template(notify_templates, posted.get("template_id", "")), posted

    @router.post(f"/cases/{{tenancy_ref:tenancy_ref}}/{channel}/preview")
    async def preview_message(
        request: Request,
        tenancy_ref: str,
        user: CurrentUser,
        income_api: IncomeApiDep,
        comms_api: CommsApiDep,
        templates: Templates,
    ) -> Response:
        case, template, posted = await _posted(request, user, tenancy_ref, income_api, comms_api)
        if template is None:
            # Removed from Notify since the form was shown: choose again.
            return RedirectResponse(path(tenancy_ref), 303)
        form = MessageForm.posted(posted, template)
        checked, errors = _check(channel, template, form)
        if checked is None:
            return _form_page(request, templates, channel, case, template, form, errors)
        return templates.TemplateResponse(
            request,
            "messages/preview.html",
            {
                "title": f"Check the {words.noun}",
                "channel": channel,
                "words": words,
                "case": case,
                "name": case_name(case),
                "template": template,
                "form": form,
                "recipient": checked.recipient,
                "subject": render(template.subject, checked.personalisation),
                "body": render(template.body, checked.personalisation),
            },
        )

    @router.post(f"/cases/{{tenancy_ref:tenancy_ref}}/{channel}")
    async def send_message(
        request: Request,
        tenancy_ref: str,
        user: CurrentUser,
        income_api: IncomeApiDep,
        comms_api: CommsApiDep,
        templates: Templates,
    ) -> Response:
        case, template, posted = await _posted(request, user, tenancy_ref, income_api, comms_api)
        if template is None:
            return RedirectResponse(path(tenancy_ref), 303)
        form = MessageForm.posted(posted, template)
        if posted.get("change"):
            return _form_page(request, templates, channel, case, template, form, FormErrors())
        checked, errors = _check(channel, template, form)
        if checked is None:
            return _form_page(request, templates, channel, case, template, form, errors)
        try:
            message = await comms_api.send_message(
                user,
                channel,
                template_id=template.id,
                recipient=checked.recipient,
                personalisation=checked.personalisation,
                tenancy_ref=case.tenancy_ref,
                idempotency_key=form.idempotency_key,
            )
        except InvalidInput as problem:
            fields = {
                f"personalisation.{name}": f"placeholder-{n}"
                for n, name in enumerate(template.placeholders, start=1)
            }
            recipient_field = "other_recipient" if form.recipient == OTHER else "recipient"
            fields |= {"phone_number": recipient_field, "email_address": recipient_field}
            errors = FormErrors.from_api(problem, fields)
            return _form_page(request, templates, channel, case, template, form, errors)
        except Conflict:
            # This form's key already sent a different message (the form was changed after
            # sending, then sent again): a new key, and the person decides.
            form.idempotency_key = new_idempotency_key()
            errors.general.append(
                f"{words.a_noun.capitalize()} was already sent from this form. Check the case "
                "before sending another."
            )
            return _form_page(request, templates, channel, case, template, form, errors)
        return RedirectResponse(
            f"{case_url(case.tenancy_ref)}?{urlencode({'sent': message.id})}", 303
        )


for _channel in CHANNELS:
    _router_for(_channel)


@router.get("/messages/{message_id}")
async def message_status(
    request: Request,
    message_id: CommsId,
    user: CurrentUser,
    comms_api: CommsApiDep,
    templates: Templates,
) -> Response:
    message = await comms_api.message(user, message_id)
    return templates.TemplateResponse(
        request,
        "messages/status.html",
        {"title": f"{message.template_name}: status", "message": message},
    )
