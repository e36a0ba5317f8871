"""`GET /api/v1/healthcheck/ping`: no token needed; 200 when every required dependency answers,
503 (with which one failed) when one does not."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text

HEALTH_PATH = "/api/v1/healthcheck/ping"
HealthCheck = Callable[[], Awaitable[None]]


class CheckResult(BaseModel):
    status: str = Field(description="`healthy` or `unhealthy`.")
    duration_ms: float = Field(description="How long the check took.")
    error: str | None = Field(default=None, description="Kind of failure, no internals.")


class HealthReport(BaseModel):
    status: str = Field(description="`healthy` or `unhealthy`.")
    service: str = Field(description="Which service answered.")
    version: str = Field(description="The service's version.")
    checks: dict[str, CheckResult] = Field(description="Each dependency checked, by name.")


async def _run(check: HealthCheck, timeout: float) -> CheckResult:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout)
        status, error = "healthy", None
    except Exception as exc:
        status, error = "unhealthy", type(exc).__name__
    return CheckResult(
        status=status, duration_ms=round((time.perf_counter() - started) * 1000, 1), error=error
    )


def health_router(
    service: str, version: str, checks: Mapping[str, HealthCheck], timeout: float = 2.0
) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get(
        HEALTH_PATH,
        response_model=HealthReport,
        summary="Is the service up and can it reach what it needs?",
        responses={503: {"model": HealthReport, "description": "A dependency failed."}},
    )
    async def ping() -> JSONResponse:
        results = dict(
            zip(
                checks,
                await asyncio.gather(*(_run(c, timeout) for c in checks.values())),
                strict=True,
            )
        )
        healthy = all(r.status == "healthy" for r in results.values())
        report = HealthReport(
            status="healthy" if healthy else "unhealthy",
            service=service,
            version=version,
            checks=results,
        )
        return JSONResponse(report.model_dump(mode="json"), status_code=200 if healthy else 503)

    return router


def database_check(engine: Engine) -> HealthCheck:
    """Healthy when the database answers a trivial query."""

    def select_one() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    async def check() -> None:
        await asyncio.to_thread(select_one)

    return check
