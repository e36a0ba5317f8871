"""`/_fake/`: the unauthenticated admin API for tests and local use (never part of Notify).

Inspect what was "sent", reset, force a status, move time on, change limits and timings,
add templates, services and keys, and seed received texts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from fake_notify.api.deps import StoreDep, root_url
from fake_notify.api.responses import received_text_read, template_read, timestamp
from fake_notify.config import (
    ApiKeyConfig,
    KeyType,
    Postage,
    Progression,
    ServiceConfig,
    TemplateConfig,
    TemplateType,
    api_key_string,
)
from fake_notify.domain.statuses import Status, public_status
from fake_notify.store import Notification, Store

router = APIRouter(prefix="/_fake", tags=["admin (fake only)"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusUpdate(_Body):
    status: Status


class Progress(_Body):
    notification_id: UUID | None = None


class ClockAdvance(_Body):
    seconds: float = Field(gt=0)


class LimitsUpdate(_Body):
    per_minute: dict[KeyType, int] | None = None
    daily: dict[str, int] | None = Field(
        default=None, description="Any of sms, email, letter, international_sms."
    )
    trial_mode_daily: int | None = None
    page_size: int | None = Field(default=None, ge=1)


class TemplatePut(_Body):
    service_id: UUID | None = Field(
        default=None, description="Defaults to the template's current service, else the first."
    )
    type: TemplateType
    name: str
    body: str
    subject: str | None = None
    version: int = Field(default=1, ge=1)
    postage: Postage | None = None
    letter_contact_block: str | None = None
    archived: bool = False


class KeyCreate(_Body):
    name: str
    type: KeyType
    secret: str | None = Field(default=None, description="A fresh UUID when omitted.")
    revoked: bool = False


class ReceivedTextCreate(_Body):
    service_id: UUID
    user_number: str
    content: str
    notify_number: str | None = None
    created_at: dt.datetime | None = None


def _admin_read(notification: Notification, root: str) -> dict[str, Any]:
    return {
        "id": str(notification.id),
        "service_id": str(notification.service_id),
        "api_key_name": notification.api_key_name,
        "key_type": notification.key_type,
        "type": notification.notification_type,
        "status": notification.status,
        "public_status": public_status(notification.notification_type, notification.status),
        "forced": notification.forced,
        "template_id": str(notification.template_id),
        "template_version": notification.template_version,
        "recipient": notification.recipient,
        "normalised_recipient": notification.normalised_recipient,
        "personalisation": notification.personalisation,
        "reference": notification.reference,
        "body": notification.body,
        "subject": notification.subject,
        "sender": notification.sender,
        "postage": notification.postage,
        "address_lines": notification.address_lines,
        "precompiled": notification.precompiled,
        "validation_failure": notification.validation_failure,
        "pdf_url": f"{root}_fake/notifications/{notification.id}/pdf"
        if notification.pdf is not None
        else None,
        "created_at": timestamp(notification.created_at),
        "scheduled_for": timestamp(notification.scheduled_for),
        "sent_at": timestamp(notification.sent_at),
        "completed_at": timestamp(notification.completed_at),
    }


def _notification(store: Store, notification_id: UUID) -> Notification:
    notification = store.get(notification_id)
    if notification is None:
        raise HTTPException(404, f"No notification {notification_id}")
    return notification


@router.get("/notifications", summary="Everything stored, newest first, every key type")
def list_sent(
    request: Request,
    store: StoreDep,
    type: TemplateType | None = None,
    reference: str | None = None,
    key_type: KeyType | None = None,
    service_id: UUID | None = None,
) -> dict[str, Any]:
    chosen = [
        n
        for n in store.all()
        if (type is None or n.notification_type == type)
        and (reference is None or n.reference == reference)
        and (key_type is None or n.key_type == key_type)
        and (service_id is None or n.service_id == service_id)
    ]
    root = root_url(request)
    return {"notifications": [_admin_read(n, root) for n in chosen]}


@router.get("/notifications/{notification_id}")
def inspect_sent(notification_id: UUID, request: Request, store: StoreDep) -> dict[str, Any]:
    return _admin_read(_notification(store, notification_id), root_url(request))


@router.get("/notifications/{notification_id}/pdf", summary="A letter's PDF bytes, at any status")
def download_pdf(notification_id: UUID, store: StoreDep) -> Response:
    notification = _notification(store, notification_id)
    if notification.pdf is None:
        raise HTTPException(404, "Not a letter")
    return Response(notification.pdf, media_type="application/pdf")


@router.post("/notifications/{notification_id}/status", summary="Force any status")
def force_status(
    notification_id: UUID, update: StatusUpdate, request: Request, store: StoreDep
) -> dict[str, Any]:
    _notification(store, notification_id)
    notification = store.force_status(notification_id, update.status)
    return _admin_read(notification, root_url(request))


@router.post("/progress", summary="Move one notification, or all, to their final status now")
def progress(store: StoreDep, body: Progress | None = None) -> dict[str, int]:
    notification_id = body.notification_id if body else None
    if notification_id is not None:
        _notification(store, notification_id)
    return {"progressed": store.hurry(notification_id)}


@router.post("/advance-time", summary="Move the fake's clock forward")
def advance_time(advance: ClockAdvance, store: StoreDep) -> dict[str, Any]:
    store.advance_clock(advance.seconds)
    return {"now": timestamp(store.now())}


@router.post("/reset", status_code=204, summary="Back to start-up: loaded config, nothing sent")
def reset(store: StoreDep) -> Response:
    store.reset()
    return Response(status_code=204)


@router.get("/config", summary="The configuration in force, with ready-made API key strings")
def get_config(store: StoreDep) -> dict[str, Any]:
    with store.lock:
        config = store.config.model_dump(mode="json", exclude={"services", "received_texts"})
        config["services"] = [
            {
                **service.model_dump(mode="json", exclude={"templates"}),
                "api_keys": {key.name: api_key_string(service.id, key) for key in service.keys},
                "templates": [template_read(t) for t in store.service_templates(service.id)],
            }
            for service in store.services.values()
        ]
        return config


@router.put("/limits", summary="Change rate and daily limits or the list page size")
def put_limits(update: LimitsUpdate, store: StoreDep) -> dict[str, Any]:
    with store.lock:
        limits = store.config.limits
        if update.per_minute:
            limits.per_minute.update(update.per_minute)
        if update.daily:
            unknown = set(update.daily) - set(type(limits.daily).model_fields)
            if unknown:
                raise HTTPException(400, f"Unknown daily limits: {', '.join(sorted(unknown))}")
            limits.daily = limits.daily.model_copy(update=update.daily)
        if update.trial_mode_daily is not None:
            limits.trial_mode_daily = update.trial_mode_daily
        if update.page_size is not None:
            store.config.page_size = update.page_size
        return {**limits.model_dump(mode="json"), "page_size": store.config.page_size}


@router.put("/progression", summary="Change how many seconds each status step takes")
def put_progression(progression: Progression, store: StoreDep) -> Progression:
    with store.lock:
        store.config.progression = progression
    return progression


@router.put("/templates/{template_id}", summary="Add a template or save a new version")
def put_template(template_id: UUID, template: TemplatePut, store: StoreDep) -> dict[str, Any]:
    with store.lock:
        service_id = (
            template.service_id
            or store.template_service.get(template_id)
            or next(iter(store.services))
        )
        if service_id not in store.services:
            raise HTTPException(404, f"No service {service_id}")
        saved = store.put_template(
            service_id,
            TemplateConfig(
                id=template_id,
                created_at=store.now(),
                **template.model_dump(exclude={"service_id"}),
            ),
        )
    return template_read(saved)


@router.put("/services/{service_id}", summary="Add or replace a service, its keys and templates")
def put_service(service_id: UUID, service: ServiceConfig, store: StoreDep) -> dict[str, str]:
    if service.id != service_id:
        raise HTTPException(400, "The body's id must match the path")
    store.put_service(service)
    return {key.name: api_key_string(service.id, key) for key in service.keys}


@router.post("/services/{service_id}/keys", status_code=201, summary="Add (or replace) an API key")
def add_key(service_id: UUID, key: KeyCreate, store: StoreDep) -> dict[str, Any]:
    if service_id not in store.services:
        raise HTTPException(404, f"No service {service_id}")
    created = ApiKeyConfig(
        name=key.name, type=key.type, secret=key.secret or str(uuid4()), revoked=key.revoked
    )
    store.add_key(service_id, created)
    return {
        "name": created.name,
        "type": created.type,
        "revoked": created.revoked,
        "api_key": api_key_string(service_id, created),
    }


@router.post("/received-texts", status_code=201, summary="Seed a text sent to the service")
def seed_received_text(text: ReceivedTextCreate, store: StoreDep) -> dict[str, Any]:
    if text.service_id not in store.services:
        raise HTTPException(404, f"No service {text.service_id}")
    created = store.add_received_text(
        text.service_id,
        user_number=text.user_number,
        content=text.content,
        notify_number=text.notify_number,
        created_at=text.created_at,
    )
    return received_text_read(created)
