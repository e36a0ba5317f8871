"""Settings every service shares, read from environment variables by pydantic-settings.

Every value has a default that works on a developer's machine; production refuses the
development secrets (see `ServiceSettings.refuse_dev_secrets_outside_dev`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Documented in README.md: anyone can mint a token with it, so it is refused unless AUTH_MODE=dev.
DEV_JWT_SECRET = "manage-arrears-dev-secret-not-for-production"  # noqa: S105
DEV_SERVICE_JWT_SECRET = "manage-arrears-dev-service-secret-not-for-production"  # noqa: S105


class AuthMode(StrEnum):
    DEV = "dev"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    """Base for each service's Settings; subclasses add their own fields."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "manage-arrears"
    environment: str = "local"
    auth_mode: AuthMode = AuthMode.DEV
    hackney_jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    service_jwt_secret: SecretStr = SecretStr(DEV_SERVICE_JWT_SECRET)
    # Exact group names a role is granted by are configured here; see ma_shared.auth for the
    # rule (a group *containing* "income"/"leasehold" makes a caseworker, as Hackney did).
    team_leader_groups: list[str] = Field(default=["manage-arrears-team-leaders"])
    read_only_groups: list[str] = Field(default=["manage-arrears-api-read-only"])
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def refuse_dev_secrets_outside_dev(self) -> Self:
        if self.auth_mode is not AuthMode.DEV:
            dev_secrets = {DEV_JWT_SECRET, DEV_SERVICE_JWT_SECRET}
            if {
                self.hackney_jwt_secret.get_secret_value(),
                self.service_jwt_secret.get_secret_value(),
            } & dev_secrets:
                raise ValueError(
                    "HACKNEY_JWT_SECRET and SERVICE_JWT_SECRET must be set when AUTH_MODE is "
                    "not 'dev': the development secrets are public"
                )
        return self
