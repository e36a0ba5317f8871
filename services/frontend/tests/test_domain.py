"""The view rules without I/O: money and dates as shown, page numbers, the worktray's query,
the timeline's weeks and the export's protection against spreadsheet formulas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from frontend.domain import formatting, timeline
from frontend.domain.export import plain
from frontend.domain.pagination import Pagination
from frontend.domain.worktray import Tab, WorktrayQuery
from ma_shared.vocabulary import ServiceArea


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1234.5", "£1,234.50"),
        (Decimal("-20"), "-£20.00"),
        ("0", "£0.00"),
        (None, ""),
        ("not money", ""),
    ],
    ids=["arrears", "credit", "nothing owed", "unknown", "unreadable"],
)
def test_money(value: object, shown: str) -> None:
    assert formatting.money(value) == shown  # type: ignore[arg-type]


def test_balances_in_words() -> None:
    assert formatting.balance_words("120") == "£120.00 in arrears"
    assert formatting.balance_words("-5") == "£5.00 in credit"


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        ("2025-07-01T13:30:00+00:00", "1 July 2025 at 2:30pm"),
        ("2025-01-10T09:05:00Z", "10 January 2025 at 9:05am"),
        ("2025-07-01T23:00:00+00:00", "2 July 2025"),
    ],
    ids=["summer time is UTC+1", "winter time is UTC", "London midnight is a date"],
)
def test_times_are_shown_in_london(instant: str, shown: str) -> None:
    assert formatting.date_time(instant) == shown


@pytest.mark.parametrize(
    ("page", "numbers"),
    [(1, [1, 2, None, 10]), (5, [1, None, 4, 5, 6, None, 10]), (10, [1, None, 9, 10])],
    ids=["first", "middle", "last"],
)
def test_page_numbers_leave_out_the_middle(page: int, numbers: list[int | None]) -> None:
    pages = Pagination(page=page, per_page=20, total=200)
    assert pages.numbers() == numbers
    assert pages.number_of_pages == 10


def test_showing_counts() -> None:
    pages = Pagination(page=3, per_page=20, total=45)
    assert (pages.first_shown, pages.last_shown) == (41, 45)
    assert Pagination(page=1, per_page=20, total=0).first_shown == 0


def test_the_worktray_query_becomes_income_apis() -> None:
    query = WorktrayQuery.from_query(
        {
            "tab": "all",
            "patch": "e01",
            "recommended_action": "send_letter_one",
            "vulnerable": "yes",
            "sort": "balance",
            "page": "3",
        },
        ServiceArea.RENT,
    )
    assert query.api_params() == {
        "service_area": "rent",
        "immediate_actions": "false",
        "patch": "E01",
        "recommended_action": "send_letter_one",
        "vulnerable": "true",
        "sort": "balance",
        "page": "3",
        "per_page": "20",
    }
    assert query.for_tab(Tab.PAUSED).query_string(with_service_area=False) == (
        "tab=paused&patch=E01&vulnerable=yes"
    )


def test_values_that_are_not_choices_are_dropped() -> None:
    query = WorktrayQuery.from_query(
        {
            "tab": "nonsense",
            "patch": "<script>",
            "recommended_action": "refer_for_legal_action",
            "page": "-1",
        },
        ServiceArea.RENT,
    )
    assert query == WorktrayQuery(service_area=ServiceArea.RENT)
    mine = WorktrayQuery.from_query({"patch": "mine"}, ServiceArea.LEASEHOLD)
    assert mine.api_params()["my_patches"] == "true"


def test_timeline_pages_are_ten_weeks_back_from_this_monday() -> None:
    wednesday = dt.date(2025, 3, 12)
    first = timeline.window(1, wednesday)
    assert (first.start, first.end) == (dt.date(2025, 1, 6), dt.date(2025, 3, 16))
    second = timeline.window(2, wednesday)
    assert second.end == first.start - dt.timedelta(days=1)


def test_timeline_weeks_carry_the_balance_and_skip_empty_weeks() -> None:
    span = timeline.window(1, dt.date(2025, 3, 12))
    weeks = timeline.weeks(
        transactions=[
            {
                "posted_at": "2025-03-10T00:00:00",
                "type_description": "Rent",
                "kind": "charge",
                "amount": "100.00",
                "balance_after": "350.00",
            },
            {
                "posted_at": "2025-02-26T00:00:00",
                "type_description": "Payment",
                "kind": "payment",
                "amount": "-50.00",
                "balance_after": "250.00",
            },
        ],
        diary=[
            {
                "action_date": "2025-03-04T10:00:00",
                "action_code": "OTC",
                "action_name": "Outgoing Telephone Call",
                "comment": "No answer",
                "username": "Rita",
                "balance": "250.00",
            },
        ],
        span=span,
        opening_balance=Decimal("300.00"),
    )
    assert [week.start for week in weeks] == [
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 3),
        dt.date(2025, 2, 24),
    ]
    assert [week.closing_balance for week in weeks] == [
        Decimal("350.00"),
        Decimal("250.00"),
        Decimal("250.00"),
    ]
    assert weeks[0].charged == Decimal("100.00")
    assert weeks[2].paid == Decimal("50.00")
    action = weeks[1].entries[0]
    assert (action.is_action, action.title, action.by) == (
        True,
        "Outgoing Telephone Call (OTC)",
        "Rita",
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [('=HYPERLINK("x")', '\'=HYPERLINK("x")'), ("@SUM(A1)", "'@SUM(A1)"), ("Mr Smith", "Mr Smith")],
    ids=["formula", "at sign", "plain text"],
)
def test_export_text_is_never_a_formula(value: str, written: str) -> None:
    assert plain(value) == written


def test_a_diary_comment_naming_the_documents_page_becomes_a_link_and_nothing_else_does() -> None:
    parts = timeline.linked_detail(
        "Letter sent: 42. Documents: /documents?payment_ref=228012345 and /admin?x=1"
    )
    assert parts == [
        timeline.DetailPart("Letter sent: 42. Documents: "),
        timeline.DetailPart(
            "documents for payment reference 228012345", href="/documents?payment_ref=228012345"
        ),
        timeline.DetailPart(" and /admin?x=1"),
    ]
    assert timeline.linked_detail("Rang the tenant") == [timeline.DetailPart("Rang the tenant")]
    assert timeline.linked_detail("") == []
