"""Dependencies the routes share: the store, and the caller a Notify token identifies."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Request

from fake_notify.auth import authenticate
from fake_notify.errors import validation_error
from fake_notify.sending import Sender
from fake_notify.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def get_sender(store: StoreDep, authorization: Annotated[str | None, Header()] = None) -> Sender:
    with store.lock:
        service, key = authenticate(authorization, store.services)
    return Sender(service=service, key=key)


SenderDep = Annotated[Sender, Depends(get_sender)]


def root_url(request: Request) -> str:
    """The server's own address with a trailing slash, as Notify builds its links."""
    return str(request.base_url)


def parse_uuid(value: str, field: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as error:
        raise validation_error(f"{field} is not a valid UUID") from error
