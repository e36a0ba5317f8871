"""uh-gateway settings (environment variables, with local defaults)."""

from __future__ import annotations

from functools import lru_cache

from ma_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "uh-gateway"
    # The UH database. Locally a simulator on SQLite built by `uh-gateway-seed`.
    uh_database_url: str = "sqlite:///data/uh.sqlite3"
    # The gateway's own small database (idempotency records for writes). Never UH itself:
    # UH's schema must not be changed.
    gateway_database_url: str = "sqlite:///data/uh-gateway.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8003
    # Locally the gateway brings its own database up to date as it starts; in production
    # migrations run as a deployment step instead.
    migrate_on_startup: bool = True
    # How long a write's Idempotency-Key is remembered.
    idempotency_retention_days: int = 30
    max_page_size: int = 1000


@lru_cache
def get_settings() -> Settings:
    return Settings()
