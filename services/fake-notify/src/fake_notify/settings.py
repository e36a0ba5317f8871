"""fake-notify settings (environment variables, with local defaults)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ma_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "fake-notify"
    host: str = "127.0.0.1"
    port: int = 8004
    # FAKE_NOTIFY_CONFIG: a JSON file of services, keys, templates and limits
    # (see config.FakeNotifyConfig); without one the built-in local config is used.
    fake_notify_config: Path | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
