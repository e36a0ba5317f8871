"""frontend settings (environment variables, with local defaults)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import SecretStr, model_validator

from ma_shared.settings import AuthMode, ServiceSettings

# Signs the CSRF tokens of forms. Public, so refused unless AUTH_MODE=dev, like the JWT secrets.
DEV_FORM_SECRET = "manage-arrears-dev-form-secret-not-for-production"  # noqa: S105
ROOT = Path(__file__).resolve().parents[4]


class Settings(ServiceSettings):
    service_name: str = "frontend"
    host: str = "127.0.0.1"
    port: int = 8000
    income_api_url: str = "http://127.0.0.1:8001"
    comms_api_url: str = "http://127.0.0.1:8002"
    # A page waits this long for an API before saying the service is unavailable.
    api_timeout_seconds: float = 10.0
    form_secret: SecretStr = SecretStr(DEV_FORM_SECRET)
    # GOV.UK Frontend's compiled assets, installed by `npm ci` from the root package.json.
    govuk_frontend_dir: Path = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    # Where "Sign in" sends people outside AUTH_MODE=dev: Hackney's auth service, which sets
    # the hackneyToken cookie and sends them back.
    sign_in_url: str = "https://auth.hackney.gov.uk/auth"
    # Cookies only over HTTPS; off locally, where the app is served over plain HTTP.
    secure_cookies: bool = False

    @model_validator(mode="after")
    def refuse_dev_form_secret_outside_dev(self) -> Self:
        if self.auth_mode is not AuthMode.DEV and (
            self.form_secret.get_secret_value() == DEV_FORM_SECRET
        ):
            raise ValueError("FORM_SECRET must be set when AUTH_MODE is not 'dev'.")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
