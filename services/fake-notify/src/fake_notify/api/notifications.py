"""`/v2/notifications`: send, look up, list, and a letter's PDF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from fake_notify.api.deps import SenderDep, StoreDep, parse_uuid, root_url
from fake_notify.api.responses import notification_read, timestamp
from fake_notify.config import TemplateType
from fake_notify.domain.statuses import expand_status_filter
from fake_notify.errors import NotifyError, bad_request, no_result_found
from fake_notify.schemas import GET_NOTIFICATIONS, validate
from fake_notify.sending import SendResult, send
from fake_notify.store import Notification

router = APIRouter(prefix="/v2/notifications", tags=["notifications"])

_CHANNELS: dict[str, TemplateType] = {"sms": "sms", "email": "email", "letter": "letter"}


def _created(result: SendResult, root: str) -> dict[str, Any]:
    notification = result.notification
    if notification.precompiled:
        return {
            "id": str(notification.id),
            "reference": notification.reference,
            "postage": notification.postage,
        }
    content: dict[str, Any] = {"body": notification.body}
    if notification.notification_type == "sms":
        content["from_number"] = notification.sender
    elif notification.notification_type == "email":
        content["from_email"] = notification.sender
        content["subject"] = notification.subject
        content["one_click_unsubscribe_url"] = notification.one_click_unsubscribe_url
    else:
        content["subject"] = notification.subject
    created: dict[str, Any] = {
        "id": str(notification.id),
        "reference": notification.reference,
        "content": content,
        "uri": f"{root}v2/notifications/{notification.id}",
        "template": {
            "id": str(notification.template_id),
            "version": notification.template_version,
            "uri": f"{root}services/{notification.service_id}/templates/{notification.template_id}",
        },
        "scheduled_for": timestamp(notification.scheduled_for),
    }
    if notification.notification_type == "email":
        created["sanitised_content"] = result.sanitised_content
    return created


@router.post("/{notification_type}", status_code=201)
async def post_notification(
    notification_type: str, request: Request, store: StoreDep, sender: SenderDep
) -> JSONResponse:
    channel = _CHANNELS.get(notification_type)
    if channel is None:
        raise HTTPException(404)
    result = send(store, sender, channel, await request.body())
    return JSONResponse(_created(result, root_url(request)), status_code=201)


def _list_query(request: Request) -> dict[str, Any]:
    """Query arguments as Notify reads them: lists, except the ones allowed only once."""
    query: dict[str, Any] = {}
    for name in request.query_params:
        values = request.query_params.getlist(name)
        single = name in {"older_than", "reference", "include_jobs"}
        query[name] = values[0] if single else values
    return query


def _matches(notification: Notification, query: dict[str, Any], statuses: frozenset[str]) -> bool:
    if "template_type" in query and notification.notification_type not in query["template_type"]:
        return False
    if statuses and notification.status not in statuses:
        return False
    return "reference" not in query or notification.reference == query["reference"]


@router.get("")
def get_notifications(request: Request, store: StoreDep, sender: SenderDep) -> dict[str, Any]:
    query = _list_query(request)
    validate(query, GET_NOTIFICATIONS)
    statuses = expand_status_filter(query.get("status", []))
    with store.lock:
        candidates = [
            n
            for n in store.all()
            if n.service_id == sender.service.id and n.key_type == sender.key.type
        ]
        if "older_than" in query:
            older_than = store.notifications.get(parse_uuid(query["older_than"], "older_than"))
            # An unknown id matches nothing, as Notify's "created before" subquery does.
            cut_off = older_than.sequence if older_than is not None else 0
            candidates = [n for n in candidates if n.sequence < cut_off]
        page = [n for n in candidates if _matches(n, query, statuses)][: store.config.page_size]
    root = root_url(request)
    base = f"{root}v2/notifications"
    pairs = [
        (name, value)
        for name, values in query.items()
        if name != "older_than"
        for value in (values if isinstance(values, list) else [values])
    ]
    current_pairs = pairs + ([("older_than", query["older_than"])] if "older_than" in query else [])
    links = {"current": f"{base}?{urlencode(current_pairs)}" if current_pairs else base}
    if page:
        links["next"] = f"{base}?{urlencode([*pairs, ('older_than', str(page[-1].id))])}"
    return {"notifications": [notification_read(n, root) for n in page], "links": links}


def _own_notification(store: StoreDep, sender: SenderDep, notification_id: str) -> Notification:
    notification = store.get(parse_uuid(notification_id, "notification_id"))
    # By id, any key type's notification is found, but never another service's.
    if notification is None or notification.service_id != sender.service.id:
        raise no_result_found()
    return notification


@router.get("/{notification_id}")
def get_notification(
    notification_id: str, request: Request, store: StoreDep, sender: SenderDep
) -> dict[str, Any]:
    notification = _own_notification(store, sender, notification_id)
    return notification_read(notification, root_url(request))


@router.get("/{notification_id}/pdf")
def get_pdf_for_letter(notification_id: str, store: StoreDep, sender: SenderDep) -> Response:
    notification = _own_notification(store, sender, notification_id)
    if notification.notification_type != "letter":
        raise bad_request("Notification is not a letter")
    if notification.status == "virus-scan-failed":
        raise bad_request("File did not pass the virus scan")
    if notification.status == "technical-failure":
        raise bad_request(f"PDF not available for letters in status {notification.status}")
    if notification.status == "pending-virus-check" or notification.pdf is None:
        raise NotifyError(400, [("PDFNotReadyError", "PDF not available yet, try again later")])
    return Response(notification.pdf, media_type="application/pdf")
