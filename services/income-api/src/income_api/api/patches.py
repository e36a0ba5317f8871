"""Patch assignments: which patches a caseworker looks after ("my patches" on the worktray)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from sqlalchemy import delete, select

from income_api.api.deps import DbSession
from income_api.api.schemas import MyPatches, PatchAssignments
from income_api.gateways.tables import PatchAssignment
from ma_shared.auth import Reader, Writer
from ma_shared.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/users/me/patches", tags=["patches"])


def _mine(session: DbSession, email: str) -> MyPatches:
    codes = session.scalars(
        select(PatchAssignment.patch_code)
        .where(PatchAssignment.user_email == email)
        .order_by(PatchAssignment.patch_code)
    )
    return MyPatches(user_email=email, patch_codes=list(codes))


@router.get("", response_model=MyPatches, responses=ERROR_RESPONSES, summary="My patches")
def get_my_patches(session: DbSession, user: Reader) -> MyPatches:
    return _mine(session, user.email)


@router.put("", response_model=MyPatches, responses=ERROR_RESPONSES, summary="Set my patches")
def set_my_patches(session: DbSession, user: Writer, body: PatchAssignments) -> MyPatches:
    now = dt.datetime.now(tz=dt.UTC)
    session.execute(delete(PatchAssignment).where(PatchAssignment.user_email == user.email))
    session.add_all(
        PatchAssignment(user_email=user.email, patch_code=code, created_at=now)
        for code in body.patch_codes
    )
    session.commit()
    return _mine(session, user.email)
