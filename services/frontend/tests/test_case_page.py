"""The case page, read from the real income-api and UH records through it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from frontend.testing import read, words

SignIn = Callable[[str], TestClient]


def _first_case(client: TestClient, query: str = "") -> str:
    page = read(client.get(f"/worktray{query}"))
    link = page.main.select_one("table a")
    assert link is not None
    return str(link["href"])


@pytest.fixture
def rent_case(signed_in: SignIn) -> str:
    return _first_case(signed_in("rent"))


def test_the_case_shows_the_next_action_and_why(signed_in: SignIn, rent_case: str) -> None:
    page = read(signed_in("rent").get(rent_case))
    assert page.status_code == 200
    ref = rent_case.removeprefix("/cases/")
    assert page.title == f"Case {ref} – Manage arrears"
    assert f"Rent case {ref}" in page.heading
    recommendation = page.main.select_one(".govuk-inset-text")
    assert recommendation is not None
    heading = recommendation.find("h2")
    assert heading is not None
    assert heading.get_text().startswith("Next recommended action: ")
    # The reason a caseworker reads, from income-api's classifier.
    assert len(words(recommendation.find("p"))) > 20
    assert re.search(r"Balance £[\d,]+\.\d\d in arrears", page.text)
    assert "Collectable arrears £" in page.text
    for section in ("Account", "Agreements", "Court cases", "Vulnerabilities", "Contacts"):
        assert section in [h.get_text(strip=True) for h in page.main.find_all("h2")]


def test_the_case_links_to_every_action(signed_in: SignIn, rent_case: str) -> None:
    links = read(signed_in("rent").get(rent_case)).links()
    expected = {
        "Pause case": "pause",
        "Add an action diary entry": "diary/new",
        "Record a NOSP": "nosp",
        "Change contact details": "contacts",
        "Make an agreement": "agreements/new",
        "Add a court case": "court-cases/new",
        "Add an eviction date": "evictions/new",
        "Record a vulnerability": "vulnerabilities/new",
        "Send a text message": "sms",
        "Send an email": "email",
        "Send a letter": "letters/new",
    }
    for text, action in expected.items():
        assert links[text] == f"{rent_case}/{action}"


def test_the_timeline_groups_transactions_and_actions_by_week(
    signed_in: SignIn, rent_case: str
) -> None:
    client = signed_in("rent")
    page = read(client.get(rent_case))
    rows = page.table("by week")
    weeks = [row for row in rows if row["Date"].startswith("Week of")]
    assert weeks
    assert len(weeks) <= 10
    assert any(row["Charged"].startswith("£") for row in rows if row not in weeks)
    # Each week's first cell is a row-group header naming its Monday.
    header = page.soup.select_one('th[scope="rowgroup"]')
    assert header is not None
    assert header.get_text(strip=True).startswith("Week of ")

    older = next(href for words, href in page.links().items() if words.startswith("Older"))
    assert older == f"{rent_case}?page=2#timeline"
    second = read(client.get(older))
    assert second.status_code == 200
    newer = next(href for words, href in second.links().items() if words.startswith("Newer"))
    assert newer == f"{rent_case}?page=1#timeline"


def test_a_case_that_is_not_there(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/cases/999999/99"))
    assert page.status_code == 404
    assert page.heading == "Page not found"
    assert "There is no arrears case for tenancy 999999/99." in page.text
    assert read(signed_in("rent").get("/cases/not-a-ref")).status_code == 404


def test_a_case_of_the_other_team(signed_in: SignIn) -> None:
    leasehold_case = _first_case(signed_in("leasehold"), "?tab=all")
    page = read(signed_in("rent").get(leasehold_case))
    assert page.status_code == 403
    assert page.heading == "You cannot do this"


def test_a_leasehold_case(signed_in: SignIn) -> None:
    client = signed_in("leasehold")
    page = read(client.get(_first_case(client, "?tab=all")))
    assert page.status_code == 200
    assert "Leasehold case" in page.heading
    assert "Direct debit" in page.text
    assert "Record a NOSP" not in page.links()
