"""What the communications pages (texts, emails, letters, bulk letters, documents) share: who
may send, the idempotency key a form carries, the form's fields, and the banner the case page
shows for what was just sent."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Request

from frontend.domain.roles import can_act
from frontend.gateways.comms_api import CommsApi, Message
from frontend.gateways.errors import InvalidInput, NotAllowed, NotFound, ServiceUnavailable
from frontend.gateways.income_api import Case
from ma_shared.auth import User

# comms-api's ids (messages, documents, batches) are UUIDs; anything else is not a page.
COMMS_ID_PATTERN = r"^[0-9a-fA-F-]{36}$"
CommsId = Annotated[str, Path(pattern=COMMS_ID_PATTERN)]


def ensure_can_send(user: User) -> None:
    if not can_act(user):
        raise NotAllowed("Your account can look at cases but not send anything.")


def new_idempotency_key() -> str:
    """Made when a sending form first renders and carried by it to the send, so a double
    click or a retried post sends once."""
    return f"frontend-{uuid.uuid4()}"


async def form_values(request: Request) -> dict[str, str]:
    """The posted form's text fields (read once already by the CSRF check)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


def case_name(case: Case) -> str:
    tenancy: dict[str, Any] = case.uh.tenancy if case.uh else {}
    return str(tenancy.get("household_name") or case.lessee or case.tenancy_ref)


async def sent_message(
    comms_api: CommsApi, user: User, message_id: str | None, *, tenancy_ref: str
) -> Message | None:
    """The message the case page confirms (`?sent=<id>`), if it is about this case. The case
    page does not depend on comms-api: without an answer it shows no banner."""
    if not message_id:
        return None
    try:
        message = await comms_api.message(user, message_id)
    except (NotFound, ServiceUnavailable, InvalidInput, NotAllowed):
        return None
    return message if message.tenancy_ref == tenancy_ref else None
