"""The in-process scheduler starts the nightly sync in its hour, by itself."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from fastapi.testclient import TestClient

from income_api.main import create_app
from income_api.settings import Settings


def test_the_nightly_sync_runs_in_its_hour_without_anyone_asking(
    settings: Settings, network: Any, read_only_client: dict[str, str]
) -> None:
    hour = dt.datetime.now(tz=dt.UTC).hour
    app = create_app(
        settings.model_copy(update={"scheduler_enabled": True, "nightly_sync_hour_utc": hour}),
        gateway_transport=network,
    )
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        runs: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            runs = client.get("/api/v1/jobs", headers=read_only_client).json()["results"]
            if runs and runs[0]["status"] != "running":
                break
            time.sleep(0.1)
    assert [(r["kind"], r["triggered_by"]) for r in runs] == [("full_sync", "scheduler")]
    assert runs[0]["accounts_seen"] > 0
