"""comms-api settings (environment variables, with local defaults)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import SecretStr

from ma_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "comms-api"
    database_url: str = "sqlite:///data/comms-api.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8002
    migrate_on_startup: bool = True
    # GOV.UK Notify, or locally the project's fake Notify server (`make run` passes its key).
    notify_base_url: str = "http://127.0.0.1:8004"
    notify_api_key: SecretStr | None = None
    notify_timeout_seconds: float = 10.0
    # Notify's SMS and email templates change rarely: read them at most this often.
    template_cache_seconds: int = 300
    # Sends that failed for a reason that may pass (Notify down, 429) are retried this often;
    # a send found still "sending" after `in_flight_seconds` is checked against Notify by its
    # reference before anything is sent again.
    retry_interval_seconds: int = 30
    in_flight_seconds: int = 120
    worker_enabled: bool = True
    # uh-gateway, for the action diary entry each message sent to a tenancy earns.
    uh_gateway_url: str = "http://127.0.0.1:8003"
    uh_gateway_timeout_seconds: float = 10.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
