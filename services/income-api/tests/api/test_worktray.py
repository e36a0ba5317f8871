"""`GET /api/v1/cases`: the worktray's filters and their boundaries (income-rules §7.3), its
order, pagination, service areas and roles, and the requests it refuses.

Cases are put straight into income-api's database; dates are relative to today (UTC), which
the app is pinned to for the test (tests/api/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from income_api.domain.worktray import LEASEHOLD_URGENCY, RENT_URGENCY

A, B, C, D, E, F = (f"00000{n}/01" for n in range(1, 7))

Headers = dict[str, str]
Spec = dict[str, Any]


@dataclass(frozen=True)
class At:
    """An instant counted from 00:00 today (UTC)."""

    days: int = 0
    hours: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class Day:
    """A date counted from today."""

    days: int = 0


def case(ref: str, **columns: Any) -> Spec:
    return {"tenancy_ref": ref, **columns}


Build = Callable[[list[Spec]], None]


@pytest.fixture
def build(make_case: Callable[..., str], today: dt.date, start_of_today: dt.datetime) -> Build:
    """Insert the cases of a table row, turning `At` and `Day` into real dates."""

    def resolve(value: Any) -> Any:
        if isinstance(value, At):
            return start_of_today + dt.timedelta(
                days=value.days, hours=value.hours, minutes=value.minutes
            )
        if isinstance(value, Day):
            return today + dt.timedelta(days=value.days)
        return value

    def insert(specs: list[Spec]) -> None:
        for spec in specs:
            make_case(**{name: resolve(value) for name, value in spec.items()})

    return insert


def refs(response: httpx2.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["tenancy_ref"] for row in response.json()["results"]]


# Filters ------------------------------------------------------------------------------------

PATCHES = [
    case(A, patch_code="E01"),
    case(B, patch_code="W02"),
    case(C, patch_code=None),
    case(D, patch_code="E011"),
]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({"patch": "E01"}, [A], id="one patch, not a patch that starts the same"),
        pytest.param({"patch": ["E01", "W02"]}, [A, B], id="several patches"),
        pytest.param({"patch": "unassigned"}, [C], id="unassigned means no patch"),
        pytest.param({"patch": ["unassigned", "W02"]}, [B, C], id="unassigned and a patch"),
        pytest.param({"patch": "e01"}, [A], id="patch is case-insensitive"),
        pytest.param({"patch": " w02 "}, [B], id="patch is trimmed"),
        pytest.param({"patch": "Unassigned"}, [C], id="unassigned in any case"),
        pytest.param({"patch": "N99"}, [], id="a patch with no cases shows nothing"),
        pytest.param({}, [A, B, C, D], id="no patch filter shows every patch"),
    ],
)
def test_patch_filter(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(PATCHES)
    assert refs(get_cases(**params)) == shown


ACTIONS = [
    case(A, recommended_action="send_letter_one"),
    case(B, recommended_action="send_NOSP"),
    case(C, recommended_action="no_action"),
    case(D, recommended_action="send_letter_one", is_paused_until=At(days=7)),
]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({"recommended_action": "send_NOSP"}, [B], id="one action"),
        pytest.param(
            {"recommended_action": ["send_letter_one", "send_NOSP"]},
            [B, A, D],
            id="several actions, most urgent first, paused cases included",
        ),
        pytest.param({"recommended_action": "no_action"}, [C], id="no_action can be asked for"),
        pytest.param(
            {"recommended_action": "send_court_warning_letter"}, [], id="an action nobody has"
        ),
    ],
)
def test_recommended_action_filter(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(ACTIONS)
    assert refs(get_cases(**params)) == shown


@pytest.mark.parametrize(
    ("service_area", "action"),
    [
        pytest.param("rent", "send_letter_before_action", id="a leasehold action on rent"),
        pytest.param("leasehold", "send_NOSP", id="a rent action on leasehold"),
        pytest.param("rent", "send_letter_3", id="no such action"),
        pytest.param("rent", "SEND_NOSP", id="actions are case-sensitive"),
    ],
)
def test_unknown_recommended_action_is_refused(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    team_leader: Headers,
    assert_error: Callable[..., dict[str, Any]],
    service_area: str,
    action: str,
) -> None:
    build(ACTIONS)
    response = get_cases(
        headers=team_leader,
        service_area=service_area,
        recommended_action=["send_letter_one", action],
    )
    error = assert_error(response, 422, "validation_failed", field="recommended_action")
    assert action in error["message"]
    assert "send_letter_one" not in error["message"]


@pytest.mark.parametrize(
    ("until", "paused", "shown"),
    [
        pytest.param(At(days=0), "true", False, id="paused until today 00:00 is not paused"),
        pytest.param(At(days=0), "false", True, id="paused until today 00:00 is unpaused"),
        pytest.param(At(days=1), "true", True, id="paused until tomorrow is paused"),
        pytest.param(At(days=1), "false", False, id="paused until tomorrow is not unpaused"),
        pytest.param(At(days=-1), "true", False, id="pause that ended yesterday"),
        pytest.param(At(days=-1), "false", True, id="pause that ended yesterday is unpaused"),
        pytest.param(At(days=30), "true", True, id="paused for a month"),
        pytest.param(At(days=30), "false", False, id="paused for a month is not unpaused"),
        pytest.param(None, "true", False, id="never paused is not paused"),
        pytest.param(None, "false", True, id="never paused is unpaused"),
    ],
)
def test_paused_filter_boundary(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    until: At | None,
    paused: str,
    shown: bool,
) -> None:
    build([case(A, is_paused_until=until, pause_reason="Debt advice" if until else None)])
    assert refs(get_cases(paused=paused)) == ([A] if shown else [])


def test_paused_cases_come_soonest_ending_first_with_their_pause(
    build: Build, get_cases: Callable[..., httpx2.Response], start_of_today: dt.datetime
) -> None:
    build(
        [
            case(
                A,
                balance="900.00",
                is_paused_until=At(days=20),
                pause_reason="Hospital",
                pause_comment="In hospital until March",
                paused_by="Rita Rent",
            ),
            case(B, balance="100.00", is_paused_until=At(days=2), pause_reason="Debt advice"),
            case(C, balance="500.00"),
        ]
    )
    response = get_cases(paused="true")
    assert refs(response) == [B, A]
    pause = response.json()["results"][1]["pause"]
    until = dt.datetime.fromisoformat(pause.pop("until"))
    assert until == start_of_today + dt.timedelta(days=20)
    assert pause == {
        "reason": "Hospital",
        "comment": "In hospital until March",
        "paused_by": "Rita Rent",
    }


PAUSE_REASONS = [
    case(A, is_paused_until=At(days=5), pause_reason="Debt advice"),
    case(B, is_paused_until=At(days=5), pause_reason="Hospital"),
    case(C, is_paused_until=At(days=-1), pause_reason="Debt advice"),
    case(D),
]


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        pytest.param("Debt advice", [A], id="paused for that reason, not a pause that ended"),
        pytest.param("Hospital", [B], id="another reason"),
        pytest.param("Death of tenant", [], id="a reason nobody is paused for"),
    ],
)
def test_pause_reason_filter(
    build: Build, get_cases: Callable[..., httpx2.Response], reason: str, shown: list[str]
) -> None:
    build(PAUSE_REASONS)
    assert refs(get_cases(pause_reason=reason)) == shown


@pytest.mark.parametrize(
    ("column", "param", "when"),
    [
        pytest.param(
            "court_date",
            "upcoming_court_dates",
            {
                A: At(days=10),
                B: At(days=-1, hours=23, minutes=59),
                C: At(),
                D: At(days=1, hours=9),
                E: At(days=-30),
            },
            id="court dates",
        ),
        pytest.param(
            "eviction_date",
            "upcoming_evictions",
            {A: Day(10), B: Day(-1), C: Day(0), D: Day(1), E: Day(-30)},
            id="evictions",
        ),
    ],
)
def test_upcoming_dates_from_today_soonest_first(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    column: str,
    param: str,
    when: dict[str, At | Day],
) -> None:
    # C is today (court date at 00:00 today), B yesterday (a court date at 23:59).
    # Cases with a hearing or eviction ahead are no_action, and still shown.
    build(
        [case(ref, recommended_action="no_action", **{column: at}) for ref, at in when.items()]
        + [case(F, recommended_action="no_action")]
    )
    assert refs(get_cases(**{param: "true"})) == [C, D, A]
    assert refs(get_cases(**{param: "false"})) == []


VULNERABILITY = [case(A, has_vulnerability=True), case(B, has_vulnerability=False)]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({"vulnerable": "true"}, [A], id="with a vulnerability"),
        pytest.param({"vulnerable": "false"}, [B], id="without a vulnerability"),
        pytest.param({}, [A, B], id="either"),
    ],
)
def test_vulnerable_filter(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(VULNERABILITY)
    assert refs(get_cases(**params)) == shown


# Only accounts in arrears are stored as cases: the sync closes a case when its balance
# reaches zero or a credit (test_sync.py), so the worktray needs no balance test of its own.
BALANCES = [
    case(A, balance="99.99"),
    case(B, balance="100.00"),
    case(C, balance="250.00"),
    case(D, balance="250.01"),
]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({}, [D, C, B, A], id="largest first"),
        pytest.param({"min_balance": "100"}, [D, C, B], id="min balance is inclusive"),
        pytest.param({"max_balance": "250.00"}, [C, B, A], id="max balance is inclusive"),
        pytest.param(
            {"min_balance": "100.00", "max_balance": "250"}, [C, B], id="both bounds inclusive"
        ),
        pytest.param(
            {"min_balance": "100.01", "max_balance": "250.00"}, [C], id="a penny over the min"
        ),
        pytest.param({"min_balance": "0"}, [D, C, B, A], id="min balance 0 is everything"),
        pytest.param({"min_balance": "300", "max_balance": "200"}, [], id="an empty range"),
    ],
)
def test_balance_range(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(BALANCES)
    assert refs(get_cases(**params)) == shown


IMMEDIATE = [
    case(A, recommended_action="send_letter_one"),
    case(B, recommended_action="no_action"),
    case(C, recommended_action="send_NOSP", is_paused_until=At(days=3)),
    case(D, recommended_action="send_NOSP", is_paused_until=At(days=-2)),
    case(E, recommended_action="no_action", is_paused_until=At(days=3)),
]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({}, [D, A], id="by default only actions due and not paused"),
        pytest.param({"immediate_actions": "true"}, [D, A], id="asked for explicitly"),
        pytest.param({"immediate_actions": "false"}, [C, D, A, B, E], id="false shows all"),
        pytest.param({"paused": "false"}, [D, A], id="not paused keeps immediate actions"),
        pytest.param({"vulnerable": "false"}, [D, A], id="vulnerable keeps immediate actions"),
        pytest.param({"patch": "unassigned"}, [D, A], id="patch keeps immediate actions"),
        pytest.param(
            {"paused": "true"}, [C, E], id="paused view shows paused cases with no action"
        ),
        pytest.param(
            {"recommended_action": "send_NOSP", "immediate_actions": "true"},
            [D],
            id="immediate actions forced on hides the paused one",
        ),
        pytest.param(
            {"immediate_actions": "false", "paused": "false"},
            [D, A, B],
            id="all unpaused cases",
        ),
    ],
)
def test_immediate_actions_view(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(IMMEDIATE)
    assert refs(get_cases(**params)) == shown


# My patches ---------------------------------------------------------------------------------

MY_PATCHES = [
    case(A, patch_code="E01", balance="300.00"),
    case(B, patch_code="W02", balance="200.00"),
    case(C, patch_code="N03"),
    case(D, patch_code=None),
]


def test_my_patches_are_the_patches_i_set(
    client: TestClient,
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    rent_caseworker: Headers,
) -> None:
    build(MY_PATCHES)
    put = client.put(
        "/api/v1/users/me/patches", json={"patch_codes": ["e01", "W02"]}, headers=rent_caseworker
    )
    assert put.status_code == 200, put.text
    assert put.json()["patch_codes"] == ["E01", "W02"]

    assert refs(get_cases(my_patches="true")) == [A, B]
    assert refs(get_cases(my_patches="true", patch="W02")) == [B]
    assert refs(get_cases(my_patches="false")) == [A, C, D, B]


def test_my_patches_replaced_by_the_next_set(
    client: TestClient,
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    rent_caseworker: Headers,
) -> None:
    build(MY_PATCHES)
    for codes in (["E01", "W02"], ["N03"]):
        put = client.put(
            "/api/v1/users/me/patches", json={"patch_codes": codes}, headers=rent_caseworker
        )
        assert put.status_code == 200, put.text
    assert refs(get_cases(my_patches="true")) == [C]


def test_my_patches_are_mine_alone(
    client: TestClient,
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    team_leader: Headers,
    rent_caseworker: Headers,
) -> None:
    build(MY_PATCHES)
    put = client.put("/api/v1/users/me/patches", json={"patch_codes": ["E01"]}, headers=team_leader)
    assert put.status_code == 200, put.text
    assert refs(get_cases(my_patches="true", headers=team_leader)) == [A]
    assert refs(get_cases(my_patches="true", headers=rent_caseworker)) == []


# Order --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service_area", "urgency", "most_urgent"),
    [
        pytest.param(
            "rent", RENT_URGENCY, "apply_for_outright_possession_warrant", id="rent actions"
        ),
        pytest.param(
            "leasehold", LEASEHOLD_URGENCY, "refer_for_legal_action", id="leasehold actions"
        ),
    ],
)
def test_priority_follows_the_urgency_of_the_action(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    team_leader: Headers,
    service_area: str,
    urgency: tuple[str, ...],
    most_urgent: str,
) -> None:
    # Built least urgent first with the largest balances, so only urgency can explain the order.
    build(
        [
            case(
                f"{100 + rank:06d}/01",
                service_area=service_area,
                recommended_action=action,
                balance=f"{1000 + rank}.00",
            )
            for rank, action in reversed(list(enumerate(urgency)))
        ]
    )
    response = get_cases(
        headers=team_leader, service_area=service_area, immediate_actions="false", per_page=50
    )
    shown = [row["recommended_action"] for row in response.json()["results"]]
    assert shown == list(urgency)
    assert (shown[0], shown[-1]) == (most_urgent, "no_action")
    # The default view is the same order without no_action.
    default = get_cases(headers=team_leader, service_area=service_area).json()["results"]
    assert [row["recommended_action"] for row in default] == list(urgency)[:-1]


@pytest.mark.parametrize(
    ("cases", "shown"),
    [
        pytest.param(
            [case(A, balance="100.00"), case(B, balance="300.00"), case(C, balance="200.00")],
            [B, C, A],
            id="same action: largest balance first",
        ),
        pytest.param(
            [
                case(A, weeks_of_rent_owed="2.50"),
                case(B, weeks_of_rent_owed=None),
                case(C, weeks_of_rent_owed="4.00"),
            ],
            [C, A, B],
            id="same balance: most weeks of rent owed first, unknown last",
        ),
        pytest.param(
            [
                case(A, weeks_of_rent_owed="3.00", days_since_last_payment=10),
                case(B, weeks_of_rent_owed="3.00", days_since_last_payment=None),
                case(C, weeks_of_rent_owed="3.00", days_since_last_payment=45),
            ],
            [C, A, B],
            id="same weeks: longest since the last payment first, unknown last",
        ),
        pytest.param(
            [
                case(A, recommended_action="send_letter_one", balance="5000.00"),
                case(B, recommended_action="send_letter_two", balance="20.00"),
            ],
            [B, A],
            id="a more urgent action beats a larger balance",
        ),
        pytest.param(
            [
                case(A, balance="200.00", weeks_of_rent_owed="1.00"),
                case(B, balance="200.01", weeks_of_rent_owed="9.00"),
            ],
            [B, A],
            id="balance before weeks of rent owed",
        ),
        pytest.param(
            [
                case(A, weeks_of_rent_owed="3.01", days_since_last_payment=1),
                case(B, weeks_of_rent_owed="3.00", days_since_last_payment=400),
            ],
            [A, B],
            id="weeks of rent owed before days since the last payment",
        ),
    ],
)
def test_priority_tie_breakers(
    build: Build, get_cases: Callable[..., httpx2.Response], cases: list[Spec], shown: list[str]
) -> None:
    build(cases)
    assert refs(get_cases()) == shown


SORTABLE = [
    case(
        A,
        recommended_action="send_letter_one",
        balance="100.00",
        days_since_last_payment=30,
        court_date=At(days=20),
        eviction_date=Day(5),
        is_paused_until=At(days=3),
        classification_changed_at=At(hours=-1),
    ),
    case(
        B,
        recommended_action="send_NOSP",
        balance="400.00",
        days_since_last_payment=5,
        court_date=At(days=10),
        classification_changed_at=At(days=-1),
    ),
    case(
        C,
        recommended_action="apply_for_court_date",
        balance="250.00",
        eviction_date=Day(30),
        is_paused_until=At(days=1),
        classification_changed_at=At(days=-2),
    ),
    case(
        D,
        recommended_action="no_action",
        balance="900.00",
        days_since_last_payment=60,
        court_date=At(days=2),
        eviction_date=Day(1),
        is_paused_until=At(days=10),
        classification_changed_at=At(days=-3),
    ),
]


@pytest.mark.parametrize(
    ("sort", "shown"),
    [
        pytest.param(None, [C, B, A, D], id="default is priority"),
        pytest.param("priority", [C, B, A, D], id="priority: most urgent action first"),
        pytest.param("balance", [D, B, C, A], id="balance: largest first, whatever the action"),
        pytest.param(
            "days_since_last_payment", [D, A, B, C], id="days since last payment: longest first"
        ),
        pytest.param("court_date", [D, B, A, C], id="court date: soonest first, none last"),
        pytest.param("eviction_date", [D, A, C, B], id="eviction date: soonest first, none last"),
        pytest.param("paused_until", [C, A, D, B], id="paused until: soonest first, none last"),
        pytest.param("recently_changed", [A, B, C, D], id="recently changed: newest first"),
    ],
)
def test_sort(
    build: Build, get_cases: Callable[..., httpx2.Response], sort: str | None, shown: list[str]
) -> None:
    build(SORTABLE)
    assert refs(get_cases(immediate_actions="false", sort=sort)) == shown


def test_an_explicit_sort_overrides_the_view_order(
    build: Build, get_cases: Callable[..., httpx2.Response]
) -> None:
    build(SORTABLE)
    assert refs(get_cases(paused="true")) == [C, A, D]
    assert refs(get_cases(paused="true", sort="balance")) == [D, C, A]
    assert refs(get_cases(upcoming_court_dates="true", sort="priority")) == [B, A, D]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        pytest.param({"upcoming_evictions": "true"}, [B, A], id="evictions: eviction date"),
        pytest.param(
            {"upcoming_evictions": "true", "upcoming_court_dates": "true"},
            [A, B],
            id="court dates and evictions: court date",
        ),
        pytest.param(
            {"upcoming_evictions": "true", "upcoming_court_dates": "true", "paused": "true"},
            [B, A],
            id="paused with either: paused until",
        ),
    ],
)
def test_which_view_sets_the_order(
    build: Build, get_cases: Callable[..., httpx2.Response], params: Spec, shown: list[str]
) -> None:
    build(
        [
            case(A, court_date=At(days=2), eviction_date=Day(9), is_paused_until=At(days=5)),
            case(B, court_date=At(days=8), eviction_date=Day(1), is_paused_until=At(days=1)),
        ]
    )
    assert refs(get_cases(**params)) == shown


# Pagination ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "per_page", "shown", "pages"),
    [
        pytest.param(1, 2, [A, B], 3, id="first page"),
        pytest.param(2, 2, [C, D], 3, id="middle page"),
        pytest.param(3, 2, [E], 3, id="last page is short"),
        pytest.param(4, 2, [], 3, id="past the end: no rows, still the totals"),
        pytest.param(1, 5, [A, B, C, D, E], 1, id="exactly one page"),
        pytest.param(1, 500, [A, B, C, D, E], 1, id="the largest page"),
        pytest.param(2, 4, [E], 2, id="one row over a page"),
    ],
)
def test_pagination(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    page: int,
    per_page: int,
    shown: list[str],
    pages: int,
) -> None:
    build([case(ref, balance=f"{900 - 100 * n}.00") for n, ref in enumerate([A, B, C, D, E])])
    response = get_cases(page=page, per_page=per_page)
    assert refs(response) == shown
    body = response.json()
    assert (body["page"], body["per_page"]) == (page, per_page)
    assert (body["total_count"], body["number_of_pages"]) == (5, pages)


def test_an_empty_worktray_has_no_pages(get_cases: Callable[..., httpx2.Response]) -> None:
    response = get_cases()
    assert response.status_code == 200
    assert response.json() == {
        "results": [],
        "page": 1,
        "per_page": 20,
        "total_count": 0,
        "number_of_pages": 0,
    }


def test_totals_count_the_filtered_cases(
    build: Build, get_cases: Callable[..., httpx2.Response]
) -> None:
    build(PATCHES)
    body = get_cases(patch=["E01", "W02"], per_page=1).json()
    assert (body["total_count"], body["number_of_pages"]) == (2, 2)


# Service areas and roles --------------------------------------------------------------------

SERVICE_AREAS = [
    case(A, recommended_action="send_NOSP"),
    case(
        B,
        service_area="leasehold",
        recommended_action="send_letter_before_action",
        tenure="LEA",
        lessee="M Lessee",
        property_address="1 Mare Street, London, E8 1AA",
    ),
    case(
        C, service_area="leasehold", recommended_action="refer_for_legal_action", balance="900.00"
    ),
    case(D, service_area="leasehold", recommended_action="no_action"),
]


@pytest.mark.parametrize(
    ("token", "service_area", "shown"),
    [
        pytest.param("rent_caseworker", "rent", [A], id="rent caseworker sees rent"),
        pytest.param(
            "leasehold_caseworker", "leasehold", [C, B], id="leasehold caseworker sees leasehold"
        ),
        pytest.param("team_leader", "rent", [A], id="team leader sees rent"),
        pytest.param("team_leader", "leasehold", [C, B], id="team leader sees leasehold"),
        pytest.param("read_only_client", "rent", [A], id="read-only client sees rent"),
        pytest.param("read_only_client", "leasehold", [C, B], id="read-only client sees leasehold"),
        pytest.param("service", "leasehold", [C, B], id="a service sees leasehold"),
    ],
)
def test_each_worktray_holds_only_its_service_area(
    request: pytest.FixtureRequest,
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    token: str,
    service_area: str,
    shown: list[str],
) -> None:
    build(SERVICE_AREAS)
    response = get_cases(headers=request.getfixturevalue(token), service_area=service_area)
    assert refs(response) == shown
    assert {row["service_area"] for row in response.json()["results"]} == {service_area}


def test_leasehold_rows_carry_the_leasehold_details(
    build: Build, get_cases: Callable[..., httpx2.Response], leasehold_caseworker: Headers
) -> None:
    build(SERVICE_AREAS)
    row = get_cases(headers=leasehold_caseworker, service_area="leasehold").json()["results"][1]
    assert row["tenancy_ref"] == B
    assert row["recommended_action"] == "send_letter_before_action"
    assert row["lessee"] == "M Lessee"
    assert row["property_address"] == "1 Mare Street, London, E8 1AA"


@pytest.mark.parametrize(
    ("token", "service_area"),
    [
        pytest.param("rent_caseworker", "leasehold", id="rent caseworker asks for leasehold"),
        pytest.param("leasehold_caseworker", "rent", id="leasehold caseworker asks for rent"),
    ],
)
def test_a_caseworker_cannot_see_the_other_service_area(
    request: pytest.FixtureRequest,
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    assert_error: Callable[..., dict[str, Any]],
    token: str,
    service_area: str,
) -> None:
    build(SERVICE_AREAS)
    response = get_cases(headers=request.getfixturevalue(token), service_area=service_area)
    error = assert_error(response, 403, "wrong_service_area")
    assert service_area in error["message"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no token"),
        pytest.param({"Authorization": "Bearer not-a-jwt"}, id="not a JWT"),
    ],
)
def test_without_a_valid_token_nothing_is_shown(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    assert_error: Callable[..., dict[str, Any]],
    headers: Headers,
) -> None:
    build(SERVICE_AREAS)
    response = get_cases(headers=headers)
    assert_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"


# Bad requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"per_page": 0}, "per_page", id="per_page 0"),
        pytest.param({"per_page": 501}, "per_page", id="per_page over 500"),
        pytest.param({"page": 0}, "page", id="page 0"),
        pytest.param({"page": -1}, "page", id="negative page"),
        pytest.param({"page": "two"}, "page", id="page not a number"),
        pytest.param({"service_area": None}, "service_area", id="service_area missing"),
        pytest.param({"service_area": "garages"}, "service_area", id="service_area bogus"),
        pytest.param({"service_area": "Rent"}, "service_area", id="service_area in capitals"),
        pytest.param({"paused": "maybe"}, "paused", id="paused not a boolean"),
        pytest.param({"pause_reason": "Holiday"}, "pause_reason", id="unknown pause reason"),
        pytest.param({"sort": "name"}, "sort", id="unknown sort"),
        pytest.param({"min_balance": "-0.01"}, "min_balance", id="negative min balance"),
        pytest.param({"max_balance": "lots"}, "max_balance", id="max balance not money"),
        pytest.param(
            {"upcoming_court_dates": "soon"}, "upcoming_court_dates", id="court dates not boolean"
        ),
    ],
)
def test_bad_parameters_are_refused(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    assert_error: Callable[..., dict[str, Any]],
    params: Spec,
    field: str,
) -> None:
    build(ACTIONS)
    assert_error(get_cases(**params), 422, "validation_failed", field=field)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"min_balance": "1e30"}, "min_balance", id="min balance beyond any money"),
        pytest.param(
            {"max_balance": "99999999999999999999999"}, "max_balance", id="max balance too long"
        ),
        pytest.param({"page": 10**20}, "page", id="page beyond any offset"),
        pytest.param({"page": 2**62, "per_page": 500}, "page", id="offset beyond 64 bits"),
    ],
)
def test_numbers_too_large_are_refused_not_a_server_error(
    build: Build,
    get_cases: Callable[..., httpx2.Response],
    assert_error: Callable[..., dict[str, Any]],
    params: Spec,
    field: str,
) -> None:
    build(ACTIONS)
    assert_error(get_cases(**params), 422, "validation_failed", field=field)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        *(
            pytest.param(v, [B], id=f"{v!r} is false")
            for v in ["false", "FALSE", "0", "f", "off", "no"]
        ),
        *(pytest.param(v, [A], id=f"{v!r} is true") for v in ["true", "1", "t", "on", "yes"]),
        pytest.param("", [A, B], id="empty is absent"),
    ],
)
def test_booleans_are_parsed_leniently(
    build: Build, get_cases: Callable[..., httpx2.Response], value: str, shown: list[str]
) -> None:
    # income-rules §7.3: "false", "0", "f", "off" are false; empty is absent.
    build(VULNERABILITY)
    assert refs(get_cases(vulnerable=value)) == shown
