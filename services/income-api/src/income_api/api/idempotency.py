"""`Idempotency-Key` on income-api's writes: sent with a key, a write happens once however
often it is repeated (a double-clicked button, a retry after a timeout), and a repeat gets
the first response back, marked `Idempotent-Replayed: true`. Without a key a write simply runs.

A route takes `once: OncePerKey` and hands it the write, which must commit in the request's
`DbSession` (the key's claim commits with it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from income_api.api.deps import DatabaseEngine, DbSession
from income_api.gateways import idempotency
from ma_shared.auth import User
from ma_shared.errors import Conflict
from ma_shared.http_client import IDEMPOTENCY_HEADER

# A repeat that arrives while the first request is still writing waits this long for its
# answer (a write re-classifies the case, which takes a moment).
WAIT_FOR_FIRST_SECONDS = 10.0
POLL_SECONDS = 0.1

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        min_length=8,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Optional: a unique key per intended write (e.g. a UUID made when a form "
        "is shown). Repeating the request with the same key never writes twice: the first "
        "response is returned again. The same key with a different request is a 409.",
    ),
]

Write = Callable[[], Awaitable[tuple[int, BaseModel]]]


class Once:
    def __init__(
        self, *, request: Request, session: DbSession, engine: Engine, key: str | None
    ) -> None:
        self._request = request
        self._session = session
        self._engine = engine
        self._key = key

    async def run(self, user: User, body: BaseModel | None, write: Write) -> JSONResponse:
        """`write` returns the status and the response model of a first request."""
        if self._key is None:
            status_code, result = await write()
            return JSONResponse(result.model_dump(mode="json"), status_code=status_code)
        key, caller = self._key, user.sub
        fingerprint = idempotency.request_fingerprint(
            self._request.method,
            self._request.url.path,
            # What was sent: a PATCH's `null` and a field left out are different requests.
            body.model_dump(mode="json", exclude_unset=True) if body is not None else None,
        )
        replay = await self._replay(caller, key, fingerprint)
        if replay is not None:
            return replay
        now = dt.datetime.now(tz=dt.UTC)
        idempotency.claim(self._session, caller=caller, key=key, fingerprint=fingerprint, now=now)
        try:
            status_code, result = await write()
        except IntegrityError:
            # The same key committed first by a request racing this one: answer as it did.
            self._session.rollback()
            replay = await self._replay(caller, key, fingerprint)
            if replay is None:
                raise
            return replay
        payload = result.model_dump(mode="json")
        await asyncio.to_thread(
            idempotency.record_response,
            self._engine,
            caller=caller,
            key=key,
            status_code=status_code,
            body=payload,
            now=now,
        )
        return JSONResponse(payload, status_code=status_code)

    async def _replay(self, caller: str, key: str, fingerprint: str) -> JSONResponse | None:
        deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
        while True:
            found = await asyncio.to_thread(idempotency.find, self._engine, caller=caller, key=key)
            if found is None:
                return None
            if found.fingerprint != fingerprint:
                raise Conflict(
                    "This Idempotency-Key was already used for a different request; use a new "
                    "key for a new write.",
                    code="idempotency_key_reused",
                )
            if found.status_code is not None and found.body is not None:
                return JSONResponse(
                    found.body,
                    status_code=found.status_code,
                    headers={"Idempotent-Replayed": "true"},
                )
            if time.monotonic() >= deadline:
                raise Conflict(
                    "A request with this Idempotency-Key was accepted but has not answered "
                    "yet; look at the case before trying again.",
                    code="idempotent_request_in_progress",
                )
            await asyncio.sleep(POLL_SECONDS)


def _once(
    request: Request, session: DbSession, engine: DatabaseEngine, key: IdempotencyKey = None
) -> Once:
    return Once(request=request, session=session, engine=engine, key=key)


OncePerKey = Annotated[Once, Depends(_once)]
