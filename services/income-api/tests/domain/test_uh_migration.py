"""Planning the copy from UH (income-rules §3.6): court cases, evictions and agreements."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from income_api.domain.agreements import StateCheck
from income_api.domain.terms import (
    AgreementFrequency,
    AgreementState,
    AgreementType,
    CourtOutcome,
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
    map_uh_court_outcome,
    plan_agreement_migration,
    plan_court_case_migration,
    plan_eviction_migration,
)

D = Decimal
HEARING = dt.datetime(2023, 6, 1, 10, 0)
LIVE = AgreementState.LIVE
BREACHED = AgreementState.BREACHED
CANCELLED = AgreementState.CANCELLED
COMPLETED = AgreementState.COMPLETED
FORMAL = AgreementType.FORMAL
INFORMAL = AgreementType.INFORMAL
MIGRATED_BY = "Managed Arrears migration from UH"


# ---- court cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uh_code", "outcome"),
    [
        pytest.param("SUP", CourtOutcome.SUSPENSION_ON_TERMS, id="suspended possession"),
        pytest.param("ADT", CourtOutcome.ADJOURNED_ON_TERMS, id="adjourned on terms"),
        pytest.param("STO", CourtOutcome.STRUCK_OUT, id="struck out"),
        pytest.param("OPF", CourtOutcome.OUTRIGHT_POSSESSION_FORTHWITH, id="outright forthwith"),
        pytest.param("OPD", CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE, id="outright with date"),
        pytest.param("WIT", CourtOutcome.WITHDRAWN_ON_THE_DAY, id="withdrawn"),
        pytest.param(
            "AGE",
            CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE,
            id="adjourned generally",
        ),
        pytest.param("AAH", CourtOutcome.ADJOURNED_TO_ANOTHER_HEARING_DATE, id="another hearing"),
        pytest.param("SUP ", CourtOutcome.SUSPENSION_ON_TERMS, id="padded UH code"),
        pytest.param("AOT", None, id="secondary adjourned on terms is not migrated"),
        pytest.param("PPO", None, id="postponed possession is not migrated"),
        pytest.param("SOT", None, id="MA code that UH never used is not migrated"),
        pytest.param("", None, id="blank outcome"),
        pytest.param(None, None, id="no outcome"),
    ],
)
def test_map_uh_court_outcome(uh_code: str | None, outcome: CourtOutcome | None) -> None:
    assert map_uh_court_outcome(uh_code) == outcome


A_COURT_CASE = ExistingCourtCase(
    id=7,
    court_date=HEARING,
    court_outcome="SOT",
    terms=True,
    disrepair_counter_claim=False,
)


def existing(**overrides: Any) -> ExistingCourtCase:
    return replace(A_COURT_CASE, **overrides)


@pytest.mark.parametrize(
    ("uh_court_date", "uh_court_outcome", "court_cases", "plan"),
    [
        pytest.param(None, None, [], None, id="nothing in UH nothing to do"),
        pytest.param(None, "PPO", [], None, id="only an outcome MA does not take over"),
        pytest.param(
            HEARING,
            "SUP",
            [],
            CourtCaseToCreate(HEARING, CourtOutcome.SUSPENSION_ON_TERMS, False, False),
            id="no court case in MA: create one saying no terms",
        ),
        pytest.param(
            HEARING,
            "OPD",
            [],
            CourtCaseToCreate(HEARING, CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE, None, None),
            id="outcome that cannot have terms leaves terms unset",
        ),
        pytest.param(
            HEARING,
            None,
            [],
            CourtCaseToCreate(HEARING, None, None, None),
            id="court date alone creates a court case",
        ),
        pytest.param(
            HEARING,
            "PPO",
            [],
            CourtCaseToCreate(HEARING, None, None, None),
            id="court date with an outcome MA does not take over",
        ),
        pytest.param(
            None,
            "AGE",
            [],
            CourtCaseToCreate(
                None,
                CourtOutcome.ADJOURNED_GENERALLY_WITH_PERMISSION_TO_RESTORE,
                False,
                False,
            ),
            id="outcome alone creates a court case",
        ),
        pytest.param(HEARING, "SUP", [A_COURT_CASE], None, id="complete court case is kept"),
        pytest.param(
            HEARING,
            "SUP",
            [existing(court_date=None)],
            CourtCaseToFill(7, HEARING, None, None, None),
            id="court case missing its date gets UH's",
        ),
        pytest.param(
            HEARING,
            "SUP",
            [existing(court_outcome=None, terms=None, disrepair_counter_claim=None)],
            CourtCaseToFill(7, None, CourtOutcome.SUSPENSION_ON_TERMS, False, False),
            id="court case missing its outcome gets UH's and no terms",
        ),
        pytest.param(
            HEARING,
            "SUP",
            [existing(court_outcome="", terms=True, disrepair_counter_claim=None)],
            CourtCaseToFill(7, None, CourtOutcome.SUSPENSION_ON_TERMS, None, False),
            id="blank outcome filled; terms already recorded are kept",
        ),
        pytest.param(
            HEARING,
            "WIT",
            [existing(court_outcome=None, terms=None, disrepair_counter_claim=None)],
            CourtCaseToFill(7, None, CourtOutcome.WITHDRAWN_ON_THE_DAY, None, None),
            id="outcome without terms filled alone",
        ),
        pytest.param(
            HEARING,
            "SUP",
            [existing(court_date=None, court_outcome=None, terms=None)],
            CourtCaseToFill(7, HEARING, CourtOutcome.SUSPENSION_ON_TERMS, False, None),
            id="court case missing both gets both",
        ),
        pytest.param(
            None,
            "SUP",
            [existing(court_date=None)],
            None,
            id="missing date UH does not know either",
        ),
        pytest.param(
            HEARING,
            "PPO",
            [existing(court_outcome=None)],
            None,
            id="missing outcome UH cannot supply",
        ),
        pytest.param(
            HEARING,
            "SUP",
            [existing(court_date=None), existing(id=8, court_date=None)],
            None,
            id="more than one court case is left alone",
        ),
    ],
)
def test_plan_court_case_migration(
    uh_court_date: dt.datetime | None,
    uh_court_outcome: str | None,
    court_cases: list[ExistingCourtCase],
    plan: CourtCaseMigration | None,
) -> None:
    assert plan_court_case_migration(uh_court_date, uh_court_outcome, court_cases) == plan


# ---- evictions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uh_eviction_date", "latest_existing", "to_create"),
    [
        pytest.param(None, None, None, id="no eviction in UH"),
        pytest.param(None, dt.date(2024, 1, 1), None, id="no eviction in UH keeps MA's"),
        pytest.param(
            dt.date(2024, 1, 1), None, dt.date(2024, 1, 1), id="first eviction date is created"
        ),
        pytest.param(
            dt.date(2024, 1, 2),
            dt.date(2024, 1, 1),
            dt.date(2024, 1, 2),
            id="later eviction date in UH is added",
        ),
        pytest.param(
            dt.date(2024, 1, 1), dt.date(2024, 1, 1), None, id="same eviction date not repeated"
        ),
        pytest.param(
            dt.date(2023, 12, 31),
            dt.date(2024, 1, 1),
            None,
            id="earlier eviction date in UH is ignored",
        ),
    ],
)
def test_plan_eviction_migration(
    uh_eviction_date: dt.date | None, latest_existing: dt.date | None, to_create: dt.date | None
) -> None:
    assert plan_eviction_migration(uh_eviction_date, latest_existing) == to_create


# ---- agreements --------------------------------------------------------------------------


def line(line_id: int, **overrides: Any) -> UhScheduleLine:
    fields: dict[str, Any] = {
        "id": line_id,
        "amount": D("25.00"),
        "frequency_code": "1",
        "start_date": dt.date(2019, 4, 1),
        "comment": f"line {line_id}",
    }
    return UhScheduleLine(**{**fields, **overrides})


def uh_agreement(
    status_code: str | None, *schedule: UhScheduleLine, **overrides: Any
) -> UhAgreementRecord:
    fields: dict[str, Any] = {
        "reference": "AG000123",
        "status_code": status_code,
        "start_date": dt.date(2019, 3, 25),
        "start_balance": D("1200.00"),
        "last_check_balance": D("700.00"),
        "last_expected_balance": D("650.00"),
        "schedule": schedule,
    }
    return UhAgreementRecord(**{**fields, **overrides})


def migrated(
    legacy_id: int, agreement_type: AgreementType, state: AgreementState, **overrides: Any
) -> MigratedAgreement:
    fields: dict[str, Any] = {
        "legacy_id": legacy_id,
        "agreement_type": agreement_type,
        "starting_balance": D("1200.00"),
        "amount": D("25.00"),
        "start_date": dt.date(2019, 4, 1),
        "frequency": AgreementFrequency.WEEKLY,
        "notes": f"line {legacy_id}",
        "initial_state": StateCheck(state, D("650.00"), D("700.00"), MIGRATED_BY),
    }
    return MigratedAgreement(**{**fields, **overrides})


def summary(agreements: list[MigratedAgreement]) -> list[tuple[int, str, str]]:
    return [
        (agreement.legacy_id, agreement.agreement_type, agreement.initial_state.state)
        for agreement in agreements
    ]


def test_no_uh_agreements_nothing_to_migrate() -> None:
    assert plan_agreement_migration([], has_court_case=True) == []


def test_uh_agreement_without_schedule_lines_migrates_nothing() -> None:
    assert plan_agreement_migration([uh_agreement("200")], has_court_case=False) == []


@pytest.mark.parametrize(
    ("has_court_case", "agreement_type"),
    [
        pytest.param(False, INFORMAL, id="without a court case the agreement is informal"),
        pytest.param(True, FORMAL, id="with a court case the agreement is formal"),
    ],
)
def test_live_uh_agreement_is_copied_field_by_field(
    has_court_case: bool, agreement_type: AgreementType
) -> None:
    plan = plan_agreement_migration([uh_agreement("200", line(11))], has_court_case=has_court_case)
    assert plan == [migrated(11, agreement_type, LIVE)]
    assert plan[0].created_by == MIGRATED_BY


@pytest.mark.parametrize(
    ("status_code", "state"),
    [
        pytest.param("100", LIVE, id="first check is live"),
        pytest.param("200", LIVE, id="live is live"),
        pytest.param("299", LIVE, id="suspect is live"),
        pytest.param("300", BREACHED, id="breached is breached"),
        pytest.param("400", CANCELLED, id="suspended is cancelled"),
        pytest.param("500", CANCELLED, id="cancelled is cancelled"),
        pytest.param("600", COMPLETED, id="complete is completed"),
        pytest.param(" 300 ", BREACHED, id="padded status"),
    ],
)
def test_uh_status_maps_to_state(status_code: str, state: AgreementState) -> None:
    plan = plan_agreement_migration([uh_agreement(status_code, line(11))], has_court_case=False)
    assert summary(plan) == [(11, INFORMAL, state)]


@pytest.mark.parametrize(
    "status_code",
    [
        pytest.param("700", id="unknown status"),
        pytest.param(None, id="no status"),
    ],
)
def test_uh_status_ma_does_not_know_stops_the_migration(status_code: str | None) -> None:
    with pytest.raises(LegacyAgreementNotMigratable):
        plan_agreement_migration([uh_agreement(status_code, line(11))], has_court_case=False)


@pytest.mark.parametrize(
    ("frequency_code", "frequency"),
    [
        pytest.param("0", AgreementFrequency.MONTHLY, id="0 is monthly"),
        pytest.param("1", AgreementFrequency.WEEKLY, id="1 is weekly"),
        pytest.param("2", AgreementFrequency.FORTNIGHTLY, id="2 is fortnightly"),
        pytest.param("4", AgreementFrequency.FOUR_WEEKLY, id="4 is 4 weekly"),
        pytest.param("4 ", AgreementFrequency.FOUR_WEEKLY, id="padded code"),
    ],
)
def test_uh_frequency_maps_to_frequency(frequency_code: str, frequency: AgreementFrequency) -> None:
    plan = plan_agreement_migration(
        [uh_agreement("200", line(11, frequency_code=frequency_code))], has_court_case=False
    )
    assert plan[0].frequency is frequency
    assert plan[0].notes == "line 11"


@pytest.mark.parametrize(
    ("frequency_code", "comment", "notes"),
    [
        pytest.param(
            "5",
            "Pays quarterly",
            "Frequency no longer supported, original frequency was '3 Monthly'. Pays quarterly",
            id="3 monthly",
        ),
        pytest.param(
            "6",
            None,
            "Frequency no longer supported, original frequency was '6 Monthly'.",
            id="6 monthly without a comment",
        ),
        pytest.param(
            "7",
            "x",
            "Frequency no longer supported, original frequency was 'Annually'. x",
            id="annually",
        ),
        pytest.param(
            "8",
            "x",
            "Frequency no longer supported, original frequency was 'Daily'. x",
            id="daily",
        ),
        pytest.param(
            "9",
            "x",
            "Frequency no longer supported, original frequency was 'Irregular'. x",
            id="irregular",
        ),
        pytest.param(
            "Q",
            "x",
            "Frequency no longer supported, original frequency was 'Quarterly'. x",
            id="quarterly",
        ),
        pytest.param(
            "3",
            "x",
            "Frequency no longer supported, original frequency was '3'. x",
            id="code UH does not describe is quoted as it is",
        ),
    ],
)
def test_unsupported_frequency_is_kept_in_the_notes(
    frequency_code: str, comment: str | None, notes: str
) -> None:
    plan = plan_agreement_migration(
        [uh_agreement("600", line(11, frequency_code=frequency_code, comment=comment))],
        has_court_case=False,
    )
    assert plan[0].frequency is AgreementFrequency.UNSUPPORTED_LEGACY_FREQUENCY
    assert plan[0].notes == notes


@pytest.mark.parametrize(
    ("uh_agreements", "states"),
    [
        pytest.param(
            [uh_agreement("300", line(11, frequency_code="5"))],
            [(11, INFORMAL, BREACHED)],
            id="breached agreement with a legacy frequency is migrated",
        ),
        pytest.param(
            [
                uh_agreement("200", line(11, frequency_code="5"), reference="OLD"),
                uh_agreement("600", line(12)),
            ],
            [(11, INFORMAL, CANCELLED), (12, INFORMAL, COMPLETED)],
            id="older live agreement with a legacy frequency is stored cancelled",
        ),
        pytest.param(
            [uh_agreement("200", line(11, frequency_code="5"), line(12))],
            [(11, INFORMAL, CANCELLED), (12, INFORMAL, LIVE)],
            id="replaced schedule line with a legacy frequency is stored cancelled",
        ),
    ],
)
def test_legacy_frequency_only_matters_for_a_live_agreement(
    uh_agreements: list[UhAgreementRecord], states: list[tuple[int, str, str]]
) -> None:
    assert summary(plan_agreement_migration(uh_agreements, has_court_case=False)) == states


@pytest.mark.parametrize(
    "uh_agreements",
    [
        pytest.param(
            [uh_agreement("200", line(11, frequency_code="9"))],
            id="live agreement with a legacy frequency",
        ),
        pytest.param(
            [uh_agreement("200", line(11), line(12, frequency_code="Q"))],
            id="current schedule line of a live agreement with a legacy frequency",
        ),
    ],
)
def test_live_agreement_with_legacy_frequency_stops_the_migration(
    uh_agreements: list[UhAgreementRecord],
) -> None:
    with pytest.raises(LegacyAgreementNotMigratable):
        plan_agreement_migration(uh_agreements, has_court_case=True)


@pytest.mark.parametrize(
    ("uh_agreements", "has_court_case", "states"),
    [
        pytest.param(
            [uh_agreement("300", line(11), line(12), line(13))],
            False,
            [(11, INFORMAL, CANCELLED), (12, INFORMAL, CANCELLED), (13, INFORMAL, BREACHED)],
            id="only the last schedule line keeps the UH status",
        ),
        pytest.param(
            [uh_agreement("200", line(13), line(11), line(12))],
            False,
            [(11, INFORMAL, CANCELLED), (12, INFORMAL, CANCELLED), (13, INFORMAL, LIVE)],
            id="schedule lines ordered by id",
        ),
        pytest.param(
            [uh_agreement("200", line(12), reference="NEW"), uh_agreement("500", line(11))],
            True,
            [(11, INFORMAL, CANCELLED), (12, FORMAL, LIVE)],
            id="newest first from the gateway still migrates oldest first",
        ),
        pytest.param(
            [uh_agreement("200", line(11), reference="OLD"), uh_agreement("300", line(12))],
            False,
            [(11, INFORMAL, CANCELLED), (12, INFORMAL, BREACHED)],
            id="older live agreement is stored cancelled",
        ),
        pytest.param(
            [uh_agreement("300", line(11), reference="OLD"), uh_agreement("200", line(12))],
            False,
            [(11, INFORMAL, BREACHED), (12, INFORMAL, LIVE)],
            id="older breached agreement stays breached",
        ),
        pytest.param(
            [uh_agreement("600", line(11), reference="OLD"), uh_agreement("200", line(12))],
            True,
            [(11, INFORMAL, COMPLETED), (12, FORMAL, LIVE)],
            id="with a court case only the last agreement is formal",
        ),
        pytest.param(
            [uh_agreement("200", line(11), reference="OLD"), uh_agreement("600", line(12))],
            True,
            [(11, INFORMAL, CANCELLED), (12, FORMAL, COMPLETED)],
            id="last agreement is formal even when completed",
        ),
        pytest.param(
            [
                uh_agreement("200", line(11), line(13), reference="A"),
                uh_agreement("300", line(12), line(14), reference="B"),
            ],
            True,
            [
                (11, INFORMAL, CANCELLED),
                (12, INFORMAL, CANCELLED),
                (13, INFORMAL, CANCELLED),
                (14, FORMAL, BREACHED),
            ],
            id="interleaved schedule lines of two agreements",
        ),
    ],
)
def test_plan_agreement_migration_order_states_and_types(
    uh_agreements: list[UhAgreementRecord],
    has_court_case: bool,
    states: list[tuple[int, str, str]],
) -> None:
    plan = plan_agreement_migration(uh_agreements, has_court_case=has_court_case)
    assert summary(plan) == states


def test_every_row_carries_its_uh_agreement_balances() -> None:
    plan = plan_agreement_migration(
        [
            uh_agreement("500", line(11), reference="OLD", start_balance=D("900.00")),
            uh_agreement("200", line(12), last_check_balance=None, last_expected_balance=None),
        ],
        has_court_case=False,
    )
    assert plan == [
        migrated(11, INFORMAL, CANCELLED, starting_balance=D("900.00")),
        migrated(12, INFORMAL, LIVE, initial_state=StateCheck(LIVE, None, None, MIGRATED_BY)),
    ]


def test_line_without_start_date_takes_the_uh_agreement_start_date() -> None:
    plan = plan_agreement_migration(
        [uh_agreement("200", line(11, start_date=None))], has_court_case=False
    )
    assert plan[0].start_date == dt.date(2019, 3, 25)


@pytest.mark.parametrize(
    "uh_agreements",
    [
        pytest.param(
            [uh_agreement("500", line(11, start_date=None), start_date=None)],
            id="no start date on the line or the agreement",
        ),
        pytest.param(
            [uh_agreement("600", line(11), start_balance=None)],
            id="no starting balance",
        ),
    ],
)
def test_agreement_missing_its_dates_or_balance_stops_the_migration(
    uh_agreements: list[UhAgreementRecord],
) -> None:
    with pytest.raises(LegacyAgreementNotMigratable):
        plan_agreement_migration(uh_agreements, has_court_case=False)
