"""Dependencies shared by the routers: the gateways, path validation, idempotent writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from uh_gateway.gateways.idempotency import IdempotencyStore, request_fingerprint
from uh_gateway.gateways.uh_criteria import UhCriteria
from uh_gateway.gateways.uh_reads import UhReads
from uh_gateway.gateways.uh_writes import UhWrites


def _reads(request: Request) -> UhReads:
    reads: UhReads = request.app.state.uh_reads
    return reads


def _writes(request: Request) -> UhWrites:
    writes: UhWrites = request.app.state.uh_writes
    return writes


def _criteria(request: Request) -> UhCriteria:
    criteria: UhCriteria = request.app.state.uh_criteria
    return criteria


def _idempotency(request: Request) -> IdempotencyStore:
    store: IdempotencyStore = request.app.state.idempotency
    return store


Reads = Annotated[UhReads, Depends(_reads)]
Writes = Annotated[UhWrites, Depends(_writes)]
Criteria = Annotated[UhCriteria, Depends(_criteria)]
Idempotency = Annotated[IdempotencyStore, Depends(_idempotency)]


IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique key per intended write (e.g. a UUID). Retrying with the same key "
        "never writes twice: the first response is returned again.",
    ),
]


def run_idempotently(
    *,
    store: IdempotencyStore,
    key: str,
    request: Request,
    body: BaseModel | None,
    write: Callable[[], tuple[int, BaseModel]],
) -> JSONResponse:
    """Answer a write once per key: a retry gets the stored response, marked as a replay."""
    fingerprint = request_fingerprint(
        request.method,
        request.url.path,
        body.model_dump(mode="json") if body is not None else None,
    )
    stored = store.replay(key, fingerprint)
    if stored is not None:
        return JSONResponse(
            stored.body, status_code=stored.status_code, headers={"Idempotent-Replayed": "true"}
        )
    status_code, response = write()
    payload: Any = response.model_dump(mode="json")
    store.remember(key, fingerprint, status_code, payload)
    return JSONResponse(payload, status_code=status_code)
