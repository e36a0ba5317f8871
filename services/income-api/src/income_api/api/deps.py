"""Dependencies shared by the routers: the service's parts, from app.state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from income_api.gateways.outbox import OutboxDispatcher
from income_api.gateways.uh_gateway import UhGateway
from income_api.use_cases.sync import CaseSync, SyncClock


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


DatabaseEngine = Annotated[Engine, Depends(_engine)]
DbSession = Annotated[Session, Depends(_session)]
Gateway = Annotated[UhGateway, Depends(_gateway)]
Sync = Annotated[CaseSync, Depends(_sync)]
Dispatcher = Annotated[OutboxDispatcher, Depends(_dispatcher)]
Clock = Annotated[SyncClock, Depends(_clock)]
