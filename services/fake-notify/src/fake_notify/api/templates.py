"""`/v2/template` and `/v2/templates`: read templates, their versions, and previews."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException

from fake_notify.api.deps import SenderDep, StoreDep, parse_uuid
from fake_notify.api.responses import email_html, template_read
from fake_notify.config import TemplateConfig
from fake_notify.domain.placeholders import missing_placeholders, render
from fake_notify.errors import bad_request, no_result_found
from fake_notify.schemas import GET_TEMPLATES, POST_TEMPLATE_PREVIEW, validate

router = APIRouter(tags=["templates"])


def _template(store: StoreDep, sender: SenderDep, template_id: str) -> TemplateConfig:
    template = store.current_template(sender.service.id, parse_uuid(template_id, "id"))
    if template is None:
        raise no_result_found()
    return template


@router.get("/v2/template/{template_id}")
def get_template(template_id: str, store: StoreDep, sender: SenderDep) -> dict[str, Any]:
    return template_read(_template(store, sender, template_id))


@router.get("/v2/template/{template_id}/version/{version}")
def get_template_version(
    template_id: str, version: str, store: StoreDep, sender: SenderDep
) -> dict[str, Any]:
    if not version.isdigit():
        # Notify's route only matches a whole number here.
        raise HTTPException(404)
    template = store.template_version(
        sender.service.id, parse_uuid(template_id, "id"), int(version)
    )
    if template is None:
        raise no_result_found()
    return template_read(template)


@router.post("/v2/template/{template_id}/preview")
async def post_template_preview(
    template_id: str, request: Request, store: StoreDep, sender: SenderDep
) -> dict[str, Any]:
    try:
        form = json.loads(await request.body() or b"{}")
    except ValueError as error:
        raise bad_request("Invalid JSON supplied in POST data") from error
    validate(form, POST_TEMPLATE_PREVIEW)
    template = _template(store, sender, template_id)
    personalisation = form.get("personalisation") or {}
    missing = missing_placeholders([template.subject, template.body], personalisation)
    if missing:
        raise bad_request(f"Missing personalisation: {', '.join(missing)}")
    body = render(template.body, personalisation, markdown_lists=template.type != "sms")
    return {
        "id": str(template.id),
        "type": template.type,
        "version": template.version,
        "body": body,
        "html": email_html(body) if template.type == "email" else None,
        "subject": render(template.subject, personalisation) if template.type != "sms" else None,
        "postage": template.postage if template.type == "letter" else None,
    }


@router.get("/v2/templates")
def get_templates(request: Request, store: StoreDep, sender: SenderDep) -> dict[str, Any]:
    query = dict(request.query_params)
    validate(query, GET_TEMPLATES)
    templates = store.service_templates(sender.service.id)
    if "type" in query:
        templates = [t for t in templates if t.type == query["type"]]
    return {"templates": [template_read(t) for t in templates]}
