"""What the fake knows about: services, their API keys and templates, limits and timings.

Read from the JSON file named by FAKE_NOTIFY_CONFIG, or `default_config()` when there is none.
The default's keys and template ids are fixed so `make run`, comms-api and tests can rely on
them (README.md lists them). They are public: never use them against the real Notify.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

KeyType = Literal["test", "team", "live"]
TemplateType = Literal["sms", "email", "letter"]
Postage = Literal["first", "second", "economy"]
# Notify's service permissions that change what the API accepts.
Permission = Literal[
    "sms", "email", "letter", "international_sms", "sms_to_uk_landlines", "international_letters"
]

TEMPLATES_CREATED_AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

DEFAULT_SERVICE_ID = UUID("8a3c5b1e-2f47-4d6a-9b0c-1e2d3f4a5b6c")
TEST_KEY_NAME = "manage-arrears-local-test"
TEAM_KEY_NAME = "manage-arrears-local-team"
LIVE_KEY_NAME = "manage-arrears-local-live"
# Public on purpose (README.md): they open only this fake.
TEST_KEY_SECRET = "3f1b6a2e-7c4d-4e8f-a9b0-c1d2e3f4a5b1"  # noqa: S105
TEAM_KEY_SECRET = "3f1b6a2e-7c4d-4e8f-a9b0-c1d2e3f4a5b2"  # noqa: S105
LIVE_KEY_SECRET = "3f1b6a2e-7c4d-4e8f-a9b0-c1d2e3f4a5b3"  # noqa: S105
# Ready-made key strings in the `<name>-<service id>-<secret>` form the official client takes.
TEST_API_KEY = f"{TEST_KEY_NAME}-{DEFAULT_SERVICE_ID}-{TEST_KEY_SECRET}"
TEAM_API_KEY = f"{TEAM_KEY_NAME}-{DEFAULT_SERVICE_ID}-{TEAM_KEY_SECRET}"
LIVE_API_KEY = f"{LIVE_KEY_NAME}-{DEFAULT_SERVICE_ID}-{LIVE_KEY_SECRET}"

GREEN_IN_ARREARS_SMS_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e01")
AMBER_IN_ARREARS_SMS_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e02")
CASEWORKER_SMS_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e03")
GREEN_IN_ARREARS_EMAIL_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e04")
CASEWORKER_EMAIL_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e05")
CASEWORKER_LETTER_ID = UUID("c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e06")

# The default service's team: a team key may send only to these.
TEAM_MEMBER_EMAIL = "income.team@example.gov.uk"
TEAM_MEMBER_MOBILE = "07700900456"


def _every_channel() -> list[Permission]:
    return ["sms", "email", "letter"]


def _notify_rate_limits() -> dict[KeyType, int]:
    return {"test": 3000, "team": 3000, "live": 3000}


class _Strict(BaseModel):
    # A typo in a config file should fail loudly, not be ignored.
    model_config = ConfigDict(extra="forbid")


class ApiKeyConfig(_Strict):
    name: str
    secret: str
    type: KeyType
    revoked: bool = False


class TemplateConfig(_Strict):
    id: UUID
    type: TemplateType
    name: str
    body: str
    subject: str | None = None
    version: int = Field(default=1, ge=1)
    postage: Postage | None = None
    letter_contact_block: str | None = None
    archived: bool = False
    created_at: dt.datetime = TEMPLATES_CREATED_AT
    updated_at: dt.datetime | None = None
    created_by: str = "fake-notify@example.gov.uk"


class TeamMember(_Strict):
    email_address: str | None = None
    mobile_number: str | None = None


class SmsSender(_Strict):
    id: UUID
    sms_sender: str


class EmailReplyTo(_Strict):
    id: UUID
    email_address: str


class ServiceConfig(_Strict):
    id: UUID
    name: str
    active: bool = True
    # Trial mode: only the team and guest list may receive, and no letters except by test key.
    restricted: bool = False
    permissions: list[Permission] = Field(default_factory=_every_channel)
    team_members: list[TeamMember] = Field(default_factory=list)
    # Up to five extra phone numbers or email addresses a team key may send to.
    guest_list: list[str] = Field(default_factory=list)
    sms_sender: str = "GOVUK"
    sms_senders: list[SmsSender] = Field(default_factory=list)
    email_from: str = "manage.arrears.local"
    email_reply_to: list[EmailReplyTo] = Field(default_factory=list)
    inbound_number: str = "07700900987"
    keys: list[ApiKeyConfig] = Field(default_factory=list)
    templates: list[TemplateConfig] = Field(default_factory=list)


class DailyLimits(_Strict):
    sms: int = 250_000
    email: int = 250_000
    letter: int = 20_000
    international_sms: int = 100


class Limits(_Strict):
    per_minute: dict[KeyType, int] = Field(default_factory=_notify_rate_limits)
    daily: DailyLimits = Field(default_factory=DailyLimits)
    # A trial-mode service may send this many texts, and as many emails, a day.
    trial_mode_daily: int = 50


class Progression(_Strict):
    """Seconds after creation (or `scheduled_for`) at which a notification moves on."""

    sending_after_seconds: float = Field(default=1.0, ge=0)
    final_after_seconds: float = Field(default=5.0, ge=0)


class ReceivedTextSeed(_Strict):
    service_id: UUID
    user_number: str
    content: str
    notify_number: str | None = None
    created_at: dt.datetime | None = None


class FakeNotifyConfig(_Strict):
    services: list[ServiceConfig]
    limits: Limits = Field(default_factory=Limits)
    progression: Progression = Field(default_factory=Progression)
    page_size: int = Field(default=250, ge=1)
    # Notify keeps message data 7 days; None keeps everything until a reset.
    retention_days: int | None = 7
    received_texts: list[ReceivedTextSeed] = Field(default_factory=list)


def api_key_string(service_id: UUID, key: ApiKeyConfig) -> str:
    return f"{key.name}-{service_id}-{key.secret}"


def default_templates() -> list[TemplateConfig]:
    return [
        TemplateConfig(
            id=GREEN_IN_ARREARS_SMS_ID,
            type="sms",
            name="Green in arrears",
            body=(
                "Your rent account is ((balance)) in arrears. Please pay as soon as you can. "
                "If you need help, call the income team on 020 8356 3100."
            ),
        ),
        TemplateConfig(
            id=AMBER_IN_ARREARS_SMS_ID,
            type="sms",
            name="Amber in arrears",
            body=(
                "Your rent account is ((balance)) in arrears. You must pay now or call the "
                "income team on 020 8356 3100 to agree a plan, or we may take further action."
            ),
        ),
        TemplateConfig(
            id=CASEWORKER_SMS_ID, type="sms", name="Caseworker text", body="((message))"
        ),
        TemplateConfig(
            id=GREEN_IN_ARREARS_EMAIL_ID,
            type="email",
            name="Green in arrears",
            subject="Your rent account is in arrears",
            body=(
                "Your rent account is ((balance)) in arrears.\n\n"
                "Please pay as soon as you can. If you need help, call the income team on "
                "020 8356 3100."
            ),
        ),
        TemplateConfig(
            id=CASEWORKER_EMAIL_ID,
            type="email",
            name="Caseworker email",
            subject="((subject))",
            body="((message))",
        ),
        TemplateConfig(
            id=CASEWORKER_LETTER_ID,
            type="letter",
            name="Caseworker letter",
            subject="((subject))",
            body="((message))",
            postage="second",
            letter_contact_block="Income Collection\nHackney Service Centre\nE8 1DY",
        ),
    ]


def default_config() -> FakeNotifyConfig:
    """One live service with a test, a team and a live key, and the suite's templates."""
    return FakeNotifyConfig(
        services=[
            ServiceConfig(
                id=DEFAULT_SERVICE_ID,
                name="Manage Arrears (local)",
                team_members=[
                    TeamMember(email_address=TEAM_MEMBER_EMAIL, mobile_number=TEAM_MEMBER_MOBILE)
                ],
                keys=[
                    ApiKeyConfig(name=TEST_KEY_NAME, secret=TEST_KEY_SECRET, type="test"),
                    ApiKeyConfig(name=TEAM_KEY_NAME, secret=TEAM_KEY_SECRET, type="team"),
                    ApiKeyConfig(name=LIVE_KEY_NAME, secret=LIVE_KEY_SECRET, type="live"),
                ],
                templates=default_templates(),
            )
        ]
    )


def load_config(path: Path | None) -> FakeNotifyConfig:
    if path is None:
        return default_config()
    return FakeNotifyConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))
