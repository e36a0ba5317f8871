"""`income-api-sync`, as cron or an operator runs it: against a uh-gateway server process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from income_api import cli
from income_api.settings import get_settings
from ma_shared.testing import free_port, refused_port


@pytest.fixture
def gateway_url(uh_database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uh_gateway.main"],
        env={
            **os.environ,
            "PORT": str(port),
            "UH_DATABASE_URL": uh_database_url,
            "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/uh-gateway.sqlite3",
            "LOG_LEVEL": "WARNING",
        },
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v1/healthcheck/ping", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_command_runs_a_full_sync_and_reports_it(
    gateway_url: str,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("UH_GATEWAY_URL", gateway_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CASE_EVENTS_QUEUE_NAME", "")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    try:
        status = cli.main(["--kind", "full_sync"])
    finally:
        get_settings.cache_clear()
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] in {"succeeded", "completed_with_errors"}
    assert status == (0 if summary["status"] == "succeeded" else 1)
    assert summary["accounts_seen"] == summary["cases_created"] > 0
    assert sum(summary["by_recommended_action"].values()) == summary["accounts_seen"]


def test_the_command_fails_loudly_when_the_gateway_is_down(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CASE_EVENTS_QUEUE_NAME", "")
    monkeypatch.setenv("LOG_LEVEL", "CRITICAL")
    get_settings.cache_clear()
    try:
        with refused_port() as port:
            monkeypatch.setenv("UH_GATEWAY_URL", f"http://127.0.0.1:{port}")
            status = cli.main([])
    finally:
        get_settings.cache_clear()
    summary = json.loads(capsys.readouterr().out)
    assert status == 2
    assert summary["status"] == "failed"
    assert "could not be reached" in summary["message"]
