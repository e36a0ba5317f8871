"""Dependencies shared by the routers: the service's parts from app.state, path validation,
and which service area (rent or leasehold) a caller may see and act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from income_api.gateways.outbox import OutboxDispatcher
from income_api.gateways.uh_gateway import UhGateway
from income_api.settings import Settings
from income_api.use_cases.sync import CaseSync, SyncClock
from ma_shared.errors import ErrorDetail, ValidationFailed

TENANCY_REF = re.compile(r"^\d{6,7}/\d{2}$")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _session(request: Request) -> Iterator[Session]:
    with Session(_engine(request), expire_on_commit=False) as session:
        yield session


def _gateway(request: Request) -> UhGateway:
    gateway: UhGateway = request.app.state.uh_gateway
    return gateway


def _sync(request: Request) -> CaseSync:
    sync: CaseSync = request.app.state.sync
    return sync


def _dispatcher(request: Request) -> OutboxDispatcher:
    dispatcher: OutboxDispatcher = request.app.state.dispatcher
    return dispatcher


def _clock(request: Request) -> SyncClock:
    clock: SyncClock = request.app.state.clock
    return clock


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseEngine = Annotated[Engine, Depends(_engine)]
DbSession = Annotated[Session, Depends(_session)]
Gateway = Annotated[UhGateway, Depends(_gateway)]
Sync = Annotated[CaseSync, Depends(_sync)]
Dispatcher = Annotated[OutboxDispatcher, Depends(_dispatcher)]
Clock = Annotated[SyncClock, Depends(_clock)]
AppSettings = Annotated[Settings, Depends(_settings)]


def tenancy_ref_in_path(
    tenancy_ref: Annotated[
        str,
        Path(
            description="Tenancy agreement reference, e.g. `012345/01` (send `/` as `%2F` or "
            "as it is).",
            examples=["012345/01"],
        ),
    ],
) -> str:
    ref = tenancy_ref.strip()
    if not TENANCY_REF.match(ref):
        raise ValidationFailed(
            "The tenancy reference is not valid.",
            details=[
                ErrorDetail(
                    field="tenancy_ref",
                    code="invalid_tenancy_ref",
                    message="A tenancy reference is 6 or 7 digits, '/', 2 digits, e.g. 012345/01.",
                )
            ],
        )
    return ref


TenancyRef = Annotated[str, Depends(tenancy_ref_in_path)]
