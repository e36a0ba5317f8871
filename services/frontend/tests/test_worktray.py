"""The worktray and its CSV export, read from the real income-api after a sync of the test
simulator."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from frontend.domain.export import HEADER
from frontend.testing import Page, read

SignIn = Callable[[str], TestClient]


def _count(page: Page) -> int:
    found = re.search(r"of ([\d,]+) cases?", page.text)
    assert found, page.text[:500]
    return int(found.group(1).replace(",", ""))


def test_a_rent_caseworker_sees_immediate_actions_most_urgent_first(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/worktray"))
    assert page.status_code == 200
    assert page.heading == "Rent Worktray"
    assert page.title == "Rent worktray: immediate actions – Manage arrears"
    assert re.search(r"Showing 1 to 20 of [\d,]+ cases", page.text)
    rows = page.table("Immediate actions")
    assert len(rows) == 20
    assert list(rows[0]) == ["Case", "Balance", "Next action", "Last action", "Agreement"]
    assert all(row["Next action"] != "No action" for row in rows)
    assert all(row["Balance"].startswith("£") for row in rows)
    # Every row opens its case.
    case_links = [str(a["href"]) for a in page.main.select("table a")]
    assert len(case_links) == 20
    assert all(re.fullmatch(r"/cases/\d{6,7}/\d{2}", href) for href in case_links)


def test_tabs_are_links_that_keep_the_patch(signed_in: SignIn) -> None:
    client = signed_in("rent")
    page = read(client.get("/worktray?patch=E01"))
    tabs = {a.get_text(strip=True): a["href"] for a in page.soup.select(".app-tabs a")}
    assert list(tabs) == [
        "Immediate actions",
        "Paused",
        "Upcoming court dates",
        "Upcoming evictions",
        "All cases",
    ]
    assert tabs["All cases"] == "/worktray?tab=all&patch=E01"
    current = page.soup.select_one('.app-tabs a[aria-current="page"]')
    assert current is not None
    assert current.get_text(strip=True) == "Immediate actions"

    everything = read(client.get(tabs["All cases"]))
    assert everything.title == "Rent worktray: all cases – Manage arrears"
    assert {row["Case"].split()[2] for row in everything.table("All cases")} == {"E01"}
    assert _count(everything) >= _count(page)


def test_filters_narrow_the_list(signed_in: SignIn) -> None:
    client = signed_in("rent")
    everything = _count(read(client.get("/worktray?tab=all")))
    letter_one = read(client.get("/worktray?tab=all&recommended_action=send_letter_one"))
    assert 0 < _count(letter_one) < everything
    assert {row["Next action"] for row in letter_one.table("All cases")} == {"Send letter 1"}
    chosen = letter_one.soup.select_one("#recommended_action option[selected]")
    assert chosen is not None
    assert chosen.get_text(strip=True) == "Send letter 1"
    assert "Clear filters" in letter_one.links()

    unassigned = read(client.get("/worktray?tab=all&patch=unassigned"))
    rows = unassigned.table("All cases") if _count(unassigned) else []
    assert all("No patch" in row["Case"] for row in rows)


def test_pages_of_twenty_with_counts(signed_in: SignIn) -> None:
    client = signed_in("rent")
    first = read(client.get("/worktray?tab=all"))
    total = _count(first)
    assert total > 20
    assert first.soup.select_one(".govuk-pagination") is not None
    second = read(client.get("/worktray?tab=all&page=2"))
    assert f"Showing 21 to {min(40, total):,} of {total:,} cases" in second.text
    first_refs = {r["Case"] for r in first.table("All cases")}
    assert first_refs.isdisjoint(r["Case"] for r in second.table("All cases"))


def test_a_leasehold_caseworker_sees_the_leasehold_worktray(signed_in: SignIn) -> None:
    page = read(signed_in("leasehold").get("/worktray?tab=all"))
    assert page.heading == "Leasehold Worktray"
    rows = page.table("All cases")
    assert rows
    assert list(rows[0]) == [
        "Case",
        "Leaseholder",
        "Balance",
        "Next action",
        "Latest letter",
        "Direct debit",
    ]
    assert "SC" in page.text  # leasehold patches in the filter


def test_caseworkers_cannot_open_the_other_teams_worktray(signed_in: SignIn) -> None:
    page = read(signed_in("leasehold").get("/worktray?service_area=rent"))
    assert page.status_code == 403
    assert page.heading == "You cannot do this"


def test_a_team_leader_chooses_the_service_area(signed_in: SignIn) -> None:
    client = signed_in("team-leader")
    rent = read(client.get("/worktray"))
    assert rent.heading == "Rent Worktray"
    assert rent.links()["Leasehold worktray"] == "/worktray?service_area=leasehold"
    leasehold = read(client.get("/worktray?service_area=leasehold"))
    assert leasehold.heading == "Leasehold Worktray"
    tabs = [a["href"] for a in leasehold.soup.select(".app-tabs a")]
    assert all("service_area=leasehold" in href for href in tabs)


def test_a_page_of_the_worktray_is_light(signed_in: SignIn) -> None:
    response = signed_in("team-leader").get("/worktray?tab=all")
    assert len(read(response).table("All cases")) == 20
    assert len(response.content) < 100_000


def test_the_csv_export_has_every_case_of_the_filtered_list(signed_in: SignIn) -> None:
    client = signed_in("rent")
    page = read(client.get("/worktray?tab=all&patch=E01"))
    link = page.links()[f"Download these {_count(page):,} cases (CSV)"]
    assert link == "/worktray.csv?service_area=rent&tab=all&patch=E01"

    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == HEADER
    assert len(rows) - 1 == _count(page)
    assert {row[HEADER.index("Patch")] for row in rows[1:]} == {"E01"}
    assert len({row[0] for row in rows[1:]}) == len(rows) - 1


def test_the_csv_export_pages_through_income_api(signed_in: SignIn) -> None:
    client = signed_in("rent")
    total = _count(read(client.get("/worktray?tab=all")))
    rows = list(csv.reader(io.StringIO(client.get("/worktray.csv?tab=all").text)))
    assert len(rows) - 1 == total


def test_choosing_my_patches_filters_the_worktray(signed_in: SignIn) -> None:
    client = signed_in("rent")
    form = read(client.get("/worktray/my-patches"))
    assert form.heading == "Choose my patches"
    saved = client.post(
        "/worktray/my-patches", data={"patch": ["E02", "W01"], "csrf_token": form.form_token}
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/worktray?patch=mine"
    again = read(client.get("/worktray/my-patches"))
    ticked = [box["value"] for box in again.soup.select('input[name="patch"][checked]')]
    assert ticked == ["E02", "W01"]
    mine = read(client.get("/worktray?tab=all&patch=mine"))
    assert {row["Case"].split()[2] for row in mine.table("All cases")} <= {"E02", "W01"}
