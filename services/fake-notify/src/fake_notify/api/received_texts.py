"""`/v2/received-text-messages`: texts sent to the service's inbound number, newest first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fake_notify.api.deps import SenderDep, StoreDep, parse_uuid, root_url
from fake_notify.api.responses import received_text_read
from fake_notify.schemas import GET_RECEIVED_TEXTS, validate

router = APIRouter(tags=["received texts"])


@router.get("/v2/received-text-messages")
def get_received_texts(request: Request, store: StoreDep, sender: SenderDep) -> dict[str, Any]:
    query = dict(request.query_params)
    validate(query, GET_RECEIVED_TEXTS)
    texts = store.service_received_texts(sender.service.id)
    if "older_than" in query:
        older_than_id = parse_uuid(query["older_than"], "older_than")
        position = next((i for i, t in enumerate(texts) if t.id == older_than_id), len(texts))
        texts = texts[position + 1 :]
    page = texts[: store.config.page_size]
    base = f"{root_url(request)}v2/received-text-messages"
    links = {"current": f"{base}?older_than={query['older_than']}" if query else base}
    if page:
        links["next"] = f"{base}?older_than={page[-1].id}"
    return {"received_text_messages": [received_text_read(t) for t in page], "links": links}
