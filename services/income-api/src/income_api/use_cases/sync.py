"""Sync: UH's accounts in arrears become Manage Arrears cases with a next recommended action.

Per page of accounts from uh-gateway's bulk criteria, in order (income-rules §4.1):
migrate UH court cases, evictions and agreements not yet in Manage Arrears (§3.6), check the
latest active agreement for breach against UH's current balance (§3.3), classify (§1 rent, the
leasehold policy for service charges), and write the cases that changed. A full sync then
deletes the cases no longer in arrears. The intraday refresh does the same for just the
tenancies the gateway's changes feed names, so a payment this morning takes the case off this
afternoon's worktray.

The next page is fetched from the gateway while the current one is processed. An account that
fails is recorded on the job run and skipped; the rest of the run goes on. A re-run is safe:
every step compares with what is stored and writes only differences.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from income_api.domain.agreements import (
    AgreementCheck,
    AgreementTerms,
    StateCheck,
    check_agreement,
)
from income_api.domain.court_cases import CourtCaseTerms
from income_api.domain.leasehold_classifier import classify_leasehold_case
from income_api.domain.rent_classifier import classify_rent_case
from income_api.domain.terms import (
    ACTIVE_AGREEMENT_STATES,
    AgreementFrequency,
    AgreementState,
    AgreementType,
    ServiceArea,
)
from income_api.domain.uh_migration import (
    CourtCaseMigration,
    CourtCaseToCreate,
    CourtCaseToFill,
    ExistingCourtCase,
    LegacyAgreementNotMigratable,
    MigratedAgreement,
    UhAgreementRecord,
    UhScheduleLine,
    plan_agreement_migration,
    plan_court_case_migration,
    plan_eviction_migration,
)
from income_api.gateways import case_store, job_runs
from income_api.gateways.case_store import TenancyRecords
from income_api.gateways.outbox import OutboxDispatcher, event_message
from income_api.gateways.uh_gateway import UhGateway
from income_api.use_cases import case_rows
from income_api.use_cases.case_rows import Json
from ma_shared.database import serialized_writes
from ma_shared.errors import ApiError
from ma_shared.events import EventEnvelope
from ma_shared.uk_time import london_date

logger = logging.getLogger(__name__)

SERVICE_NAME = "income-api"
MIGRATION_USER = "Managed Arrears migration from UH"
FULL, CHANGES = "full_sync", "changes_sync"


@dataclass
class RunTally:
    accounts_seen: int = 0
    cases_created: int = 0
    cases_changed: int = 0
    cases_deleted: int = 0
    classification_changes: int = 0
    agreements_checked: int = 0
    agreements_breached: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)
    error_count: int = 0
    gateway_seconds: float = 0.0
    classify_seconds: float = 0.0
    database_seconds: float = 0.0

    def error(self, tenancy_ref: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < job_runs.MAX_RECORDED_ERRORS:
            self.errors.append({"tenancy_ref": tenancy_ref, "message": message})

    def as_job_values(self) -> dict[str, Any]:
        return {
            "accounts_seen": self.accounts_seen,
            "cases_created": self.cases_created,
            "cases_changed": self.cases_changed,
            "cases_deleted": self.cases_deleted,
            "classification_changes": self.classification_changes,
            "agreements_checked": self.agreements_checked,
            "agreements_breached": self.agreements_breached,
            "by_recommended_action": dict(sorted(self.by_action.items())),
            "errors": {"items": self.errors},
            "error_count": self.error_count,
            "timings": {
                "gateway_reads_seconds": round(self.gateway_seconds, 3),
                "classification_seconds": round(self.classify_seconds, 3),
                "database_seconds": round(self.database_seconds, 3),
            },
        }


@dataclass(frozen=True)
class MigrationPlan:
    """What UH holds that Manage Arrears does not yet (income-rules §3.6)."""

    court_case: CourtCaseMigration | None
    eviction_date: dt.date | None
    agreements: list[MigratedAgreement]


@dataclass(frozen=True)
class SyncClock:
    """Today for the rules; pinned in settings for simulator databases built for a fixed day."""

    pinned_date: dt.date | None = None

    def now(self) -> dt.datetime:
        real = dt.datetime.now(tz=dt.UTC)
        if self.pinned_date is None:
            return real
        return dt.datetime.combine(self.pinned_date, real.timetz())


def _uh_agreement_record(item: Json) -> UhAgreementRecord:
    return UhAgreementRecord(
        reference=item["reference"],
        status_code=item["status_code"],
        start_date=case_rows.day(item["start_date"]),
        start_balance=case_rows.money(item["start_balance"]),
        last_check_balance=case_rows.money(item["last_check_balance"]),
        last_expected_balance=case_rows.money(item["last_expected_balance"]),
        schedule=[
            UhScheduleLine(
                id=line["id"],
                amount=case_rows.money(line["amount"]) or Decimal(0),
                frequency_code=line["frequency_code"],
                start_date=case_rows.day(line["start_date"]),
                comment=line["comment"],
            )
            for line in item["schedule"]
        ],
    )


class PageProcessor:
    """Everything the sync does with one page of criteria, inside one transaction."""

    def __init__(
        self,
        *,
        service_area: ServiceArea,
        now: dt.datetime,
        tolerance_days: int,
        tally: RunTally,
    ) -> None:
        self.service_area = service_area
        self.now = now
        self.today = london_date(now)
        self.tolerance_days = tolerance_days
        self.tally = tally

    def refs_needing_uh_agreements(self, conn: Connection, page: Sequence[Json]) -> list[str]:
        """Rent accounts UH has agreements for and Manage Arrears has none (§3.6)."""
        if self.service_area is not ServiceArea.RENT:
            return []
        candidates = [row["tenancy_ref"] for row in page if row.get("most_recent_agreement")]
        with_agreements = case_store.refs_with_agreements(conn, candidates)
        return [ref for ref in candidates if ref not in with_agreements]

    def process(
        self,
        conn: Connection,
        page: Sequence[Json],
        uh_agreements: dict[str, list[Json]],
    ) -> list[str]:
        """Returns the refs processed (those that failed are recorded on the tally)."""
        started = time.perf_counter()
        refs = [row["tenancy_ref"] for row in page]
        records = case_store.load_tenancy_records(conn, refs)
        inserts: list[Json] = []
        updates: list[Json] = []
        events: list[Json] = []
        checked: list[int] = []
        done: list[str] = []
        for criteria in page:
            ref = criteria["tenancy_ref"]
            try:
                record = records[ref]
                if self.service_area is ServiceArea.RENT:
                    record = self._legal_records(
                        conn, ref, criteria, record, uh_agreements, events, checked
                    )
                self._classify(ref, criteria, record, inserts, updates, events)
            except Exception as exc:  # one bad account must not stop the run
                logger.exception("sync of one account failed", extra={"tenancy_ref": ref})
                self.tally.error(ref, f"{type(exc).__name__}: {exc}")
                continue
            done.append(ref)
        self.tally.classify_seconds += time.perf_counter() - started
        written = time.perf_counter()
        case_store.mark_agreements_checked(conn, checked, now=self.now)
        case_store.insert_cases(conn, inserts)
        case_store.update_cases(conn, updates)
        case_store.add_outbox_messages(conn, events)
        self.tally.database_seconds += time.perf_counter() - written
        self.tally.accounts_seen += len(page)
        self.tally.cases_created += len(inserts)
        self.tally.cases_changed += len(updates)
        return done

    def _legal_records(
        self,
        conn: Connection,
        ref: str,
        criteria: Json,
        record: TenancyRecords,
        uh_agreements: dict[str, list[Json]],
        events: list[Json],
        checked: list[int],
    ) -> TenancyRecords:
        """Migrate from UH and check the agreement; most accounts need neither written, and
        only those that do pay for a savepoint and a re-read."""
        plan = self._migration_plan(ref, criteria, record, uh_agreements.get(ref))
        if plan is not None:
            with conn.begin_nested():
                self._migrate(conn, ref, plan)
            record = case_store.load_tenancy_records(conn, [ref])[ref]
        due = self._agreement_check(criteria, record)
        if due is None:
            return record
        agreement, check = due
        self.tally.agreements_checked += 1
        if check.new_state is None and not check.convert_to_informal:
            checked.append(agreement.id)
            return record
        with conn.begin_nested():
            self._apply_agreement_check(conn, ref, agreement, check, events)
        return case_store.load_tenancy_records(conn, [ref])[ref]

    def _migration_plan(
        self,
        ref: str,
        criteria: Json,
        record: TenancyRecords,
        uh_agreements: list[Json] | None,
    ) -> MigrationPlan | None:
        court_plan = plan_court_case_migration(
            case_rows.instant(criteria["court_date"]),
            criteria["court_outcome"],
            [
                ExistingCourtCase(
                    id=c.id,
                    court_date=c.court_date,
                    court_outcome=c.court_outcome,
                    terms=c.terms,
                    disrepair_counter_claim=c.disrepair_counter_claim,
                )
                for c in record.court_cases
            ],
        )
        latest_eviction = record.latest_eviction
        eviction_date = plan_eviction_migration(
            case_rows.day(criteria["eviction_date"]),
            latest_eviction.date if latest_eviction is not None else None,
        )
        planned: list[MigratedAgreement] = []
        if uh_agreements and not record.agreements:
            will_have_court_case = bool(record.court_cases) or isinstance(
                court_plan, CourtCaseToCreate
            )
            try:
                planned = plan_agreement_migration(
                    [_uh_agreement_record(item) for item in uh_agreements],
                    has_court_case=will_have_court_case,
                )
            except LegacyAgreementNotMigratable as exc:
                self.tally.error(ref, f"UH agreement not migrated: {exc}")
        if court_plan is None and eviction_date is None and not planned:
            return None
        return MigrationPlan(court_plan, eviction_date, planned)

    def _migrate(self, conn: Connection, ref: str, plan: MigrationPlan) -> None:
        court_plan = plan.court_case
        latest_court_case_id: int | None = None
        if isinstance(court_plan, CourtCaseToCreate):
            latest_court_case_id = case_store.insert_court_case(
                conn,
                {
                    "tenancy_ref": ref,
                    "court_date": court_plan.court_date,
                    "court_outcome": court_plan.court_outcome,
                    "terms": court_plan.terms,
                    "disrepair_counter_claim": court_plan.disrepair_counter_claim,
                    "created_by": MIGRATION_USER,
                    "updated_by": MIGRATION_USER,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
            )
        elif isinstance(court_plan, CourtCaseToFill):
            filled = {
                name: value
                for name, value in (
                    ("court_date", court_plan.court_date),
                    ("court_outcome", court_plan.court_outcome),
                    ("terms", court_plan.terms),
                    ("disrepair_counter_claim", court_plan.disrepair_counter_claim),
                )
                if value is not None
            }
            case_store.update_court_case(
                conn,
                court_plan.court_case_id,
                filled | {"updated_by": MIGRATION_USER, "updated_at": self.now},
            )
        if plan.eviction_date is not None:
            case_store.insert_eviction(
                conn,
                {
                    "tenancy_ref": ref,
                    "date": plan.eviction_date,
                    "created_by": MIGRATION_USER,
                    "created_at": self.now,
                },
            )
        if plan.agreements and latest_court_case_id is None:
            latest_court_case_id = case_store.latest_court_case_id(conn, ref)
        for agreement in plan.agreements:
            formal = agreement.agreement_type is AgreementType.FORMAL
            case_store.insert_agreement(
                conn,
                {
                    "tenancy_ref": ref,
                    "agreement_type": agreement.agreement_type.value,
                    "starting_balance": agreement.starting_balance,
                    "amount": agreement.amount,
                    "start_date": agreement.start_date,
                    "frequency": agreement.frequency.value,
                    "current_state": agreement.initial_state.state.value,
                    "court_case_id": latest_court_case_id if formal else None,
                    "notes": agreement.notes or "",
                    "created_by": agreement.created_by,
                    "legacy_uh_id": agreement.legacy_id,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
                {
                    "state": agreement.initial_state.state.value,
                    "expected_balance": agreement.initial_state.expected_balance,
                    "checked_balance": agreement.initial_state.checked_balance,
                    "description": agreement.initial_state.description,
                    "created_at": self.now,
                },
            )

    def _agreement_check(
        self, criteria: Json, record: TenancyRecords
    ) -> tuple[Any, AgreementCheck] | None:
        """Breach detection for the latest active agreement (income-rules §3.3)."""
        active = [a for a in record.agreements if a.current_state in ACTIVE_AGREEMENT_STATES]
        if not active:
            return None
        agreement = active[-1]
        court_case = next((c for c in record.court_cases if c.id == agreement.court_case_id), None)
        latest = record.latest_states.get(agreement.id)
        check = check_agreement(
            AgreementTerms(
                agreement_type=AgreementType(agreement.agreement_type),
                starting_balance=agreement.starting_balance,
                amount=agreement.amount,
                start_date=agreement.start_date,
                frequency=AgreementFrequency(agreement.frequency),
                initial_payment_amount=agreement.initial_payment_amount,
                initial_payment_date=agreement.initial_payment_date,
            ),
            current_state=AgreementState(agreement.current_state),
            latest_state=StateCheck(
                AgreementState(latest.state),
                latest.expected_balance,
                latest.checked_balance,
                latest.description,
            )
            if latest is not None
            else None,
            current_balance=Decimal(criteria["balance"]),
            court_case=CourtCaseTerms(
                court_date=court_case.court_date,
                court_outcome=court_case.court_outcome,
                strike_out_date=court_case.strike_out_date,
                terms=court_case.terms,
            )
            if court_case is not None
            else None,
            today=self.today,
            tolerance_days=self.tolerance_days,
        )
        return None if check is None else (agreement, check)

    def _apply_agreement_check(
        self,
        conn: Connection,
        ref: str,
        agreement: Any,
        check: AgreementCheck,
        events: list[Json],
    ) -> None:
        if check.convert_to_informal:
            case_store.convert_agreement_to_informal(conn, agreement.id, now=self.now)
        new_state = check.new_state
        if new_state is None:
            case_store.mark_agreements_checked(conn, [agreement.id], now=self.now)
            return
        case_store.append_agreement_state(
            conn,
            agreement.id,
            {
                "state": new_state.state.value,
                "expected_balance": new_state.expected_balance,
                "checked_balance": new_state.checked_balance,
                "description": new_state.description,
                "created_at": self.now,
            },
            now=self.now,
        )
        if (
            new_state.state is AgreementState.BREACHED
            and agreement.current_state != AgreementState.BREACHED
        ):
            self.tally.agreements_breached += 1
            events.append(
                event_message(
                    EventEnvelope.new(
                        event_type="income.agreement_breached",
                        source_service=SERVICE_NAME,
                        entity_id=ref,
                        event_data={
                            "agreement_id": agreement.id,
                            "agreement_type": agreement.agreement_type,
                            "expected_balance": str(new_state.expected_balance),
                            "checked_balance": str(new_state.checked_balance),
                            "description": new_state.description,
                        },
                    ),
                    now=self.now,
                )
            )

    def _classify(
        self,
        ref: str,
        criteria: Json,
        record: TenancyRecords,
        inserts: list[Json],
        updates: list[Json],
        events: list[Json],
    ) -> None:
        if self.service_area is ServiceArea.RENT:
            rent = classify_rent_case(case_rows.rent_facts(criteria, record), now=self.now)
            if len(rent.fired) > 1:
                logger.info(
                    "more than one recommended action fired; the first wins",
                    extra={"tenancy_ref": ref, "fired": [a.value for a in rent.fired]},
                )
            action, rule, reason = rent.action.value, rent.rule, rent.reason
        else:
            leasehold = classify_leasehold_case(
                case_rows.leasehold_facts(criteria, record), now=self.now
            )
            action, rule, reason = leasehold.action.value, leasehold.rule, leasehold.reason
        self.tally.by_action[action] += 1
        values = case_rows.synced_values(
            self.service_area,
            criteria,
            record,
            recommended_action=action,
            rule=rule,
            reason=reason,
            today=self.today,
        )
        case = record.case
        if case is None:
            inserts.append(
                values
                | {
                    "tenancy_ref": ref,
                    "has_vulnerability": False,
                    "classification_changed_at": self.now,
                    "previous_recommended_action": None,
                    "synced_at": self.now,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
            self._classification_event(ref, None, action, reason, events)
            return
        changed = {name: value for name, value in values.items() if getattr(case, name) != value}
        if not changed:
            return
        changed |= {"case_id": case.id, "synced_at": self.now, "updated_at": self.now}
        if case.recommended_action != action:
            changed |= {
                "classification_changed_at": self.now,
                "previous_recommended_action": case.recommended_action,
            }
            self._classification_event(ref, case.recommended_action, action, reason, events)
        updates.append(changed)

    def _classification_event(
        self, ref: str, before: str | None, after: str, reason: str, events: list[Json]
    ) -> None:
        self.tally.classification_changes += 1
        events.append(
            event_message(
                EventEnvelope.new(
                    event_type="income.case_classification_changed",
                    source_service=SERVICE_NAME,
                    entity_id=ref,
                    event_data={
                        "service_area": self.service_area.value,
                        "previous_recommended_action": before,
                        "recommended_action": after,
                        "reason": reason,
                    },
                ),
                now=self.now,
            )
        )


class CaseSync:
    """Runs syncs: the full one (nightly and on demand), the intraday refresh from the
    changes feed, and the refresh of single tenancies after a caseworker's action."""

    def __init__(
        self,
        *,
        engine: Engine,
        gateway: UhGateway,
        dispatcher: OutboxDispatcher,
        clock: SyncClock,
        page_size: int,
        tolerance_days: int,
        stale_after: dt.timedelta,
    ) -> None:
        self._engine = engine
        self._gateway = gateway
        self._dispatcher = dispatcher
        self._clock = clock
        self._page_size = page_size
        self._tolerance_days = tolerance_days
        self._stale_after = stale_after
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, kind: str, *, triggered_by: str) -> str:
        """Record a run and start it in the background; returns the job run id."""
        job_id = await self._record_start(kind, triggered_by)
        task = asyncio.get_running_loop().create_task(self.run(job_id, kind))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job_id

    async def _record_start(self, kind: str, triggered_by: str) -> str:
        # Waits for the write lock: never on the event loop.
        return await asyncio.to_thread(
            job_runs.start_job_run,
            self._engine,
            kind=kind,
            triggered_by=triggered_by,
            stale_after=self._stale_after,
        )

    async def wait_for_runs(self) -> None:
        """At shutdown: stop background runs, which record themselves as failed."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def run_now(self, kind: str, *, triggered_by: str) -> str:
        """Record a run and wait for it (the CLI, the scheduler)."""
        job_id = await self._record_start(kind, triggered_by)
        await self.run(job_id, kind)
        return job_id

    async def run(self, job_id: str, kind: str) -> None:
        tally = RunTally()
        values: dict[str, Any] = {}
        try:
            if kind == FULL:
                values = await self._full(job_id, tally)
            else:
                values = await self._changes(tally)
            status = job_runs.COMPLETED_WITH_ERRORS if tally.error_count else job_runs.SUCCEEDED
            message = None
        except asyncio.CancelledError:
            values = tally.as_job_values() | {
                "status": job_runs.FAILED,
                "message": "Stopped: the service shut down during the run.",
                "finished_at": dt.datetime.now(tz=dt.UTC),
            }
            await asyncio.to_thread(job_runs.update_job_run, self._engine, job_id, values)
            raise
        except Exception as exc:
            logger.exception("sync failed", extra={"job_run_id": job_id, "kind": kind})
            status, message = job_runs.FAILED, f"{type(exc).__name__}: {exc}"
        values |= tally.as_job_values() | {
            "status": status,
            "message": message,
            "finished_at": dt.datetime.now(tz=dt.UTC),
        }
        await asyncio.to_thread(job_runs.update_job_run, self._engine, job_id, values)
        logger.info(
            "sync finished",
            extra={"job_run_id": job_id, "kind": kind, "status": status, **tally.by_action},
        )
        await self._dispatcher.deliver()

    async def _pages(
        self, service_area: ServiceArea, as_of: dt.date, tally: RunTally
    ) -> AsyncIterator[list[Json]]:
        """Criteria pages, each fetched while the caller processes the one before."""
        pages = self._gateway.criteria_pages(
            service_area, as_of=as_of, page_size=self._page_size
        ).__aiter__()

        async def fetch() -> list[Json] | None:
            started = time.perf_counter()
            try:
                return await pages.__anext__()
            except StopAsyncIteration:
                return None
            finally:
                tally.gateway_seconds += time.perf_counter() - started

        pending = asyncio.ensure_future(fetch())
        while True:
            page = await pending
            if page is None:
                return
            pending = asyncio.ensure_future(fetch())
            yield page

    async def _full(self, job_id: str, tally: RunTally) -> dict[str, Any]:
        # Where the changes feed stands before reading: whatever changes during the run is
        # picked up by the next intraday refresh.
        mark = (await self._gateway.changes(None, limit=1))["next_since"]
        now = self._clock.now()
        for service_area in (ServiceArea.RENT, ServiceArea.LEASEHOLD):
            seen: set[str] = set()
            processor = PageProcessor(
                service_area=service_area,
                now=now,
                tolerance_days=self._tolerance_days,
                tally=tally,
            )
            async for page in self._pages(service_area, london_date(now), tally):
                seen.update(row["tenancy_ref"] for row in page)
                await self._process_page(processor, page, tally)
                await asyncio.to_thread(
                    job_runs.update_job_run, self._engine, job_id, tally.as_job_values()
                )
            await asyncio.to_thread(self._delete_absent, service_area, seen, tally)
        await asyncio.to_thread(case_store.refresh_statistics, self._engine)
        return {"changes_until": mark}

    async def _process_page(
        self, processor: PageProcessor, page: list[Json], tally: RunTally
    ) -> list[str]:
        needing = await asyncio.to_thread(self._refs_needing_uh_agreements, processor, page)
        uh_agreements = await self._fetch_uh_agreements(needing, tally)
        return await asyncio.to_thread(self._write_page, processor, page, uh_agreements)

    def _refs_needing_uh_agreements(self, processor: PageProcessor, page: list[Json]) -> list[str]:
        with self._engine.connect() as conn:
            return processor.refs_needing_uh_agreements(conn, page)

    def _write_page(
        self, processor: PageProcessor, page: list[Json], uh_agreements: dict[str, list[Json]]
    ) -> list[str]:
        with serialized_writes(self._engine).begin() as conn:
            return processor.process(conn, page, uh_agreements)

    async def _fetch_uh_agreements(self, refs: list[str], tally: RunTally) -> dict[str, list[Json]]:
        if not refs:
            return {}
        started = time.perf_counter()
        try:
            return await self._gateway.uh_agreements_of(refs)
        except ApiError as exc:
            # The accounts still sync; their agreements are migrated on a later run.
            for ref in refs:
                tally.error(ref, f"UH agreements not read: {exc.message}")
            return {}
        finally:
            tally.gateway_seconds += time.perf_counter() - started

    def _delete_absent(self, service_area: ServiceArea, seen: set[str], tally: RunTally) -> None:
        started = time.perf_counter()
        with serialized_writes(self._engine).begin() as conn:
            gone = sorted(case_store.case_refs(conn, service_area.value) - seen)
            case_store.delete_cases(conn, gone)
            case_store.add_outbox_messages(conn, [self._closed_event(ref) for ref in gone])
        tally.cases_deleted += len(gone)
        tally.database_seconds += time.perf_counter() - started

    def _closed_event(self, ref: str) -> Json:
        return event_message(
            EventEnvelope.new(
                event_type="income.case_closed",
                source_service=SERVICE_NAME,
                entity_id=ref,
                event_data={"reason": "The account is no longer in arrears."},
            ),
            now=dt.datetime.now(tz=dt.UTC),
        )

    async def _changes(self, tally: RunTally) -> dict[str, Any]:
        since = await asyncio.to_thread(job_runs.latest_changes_mark, self._engine)
        refs: set[str] = set()
        mark = since
        while True:
            started = time.perf_counter()
            feed = await self._gateway.changes(mark)
            tally.gateway_seconds += time.perf_counter() - started
            refs.update(change["tenancy_ref"] for change in feed["changes"])
            mark = feed["next_since"]
            if not feed["has_more"]:
                break
        if since is not None and refs:
            await self.refresh(sorted(refs), tally=tally)
        return {"changes_since": since, "changes_until": mark}

    async def refresh(self, refs: Sequence[str], *, tally: RunTally | None = None) -> None:
        """Re-read and re-classify these tenancies now; a case whose account is no longer in
        arrears is closed."""
        tally = tally or RunTally()
        now = self._clock.now()
        remaining = set(refs)
        for service_area in (ServiceArea.RENT, ServiceArea.LEASEHOLD):
            started = time.perf_counter()
            criteria = await self._gateway.criteria_for(
                service_area, sorted(remaining), as_of=london_date(now)
            )
            tally.gateway_seconds += time.perf_counter() - started
            if criteria:
                processor = PageProcessor(
                    service_area=service_area,
                    now=now,
                    tolerance_days=self._tolerance_days,
                    tally=tally,
                )
                await self._process_page(processor, criteria, tally)
            remaining -= {row["tenancy_ref"] for row in criteria}
        if remaining:
            await asyncio.to_thread(self._close_cases, sorted(remaining), tally)

    def _close_cases(self, refs: list[str], tally: RunTally) -> None:
        with serialized_writes(self._engine).begin() as conn:
            existing = case_store.existing_refs(conn, refs)
            case_store.delete_cases(conn, existing)
            case_store.add_outbox_messages(conn, [self._closed_event(ref) for ref in existing])
        tally.cases_deleted += len(existing)
