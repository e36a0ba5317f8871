"""income-api (docs/income-api.md): the worktray, cases, UH records read through it, search and
patches. The models hold what the pages use; other fields are ignored, so income-api can add
fields without breaking a page."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from frontend.gateways.api_client import ApiClient
from ma_shared.auth import User
from ma_shared.http_client import ServiceClient
from ma_shared.vocabulary import ServiceArea

# Patches change a few times a year; the worktray's filter reads them on every page.
PATCHES_CACHE_SECONDS = 300.0
# The CSV export reads the worktray this many cases a request (income-api allows 500).
EXPORT_PAGE_SIZE = 500
JOB_RUNS_PER_PAGE = 20


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Pause(Model):
    until: dt.datetime
    reason: str | None = None
    comment: str | None = None
    paused_by: str | None = None


class CaseSummary(Model):
    """A worktray row."""

    tenancy_ref: str
    service_area: ServiceArea
    payment_ref: str | None = None
    patch_code: str | None = None
    balance: Decimal
    collectable_arrears: Decimal | None = None
    weekly_gross_rent: Decimal | None = None
    weeks_of_rent_owed: Decimal | None = None
    days_since_last_payment: int | None = None
    last_payment_date: dt.date | None = None
    recommended_action: str
    classification_reason: str
    classification_changed_at: dt.datetime | None = None
    last_communication_action: str | None = None
    last_communication_date: dt.datetime | None = None
    nosp_served_date: dt.date | None = None
    court_date: dt.datetime | None = None
    court_outcome: str | None = None
    eviction_date: dt.date | None = None
    agreement_state: str | None = None
    pause: Pause | None = None
    has_vulnerability: bool = False
    tenure_type: str | None = None
    lessee: str | None = None
    property_address: str | None = None
    direct_debit_status: str | None = None
    latest_letter: str | None = None
    latest_letter_date: dt.datetime | None = None


class CasePage(Model):
    results: list[CaseSummary]
    page: int
    per_page: int
    total_count: int
    number_of_pages: int


class Classification(Model):
    recommended_action: str
    rule: str
    reason: str
    changed_at: dt.datetime
    previous_recommended_action: str | None = None


class Nosp(Model):
    served_date: dt.date | None = None
    expires_date: dt.date | None = None
    valid_until_date: dt.date | None = None
    in_cool_off_period: bool = False
    valid: bool = False
    active: bool = False


class AgreementState(Model):
    state: str
    expected_balance: Decimal | None = None
    checked_balance: Decimal | None = None
    description: str
    created_at: dt.datetime


class Agreement(Model):
    id: int
    agreement_type: str
    starting_balance: Decimal
    amount: Decimal
    frequency: str
    start_date: dt.date
    initial_payment_amount: Decimal | None = None
    initial_payment_date: dt.date | None = None
    current_state: str
    court_case_id: int | None = None
    notes: str = ""
    created_by: str
    created_at: dt.datetime
    cancelled_by: str | None = None
    cancellation_reason: str | None = None
    last_checked_at: dt.datetime | None = None
    history: list[AgreementState] = Field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.current_state in {"live", "breached"}


class CourtCase(Model):
    id: int
    court_date: dt.datetime | None = None
    court_outcome: str | None = None
    court_outcome_description: str | None = None
    balance_on_court_outcome_date: Decimal | None = None
    strike_out_date: dt.date | None = None
    terms: bool | None = None
    disrepair_counter_claim: bool | None = None
    created_by: str
    created_at: dt.datetime


class Eviction(Model):
    id: int
    date: dt.date
    created_by: str
    created_at: dt.datetime


class Vulnerability(Model):
    id: int
    category: str
    note: str
    review_date: dt.date
    review_due: bool = False
    recorded_by: str
    recorded_at: dt.datetime
    ended_at: dt.datetime | None = None


class PendingDiaryWrite(Model):
    action_code: str
    comment: str
    status: str
    created_at: dt.datetime


class UhRecords(Model):
    """UH's records as uh-gateway returns them (docs/uh-gateway.md), read live."""

    tenancy: dict[str, Any]
    transactions: dict[str, Any]
    action_diary: dict[str, Any]
    contacts: dict[str, Any]


class Case(CaseSummary):
    classification: Classification
    nosp: Nosp
    money_judgement: Decimal | None = None
    charging_order: Decimal | None = None
    balance_in_dispute: Decimal | None = None
    direct_debit_amount: Decimal | None = None
    synced_at: dt.datetime
    agreements: list[Agreement] = Field(default_factory=list)
    court_cases: list[CourtCase] = Field(default_factory=list)
    evictions: list[Eviction] = Field(default_factory=list)
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    pending_diary_writes: list[PendingDiaryWrite] = Field(default_factory=list)
    uh: UhRecords | None = None


class UhPage(Model):
    results: list[dict[str, Any]]
    next_cursor: str | None = None


class TenancySearchResult(Model):
    tenancy_ref: str
    payment_ref: str | None = None
    service_area: ServiceArea
    tenure: str | None = None
    tenant_names: str | None = None
    short_address: str | None = None
    postcode: str | None = None
    current_balance: Decimal
    terminated: bool = False
    has_case: bool = False


class TenancySearchPage(Model):
    results: list[TenancySearchResult]
    page: int
    page_size: int
    total: int


class Patch(Model):
    code: str
    name: str
    service_area: ServiceArea


class MyPatches(Model):
    patch_codes: list[str]


class JobRunError(Model):
    tenancy_ref: str
    message: str


class JobRun(Model):
    """A sync's job run (docs/income-api.md "Job runs")."""

    id: str
    kind: str
    status: str
    triggered_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    seconds: float | None = None
    accounts_seen: int = 0
    cases_created: int = 0
    cases_changed: int = 0
    cases_deleted: int = 0
    classification_changes: int = 0
    agreements_checked: int = 0
    agreements_breached: int = 0
    by_recommended_action: dict[str, int] = Field(default_factory=dict)
    error_count: int = 0
    errors: list[JobRunError] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    message: str | None = None

    @property
    def is_running(self) -> bool:
        return self.status == "running"


class JobRunPage(Model):
    results: list[JobRun]
    page: int
    per_page: int
    total_count: int
    number_of_pages: int


class SyncStarted(Model):
    job_run_id: str


class PatchArrears(Model):
    patch_code: str | None = None
    case_count: int
    collectable_arrears: Decimal


class CasesByPatch(Model):
    service_area: ServiceArea
    case_count: int
    collectable_arrears: Decimal
    results: list[PatchArrears]


class ActionCases(Model):
    recommended_action: str
    case_count: int
    collectable_arrears: Decimal


class CasesByAction(Model):
    service_area: ServiceArea
    case_count: int
    collectable_arrears: Decimal
    results: list[ActionCases]


class ActionChangeCount(Model):
    recommended_action: str
    case_count: int


class ActionChanges(Model):
    service_area: ServiceArea
    since: dt.datetime
    case_count: int
    results: list[ActionChangeCount]


class WriteResult(Model):
    """A write that reaches UH: `written`, or `queued` when UH cannot be reached now (income-api
    retries it until UH has it)."""

    status: str

    @property
    def queued(self) -> bool:
        return self.status == "queued"


class Contact(Model):
    id: int
    name: str | None = None
    mobile_phone: str | None = None
    home_phone: str | None = None
    work_phone: str | None = None
    email_address: str | None = None


def case_path(tenancy_ref: str) -> str:
    return f"/api/v1/cases/{tenancy_ref}"


class IncomeApi(ApiClient):
    def __init__(self, client: ServiceClient) -> None:
        super().__init__(client)
        self._patches: dict[ServiceArea, tuple[float, list[Patch]]] = {}

    async def cases(self, user: User, params: dict[str, str]) -> CasePage:
        return await self.get_model(CasePage, "/api/v1/cases", user=user, params=params)

    async def all_cases(self, user: User, params: dict[str, str]) -> AsyncIterator[CaseSummary]:
        """Every case of a worktray view, read a page at a time (for the CSV export)."""
        page = 1
        while True:
            batch = await self.cases(
                user, {**params, "page": str(page), "per_page": str(EXPORT_PAGE_SIZE)}
            )
            for case in batch.results:
                yield case
            if page >= batch.number_of_pages:
                return
            page += 1

    async def case(self, user: User, tenancy_ref: str, *, include_uh: bool = True) -> Case:
        # The timeline reads transactions and diary entries itself, by week.
        params: dict[str, str | int] = {
            "include_uh": str(include_uh).lower(),
            "transactions": 1,
            "diary_entries": 1,
        }
        return await self.get_model(Case, case_path(tenancy_ref), user=user, params=params)

    async def transactions(
        self,
        user: User,
        tenancy_ref: str,
        *,
        limit: int,
        cursor: str | None = None,
        posted_from: dt.date | None = None,
        posted_to: dt.date | None = None,
    ) -> UhPage:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if posted_from:
            params["from"] = posted_from.isoformat()
        if posted_to:
            params["to"] = posted_to.isoformat()
        return await self.get_model(
            UhPage, f"{case_path(tenancy_ref)}/transactions", user=user, params=params
        )

    async def action_diary(
        self, user: User, tenancy_ref: str, *, limit: int, cursor: str | None = None
    ) -> UhPage:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return await self.get_model(
            UhPage, f"{case_path(tenancy_ref)}/action-diary", user=user, params=params
        )

    async def search(self, user: User, q: str, *, page: int, page_size: int) -> TenancySearchPage:
        return await self.get_model(
            TenancySearchPage,
            "/api/v1/tenancies",
            user=user,
            params={"q": q, "page": page, "page_size": page_size},
        )

    async def patches(self, user: User, service_area: ServiceArea) -> list[Patch]:
        cached = self._patches.get(service_area)
        if cached and time.monotonic() - cached[0] < PATCHES_CACHE_SECONDS:
            return cached[1]
        body = await self.get("/api/v1/patches", user=user, params={"service_area": service_area})
        patches = [self.read(Patch, item) for item in body]
        self._patches[service_area] = (time.monotonic(), patches)
        return patches

    async def my_patches(self, user: User) -> list[str]:
        mine = await self.get_model(MyPatches, "/api/v1/users/me/patches", user=user)
        return mine.patch_codes

    async def set_my_patches(self, user: User, patch_codes: list[str]) -> list[str]:
        body = await self.send(
            "PUT", "/api/v1/users/me/patches", user=user, json={"patch_codes": patch_codes}
        )
        return self.read(MyPatches, body).patch_codes

    async def job_runs(self, user: User, *, page: int, kind: str | None = None) -> JobRunPage:
        params: dict[str, str | int] = {"page": page, "per_page": JOB_RUNS_PER_PAGE}
        if kind:
            params["kind"] = kind
        return await self.get_model(JobRunPage, "/api/v1/jobs", user=user, params=params)

    async def job_run(self, user: User, job_run_id: str) -> JobRun:
        return await self.get_model(JobRun, f"/api/v1/jobs/{job_run_id}", user=user)

    async def start_sync(self, user: User) -> str:
        """A full sync; its job run's id. `Conflict` while another sync runs."""
        body = await self.send("POST", "/api/v1/sync", user=user, json={"kind": "full_sync"})
        return self.read(SyncStarted, body).job_run_id

    async def cases_by_patch(self, user: User, service_area: ServiceArea) -> CasesByPatch:
        return await self.get_model(
            CasesByPatch,
            "/api/v1/reports/cases-by-patch",
            user=user,
            params={"service_area": service_area},
        )

    async def cases_by_action(self, user: User, service_area: ServiceArea) -> CasesByAction:
        return await self.get_model(
            CasesByAction,
            "/api/v1/reports/cases-by-action",
            user=user,
            params={"service_area": service_area},
        )

    async def action_changes(
        self, user: User, service_area: ServiceArea, *, since: dt.datetime
    ) -> ActionChanges:
        return await self.get_model(
            ActionChanges,
            "/api/v1/reports/action-changes",
            user=user,
            params={"service_area": service_area, "since": since.isoformat()},
        )

    # Case actions: each carries the idempotency key made when its form was shown, so a double
    # submit or a retry writes once.

    async def _write(
        self, method: str, path: str, user: User, body: Any, idempotency_key: str
    ) -> Any:
        return await self.send(method, path, user=user, json=body, idempotency_key=idempotency_key)

    async def pause(
        self,
        user: User,
        tenancy_ref: str,
        *,
        until: dt.date,
        reason: str,
        comment: str,
        action_code: str,
        idempotency_key: str,
    ) -> WriteResult:
        body = {
            "until": until.isoformat(),
            "reason": reason,
            "comment": comment,
            "action_code": action_code,
        }
        answer = await self._write(
            "PUT", f"{case_path(tenancy_ref)}/pause", user, body, idempotency_key
        )
        return self.read(WriteResult, answer)

    async def end_pause(self, user: User, tenancy_ref: str, *, idempotency_key: str) -> WriteResult:
        answer = await self._write(
            "DELETE", f"{case_path(tenancy_ref)}/pause", user, None, idempotency_key
        )
        return self.read(WriteResult, answer)

    async def add_diary_entry(
        self, user: User, tenancy_ref: str, *, action_code: str, comment: str, idempotency_key: str
    ) -> WriteResult:
        body = {"action_code": action_code, "comment": comment}
        answer = await self._write(
            "POST", f"{case_path(tenancy_ref)}/action-diary", user, body, idempotency_key
        )
        return self.read(WriteResult, answer)

    async def record_nosp(
        self,
        user: User,
        tenancy_ref: str,
        *,
        served_date: dt.date,
        comment: str | None,
        idempotency_key: str,
    ) -> WriteResult:
        body = {"served_date": served_date.isoformat(), "comment": comment}
        answer = await self._write(
            "POST", f"{case_path(tenancy_ref)}/nosp", user, body, idempotency_key
        )
        return self.read(WriteResult, answer)

    async def update_contact(
        self,
        user: User,
        tenancy_ref: str,
        contact_id: int,
        *,
        changes: dict[str, str],
        idempotency_key: str,
    ) -> Contact:
        answer = await self._write(
            "PATCH",
            f"{case_path(tenancy_ref)}/contacts/{contact_id}",
            user,
            changes,
            idempotency_key,
        )
        return self.read(Contact, answer)

    async def create_agreement(
        self, user: User, tenancy_ref: str, *, body: dict[str, Any], idempotency_key: str
    ) -> Agreement:
        answer = await self._write(
            "POST", f"{case_path(tenancy_ref)}/agreements", user, body, idempotency_key
        )
        return self.read(Agreement, answer)

    async def cancel_agreement(
        self, user: User, agreement_id: int, *, reason: str, idempotency_key: str
    ) -> Agreement:
        answer = await self._write(
            "POST",
            f"/api/v1/agreements/{agreement_id}/cancel",
            user,
            {"reason": reason},
            idempotency_key,
        )
        return self.read(Agreement, answer)

    async def create_court_case(
        self, user: User, tenancy_ref: str, *, body: dict[str, Any], idempotency_key: str
    ) -> CourtCase:
        answer = await self._write(
            "POST", f"{case_path(tenancy_ref)}/court-cases", user, body, idempotency_key
        )
        return self.read(CourtCase, answer)

    async def update_court_case(
        self, user: User, court_case_id: int, *, body: dict[str, Any], idempotency_key: str
    ) -> CourtCase:
        answer = await self._write(
            "PATCH", f"/api/v1/court-cases/{court_case_id}", user, body, idempotency_key
        )
        return self.read(CourtCase, answer)

    async def create_eviction(
        self, user: User, tenancy_ref: str, *, day: dt.date, idempotency_key: str
    ) -> Eviction:
        answer = await self._write(
            "POST",
            f"{case_path(tenancy_ref)}/evictions",
            user,
            {"date": day.isoformat()},
            idempotency_key,
        )
        return self.read(Eviction, answer)

    async def record_vulnerability(
        self,
        user: User,
        tenancy_ref: str,
        *,
        category: str,
        note: str,
        review_date: dt.date,
        idempotency_key: str,
    ) -> Vulnerability:
        body = {"category": category, "note": note, "review_date": review_date.isoformat()}
        answer = await self._write(
            "POST", f"{case_path(tenancy_ref)}/vulnerabilities", user, body, idempotency_key
        )
        return self.read(Vulnerability, answer)

    async def review_vulnerability(
        self, user: User, vulnerability_id: int, *, body: dict[str, Any], idempotency_key: str
    ) -> Vulnerability:
        answer = await self._write(
            "PATCH", f"/api/v1/vulnerabilities/{vulnerability_id}", user, body, idempotency_key
        )
        return self.read(Vulnerability, answer)
